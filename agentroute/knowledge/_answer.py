"""A knowledge base's answer: the sentences that answer, each cited by document and section.

Why: a base answered with whole 600-character passages; the fact asked for was somewhere in
them, and a reader (or a later step's ``{{s1}}``) had to find it. A passage is cut into
units a claim can be (``units``): sentences of prose, and a record's lines kept whole — an
option line with its description ("-a, --all / do not ignore entries starting with ."), a
"Field: value" line. The units closest to the question, wherever they lie among the passages
(by their embedding's cosine and the question's words they write, each weighed by how telling
it is in the base), are the claims: two of one passage when it holds the answer twice, none
of a passage that only shares the topic. A unit that leans on the one before it ("It also
...", ``answer_words.txt``) keeps that one, and one that ends in a colon keeps the one after.
Each claim is cited as "document › section › option" — what a reader needs to check it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from agentroute.knowledge._documents import Hit, split_sentences
from agentroute.text import STOP_WORDS, stem, word_list

__all__ = [
    "FIRST_LEXICAL",
    "Claim",
    "Unit",
    "answer_claims",
    "asked_words",
    "citation",
    "units",
    "written_share",
]

_LEANING = word_list("agentroute.knowledge", "answer_words.txt")
_ASKING = set(word_list("agentroute.knowledge", "asking_words.txt"))
_OPTION_LINE = re.compile(r"^\s*(--?[A-Za-z0-9][\w-]*(?:[=\[][^\s,]*)?)(?:,\s*--?[\w-]+\S*)*")
_FIELD_LINE = re.compile(r"^[A-Z][\w-]*: \S")
_HEADING_LINE = re.compile(r"[A-Z][A-Z0-9]+(?: [A-Z0-9]+){0,3}")
_FIRST_WORD = re.compile(r"[A-Za-z']+")
MAX_CLAIMS = 3
SECOND_WITHIN = 0.1
"""A passage's second statement joins its best (in the passage's order) when it scores this
close to it (chosen on the train splits of bench_answers and bench_planning)."""
KEEP_WITHIN = 0.3
"""A statement scoring further than this behind the best is no claim of the answer (a
neighbour of a strong answer is noise to read; chosen on bench_answers' train split)."""
POOL = 8
"""How many of the best passages the statements are chosen from."""
FIRST_LEXICAL = 0.1
"""What the share of the question's words a statement writes adds to its cosine when the
first claim (what a later step and a reader take as the answer) is chosen; the others are
ranked with ``LEXICAL``. The words find the rare one asked about ("since which version":
the line giving the version), but at ``LEXICAL`` a neighbour repeating the question's words
("the ferry office leaves its lights on") outranked the statement answering it in other
words ("boats depart every forty minutes"). Train, bench_answers (session 18): the first
claim from the question's own document 40.0 → 42.6%, key fact 77.9 → 78.4% (at 0, by meaning
alone: 43.0% / 77.9%, but the fifth base's 21.7 → 18.3%)."""
LEXICAL = 0.3
"""How much the share of the question's own words a statement writes adds to its cosine:
the embedding finds the topic, the words the statement (a rare word asked about is in the
answering sentence, not in its neighbours). Chosen on bench_answers' train split."""
_CONTENT = re.compile(r"[a-z0-9][\w.+-]*[a-z0-9]")


@dataclass(frozen=True)
class Claim:
    """One answering statement: its text, where it is from, how close it is to the question."""

    text: str
    doc_id: str
    citation: str
    similarity: float
    """The cosine similarity of its statement to the question (at most 1): what is shown."""
    core: str = ""
    """The statement closest to the question, without the one it leans on ("Its capital
    is Paris" of "France is a country ... Its capital is Paris"): what a value is read from."""
    score: float = 0.0
    """What the claims are ranked by: ``similarity`` plus ``LEXICAL`` of the share of the
    question's words it writes (above 1 for a close statement writing them all: no
    similarity, and never shown as one)."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "doc_id": self.doc_id,
            "citation": self.citation,
            "core": self.core or self.text,
            "similarity": round(self.similarity, 4),
            "score": round(self.score, 4),
        }


@dataclass(frozen=True)
class Unit:
    """A statement of a passage and the heading it lies under there ("" if none shows)."""

    text: str
    heading: str = ""


def units(passage: str) -> list[Unit]:
    """The statements of ``passage`` in order: an option or "Field: value" line with the
    lines under it up to a blank line or the next such line, and the sentences of prose; a
    heading line (a man page's "OPTIONS") is no statement but the section of those after it."""
    out: list[Unit] = []
    heading = ""
    for block in re.split(r"\n\s*\n", passage.strip()):
        # runs of lines: ("record", lines) starting at an option or field line, else "prose"
        runs: list[tuple[str, str, list[str]]] = []
        for line in (ln.strip() for ln in block.splitlines()):
            if not line:
                continue
            if _HEADING_LINE.fullmatch(line):
                heading = line
            elif _OPTION_LINE.match(line) or _FIELD_LINE.match(line):
                runs.append(("record", heading, [line]))
            elif runs and runs[-1][0] == "record" and _OPTION_LINE.match(runs[-1][2][0]):
                runs[-1][2].append(line)  # an option's description, under it
            elif runs and runs[-1][0] == "prose":
                runs[-1][2].append(line)
            else:
                runs.append(("prose", heading, [line]))
        for kind, under, lines in runs:
            joined = " ".join(lines)
            texts = [joined] if kind == "record" else split_sentences(joined)
            out.extend(Unit(t, under) for t in texts if t)
    return out


def _leans(unit: Unit) -> bool:
    first = _FIRST_WORD.match(unit.text)
    return bool(first) and first.group(0).lower() in _LEANING if first else False


def citation(hit: Hit, unit: Unit | None = None) -> str:
    """ "ls(1) manual page › OPTIONS › -a": the document, its section (as indexed, else the
    heading the claim lies under in its passage), the option a claim defines."""
    section = str(hit.metadata.get("section", "")) or (unit.heading if unit else "")
    title = hit.title or hit.doc_id
    if section == title or section.startswith(f"{title} › "):  # a markdown title heads it
        title = ""
    parts = [title, section]
    option = _OPTION_LINE.match(unit.text) if unit else None
    if option and option.group(1).lstrip("-")[:1].isalpha():
        flag = option.group(1).split("=")[0].split("[")[0]
        named = section.rpartition("›")[2].replace(",", " ").split()
        if flag not in named:  # a passage cut per option names it in its section already
            parts.append(flag)
    return " › ".join(p for p in parts if p)


def _weighted_share(
    asked: set[str], words: set[str], weight: Callable[[str], float] | None
) -> float:
    """The share of the question's words a statement writes, each by its weight (a rare
    word asked about counts more than "file"), a word matching by its stem too."""
    if not asked:
        return 0.0
    stems = {stem(w) for w in words}
    total = got = 0.0
    for w in asked:
        wt = weight(w) if weight else 1.0
        total += wt
        if w in words or stem(w) in stems:
            got += wt
    return got / total if total else 0.0


def asked_words(query: str) -> set[str]:
    """The words of ``query`` a statement can write: its content words, not stop words."""
    return {w for w in _CONTENT.findall(query.lower()) if len(w) > 2 and w not in STOP_WORDS}


def written_share(
    query: str, text: str, weight: Callable[[str], float] | None = None
) -> tuple[float, int]:
    """How much of ``query`` ``text`` writes: the share of the question's words it holds,
    each by its weight (``NameIndex.weight``), and how many of them it holds. The words it
    only asks with ("explain", "tell me more", ``asking_words.txt``) are none a passage
    need write: a base rarely writes them, so they weighed most and a keyword fragment
    asked politely ("Can you explain ...") fell short of the bars its words clear."""
    asked = (asked_words(query) - _ASKING) or asked_words(query)
    words = set(_CONTENT.findall(text.lower()))
    stems = {stem(w) for w in words}
    held = sum(1 for w in asked if w in words or stem(w) in stems)
    return _weighted_share(asked, words, weight), held


def answer_claims(
    query: str,
    hits: Sequence[Hit],
    embed: Callable[[list[str]], Any],
    *,
    max_claims: int = MAX_CLAIMS,
    weight: Callable[[str], float] | None = None,
    pool: int = POOL,
    seconding: int = 0,
    named: Sequence[bool] = (),
) -> list[Claim]:
    """The claims answering ``query`` from ``hits`` (best first, already judged relevant):
    the statements of the first ``pool`` hits closest to the question, wherever they lie
    (two of one passage when it holds the answer twice, none of a passage that only shares
    its topic), each with the statement it leans on or the one its colon introduces; best
    first. ``weight``: how telling a word is in the base (``NameIndex.weight``);
    ``seconding``: the last this many hits were not judged relevant, and give no first claim
    (the one a later step and a reader take as the answer); ``named``: per hit, whether its
    section path names what the question asks about ("Roles › HR" for the HR lead): when one
    does, the claims of those that do come first (the handbook's "Lead: Priya Nair" of
    Engineering is as close to "Who is the HR lead?" as HR's own line)."""
    lead_from = len(hits) - seconding
    naming = [i for i, n in enumerate(named[: min(len(hits), pool, lead_from)]) if n]
    cut = [units(h.text) or [Unit(h.text.strip())] for h in hits[:pool]]
    texts = [query]
    for h, us in zip(hits, cut, strict=False):
        prefix = f"{h.title}. " if h.title else ""
        texts.extend(prefix + u.text for u in us)
    vectors = np.asarray(embed(texts), dtype=np.float32)
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    asked = asked_words(query)
    shares: list[float] = []
    owners: list[tuple[int, int]] = []
    for n, (h, us) in enumerate(zip(hits, cut, strict=False)):
        own = asked - set(_CONTENT.findall(h.title.lower()))  # the title is every unit's
        # and what its own section is named each of its statements writes ("Finance" of
        # "Lead: ..."; not a parent section's "OPTIONS", which every option's passage is under)
        name = h.heading.rpartition("›")[2] if "›" in h.heading else ""
        section = set(_CONTENT.findall(name.lower())) - set(_CONTENT.findall(h.title.lower()))
        for i, u in enumerate(us):
            said = set(_CONTENT.findall(u.text.lower())) | section
            shares.append(_weighted_share(own, said, weight))
            owners.append((n, i))
    share = np.asarray(shares, dtype=np.float32)
    cosines = vectors[1:] @ vectors[0]
    scores = cosines + LEXICAL * share
    claims: list[Claim] = []
    taken: set[tuple[int, int]] = set()

    def may_lead(n: int) -> bool:
        """Whether hit ``n`` may give the first claim: judged relevant, and naming what is
        asked when some hit's section does."""
        return n < lead_from and (not naming or n in naming)

    source: dict[int, int] = {}  # a claim's hit

    def claim_at(at: int) -> Claim | None:
        """The claim of statement ``at`` (with its second, leaned-on or introduced ones)."""
        n, best = owners[at]
        if (n, best) in taken:
            return None
        h, us = hits[n], cut[n]
        picked = {best}
        # a second statement nearly as close is part of the answer ("Edison developed ...
        # Swan independently made ..." for "light bulb inventor")
        mine = [(i, float(scores[j])) for j, (m, i) in enumerate(owners) if m == n and i != best]
        second = max(mine, key=lambda p: p[1], default=None)
        if (
            second is not None
            and second[1] >= float(scores[at]) - SECOND_WITHIN
            and (n, second[0]) not in taken
            and us[second[0]].heading == us[best].heading  # not another section's
            and not _OPTION_LINE.match(us[best].text)  # an option's line says it all
        ):
            picked.add(second[0])
        for i in sorted(picked):
            if i > 0 and _leans(us[i]):
                picked.add(i - 1)
            if us[i].text.rstrip().endswith(":") and i + 1 < len(us):
                picked.add(i + 1)
        taken.update((n, i) for i in picked)
        text = " ".join(us[i].text for i in sorted(picked))
        if any(text in c.text or c.text in text for c in claims):
            return None
        claim = Claim(
            text, h.doc_id, citation(h, us[best]), float(cosines[at]), us[best].text,
            score=float(scores[at]),
        )  # fmt: skip
        source[id(claim)] = n
        return claim

    # the first claim: the closest statement by meaning, its words counting for less
    leading = cosines + FIRST_LEXICAL * share
    first = next((int(i) for i in np.argsort(-leading) if may_lead(owners[int(i)][0])), None)
    if first is not None and (claim := claim_at(first)) is not None:
        claims.append(claim)
    for at in (int(i) for i in np.argsort(-scores)):
        if len(claims) >= max_claims or (claims and scores[at] < claims[0].score - KEEP_WITHIN):
            break
        if not claims and not may_lead(owners[at][0]):
            continue
        if (claim := claim_at(at)) is not None:
            claims.append(claim)
    rare = _rarest_written(asked, [u for us in cut for u in us], weight)
    if claims and rare and not any(_writes(c.text, rare) for c in claims):
        # the question's rarest word the passages write is where its fact is: a statement
        # writing it is shown, in place of the last claim if there is no room
        at = max(
            (j for j, (n, i) in enumerate(owners) if _writes(cut[n][i].text, rare)),
            key=lambda j: float(scores[j]),
        )
        if len(claims) >= max_claims:
            claims.pop()
        if (claim := claim_at(at)) is not None:
            claims.append(claim)
    if naming:  # a claim of a section naming the entity before one of another's
        claims.sort(key=lambda c: source[id(c)] not in naming)
    return claims


def _writes(text: str, word: str) -> bool:
    """Whether ``text`` writes ``word`` (or a word of its stem)."""
    words = set(_CONTENT.findall(text.lower()))
    return word in words or stem(word) in {stem(w) for w in words}


def _rarest_written(
    asked: set[str], statements: Sequence[Unit], weight: Callable[[str], float] | None
) -> str:
    """The question's most telling word that one of ``statements`` writes, not one it only
    asks with ("explain", ``asking_words.txt``): "" if none, or no weights to tell words
    apart."""
    if weight is None:
        return ""
    written = [w for w in asked - _ASKING if any(_writes(u.text, w) for u in statements)]
    return max(written, key=lambda w: (weight(w), w), default="")
