"""The circuit breaker's states with a controlled clock."""

from agentroute.mcp._breaker import CircuitBreaker


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_opens_after_threshold_consecutive_failures():
    clock = Clock()
    breaker = CircuitBreaker(threshold=3, cooldown_s=10, clock=clock)
    assert not breaker.failed() and not breaker.failed()
    assert breaker.refusal() is None and not breaker.is_open
    assert breaker.failed()
    assert breaker.is_open
    assert (
        breaker.refusal()
        == "circuit breaker is open after 3 consecutive failures; retrying in 10.0s"
    )


def test_success_resets_the_count():
    breaker = CircuitBreaker(threshold=2, cooldown_s=10, clock=Clock())
    breaker.failed()
    breaker.succeeded()
    assert not breaker.failed()


def test_half_open_admits_one_trial_then_closes_on_success():
    clock = Clock()
    breaker = CircuitBreaker(threshold=1, cooldown_s=5, clock=clock)
    breaker.failed()
    clock.now += 5
    assert breaker.refusal() is None  # the trial call
    assert breaker.refusal() == "circuit breaker is half-open: a trial call is running"
    breaker.succeeded()
    assert breaker.refusal() is None and breaker.refusal() is None


def test_failed_trial_reopens_for_a_full_cooldown():
    clock = Clock()
    breaker = CircuitBreaker(threshold=5, cooldown_s=5, clock=clock)
    for _ in range(5):
        breaker.failed()
    clock.now += 6
    assert breaker.refusal() is None
    assert breaker.failed()
    assert breaker.is_open
    assert "retrying in 5.0s" in breaker.refusal()


def test_released_trial_lets_the_next_call_try():
    clock = Clock()
    breaker = CircuitBreaker(threshold=1, cooldown_s=1, clock=clock)
    breaker.failed()
    clock.now += 2
    assert breaker.refusal() is None
    breaker.release()
    assert breaker.refusal() is None
