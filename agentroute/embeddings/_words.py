"""The whole lower-case words of a tokenizer's vocabulary, kept in the user's cache.

Reading them from the tokenizer means a 30,000-entry dict crossing from Rust on every start
(~25 ms idle, ~100 ms on a busy machine); the cached list reads in ~3-7 ms.
"""

from __future__ import annotations

import contextlib
import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from agentroute.embeddings._cache import DiskCache
from agentroute.embeddings._cache_dir import user_cache_dir

if TYPE_CHECKING:
    from tokenizers import Tokenizer

__all__ = ["vocabulary_words"]

_RULE = 1
"""Part of the key: bump it when which tokens count as words changes."""


def vocabulary_words(tokenizer: Tokenizer, tokenizer_path: Path) -> frozenset[str]:
    """Alphabetic, lower-case tokens (no ``##`` pieces, no ``[CLS]``): from the cache entry
    for this tokenizer file when there is one, else read and cached (when the cache is
    writable)."""
    root = user_cache_dir()
    store = DiskCache(root / "vocab-words") if root is not None else None
    key = ""
    if store is not None:
        with contextlib.suppress(OSError):
            digest = hashlib.sha256(f"{_RULE}:{store.file_hash(tokenizer_path)}".encode())
            key = f"words-{digest.hexdigest()[:32]}"
            entry = store.entry(key)
            if entry is not None:
                text = (entry / "words.txt").read_text(encoding="utf-8")
                return frozenset(w for w in text.split("\n") if w)
    words = frozenset(w for w in tokenizer.get_vocab() if w.isalpha() and w.islower())
    if store is not None and key:
        listing = "\n".join(sorted(words))
        with contextlib.suppress(OSError):  # unwritable: read from the tokenizer next time too
            store.put(key, lambda d: (d / "words.txt").write_text(listing, encoding="utf-8"))
    return words
