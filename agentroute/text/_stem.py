"""A word without its inflection: what a question and a passage match by.

Why: a question writes "tarballs", "archived", "grepping" where its passage writes "tarball",
"archive", "grep"; matching whole words only, the passage that answers shares none of them and
a name the base holds reads as one it never writes. A crude suffix cut (no dictionary) is
enough: both sides are cut the same way.
"""

from __future__ import annotations

__all__ = ["stem"]

_SUFFIXES = ("ing", "ed", "es", "s", "er", "ly")


def stem(word: str) -> str:
    """``word`` lower-cased without one inflecting suffix, a final "e" or a doubled last
    letter ("tarballs" → "tarball", "use" and "used" → "us", "grepping" → "grep")."""
    word = word.lower()
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if len(word) > 3 and (word.endswith("e") or word[-1] == word[-2]):
        return word[:-1]
    return word
