"""The exceptions the policy package raises.

    PolicyError                  base of everything below
    ├── PolicySyntaxError        the text does not parse (file:line:col)
    └── PolicyValidationError    parses, but is wrong for the tools (one or more file:line:col issues)

Evaluation errors never escape the engine: they become a deny decision with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Location", "PolicyError", "PolicySyntaxError", "PolicyValidationError"]


@dataclass(frozen=True)
class Location:
    """Where something is in a policy file (1-based line and column)."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


class PolicyError(Exception):
    """Base class of every error the policy package raises at load time."""


class PolicySyntaxError(PolicyError):
    """The text is not valid policy syntax; carries the location."""

    def __init__(self, message: str, location: Location) -> None:
        self.message = message
        self.location = location
        super().__init__(f"{location}: {message}")


class PolicyValidationError(PolicyError):
    """The policy parses but contradicts the tools it is loaded against (or itself)."""

    def __init__(self, issues: list[tuple[Location, str]]) -> None:
        self.issues = sorted(issues, key=lambda i: (i[0].file, i[0].line, i[0].column))
        super().__init__("\n".join(f"{loc}: {msg}" for loc, msg in self.issues))
