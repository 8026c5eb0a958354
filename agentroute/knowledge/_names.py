"""Which names a knowledge base holds: the entity check's vocabulary.

Why: a base answered "Who maintains the Debian package hyperlapse-studio?" (no such package)
with debhelper's record, and "shutil.fastcopytree" with copytree's line. A name shaped like
the names a base holds (``agentroute.text.shaped_names``: options, dotted names, hyphenated
names, a word a kind noun marks) that none of its passages or titles ever writes is not in
the base: it declines and names the nearest names it does hold. A shape counts for a base only
when its own titles or passages name things that way (hyphenated titles: Debian packages;
options: man pages; dotted names: Python's docs), so "second-longest" is no package name to an
encyclopedia, whose passages write "well-known" but title no entry so.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Sequence, Set
from dataclasses import dataclass, field

from agentroute.text import (
    KIND_NOUNS,
    STOP_WORDS,
    ShapedName,
    bm25_idf,
    name_shape,
    shaped_names,
    stem,
    word_list,
)

__all__ = ["VERSION_TAIL", "Missing", "NameIndex"]

_TOKEN = re.compile(r"(?<![\w-])--?[a-z][a-z0-9]*(?:-[a-z0-9]+)*|[\w][\w.+-]*[\w+]|\w")
TITLE_SHARE = 0.1
"""A shape is the base's way of naming when this share of its titles has a name of it..."""
PASSAGE_SHARE = 0.2
"""...or this share of its passages does (options in man pages, dotted names in Python's)."""
GENERIC_SHARE = 0.25
"""A word this share of a base's passages writes names nothing in it ("command" in man
pages, "package" in Debian's records)..."""
GENERIC_COUNT = 5
"""...when that is at least this many passages (in a three-passage base every word would be)."""
BARE_SHARE = 0.5
"""A bare lower-case word is a name to a base when this share of its titles name things so
("grep(1) manual page", "Debian package adduser"; not an encyclopedia's "Danube")."""
_ASKING = word_list("agentroute.knowledge", "asking_words.txt")
VERSION_TAIL = re.compile(r"[-.]?\d[\d.]*(?:-\d[\d.]*)*[a-z]?$")
"""A name's version ("3" of libnss3, "-1-0" of libpolkit-agent-1-0, "8.6" of libtcl8.6)."""
_BARE = re.compile(r"(?<![\w.\-/])[A-Za-z][a-z0-9+_]*(?=\(\d\w*\)|(?![\w\-]|\.\w))")


@dataclass(frozen=True)
class Missing:
    """A name the base does not hold, and the nearest ones it does."""

    name: ShapedName
    nearest: list[str] = field(default_factory=list)

    def reason(self, base: str) -> str:
        what = f"{self.name.noun} {self.name.text}" if self.name.noun else self.name.text
        near = f"; nearest: {', '.join(self.nearest)}" if self.nearest else ""
        return f"no {what} in knowledge base {base!r}{near}"


def _tokens(text: str) -> set[str]:
    return {t.rstrip(".") for t in _TOKEN.findall(text.lower())}


class NameIndex:
    """The words and names of one base's passages and titles, by shape."""

    def __init__(self, passages: Sequence[str], titles: Sequence[str]) -> None:
        self.words: set[str] = set()
        self.by_shape: dict[str, set[str]] = {"option": set(), "dotted": set(), "hyphenated": set()}
        passage_shapes: dict[str, int] = dict.fromkeys(self.by_shape, 0)
        counts: Counter[str] = Counter()
        for text in passages:
            tokens = _tokens(text)
            self.words |= tokens
            counts.update(tokens)
            seen: set[str] = set()
            for t in tokens:
                shape = name_shape(t)
                if shape is not None:
                    self.by_shape[shape].add(t)
                    seen.add(shape)
            for kind in seen:
                passage_shapes[kind] += 1
        unique_titles = sorted({t for t in titles if t})
        self.title_words: set[str] = set()
        self.title_parts: set[str] = set()
        """The parts of the base's title names ("lib", "openssl", "bin", "hyperlapse")."""
        title_counts: dict[str, int] = {}
        title_shapes = dict.fromkeys(self.by_shape, 0)
        for title in unique_titles:
            tokens = _tokens(title)
            self.words |= tokens
            self.title_words |= {t for t in tokens if len(t) > 1}
            for t in tokens:
                title_counts[t] = title_counts.get(t, 0) + 1
            for title_shape in {name_shape(t) for t in tokens}:
                if title_shape is not None:
                    title_shapes[title_shape] += 1
        self.common = {
            t for t, c in title_counts.items() if c >= max(2.0, 0.3 * len(unique_titles))
        }
        """Words most titles share ("manual", "page", "package"): no name of their own."""
        self.title_parts = {p for t in self.title_words - self.common for p in t.split("-")}
        floor = max(GENERIC_SHARE * len(passages), GENERIC_COUNT)
        self.generic = {t for t, c in counts.items() if c >= floor} | self.common
        """Words so many passages write that a question's use of them names nothing."""
        self.stems = {stem(w) for w in self.words}
        self.unversioned = {
            bare
            for w in self.title_words
            if not w.isdigit() and (bare := VERSION_TAIL.sub("", w)) != w and len(bare) > 2
        }
        """The base's names without their version ("libnss" of libnss3): what people call
        them (a package's soname, a library's major version). Only names its titles write:
        "base" of a passage's "base64" is no name the base holds."""
        self._counts = counts
        self._size = len(passages)
        self.native = {
            shape
            for shape in self.by_shape
            if title_shapes[shape] >= TITLE_SHARE * max(len(unique_titles), 1)
            or (
                shape != "hyphenated"  # prose writes "well-known": only titles tell
                and passage_shapes[shape] >= PASSAGE_SHARE * max(len(passages), 1)
            )
        } | {"marked"}
        lower = sum(self.name_of(t).islower() for t in unique_titles)
        if lower >= BARE_SHARE * max(len(unique_titles), 1):
            self.native.add("bare")

    def weight(self, word: str) -> float:
        """How much ``word`` tells one passage from another (BM25's inverse document
        frequency over the base's passages; a word it never writes weighs most)."""
        return float(bm25_idf(self._size, self._counts.get(word.lower(), 0)))

    def name_of(self, title: str) -> str:
        """The name a document's title gives ("xxd(1) manual page" → "xxd", "Debian package
        adduser" → "adduser"): its first word that most titles do not share."""
        for m in re.finditer(r"[\w][\w.+-]*[\w+]|\w", title):
            if m.group(0).lower() not in self.common and not m.group(0).isdigit():
                return m.group(0)
        return title

    def _name_like(self, name: ShapedName) -> bool:
        """Whether a hyphenated word reads as one of the base's names: a kind noun right
        before it ("package hyperlapse-studio"), or made only of parts its titled names are
        made of ("openssl-bin" beside openssl and libc-bin)."""
        if name.after_noun:
            return True
        return all(p in self.title_parts for p in name.text.lower().split("-"))

    def knows(self, name: str) -> bool:
        """Whether the base writes ``name`` (a dotted one: each of its parts; one without
        the version the base writes it with: "libnss" of libnss3, "libpolkit-agent" of
        libpolkit-agent-1-0: what people call a package). Train, all 480 keyed questions of
        bench_answers: key fact 369 → 371; made-up names declined 99.4% before and after."""
        low = name.lower()
        if low in self.words or low.rstrip("-.") in self.unversioned:
            return True
        if low.isalpha() and stem(low) in self.stems:
            return True
        parts = [p for p in re.split(r"\.", low) if p]
        if len(parts) > 1 and any(w.endswith(f".{low}") for w in self.words):
            return True  # "Text.from_ansi": the tail of rich.text.Text.from_ansi
        return len(parts) > 1 and all(p in self.words for p in parts)

    def missing(
        self,
        query: str,
        subject: str = "",
        near: Sequence[str] = (),
        titles: Sequence[str] = (),
    ) -> list[Missing]:
        """The names ``query`` gives in a shape this base names things by that it never
        writes (``subject``: the base's own description, whose names are no entity; ``near``:
        the passages closest to the query, whose names come first among the nearest;
        ``titles``: theirs, named when no name is near in spelling)."""
        out: list[Missing] = []
        about = _tokens(subject)
        for name in shaped_names(query):
            low = name.text.lower()
            if name.shape not in self.native or low in about or self.knows(low):
                continue
            if name.shape == "hyphenated" and not self._name_like(name):
                continue  # "end-users", "non-graphical": a compound, not one of its names
            nearest = self.nearest(name, near) or list(dict.fromkeys(t for t in titles if t))[:3]
            out.append(Missing(name, nearest))
        if not out:
            named = list(dict.fromkeys(t for t in titles if t))[:3]
            out = [Missing(n, self.nearest(n) or named) for n in self.bare_subject(query, about)]
        return out

    def bare_subject(self, query: str, about: Set[str] = frozenset()) -> list[ShapedName]:
        """The lower-case word ``query`` is about that this base never writes, when it is all
        it is about: "how do I use zqlint", "what is zqlint used for", "zqlint(1)" ask
        about zqlint and nothing else (the rest only asks, ``asking_words.txt``, or is what
        most passages write), so a base that never writes zqlint cannot answer. A question
        naming anything the base does write ("who invented the telephone" beside
        "telephone") is the passages' to judge; a capitalised word the entity check's; and
        a base whose titles name nothing by a bare word ("Danube") holds topics, not names."""
        if "bare" not in self.native or shaped_names(query):
            return []  # "how do I call heapq.heappush()": the dotted name is what is asked
        specific: list[str] = []
        for m in _BARE.finditer(query):
            word = m.group(0)
            low = word.lower()
            if len(low) < 3:
                continue
            if m.start() > 0 and not word.islower():
                return []  # a capitalised name: ``named_entities`` reads it
            if (
                low in STOP_WORDS
                or low in _ASKING
                or low in KIND_NOUNS
                or low in self.generic
                or low in about
            ):
                continue
            specific.append(word)
        if len(set(specific)) != 1 or self.knows(specific[0]):
            return []  # several words unknown to the base are a topic, not a name
        return [ShapedName(specific[0], "marked")]

    def nearest(self, name: ShapedName, near: Sequence[str] = (), n: int = 3) -> list[str]:
        """The base's names closest to ``name``: those of its shape in the ``near`` passages
        (a command's own options), then the closest in spelling, then those sharing a part."""
        low = name.text.lower()
        pool = sorted(self.by_shape.get(name.shape, set()) | self.title_words - self.common)
        local = sorted(
            {t for text in near for t in _tokens(text) if name_shape(t) == name.shape},
            key=lambda t: -difflib.SequenceMatcher(None, low, t).ratio(),
        )
        out = local[:n] if name.shape == "option" else []
        out += [c for c in difflib.get_close_matches(low, pool, n=n, cutoff=0.6) if c not in out]
        parts = [p for p in re.split(r"[-._]+", low.lstrip("-")) if len(p) > 2]
        for candidate in pool:
            if len(out) >= n:
                break
            pieces = re.split(r"[-._]+", candidate.lstrip("-"))
            if candidate not in out and any(p in pieces for p in parts):
                out.append(candidate)
        return out[:n]
