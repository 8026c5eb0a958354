"""Two pieces of one ask that a single document answers are one step, not two.

Why: the clause readers cut a question where a junction looks confident ("how to compute the
mean | and median of a list in python", "which names are reserved: what do leading | and
trailing double underscores mean"): each piece then goes, alone, to the same knowledge base,
which is asked twice what its one document answers at once. A piece that opens no request of
its own ("median of a list in python", "fast AWK interpreter"), refers back to nothing, and
whose best passage in that base comes from the same document as the piece before it, is read
again with that piece as one step. Two asks of different documents stay apart ("the language
of Brazil and the currency of Hungary"), and so does every piece that opens a question or
command of its own or uses the one before it ("and the river it lies on").

The cut may also be wrong where the pieces' documents differ ("keep a python | list sorted
while inserting", "del statement, | what does it do to a name"): a fragment finds some weak
passage of its own. So a request whose every piece went to a knowledge base is also probed
whole (``one_ask``): when its best passage answers at least as closely as the best of its
pieces' did, the pieces are one question. Two questions asked together are not: the whole
mixes two topics, and its best passage is further than at least one piece's own. Pieces sent
to different bases must be outdone by ``JOIN_MARGIN`` (a piece's neighbour may match the whole
as closely by chance); pieces sent to one base need only be matched. On bench_kb_routing's
natural train, dev, dev2 and dev3 splits this rejoined 8 of 22 single questions cut in two;
of 64 two-part ones it joined one (its pieces already went to the wrong bases). A request whose
pieces leave some of its words out ("try except else finally: in which order do they run",
read as its question alone: ``words_lost``) is probed whole the same way. Pieces asked in
sentences of their own ("How is X explained? And then what is Y?") and a piece that uses
another base's answer ("..., and what currency does that country use"), or a graph's (no
document answers it: "the capital of Egypt, and the river it lies on"), are asked apart
whatever the whole matches: on bench_planning's train split the whole matched better in two
such requests. Nor are two questions each opening with a question word, each answered alone
about as closely as the whole, by no one document ("who invented the telephone and who
discovered penicillin"), nor asks the clause reader completed with a shared name ("the capital
and the currency of Peru"): a graph answers one relation an ask, and the whole matching as
closely says only that the name is in both (on bench_planning's dev requests, 14 such plans
were joined; on bench_kb_routing's natural splits no join changed).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from agentroute.planning._preamble import states_context
from agentroute.text import index_words, opens_question, starts_request
from agentroute.types import REFERENCE, Step

__all__ = ["one_ask", "one_document", "words_lost"]

_NON_WORD = re.compile(r"[^\w]+")


def _plain(text: str) -> str:
    """``text`` in lower case with every run of non-word characters one space."""
    return f" {_NON_WORD.sub(' ', text.lower()).strip()} "


JOIN_MARGIN = 0.08
"""How much closer than every piece's own passage the whole request's passage must be when the
pieces went to different bases (0.05-0.1 alike on bench_kb_routing's dev splits: two-part
questions whose whole matched a piece's base came within 0.04 of it)."""


ONE_BASE_SLACK = 0.04
"""How much further than its closest piece's passage the whole request's may be when every
piece went to the same base: a fragment cut out of one question ("lsblk show the filesystem
type | and UUID of each partition", "memory leak checker | for c programs, which debian
package") often matches a narrower passage a little more closely than the whole does. On
bench_kb_routing's dev7, dev8, dev and dev2 splits, the singles cut so came within 0.03 of
their closest piece (one, two questions joined by a comma, within 0.1); no two-part question
went to one base. Not for a chain, whose later piece uses an earlier one's answer: on
bench_planning's train split one such request ("who invented X, and in what year was that
patent granted") was joined."""


def one_document(
    request: str,
    steps: list[Step],
    said: Mapping[str, str],
    document: Callable[[str, str], str | None],
) -> tuple[list[Step], dict[str, str]]:
    """``steps`` with each piece joined to the one before it when both ask the same knowledge
        base what one document answers, or the piece before it is the request's first and only says
    what the user is doing (``_context``) (``document(base, text)``: the title of the document of
        the base's best answering passage, ``None`` when the base is no knowledge base or none
        answers); ``said`` holds each step's clause as the request wrote it. Returns the steps and
        which step each removed one was joined into."""
    out: list[Step] = []
    joined: dict[str, str] = {}
    texts = dict(said)
    for step in steps:
        before = out[-1] if out else None
        text = texts.get(step.id, "")
        if (
            before is not None
            and step.target is not None
            and before.target == step.target
            and not step.depends_on
            and not REFERENCE.search(step.query)
            and text
            and _plain(text) in _plain(request)  # not completed by the reader ("and when")
            and texts.get(before.id)
        ):
            context = len(out) == 1 and _context(texts[before.id])
            first = None if context else document(step.target, texts[before.id])
            if context or (
                not starts_request(text)
                and first is not None
                and first == document(step.target, text)
            ):
                whole = _spanning(request, texts[before.id], text)
                out[-1] = before.model_copy(update={"query": whole})
                texts[before.id] = whole
                joined[step.id] = before.id
                continue
        out.append(_renamed(step, joined) if joined else step)
    return out, joined


def _context(text: str) -> bool:
    """Whether the request's first piece is the user saying what they are doing, with no
    number of its own ("I need to step through a crashing C program on Debian"): the context
    of the question after it when both go to the same knowledge base."""
    return states_context(text) and not any(c.isdigit() for c in text)


def _spanning(request: str, first: str, second: str) -> str:
    """The request's own text from ``first`` through ``second``, or the two joined."""
    start = request.find(first)
    end = request.find(second, start + len(first)) if start >= 0 else -1
    if start >= 0 and end >= 0:
        return request[start : end + len(second)]
    return f"{first} {second}"


def _renamed(step: Step, joined: Mapping[str, str]) -> Step:
    """``step`` depending on the steps its removed ones were joined into."""
    query = REFERENCE.sub(
        lambda m: "{{" + joined.get(m.group(1), m.group(1)) + "}}",
        step.query,
    )
    deps = list(dict.fromkeys(joined.get(d, d) for d in step.depends_on))
    return step.model_copy(update={"query": query, "depends_on": deps})


_NAME = re.compile(r"(?<=\s)[A-Z][\w'’-]+")


def _apart_names(queries: Sequence[str]) -> bool:
    """Whether every piece names something (a capitalised word after its first) that no
    other piece names: each asks of its own one, so they are not one question cut in two."""
    names = [{n.lower() for n in _NAME.findall(f" {q.split(maxsplit=1)[-1]}")} for q in queries]
    return (
        len(names) > 1
        and all(names)
        and all(not (a & b) for i, a in enumerate(names) for b in names[i + 1 :])
    )


_SENTENCES = re.compile(r"[.?!;]\s+\S")
"""A sentence's end inside the request: its pieces were asked one after the other."""


def _asked_apart(request: str) -> bool:
    """Whether the request asks in sentences of its own: a sentence's end inside it after
    which more is asked; a sentence in which the user only says what they are doing ("I'm
    cleaning up a build server; ...") is the context of what follows (``states_context``)."""
    text = request.strip()
    return any(not states_context(text[: m.start() + 1]) for m in _SENTENCES.finditer(text))


def one_ask(
    request: str,
    steps: Sequence[Step],
    similarity: Callable[[str, str], float],
    whole: str | None,
    document: Callable[[str, str], str | None],
) -> Step | None:
    """The one step ``request`` is when its pieces were cut from one question: every step
    goes to a knowledge base, and the base the whole request is routed to alone (``whole``)
    answers it about as closely as each piece's base answered that piece (within
    ``ONE_BASE_SLACK`` when all went to one base, by ``JOIN_MARGIN`` more when to different
    bases); a piece declined alone is no step and
    counts as answered at 0.0. Pieces asked in sentences of their own, and a piece that uses
    the answer of another base's, are never one ask. ``similarity(base, text)``: the base's best
    answering passage's similarity, 0.0 when none answers. ``None``: the pieces stand."""
    targets = [s.target for s in steps]
    if whole is None or not steps or None in targets or _asked_apart(request):
        return None  # "How is X explained? And then what is Y?": asked one after the other
    bases = set(targets)
    # the pieces asked on their own: each base, what it was asked, the document answering it
    own = [(s.target, s.query) for s in steps if s.target is not None and not s.depends_on]
    documents = [document(base, query) for base, query in own]
    if len(own) < len(steps) and (len(bases) > 1 or whole not in bases or None in documents):
        return None  # "..., and what currency does that country use": a chain, not one ask
    closest = similarity(whole, request)
    if (
        sum(opens_question(s.query) for s in steps) > 1
        and (
            None in documents or len({(b, d) for (b, _), d in zip(own, documents, strict=True)}) > 1
        )
        and (
            all(d is None for d in documents)
            or min(similarity(base, query) for base, query in own) >= closest - JOIN_MARGIN
        )
    ):
        return None  # "who invented the telephone and who discovered penicillin": two questions
    written = _plain(request)
    if any(_plain(query) not in written for _, query in own):
        return None  # "the capital and the currency of Peru": read as two asks of one name
    if _apart_names([query for _, query in own]):
        return None  # "capital of Serbia + currency of Romania": one ask of each name
    pieces = [similarity(s.target, s.query) for s in steps if s.target is not None]
    # a chain ("who invented the telephone, and in what year was that patent granted") gets
    # no slack: its second piece asks of the first one's answer
    slack = ONE_BASE_SLACK if len(own) == len(steps) else 0.0
    if closest < max(pieces) + (-slack if len(bases) == 1 else JOIN_MARGIN):
        return None
    return Step(id=steps[0].id, query=request, target=whole)


def words_lost(request: str, pieces: Sequence[str]) -> bool:
    """Whether the ``pieces`` the request was read as leave words of it out ("try except else
    finally: in which order do they run" read as its question alone): what was dropped may be
    what the question is about, so the whole is worth asking too."""
    kept = {w for piece in pieces for w in index_words(piece)}
    return any(w not in kept for w in index_words(request))
