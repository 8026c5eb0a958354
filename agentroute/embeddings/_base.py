"""The embedding protocol: texts in, L2-normalised float32 rows out; and the error raised when
vectors stored by one embedder are opened with another."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:  # the protocol is imported everywhere: it should not cost numpy's import
    import numpy as np
    import numpy.typing as npt

__all__ = ["Embedder", "EmbedderMismatchError"]


@runtime_checkable
class Embedder(Protocol):
    @property
    def id(self) -> str:
        """Stable identity of the model (stored with every vector, checked on reopen)."""
        ...

    @property
    def dim(self) -> int: ...

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """Shape ``(len(texts), dim)``, each row L2-normalised."""
        ...


class EmbedderMismatchError(ValueError):
    """Vectors were stored by another embedder than the one given: they cannot be compared."""

    def __init__(self, where: str, stored: str | None, given: str, remedy: str) -> None:
        super().__init__(
            f"{where} was indexed with embedder {stored!r}, but {given!r} was given; "
            f"vectors from different embedders cannot be compared. {remedy}"
        )
        self.stored = stored
        self.given = given
