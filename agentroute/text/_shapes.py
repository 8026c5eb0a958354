"""Names recognised by their shape: what a lower-case question names.

Why: ``named_entities`` finds capitalised runs, quoted strings and code tokens, so "Who
maintains the Debian package hyperlapse-studio?" names nothing it would check, and a base
answered it with debhelper's record. The things technical bases hold are named in shapes of
their own: command-line options (``-a``, ``--turbo-sync``), dotted names
(``shutil.copytree``), hyphenated lower-case names (``python3-numpy``, ``ssh-keygen``) and
plain words a kind noun marks as names ("the zqlint command", "package foo") or quotes set
apart as one ("what does the 'quarantine' effect do"). Whether such a
word names something a base holds is the base's own vocabulary's to say
(``agentroute.knowledge``): "thread-safe" has the shape of a package name too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from agentroute.text._lexicon import STOP_WORDS, word_list

__all__ = ["KIND_NOUNS", "ShapedName", "name_shape", "shaped_names"]

Shape = Literal["option", "dotted", "hyphenated", "marked"]

KIND_NOUNS = word_list("agentroute.text", "name_kinds.txt")
"""Nouns that mark the word beside them as a name (data: ``name_kinds.txt``)."""

_OPTION = re.compile(r"(?<![\w-])(--?[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*)(?![\w-])")
_DOTTED = re.compile(r"(?<![\w.])([A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)+)(?:\(\))?(?![\w])")
_HYPHENATED = re.compile(r"(?<![\w.-])([a-z][a-z0-9+.]*(?:-[a-z0-9+.]*[a-z0-9+])+)(?![\w-])")
_ARTICLES = frozenset({"the", "a", "an"})
_ADVERB = re.compile(r"[a-z]{4,}ly")
"""An adverb ("dynamically", "recursively"): after a kind noun it says how, it is no name."""
_WORD = re.compile(r"[A-Za-z_][\w+.-]*[\w+]|[A-Za-z]")
_QUOTED_WORD = re.compile(
    r"""(?:(?<![\w'])'|"|`|“)([A-Za-z_][\w.-]*[A-Za-z0-9_])(?:'(?![\w'])|"|`|”)"""
)
"""One word quoted on its own ("the 'quarantine' effect"): the term asked about, a name."""


@dataclass(frozen=True)
class ShapedName:
    """A name and its shape; ``noun``: the kind noun beside it ("package"), if any."""

    text: str
    shape: Shape
    noun: str = ""
    after_noun: bool = False
    """The kind noun stands right before it ("the package foo"), not after ("foo package")."""


def name_shape(token: str) -> Shape | None:
    """The shape of a lone ``token`` ("--all" → option), or ``None`` for a plain word."""
    if _OPTION.fullmatch(token):
        return "option"
    if _DOTTED.fullmatch(token) and all(len(p) > 1 for p in token.split(".")):
        return "dotted"
    if _HYPHENATED.fullmatch(token):
        return "hyphenated"
    return None


def shaped_names(text: str) -> list[ShapedName]:
    """The names ``text`` carries by shape, in order, each once: options, dotted names (not
    abbreviations: "e.g."), hyphenated lower-case words, and a plain word a kind noun
    follows ("the zqlint command") or an article and a kind noun precede ("the module
    shutil"; "which command makes ..." names nothing)."""
    found: dict[str, ShapedName] = {}
    words = [(m.group(0).rstrip("."), m.start()) for m in _WORD.finditer(text)]
    for i, (word, at) in enumerate(words):
        start = text[at - 2 : at] if at >= 2 else text[:at]
        token = word
        if start.endswith("--") or (start[-1:] == "-" and not start[:1].isalnum()):
            continue  # the option form is read below, whole
        shape = name_shape(token)
        low = token.lower()
        before = words[i - 1][0].lower() if i else ""
        article = words[i - 2][0].lower() if i > 1 else ""
        after = words[i + 1][0].lower() if i + 1 < len(words) else ""
        # "the package foo", "the zqlint command"; not "which command makes ..."
        named_after = before in KIND_NOUNS and (shape is not None or article in _ARTICLES)
        noun = before if named_after else after if after in KIND_NOUNS else ""
        if shape is None:
            if not noun or low in STOP_WORDS or low in KIND_NOUNS or not token.islower():
                continue
            if named_after and _ADVERB.fullmatch(low):
                continue  # "create a class dynamically": an adverb says how, it names nothing
            shape = "marked"
        if low not in found:
            found[low] = ShapedName(token, shape, noun, named_after)
    for m in _QUOTED_WORD.finditer(text):
        word = m.group(1)
        if word.lower() not in found and word.lower() not in STOP_WORDS:
            found[word.lower()] = ShapedName(word, name_shape(word) or "marked")
    for m in _OPTION.finditer(text):
        opt = m.group(1)
        if opt.lower() not in found and len(opt) > 1:
            found[opt.lower()] = ShapedName(opt, "option", "option")
    return sorted(found.values(), key=lambda n: text.find(n.text))
