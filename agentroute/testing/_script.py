"""What makes a scripted double strict: a call beyond the script and an unused answer are errors."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Generic, TypeVar

__all__ = ["ScriptError"]

T = TypeVar("T")

_SHOWN = 60


class ScriptError(AssertionError):
    """A scripted double was called more, or fewer, times than its script says.

    An ``AssertionError``, because it is the test's expectation that failed, not the code's.
    """


def prompt_start(text: str) -> str:
    """The start of a prompt, on one line, enough to tell which call it was."""
    flat = " ".join(text.split())
    return flat if len(flat) <= _SHOWN else flat[: _SHOWN - 1] + "…"


class Script(Generic[T]):
    """Answers in order, each once; remembers calls beyond the end.

    The code under test may catch the error of an unexpected call (a planner falls back when its
    model fails), so it is remembered and ``assert_consumed`` raises it again.
    """

    def __init__(self, owner: str, answers: Sequence[T]) -> None:
        self.owner = owner
        self.answers = list(answers)
        self.used = 0
        self.unexpected: list[str] = []

    def next(self, context: str) -> T:
        """The next answer; ``context`` says what was asked, for the error of a call too many."""
        call = self.used + len(self.unexpected) + 1
        if self.used < len(self.answers):
            self.used += 1
            return self.answers[self.used - 1]
        problem = (
            f"{self.owner}: unexpected call {call}, beyond the {len(self.answers)} scripted; "
            f"{context}"
        )
        self.unexpected.append(problem)
        raise ScriptError(problem)

    def assert_consumed(self) -> None:
        if self.unexpected:
            raise ScriptError("; ".join(self.unexpected))
        left = len(self.answers) - self.used
        if left:
            raise ScriptError(
                f"{self.owner}: {left} of {len(self.answers)} scripted answers never asked for"
            )
