"""Circuit breaker: after N consecutive failures, fail fast for a cooldown, then try once."""

from __future__ import annotations

import time
from collections.abc import Callable

__all__ = ["CircuitBreaker"]


class CircuitBreaker:
    """closed → (threshold consecutive failures) → open → (cooldown) → half-open → closed/open.

    Half-open lets exactly one trial call through; its outcome closes or re-opens the breaker.
    """

    def __init__(
        self, threshold: int, cooldown_s: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.threshold = threshold
        self.cooldown_s = cooldown_s
        self.failures = 0
        self._clock = clock
        self._open_until: float | None = None
        self._trial = False

    @property
    def is_open(self) -> bool:
        return self._open_until is not None and self._clock() < self._open_until

    def refusal(self) -> str | None:
        """Why a call may not proceed now (``None``: go ahead, possibly as the trial call)."""
        if self._open_until is None:
            return None
        remaining = self._open_until - self._clock()
        if remaining > 0:
            return (
                f"circuit breaker is open after {self.failures} consecutive failures; "
                f"retrying in {remaining:.1f}s"
            )
        if self._trial:
            return "circuit breaker is half-open: a trial call is running"
        self._trial = True
        return None

    def release(self) -> None:
        """The admitted call never reached the server (no verdict either way)."""
        self._trial = False

    def succeeded(self) -> None:
        self.failures, self._open_until, self._trial = 0, None, False

    def failed(self) -> bool:
        """Count a failure; return True if this opened (or re-opened) the breaker."""
        self.failures += 1
        opened = self._trial or self.failures >= self.threshold
        if opened:
            self._open_until = self._clock() + self.cooldown_s
        self._trial = False
        return opened
