"""The syntax tree of a policy file.

Positions (``line``/``column``/``file``) are carried for messages but excluded from equality,
so ``parse(fmt(p)) == p`` compares meaning, not layout.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from typing import Literal as Lit

from agentroute.policy._errors import Location

__all__ = [
    "And",
    "Call",
    "Compare",
    "Def",
    "Default",
    "Expr",
    "Fallback",
    "Func",
    "Has",
    "Include",
    "Let",
    "Literal",
    "Not",
    "Or",
    "PolicyFile",
    "Quant",
    "Ref",
    "Rule",
    "Scope",
    "Update",
    "children",
]

Effect = Lit["allow", "deny", "ask", "stop"]
EFFECTS: tuple[str, ...] = ("allow", "deny", "ask", "stop")


@dataclass(eq=True)
class _Node:
    file: str = field(default="<text>", compare=False, repr=False, kw_only=True)
    line: int = field(default=0, compare=False, repr=False, kw_only=True)
    column: int = field(default=0, compare=False, repr=False, kw_only=True)

    @property
    def location(self) -> Location:
        return Location(self.file, self.line, self.column)


@dataclass(eq=True)
class Literal(_Node):
    value: Any


@dataclass(eq=True)
class Ref(_Node):
    """``path.to[0]`` (an argument), ``$name`` (a constant) or ``$call.x`` (firing call)."""

    root: str
    const: bool
    segments: tuple[str | int, ...] = ()

    def text(self) -> str:
        out = ("$" if self.const else "") + self.root
        for seg in self.segments:
            out += f"[{seg}]" if isinstance(seg, int) else f".{seg}"
        return out


@dataclass(eq=True)
class Func(_Node):
    name: str  # len | lower
    arg: Expr


@dataclass(eq=True)
class Has(_Node):
    ref: Ref


@dataclass(eq=True)
class Compare(_Node):
    op: str  # == != < <= > >= in "not in" matches startswith endswith contains
    left: Expr
    right: Expr


@dataclass(eq=True)
class Not(_Node):
    expr: Expr


@dataclass(eq=True)
class And(_Node):
    items: tuple[Expr, ...]


@dataclass(eq=True)
class Or(_Node):
    items: tuple[Expr, ...]


@dataclass(eq=True)
class Quant(_Node):
    kind: str  # any | all
    var: str
    source: Expr
    body: Expr


@dataclass(eq=True)
class Call(_Node):
    """``trusted(recipient)``: a named predicate (``def``) applied to arguments; the loader
    replaces it by the predicate's body before anything is checked or compiled."""

    name: str
    args: tuple[Expr, ...]


Expr = Literal | Ref | Func | Has | Compare | Not | And | Or | Quant | Call


@dataclass(eq=True)
class Fallback(_Node):
    kind: str  # message | ask | stop
    message: str | None = None


@dataclass(eq=True)
class Update(_Node):
    narrowing: bool
    rules: tuple[Rule, ...]


@dataclass(eq=True)
class Rule(_Node):
    effect: str
    selectors: tuple[str, ...]
    when: Expr | None = None
    priority: int | None = None
    fallback: Fallback | None = None
    update: Update | None = None

    @property
    def rule_id(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(eq=True)
class Default(_Node):
    effect: str
    fallback: Fallback | None = None


@dataclass(eq=True)
class Let(_Node):
    """``let name = part + part ...``: literals and earlier constants (``$other``), joined
    (lists concatenated, strings too); one part is just its value."""

    name: str
    parts: tuple[Literal | Ref, ...]


@dataclass(eq=True)
class Def(_Node):
    """``def name(param, ...) = condition``: a named predicate, reused by ``name(arg, ...)``."""

    name: str
    params: tuple[str, ...]
    body: Expr


@dataclass(eq=True)
class Include(_Node):
    path: str


@dataclass(eq=True)
class Scope(_Node):
    kind: str  # agent | server
    name: str
    items: tuple[Default | Rule, ...]


@dataclass(eq=True)
class PolicyFile(_Node):
    items: tuple[Include | Let | Def | Default | Rule | Scope, ...]


def children(node: object) -> tuple[object, ...]:
    """A node's direct sub-nodes (statements, rules, conditions): what every walk over the tree
    follows, without recursing."""
    if isinstance(node, PolicyFile | Scope):
        return node.items
    if isinstance(node, Rule):
        return (node.when, *(node.update.rules if node.update else ()))
    if isinstance(node, And | Or):
        return node.items
    if isinstance(node, Not):
        return (node.expr,)
    if isinstance(node, Compare):
        return (node.left, node.right)
    if isinstance(node, Func):
        return (node.arg,)
    if isinstance(node, Quant):
        return (node.source, node.body)
    if isinstance(node, Def):
        return (node.body,)
    if isinstance(node, Call):
        return node.args
    return ()
