"""Privilege policies: a small DSL that gates every tool call (see ``policies/README.md``).

Load a policy against the tools' JSON schemas, then ask a :class:`PolicyGate` about each call::

    gate = PolicyGate.from_files(["policies/filesystem.policy"], schemas)
    decision = gate.check(call, session="thread-1")   # PolicyDecision(effect, rule, reason, ...)

Errors (load time only; evaluation errors become deny decisions)::

    PolicyError
    ├── PolicySyntaxError        file:line:col of the first syntax problem
    └── PolicyValidationError    every file:line:col problem against the tool schemas
"""

from typing import TYPE_CHECKING

from agentroute._lazy import lazy_exports

if TYPE_CHECKING:
    from agentroute.policy._allow_all import AllowAllGate
    from agentroute.policy._errors import (
        Location,
        PolicyError,
        PolicySyntaxError,
        PolicyValidationError,
    )
    from agentroute.policy._fmt import format_policy
    from agentroute.policy._gate import PolicyGate, call_key
    from agentroute.policy._parser import parse
    from agentroute.policy._policy import Intersection, Policy, Verdict, intersect
    from agentroute.policy._progent import ImportReport, export_progent, import_progent
    from agentroute.policy._propose import Proposal, apropose_policy, propose_policy
    from agentroute.policy._safe_default import SafeDefaultGate

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "Location": "agentroute.policy._errors",
        "PolicyError": "agentroute.policy._errors",
        "PolicySyntaxError": "agentroute.policy._errors",
        "PolicyValidationError": "agentroute.policy._errors",
        "format_policy": "agentroute.policy._fmt",
        "AllowAllGate": "agentroute.policy._allow_all",
        "PolicyGate": "agentroute.policy._gate",
        "call_key": "agentroute.policy._gate",
        "parse": "agentroute.policy._parser",
        "Intersection": "agentroute.policy._policy",
        "Policy": "agentroute.policy._policy",
        "Verdict": "agentroute.policy._policy",
        "intersect": "agentroute.policy._policy",
        "ImportReport": "agentroute.policy._progent",
        "export_progent": "agentroute.policy._progent",
        "import_progent": "agentroute.policy._progent",
        "Proposal": "agentroute.policy._propose",
        "apropose_policy": "agentroute.policy._propose",
        "propose_policy": "agentroute.policy._propose",
        "SafeDefaultGate": "agentroute.policy._safe_default",
    },
)

__all__ = [
    "AllowAllGate",
    "ImportReport",
    "Intersection",
    "Location",
    "Policy",
    "PolicyError",
    "PolicyGate",
    "PolicySyntaxError",
    "PolicyValidationError",
    "Proposal",
    "SafeDefaultGate",
    "Verdict",
    "apropose_policy",
    "call_key",
    "export_progent",
    "format_policy",
    "import_progent",
    "intersect",
    "parse",
    "propose_policy",
]
