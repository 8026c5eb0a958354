"""chromadb imported without ``overrides``'s signature checks (``agentroute._chroma_client``):
inside the block ``@override`` only marks the method; outside it the real decorator is back,
for every other library, even when the block fails."""

from __future__ import annotations

from typing import Any

import overrides
import pytest

from agentroute._chroma_client import light_overrides


class _Base:
    def run(self, x: int) -> int:
        return x


def _orphan() -> Any:
    class Orphan(_Base):
        @overrides.override
        def walk(self) -> None:  # overrides nothing: the real decorator refuses it
            return None

    return Orphan


def test_inside_the_block_override_only_marks() -> None:
    with light_overrides():

        class Child(_Base):
            @overrides.override
            def run(self, x: int) -> int:
                return 2 * x

            @overrides.override(check_signature=False)
            def twice(self) -> int:
                return 2

        _orphan()  # not checked here
    assert Child().run(2) == 4 and Child().twice() == 2
    assert getattr(Child.run, "__override__", False) is True


def test_the_real_decorator_is_back_after_the_block() -> None:
    original = overrides.override
    with pytest.raises(RuntimeError), light_overrides():
        raise RuntimeError("the block failed")
    assert overrides.override is original
    with pytest.raises(TypeError, match="No super class method"):
        _orphan()
