"""A specialist expert serves what its own words speak of; the general expert the rest.

Similarity between short free-form requests and an expert's texts is weak evidence: "Give me
some tips to sleep better" scores 0.30 against the translator (its example "Translate 'good
morning' into French" shares the mood of a morning), above the general assistant. A
specialist is chosen for what it is special in: a clause that shares no word with the
specialist's name, description, domains or examples, beyond words the general expert's texts
use too ("write", "explain"), goes to the general expert when one is configured.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TypeVar

from agentroute.planning._candidate import Candidate, Scored
from agentroute.text import STOP_WORDS
from agentroute.types import TargetDescriptor, TargetKind

__all__ = ["general_unless_specialised"]

_WORD = re.compile(r"[^\W\d_]+")

S = TypeVar("S", bound=Scored)


def _stems(text: str) -> set[str]:
    """Content words cut to five letters ("translates", "translation" alike)."""
    return {w[:5] for w in _WORD.findall(text.lower()) if w not in STOP_WORDS and len(w) > 2}


def _said(descriptor: TargetDescriptor) -> set[str]:
    return _stems(
        " ".join(
            [
                descriptor.name.replace("_", " "),
                descriptor.description,
                *descriptor.domains,
                *descriptor.examples,
            ]
        )
    )


def general_unless_specialised(
    clause: str, fit: Sequence[S], general: Sequence[TargetDescriptor]
) -> list[S | Candidate]:
    """``fit`` with the general expert first when a specialist expert leads on similarity
    alone (no word of the clause is its own); unchanged otherwise."""
    if not fit or not general:
        return list(fit)
    best = fit[0].descriptor
    if best.kind is not TargetKind.EXPERT or any(g.name == best.name for g in general):
        return list(fit)
    common = set().union(*(_said(g) for g in general))
    if _stems(clause) & (_said(best) - common):
        return list(fit)
    seen = {h.descriptor.name: h for h in fit}
    catch: list[S | Candidate] = [seen.get(g.name) or Candidate(g) for g in general]
    return [*catch, *(h for h in fit if h not in catch)]
