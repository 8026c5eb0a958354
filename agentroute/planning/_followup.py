"""Follow-ups inside a chat thread, read against the thread's previous turn (no LLM).

People do not repeat themselves: after "Convert 60 mph to km/h." they write "and 70?", after
"What is 48 * 52?" they write "divide that by 4", after a draft "make it shorter". Planned
alone, such a fragment has no target or the wrong values. Here a follow-up is recognised
(an opener like "and"/"what about", a pronoun that refers back, a bare "when?", an edit of
the last answer) and rewritten into a request that stands alone:

* **substitute**: a value of the previous clause is swapped for the new one of the same kind
  (number for number, "in London" for "in Tokyo", a quoted text, a name, the last noun);
* **chain**: "that"/"it" becomes the previous result's value ("divide 2496 by 4"), the
  quantity it gave ("convert 8,849 metres to feet"), its file, or the entity it named;
* **complete**: a bare question ("when?", "give me an example") gets the previous clause as
  its subject and goes to the previous target;
* **continue**: an edit of an expert's answer ("make it shorter") goes back to that expert,
  with the previous request and answer as quoted data.

A greeting or thanks before the request is dropped; a complete request that routes by itself
is planned alone (no false carry-over). Cue words are data (``agentroute/text/followup.json``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

from agentroute.planning._continued import continues_declined
from agentroute.planning._dimensions import mismatched
from agentroute.planning._operands import on_operands
from agentroute.planning._operation import NUMBER, extend_list, rework
from agentroute.planning._thread import EARLIER_TURNS, continued_turn, word_stem
from agentroute.text import (
    STOP_WORDS,
    answer_in,
    capability_need,
    opens_question,
    split_clauses,
    time_of_day,
    time_zone_places,
    year_span,
)
from agentroute.text._lexicon import LANGUAGES, alternation, cue_table, word_list
from agentroute.types import Observation, PriorStep, PriorTurn, TargetKind

__all__ = [
    "FollowUp",
    "Route",
    "acknowledgement_reply",
    "principal_number",
    "prior_turn",
    "redone",
    "resolve_followup",
]

_CUES = cue_table("followup.json")
_REFERRING = cue_table("clauses.json")
"""Words the reference resolver reads too (prepositions, person pronouns, pronouns that
refer to nothing): one list each, kept with the clause tables."""
RESULT_CHARS = 4000
"""How much of each previous result a thread keeps for its follow-ups."""
_CONTINUE_ELSEWHERE = 0.5
"""Similarity at which an edit of an expert's answer goes to another target ("translate it")."""

Route = Callable[[str], tuple[str, TargetKind, float] | None]
"""The planner's routing of a text: best target, its kind and similarity, or ``None``."""


_ACK = re.compile(
    rf"^\s*(?:{alternation(_CUES['acknowledgements'])})(?:[\s!.,;:—-]*(?:[!.,;:—-]|$)|\s+(?=(?:"
    rf"{alternation([*_CUES['openers'], *_CUES['wh_words'], *_CUES['acknowledgements'], *_CUES['corrections']])})\b))"
    r"\s*",
    re.I,
)
_OPENER = re.compile(rf"^\s*(?:{alternation(_CUES['openers'])})\b[\s,:]*", re.I)
_CORRECTION = re.compile(rf"^\s*(?:{alternation(_CUES['corrections'])})\b[\s!.,;:—-]*", re.I)
_CORRECTION_TAIL = re.compile(
    rf"[\s,;—-]+(?:{alternation(_CUES['correction_tails'])})\s+[^\s,;]+[\s?.!]*$", re.I
)
_CORRECTION_HEAD = re.compile(
    rf"^\s*(?:{alternation(_CUES['correction_heads'])})\s+[^,;]+[,;—-]+\s*(?=\S)", re.I
)
""""not Berlin, Madrid": the value set aside first, then the one meant."""
_STARRED = re.compile(r"^\s*\*?([A-Za-z][\w'-]*(?:\s+[A-Za-z][\w'-]*)?)\*(?:[\s,]+\w+)?[\s?.!]*$")
""""Sydney*", "*Sydney", "Sydney* sorry": the usual way to correct one misspelt word."""
_REASON = re.compile(rf"^(?:{alternation(_CUES['reason_words'])})\b", re.I)
""""why?", "how come it isn't Rio?": a question for a reason, not for another fact."""
_POLITE = re.compile(rf"^(?:(?:{alternation(_CUES['politeness'])})\b[\s,]*)+", re.I)
_CARRIES = re.compile(
    rf"^\s*(?:(?:{alternation(_CUES['politeness'])})\s+)*(?:{alternation(_REFERRING['carry_verbs'])})\b\s*",
    re.I,
)
""""use the answer from before", "take that": a part that only takes a value up."""
_ATTRIBUTE_OF = re.compile(r"\b[a-z]+\s+of\s+(?:the\s+)?[A-Z]")
""""the capital of Hungary": a question whose answer is a thing of its own, not the owner."""
_RESULT_WORD = re.compile(rf"\b(?:{alternation(_REFERRING['result_nouns'])})\b", re.I)
""""take the first answer": a result taken up by name."""
_POLITE_TAIL = re.compile(rf"(?:[\s,]+(?:{alternation(_CUES['polite_tails'])}))+$", re.I)
""""in feet please", "times 3 pls": the request without the courtesy after it."""
_REVISE = re.compile(rf"^(?:{alternation(_CUES['revise_verbs'])})\b", re.I)
_LANGUAGE = re.compile(
    rf"^(?:(?:in|into|to)\s+)?((?:{alternation(LANGUAGES)}))(?:\s+please)?$", re.I
)
_EQUALS = re.compile(r"[=≈]")
_LANGUAGE_WORD = re.compile(rf"\b(?:{alternation(LANGUAGES)})\b", re.I)
_ORDINAL = re.compile(
    rf"\bthe\s+({alternation(_CUES['ordinals'])})\s+(?:{alternation(_CUES['ordinal_nouns'])})\b",
    re.I,
)
_REVERSAL = re.compile(rf"^(?:{alternation(_CUES['reversals'])})(?:\s+please)?$", re.I)
_ACKS_ONLY = re.compile(rf"\b(?:{alternation(_CUES['acknowledgements'])})\b|[\s!.,;:—-]+", re.I)
_MAKE_IT = re.compile(
    rf"^(?:make|change|set)\s+(?:it|that)\s+(?:to\s+|into\s+)?"
    rf"(?=-?\d|(?i:{alternation(LANGUAGES)})\b|[A-Z])",
)
""""make it 25", "make that Japanese": a new value, not an edit ("make it funnier")."""
_CLOCK = re.compile(r"\b\d{1,2}(?::\d{2})?\s?(?:[ap]\.?m\.?)(?![\w])|\b\d{1,2}:\d{2}\b", re.I)
"""A time of day ("6pm", "18:30", "9 a.m."): swapped for another one, never for a number."""
_CLOCK_AT = re.compile(
    rf"(?P<clock>(?i:{_CLOCK.pattern}))(?:\s+(?P<place>[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*))?"
)
"""A time of day and the place it is told in, if one follows ("3pm Tokyo")."""
_PREPOSITION = alternation(_REFERRING["prepositions"])
_NAMED_PAIR = re.compile(
    rf"(?:(?P<prep>{_PREPOSITION})\s+)?(?P<a>[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)?)"
    rf"\s+(?:and|&)\s+(?:(?:{_PREPOSITION})\s+)?(?P<b>[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)?)"
)
""""in Lima and Nairobi", "Peru and Kenya": two names, one question asked of each."""
_NUMBER_PAIR = re.compile(
    r"(?P<a>-?\d[\d.,]*(?:\s?%)?)\s*(?:,|and|&)\s*(?P<b>-?\d[\d.,]*(?:\s?%)?)"
)
""""5 and 20", "25% and 50%": two values, the previous question asked with each."""
_APPOSITION = re.compile(
    rf"\b(?:{alternation(_CUES['apposition_leads'])})"
    rf"(?:\s+(?:{alternation(_CUES['container_nouns'])}))?\s*[,:—–-]+\s*(?=\S)",
    re.I,
)
""""the other one, todo.md": a pointer before the name it points at; the name is the value."""
_SYSTEMS: dict[str, str] = _CUES["system_words"]
_IN_SYSTEM = re.compile(rf"^(?:(?:in|into|to)\s+)?({alternation(_SYSTEMS)})$", re.I)
""""in metric", "imperial units": a system of units, not one unit."""
_PP = re.compile(rf"^({_PREPOSITION})\s+(.+)$", re.I)
_PRONOUN = re.compile(rf"\b(?:{alternation(_CUES['pronouns'])})\b", re.I)
_EXPLETIVE = re.compile(rf"\b(?:{alternation(_REFERRING['non_referring'])})\b", re.I)
_BARE_WH = re.compile(rf"^(?:{alternation(_CUES['wh_words'])})$", re.I)
_EDIT = re.compile(rf"^(?:{alternation(_CUES['edit_verbs'])})\b", re.I)
_ARITHMETIC = re.compile(
    rf"(?:^|(?<=\s))(?:{alternation(_CUES['arithmetic_words'])})(?=[\s?.!,]|$|\d)", re.I
)
_OPERATION = re.compile(
    rf"(?:^|(?<=\s))(?:{alternation(w for w in _CUES['arithmetic_words'] if w.isalpha())})(?=[\s?.!,]|$)",
    re.I,
)
_OPERATOR = re.compile(rf"^(?:{alternation(_CUES['operators'])})(?=\s|\d|$)", re.I)
_LIST = re.compile(rf"\b(?:{alternation(_CUES['list_words'])})\b", re.I)
_TRAILING = re.compile(rf"\b(?:{alternation(_CUES['trailing'])})$", re.I)
_IDENTITY = re.compile(rf"^(?:{alternation(_CUES['identity_questions'])})\b", re.I)
_UNIT = alternation(_CUES["units"])
_UNIT_WORDS = frozenset(_CUES["units"])
_TO_UNIT = re.compile(rf"\b(?:in|to|into|as)\s+((?:{_UNIT}))(?=[\s?.!,]|$)", re.I)
_HOW_MANY = re.compile(rf"\bhow\s+many\s+((?:{_UNIT}))(?=[\s?.!,]|$)", re.I)
""""How many kg is 5 pounds": the unit asked for comes first."""
_QUANTITY = re.compile(
    rf"((?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?)\s?((?:{_UNIT}))(?=[\s?.!,;)]|$)", re.I
)
_WHO_IS = re.compile(
    r"^\s*who\s+(?:is|was|were|are)\s+(?!(?:the|a|an|it|that|this)\b)((?:[\w'.-]+\s*){1,4}?)[\s?.!]*$",
    re.I,
)
""""Who was Charles Darwin?": the person asked about is the one named ("who is the author of
Hamlet" asks for a person the answer names)."""
_BARE_UNIT = re.compile(rf"((?:{_UNIT}))", re.I)
"""A unit alone ("yards"): the unit the previous quantity is now wanted in."""
_A_UNIT = re.compile(rf"\b(?:a|an|one)\s+((?:{_UNIT}))(?=[\s?.!,;)]|$)", re.I)
_PERCENT = re.compile(r"\s?(?:%|percent\b|per cent\b)", re.I)
_QUOTED = re.compile(r"\"([^\"]+)\"|'([^']+)'|“([^”]+)”|`([^`]+)`")
_PATH = re.compile(r"(?<![\w/])(?:[\w.-]*/)*[\w-]+(?:\.[\w-]+)*\.[A-Za-z][A-Za-z0-9]{0,5}\b")
_NAME = re.compile(r"\b[A-Z][\w'-]*(?:\s+(?:of\s+|the\s+)?[A-Z][\w'-]*)*")
_WHEN = re.compile(rf"\b(?:{alternation(_CUES['time_words'])})\b", re.I)
_WH_VERB = re.compile(rf"^\s*(?:{alternation(_CUES['wh_words'])})\s+[\w'-]+\s+", re.I)
_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.I)
_WORD = re.compile(r"[\w'/-]+")
_CONTAINERS = frozenset(_CUES["container_nouns"])
_COMMAND = re.compile(
    rf"^(?:(?:{alternation(_CUES['request_leads'])})\s+)*"
    rf"(?:(?:{alternation(_CUES['request_verbs'])})\b|(?:{alternation(_CUES['composed_things'])})\b)",
    re.I,
)
""""tell me a joke", "you show me the git status", "a poem about the sea": a request of its own."""
_TRIM = " \t\n?.!,;:"
_ARROW = re.compile(r"—\w+→\s*([^\n(;]+?)\s*(?:\(|;|$)", re.M)


@dataclass
class FollowUp:
    """How a request was read against the previous turn.

    ``clauses`` are the rewritten queries with the target each must go to (``None``: route
    it); empty when the request stands alone (``request`` is then what to plan, its
    acknowledgement dropped).
    """

    request: str
    how: str = "alone"
    """``alone``, ``substitute``, ``chain``, ``complete``, ``continue`` or ``explain``."""
    clauses: list[tuple[str, str | None]] = field(default_factory=list)
    source: str = ""
    """The previous clause the follow-up was read against."""
    said: str = ""
    """The request as written."""
    declined: str = ""
    """Why nothing can answer the follow-up ("feet measure a length, ..."); empty: plan it."""

    @property
    def note(self) -> str:
        """The trace's line: what was rewritten from what."""
        if self.declined:
            return f"follow-up of the previous turn ({self.source!r}): declined, {self.declined}"
        if not self.clauses:
            return ""
        rewritten = "; ".join(
            repr(q.split("\n\n", 1)[0].replace("\n", " ")[:160]) for q, _ in self.clauses
        )
        return (
            f"follow-up of the previous turn ({self.how} {self.source!r}):"
            f" {self.said!r} → {rewritten}"
        )


def prior_turn(
    request: str, order: Sequence[str], observations: Mapping[str, Observation], answer: str
) -> PriorTurn:
    """What a thread keeps of a turn for its follow-ups: each step's query, target, result."""
    ids = [*order, *(sid for sid in observations if sid not in order)]
    steps = [
        PriorStep(
            query=obs.query,
            target=obs.target,
            kind=obs.kind,
            ok=obs.ok,
            result=(obs.result or "")[:RESULT_CHARS],
        )
        for sid in ids
        if (obs := observations.get(sid)) is not None
    ]
    return PriorTurn(request=request, steps=steps, answer=answer[:RESULT_CHARS])


def principal_number(result: str) -> str | None:
    """The number a result gives: after the last ``=`` of its first line ("48 * 52 = 2496"),
    else its first number."""
    first = result.strip().split("\n", 1)[0]
    if _EQUALS.search(first):  # "5 kg ≈ 11.0231131 lb" too
        m = NUMBER.search(_EQUALS.split(first)[-1])
        if m:
            return m.group(0)
    m = NUMBER.search(result)
    return m.group(0) if m else None


def number_given(step: PriorStep) -> str | None:
    """The number a step's result gives: a tool's computed value; of a knowledge base's
    passages, the quantity its question asked for ("what year ...": 1989; "how far is the
    Moon": 384400), never the "[1]" of the header that numbers them."""
    if not step.ok:
        return None
    if step.kind is not TargetKind.KNOWLEDGE:
        return principal_number(step.result)
    passages = _passages(step.result)
    first = passages.strip().split("\n", 1)[0]
    found = answer_in(step.query, first)
    if found is not None and found.number:
        return found.number.replace(",", "")
    m = NUMBER.search(first) or NUMBER.search(passages)
    return m.group(0).replace(",", "") if m else None


_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9}
_SCALED = re.compile(rf"\b(\d+(?:\.\d+)?)\s+({alternation(_SCALES)})\b", re.I)
""""150 million": a number a tool reads only in digits."""


def _unscaled(m: re.Match[str]) -> str:
    value = Decimal(m.group(1)) * _SCALES[m.group(2).lower()]
    return format(value.normalize(), "f")


def _quantity_given(step: PriorStep) -> str | None:
    """The quantity with its unit a step's result gives ("8849 metres"): of a knowledge
    base's passage, the one its question asked for ("the speed of sound": 343 metres per
    second, not the 20 degrees Celsius it is measured at); else the first one stated."""
    if not step.ok:
        return None
    passages = _SCALED.sub(_unscaled, _passages(step.result))  # "150 million kilometres"
    if step.kind is TargetKind.KNOWLEDGE:
        found = answer_in(step.query, passages.strip().split("\n", 1)[0])
        if found is not None and found.number and found.unit:
            for m in _QUANTITY.finditer(passages):  # as written there ("8,849 metres")
                if m.group(1).replace(",", "") == found.number.replace(",", ""):
                    return m.group(0)
            return f"{found.number} {found.unit}"
    quantity = _QUANTITY.search(passages)
    return quantity.group(0) if quantity else None


def _last_number(prev: PriorStep, last: PriorTurn, earlier: Sequence[PriorTurn] = ()) -> str | None:
    """The number an operation on "the last result" works on: the previous step's, else the
    last step that gave one, of this turn ("6*7 and the capital of Peru", then "double it")
    or of an earlier one ("7 times 8", "the capital of Italy", then "add 44 to the answer")."""
    own = number_given(prev)
    if own is not None:
        return own
    for turn in [last, *reversed(earlier)]:
        for step in reversed(turn.steps):
            found = number_given(step)
            if found is not None:
                return found
    return None


_THANKS = re.compile(rf"\b(?:{alternation(_CUES['thanks_words'])})\b", re.I)


def acknowledgement_reply(request: str) -> str | None:
    """The reply to a turn that only acknowledges the previous answer ("ok thanks", "great",
    "ah right, makes sense"): nothing to plan, nothing to decline, and not a topic a later
    follow-up continues. ``None`` when the request asks anything."""
    text = request.strip()
    if not text.strip(_TRIM) or _ACKS_ONLY.sub("", text).strip(_TRIM):
        return None
    replies: dict[str, str] = _CUES["acknowledgement_replies"]
    return replies["thanks"] if _THANKS.search(text) else replies["other"]


def drop_acknowledgement(text: str) -> str:
    """``thanks! what's the status?`` → ``what's the status?`` (unchanged if nothing follows)."""
    out = text.strip()
    while True:
        m = _ACK.match(out)
        if not m or not out[m.end() :].strip(_TRIM):
            return out
        out = out[m.end() :].strip()


def resolve_followup(
    request: str,
    last: PriorTurn | None,
    route: Route,
    earlier: Sequence[PriorTurn] = (),
    general: str | None = None,
) -> FollowUp | None:
    """``request`` read against the previous turn ``last`` (or the turn of ``earlier``, oldest
    first, it comes back to: `planning._thread`); ``None`` when there is nothing to change
    (plan the request as written). A question for the reason of a tool's or a base's answer
    goes to the ``general`` expert when there is one. A file the previous turn listed in a
    folder is named with its folder ("open guide.md from there" after "list the docs folder")."""
    follow = _resolve(request, last, route, earlier, general)
    listed = _folder_listed(last)
    if listed is None:
        return follow
    if follow is None:
        placed = _in_folder(request, *listed)
        return FollowUp(request=placed) if placed != request else None
    if follow.clauses:
        follow.clauses = [(_in_folder(q, *listed), target) for q, target in follow.clauses]
    else:
        follow.request = _in_folder(follow.request, *listed)
    return follow


_WORLD = word_list("agentroute.text", "world_names.txt") | word_list(
    "agentroute.text", "country_names.txt"
)
_HURRIED = 4
"""Up to how many words a follow-up is read as typed in a hurry ("and in nairobi")."""
_LOWER_RUN = re.compile(r"\b[a-z][a-z'-]*(?:\s+[a-z][a-z'-]*)?\b")


def _places_named(text: str) -> str:
    """A short follow-up typed in lower case with the places it names capitalised ("berlin",
    "and in nairobi", "buenos aires?"): a name swaps for the previous one only when it reads
    as one. Places are the world's names the package knows (``world_names.txt``)."""
    if len(text.split()) > _HURRIED or any(c.isupper() for c in text):
        return text

    world = _WORLD | _zone_places()

    def named(m: re.Match[str]) -> str:
        words = m.group(0)
        if words in world:
            return words.title()
        first, _, second = words.partition(" ")
        first = first.title() if first in world else first
        return f"{first} {second.title() if second in world else second}".strip()

    return _LOWER_RUN.sub(named, text)


@cache
def _zone_places() -> frozenset[str]:
    """The places a time zone is read from ("berlin", "lima", "new york"), lower case."""
    return frozenset(time_zone_places())


_THERE = re.compile(r"\b(?:over\s+)?there\b", re.I)
_MOST_WORDS = 3


def _there_named(text: str, said: str) -> str:
    """``text`` with "there" made the place ``said`` names ("what time is it there" after
    "book me a flight to rome": "... in Rome"); as it was when ``said`` names none."""
    there = _THERE.search(text)
    place = _place_in(said, _WORLD | _zone_places()) if there is not None else None
    if there is None or place is None:
        return text
    return f"{text[: there.start()]}in {place}{text[there.end() :]}"


def _place_in(text: str, places: frozenset[str]) -> str | None:
    """The first of ``places`` (lower case) ``text`` names however it is written, the longest
    at a spot first ("new york" before "york"), capitalised; ``None`` when it names none."""
    words = _WORD.findall(text.lower().replace("?", " "))
    for i in range(len(words)):
        for size in range(min(_MOST_WORDS, len(words) - i), 0, -1):
            name = " ".join(words[i : i + size])
            if name in places and name not in STOP_WORDS:
                return name.title()
    return None


_FOLDER_NAMED = re.compile(
    r"\b([\w.-]+)\s+(?:folder|directory|dir)\b|\b(?:folder|directory|dir)\s+([\w.-]+)", re.I
)
_LISTED_FILE = re.compile(r"^\s*\[FILE\]\s+(\S+)", re.M)


def _folder_listed(last: PriorTurn | None) -> tuple[str, frozenset[str]] | None:
    """The folder the previous turn listed and the files it showed there ("list the docs
    folder": docs, {faq.md, guide.md}), else ``None``."""
    prev = _previous_step(last)
    if prev is None or not prev.ok or prev.kind is not TargetKind.TOOL:
        return None
    files = frozenset(_LISTED_FILE.findall(prev.result))
    named = _FOLDER_NAMED.search(prev.query)
    if not files or named is None:
        return None
    folder = (named.group(1) or named.group(2)).strip("/")
    if folder.lower() in STOP_WORDS or folder.lower() in ("this", "that", "root"):
        return None
    return folder, files


def _in_folder(text: str, folder: str, files: frozenset[str]) -> str:
    """``text`` with each file of ``files`` it names alone put in ``folder`` ("guide.md" →
    "docs/guide.md")."""

    def placed(m: re.Match[str]) -> str:
        name = m.group(0)
        if "/" in name or name not in files:
            return name
        return f"{folder}/{name}"

    return _PATH.sub(placed, text)


def _resolve(
    request: str,
    last: PriorTurn | None,
    route: Route,
    earlier: Sequence[PriorTurn],
    general: str | None,
) -> FollowUp | None:
    text = drop_acknowledgement(request)
    text = _places_named(text) if last is not None else text  # only a follow-up is hurried
    if not _ACKS_ONLY.sub("", text).strip(_TRIM):  # "perfect, thanks!": nothing to plan
        return None
    text = _APPOSITION.sub("", text, count=1)  # "what about the other one, todo.md"
    text = _EARLIER_REF.sub("the same ", text, count=1)  # "like before, but for Nairobi"
    last = continued_turn(text, last, earlier)  # the topic come back to names the turn
    back = _RETURN_LEAD.match(text)
    topic = _NAME.search(text, 1, back.end()) if back is not None else None
    if back is not None and topic is not None:
        # "going back to Kenya, what language do they speak?": the pronoun is that name
        asked = _about(text[back.end() :], topic.group(0))
        if asked is not None:
            return FollowUp(request=asked)
    if back is not None and topic is None:
        # "go back to the multiplication, make it 7 times 9": what follows is asked ("going
        # back to Kenya, what do they speak?" keeps the name its pronoun means)
        text = text[back.end() :]
    prev = _previous_step(last)
    prev = _fitting(text, last, prev) if prev is not None and last is not None else prev
    text = _same_slot(text, last)  # "and 20%?", then "and 30?": 30 is a percentage again
    alone = FollowUp(request=text) if text != request.strip() else None
    if prev is None or last is None or not text:
        return alone
    need = capability_need(text)
    if need is not None and need.kind == "action" and route(text) is None:
        # "text it to my wife" after reading a file: an act no target performs, whatever
        # "it" is; planned as written, it is declined (not read again as the file)
        return FollowUp(request=text)
    if _CORRECTION.match(text) is None and not _EXPRESSION.search(text):
        # "the second one in ounces", "now both with 25", "add those two together": of the
        # parts of a turn that had several, or of the thread's turns
        parted = _of_parts(text, last, route, earlier, general, request)
        if parted is not None:
            return parted
    asked = _attribute_question(text)
    if asked is not None and _specialist(route(asked)):
        # "and the currency of Hungary?" after "the capital of France": it says all it asks
        return FollowUp(request=asked)
    lead = _CORRECTION.match(text)  # "actually, make that Japanese" is one request
    body = text[lead.end() :] if lead and text[lead.end() :].strip(_TRIM) else text
    parts = split_clauses(body)
    if len(parts) > 1:  # the first part may build on the previous turn, the others on it
        return _first_part(parts, text, last, route, earlier, general) or alone
    opener = _OPENER.match(text)
    if opener and _operand(text.strip(_TRIM)):  # "plus 4?": an operation, not an opener
        opener = None
    rest = text[opener.end() :] if opener else text
    if not prev.target and not _elliptic(rest.strip(_TRIM)) and _specialist(route(rest)):
        # "then tell me the time in Rome" after "order me a pizza" was declined: nothing was
        # answered to build on, and a specialist serves the request by itself ("what time is
        # it there" after "book me a flight to rome": there is the place it named)
        return FollowUp(request=_there_named(rest.strip(), prev.query))
    before = capability_need(prev.query) if not prev.target else None
    goes_on = before is not None and before.kind not in ("live", "opinion")
    if goes_on and continues_declined(rest) and _specialist(route(rest)) is None:
        # "say i'm sick" after "send an email to my boss" was declined: the message of the
        # act no target performs, not a text for the translator to work on
        return FollowUp(
            request=text,
            how="declined",
            source=prev.query,
            said=request,
            declined="it goes on with the request declined before",
        )
    polite = _POLITE.sub("", rest.strip(), count=1)
    redo = _REDO.match(polite)
    if redo and polite[redo.end() :].strip(_TRIM):
        # "could you do the same for 3 metres please?", "the same thing but for 75 miles":
        # the previous request again, with the value after the lead
        rest, opener = _redo_value(polite, redo), redo
    corrected = _correction(rest)  # "no, I meant 70", "sorry, 80 not 60"
    if corrected is not None:
        rest = corrected
    if corrected is not None and len(last.steps) > 1 and _pronoun(corrected) is None:
        # "no, I meant Romania" after "capital of Hungary and the time there": every part
        whole = _substitute(last.request, corrected.strip(_TRIM))
        if whole is not None and whole != last.request:
            return FollowUp(request=whole)
    made = _MAKE_IT.match(rest.strip())  # "make it 25": a new value, not a pronoun
    if made:
        rest, corrected = rest.strip()[made.end() :], corrected or rest
    opened = bool(opener) or corrected is not None
    core = _POLITE_TAIL.sub("", rest.strip(_TRIM)).strip(_TRIM)
    if not core:
        return alone
    valued = _named_values(core, prev) or _column(core, prev)
    if valued is not None:  # "what's the rent times 12?" after a table: its rent, 1200
        return FollowUp(request=valued)
    if _EXPRESSION.search(core) or _NTH_POWER.search(core):
        # "and 3 - 4?" after "3 + 4", "and 2 to the 12th?": a whole new calculation
        return FollowUp(request=rest.strip())
    both = _NAMED_PAIR.fullmatch(core) or _NUMBER_PAIR.fullmatch(core)
    if both is not None and corrected is None:
        # "and in Lima and Nairobi?" after "what time is it in Rome", "same for 5 and 20"
        # after "convert 10 miles to km": the question for each
        prep = (both.groupdict().get("prep") or "") if both.re is _NAMED_PAIR else ""
        each = [f"{prep} {both.group('a')}".strip(), f"{prep} {both.group('b')}".strip()]
        read = [resolve_followup(f"and {one}?", last, route, earlier, general) for one in each]
        if all(r is not None and r.how == "substitute" and len(r.clauses) == 1 for r in read):
            return FollowUp(
                request=text,
                how="substitute",
                clauses=[c for r in read if r is not None for c in r.clauses],
                source=prev.query,
                said=request,
            )
    replaced = _replaced_operation(core, prev.query)
    if replaced is not None:  # "and divided by 5 instead?" after "45 divided by 9"
        return FollowUp(
            request=text,
            how="substitute",
            clauses=[(replaced, prev.target if prev.ok else None)],
            source=prev.query,
            said=request,
        )
    pronoun = _pronoun(rest)
    core = _in_system(core, prev) or core  # "in metric please": the unit that system uses
    converted = _converted(core, prev) if pronoun is None else None
    clash = _clash(converted, prev.query) if converted is not None else None
    if clash is not None:  # "and in feet?" after "30 celsius to fahrenheit": no conversion
        return FollowUp(
            request=text, how="declined", source=prev.query, said=request, declined=clash
        )
    if converted is not None:  # "in feet?" after "Everest is 8,849 metres high"
        # after a tool's conversion ("3 US gallons in litres"), the tool that converted
        fixed = prev.target if prev.kind is TargetKind.TOOL and _converts(prev.query) else None
        return FollowUp(
            request=text,
            how="chain",
            clauses=[(converted, fixed)],
            source=prev.query,
            said=request,
        )
    # "and with 6 instead of 12?": the old value is named, in the last part or the one
    # before that says it ("change the 200 to 360" after "15% of 200 and 25% of 80")
    for named in [prev, *reversed([s for s in _answered(last) if s is not prev])]:
        swapped_for = _instead(core, named.query)
        if swapped_for is not None:
            return FollowUp(
                request=text,
                how="substitute",
                clauses=[(swapped_for, named.target if named.ok else None)],
                source=named.query,
                said=request,
            )
    bare = bool(_BARE_WH.match(core))
    mine = route(rest)
    if pronoun is None and corrected is None and _whole_conversion(core, mine):
        # "100 kg to pounds" after "convert 100 km to miles": a quantity and the unit it is
        # wanted in say all a conversion needs; no value of the previous one is kept
        return FollowUp(request=rest.strip())
    if opened and corrected is None and _own_request(core, pronoun, mine, prev):
        # "now tell me a joke" after "3 + 4", "how about a poem about the sea" after a
        # listing: a request of its own, nothing of the previous one to put into it
        return FollowUp(request=_COMMAND_LEAD.sub("", rest.strip()))
    if opened and pronoun is None and _topic_of_its_own(core, mine, prev):
        # "what about the speed of sound?" after "convert 10 km to miles": a topic a base
        # holds, no value for the tool's question
        return FollowUp(request=rest.strip())
    if opened and pronoun is None and _sibling_read(core, mine, prev):
        # "now the status" after "which branches are there": another read of the same
        # server, named by what it shows, not a value for the previous question
        return FollowUp(request=f"show {core}")
    needed = capability_need(prev.query) if not prev.ok else None

    def done(how: str, query: str, target: str | None) -> FollowUp:
        now = capability_need(query)
        if needed is not None and (now is None or (now.from_question and not needed.from_question)):
            # "and Apple's?" after "Tesla's stock price?" was declined: the rewrite may lose
            # the words that asked for live data, the user's own or an act ("my checking"
            # reads only as a question of the user's, not as the account "my savings" was);
            # they still hold
            query = f"{query.rstrip(_TRIM)} — {prev.query}"
        elif target is not None and capability_need(query) is not None:
            # "book me a flight there" after the time in Tokyo: not the previous tool's job
            # unless routing finds one that offers it
            target = None if capability_need(prev.query) is None else target
        return FollowUp(
            request=text, how=how, clauses=[(query, target)], source=prev.query, said=request
        )

    if general is not None and _asks_reason(core, pronoun, opened, prev):
        # "why?" after "Canberra": a base states and a tool computes; neither says why
        return done("explain", _continuation(rest.strip(), prev), general)
    number = _last_number(prev, last, earlier)
    worked = rework(core, prev.query, number, _converts(prev.query))
    if worked is not None and worked.how == "chain":  # "and 5 more", "now add 8"
        return done("chain", worked.text, None)
    if worked is not None and worked.how == "substitute":
        # "and cubed?" after "12 squared", "now include 21 too" after "the average of 4, 8 and 15"
        return done("substitute", worked.text, prev.target if prev.ok else None)
    if worked is not None:  # "and minus 40?", "26.2 of them" after a conversion: a new value
        valued = _swap_numbers(prev.query, worked.text, list(NUMBER.finditer(worked.text)))
        valued = valued or _A_UNIT.sub(lambda m: f"{worked.text} {m.group(1)}", prev.query, 1)
        return done("substitute", valued, prev.target if prev.ok else None)
    reversed_ = _reversed(core, prev) if pronoun is None else None
    if reversed_ is not None:  # "and the other way round?" after "50 miles in km"
        return done("substitute", reversed_, prev.target if prev.ok else None)
    ordinal = _ORDINAL.search(core)
    if ordinal and pronoun is None and prev.ok and prev.kind is TargetKind.TOOL:
        # "what's the second item?" after a file was read: a part of that same result
        nth = _nth(core, prev) if _PATH.search(prev.query) is None else None
        if nth is not None:  # "open the second one" after a listing: that file
            return done("chain", nth, None)
        return done("complete", f"{prev.query.rstrip(_TRIM)} — {core}", prev.target)

    same = prev.target if prev.ok else None
    owned = _owned(core, prev) if pronoun is None else None
    if owned is not None:  # "language?", "and the currency" after "capital of France"
        return done("substitute", owned, None)
    if _NAME.fullmatch(core.removesuffix("'s")) and not opens_question(core):
        # "Berlin?", "Spain's?": a name alone is the previous clause's name replaced
        core, fragment = core.removesuffix("'s"), True
    else:
        fragment = False
    fragment = fragment or opened or bool(_PP.match(core) or _QUOTED.fullmatch(core))
    fragment = fragment or bool(NUMBER.match(core) and len(_words(core)) <= 3)
    fragment = fragment or _operand(core) or bool(_LANGUAGE.match(core))  # "times 3", "German"
    numbers = [w for w in _content(core) if NUMBER.fullmatch(w)]
    fragment = fragment or (len(numbers) == 1 == len(_content(core)))  # "what would 75 be?"
    # "what would 20 kg be?": a number and its unit only, a quantity in place of the old one
    fragment = fragment or (
        len(numbers) == 1 and all(w in _UNIT_WORDS or w in numbers for w in _content(core))
    )
    expert = bool(prev.target) and prev.kind is TargetKind.EXPERT
    if expert and corrected is not None:
        # "I meant Switzerland" after the catch-all answered for Sweden: what was asked is
        # changed, and a specialist that now fits takes it
        asked = _substitute(prev.query, core)
        routed = route(asked) if asked is not None else None
        if asked is not None and routed is not None and routed[1] is not TargetKind.EXPERT:
            return done("substitute", asked, None)
    if not fragment and pronoun is None and not bare:
        poor = not _content(core)  # "give me an example", "tell me more", "shorter please"
        if expert and (poor or _revises(core, mine, prev.target)):
            return done("continue", _continuation(rest.strip(), prev), prev.target)
        if poor:
            return done("complete", _completed(prev.query, core), prev.target)
        kept = prev.kind is TargetKind.KNOWLEDGE and prev.ok
        owner = _owner(prev.query) if kept else None
        single = len(_words(core)) == 1 == len(_content(core))
        if owner and single and (mine is None or mine[1] is not TargetKind.TOOL):
            # "language?" after "capital of france": that attribute of the same thing, not a
            # request for the translator; "capital?" after "what language do they speak in
            # austria": of Austria, not a base's passage about any capital
            return done("substitute", f"the {core} of {owner}", None)
        if kept and _WH_NOUN.fullmatch(core):
            # "what year?" after "who discovered penicillin?": a question word and a noun,
            # with no verb of their own, ask the passage the base gave
            return done("complete", f"{core} — {prev.query}", prev.target)
        if mine is not None and not (kept and _TRAILING.search(core)):
            return alone  # "how do I update it then?" after the docs: still about them
        if len(_content(core)) <= 1 or _TRAILING.search(core):
            asked = _TRAILING.sub("", core).strip(_TRIM)
            return done("complete", f"{asked} — {prev.query}", prev.target)
        return alone
    revise = expert and opened and pronoun is None and bool(_REVISE.match(core))
    if revise and _revises(core, mine, prev.target):
        # "now add type hints" after a function was written: the same expert edits it
        return done("continue", _continuation(rest.strip(), prev), prev.target)
    if opened and pronoun is None and not bare and _stands_alone(rest, mine, prev.query):
        return FollowUp(request=rest.strip())
    translate = _EDIT.match(core) and _LANGUAGE_WORD.search(core)
    if expert and translate and not _LANGUAGE_WORD.search(prev.query):
        # "translate it into Spanish" after a poem: the translator gets the poem itself
        if pronoun is None:
            return done("chain", f"{rest.strip()} {_quote(prev.result)}", None)
        return done("chain", _replace_pronoun(rest, pronoun, _quote(_data(prev))).strip(), None)
    # a specialist of its own: "what's 100 F in C?" after a translation, "ok then the capital
    # of Kenya" after the catch-all answered for Wakanda
    tool = mine is not None and mine[1] is not TargetKind.EXPERT
    if expert and pronoun is None and tool and _stands_alone(rest, mine, prev.query):
        return FollowUp(request=rest.strip())
    if expert and pronoun is not None and prev.target == general:
        # "what currency do they use there?" after the catch-all answered "Which country is
        # Nairobi in?": its answer names nothing to build on, the question did; a specialist
        # that serves the question about that name takes it
        for told in (prev, prev.model_copy(update={"result": ""})):  # its answer, its question
            about = _chain(rest.strip(), pronoun, told, None)
            if about is None or not _named_in(about) or _COMMAND.match(about.strip()):
                continue  # "now one about mountains" after a poem: no name, still the poem's
            routed = _specialist(route(about))
            if routed is not None and routed[2] >= _REROUTE:
                return done("chain", about, None)
    if expert and (pronoun is not None or not _elliptic(core)):
        if (
            mine is not None
            and mine[0] != prev.target
            and _elsewhere(mine, core, _CONTINUE_ELSEWHERE)
        ):
            query = _replace_pronoun(rest, pronoun, _quote(_data(prev))) if pronoun else rest
            return done("chain", query.strip(), None)
        return done("continue", _continuation(rest.strip(), prev), prev.target)
    if pronoun is None and number is not None and _operand(core):
        return done("chain", f"{number} {core}", None)  # "and times 3?": on the last result
    if pronoun is None and not bare:
        swapped = _substitute(prev.query, core, exact=expert)
        if swapped is not None and swapped.strip() == prev.query.strip() and mine is not None:
            # "fine, 5 feet to metres then" after "5 smoots to metres": nothing of the
            # previous request changes, so the follow-up says all it asks
            return FollowUp(request=rest.strip())
        if swapped is not None:
            return done("substitute", swapped, _kept(swapped, same, prev, route))
        language = _LANGUAGE.match(core)
        if expert and language:  # "in French?" after a poem: the poem is to be translated
            said = _LANGUAGE_WORD.search(prev.query)  # after a translation: the other language
            if said:
                new = language.group(1)
                return done(
                    "substitute", prev.query[: said.start()] + new + prev.query[said.end() :], same
                )
            return done("chain", f"translate {_quote(prev.result)} into {language.group(1)}", None)
        if expert:  # "now in Rust" after a Python function: the expert redoes its answer
            return done("continue", _continuation(rest.strip(), prev), prev.target)
        if _PP.match(core):
            return done("substitute", f"{prev.query.rstrip(_TRIM)} {core}?", same)
    if pronoun is not None and mine is not None and _elsewhere(mine, core):
        # "translate it into Spanish": an expert works on the previous result itself
        return done("chain", _replace_pronoun(rest, pronoun, _quote(_data(prev))).strip(), None)
    if pronoun is not None:
        chained = _chain(rest.strip(), pronoun, prev, number)
        if chained is not None:
            routed = route(chained)
            if routed is not None and routed[0] != prev.target and _elsewhere(routed, core):
                chained = _replace_pronoun(rest, pronoun, _quote(_data(prev))).strip()
            return done("chain", chained, None if routed is not None else prev.target)
    if mine is not None and _content(core) and not bare:
        return alone if not opened else FollowUp(request=rest.strip())
    if _content(core) and not bare:
        return done("complete", f"{core} — {prev.query}", prev.target)
    return done("complete", _completed(prev.query, core), prev.target)


_PARTS_NAMED = 3
"""How far an ordinal names a part of the last turn or a turn of the thread ("the third
one"); a fourth and "the last one" were not measured."""
_TURN_ORDINALS = {w: i for w, i in _CUES["ordinals"].items() if 0 <= i < _PARTS_NAMED}
_PART_NOUNS = frozenset(_CUES["part_nouns"])
_PART_ORDINAL = re.compile(
    rf"\bthe\s+({alternation(_TURN_ORDINALS)})(?:\s+({alternation(_PART_NOUNS)}))?\b"
    r"(?!\s+(?:two|three|\d))",
    re.I,
)
""""the second one", "the first country": a part of the last turn, or an earlier turn."""
_DESCRIBED = re.compile(r"^\s*(?:to|who|that|which|of|in|on|at|ever|since)\b", re.I)
""""the first one to fly", "the first country in Europe": a description, not a reference."""
_FIRST_TWO = re.compile(
    r"\bthe\s+(first|last)\s+two(?:\s+(?:results|answers|numbers|values))?\b", re.I
)
_THEIR_OPERATION = re.compile(
    rf"\btheir\s+({alternation(_CUES['list_operations'])})\b(?!\s+of\b)", re.I
)
_EACH = re.compile(rf"\s*\b(?:{alternation(_CUES['each_words'])})\b", re.I)
_COMBINED = re.compile(rf"\b(?:{alternation(_CUES['combined_results'])})\b", re.I)
_COMBINING = re.compile(rf"\b(?:{alternation(_CUES['combining_operations'])})\b", re.I)
_PLURALS: dict[str, str] = _CUES["plural_pronouns"]
_PLURAL = re.compile(rf"\b(?:{alternation(_PLURALS)})\b", re.I)
_SPACES = re.compile(r"\s{2,}")


def _answered(turn: PriorTurn) -> list[PriorStep]:
    return [s for s in turn.steps if s.ok]


def _alone(step: PriorStep) -> PriorTurn:
    """A turn of one step: what a follow-up of one part of a turn is read against."""
    return PriorTurn(request=step.query, steps=[step], answer="")


def _lists_items(step: PriorStep) -> bool:
    """Whether a step read a file or listed files: "the second one" is an item of it."""
    listed = [p for p in _PATH.findall(_passages(step.result)) if not NUMBER.fullmatch(p)]
    return bool(_PATH.search(step.query)) or bool(listed)


def _of_parts(
    text: str,
    last: PriorTurn,
    route: Route,
    earlier: Sequence[PriorTurn],
    general: str | None,
    request: str,
) -> FollowUp | None:
    """A follow-up of the parts of the last turn when it had several ("the second one in
    ounces", "now both with 25", "add those two together"), or of the thread's turns ("the
    first one in stone" after two conversions): ``None`` when it names no part."""
    own = _answered(last)
    turns = [s for t in [*earlier[-EARLIER_TURNS:], last] if (s := _answered(t)[-1:])]
    steps = [s[0] for s in turns]
    combined = _combined(text, own, steps, request)
    if combined is not None:
        return combined
    operands = on_operands(text, own)
    if operands is not None:  # "now subtract them instead" after "Add 48 and 17"
        return FollowUp(
            request=text,
            how="substitute",
            clauses=[(operands, own[0].target)],
            source=own[0].query,
            said=request,
        )
    m = _PART_ORDINAL.search(text)
    if m is not None:
        pool = own if len(own) >= 2 else []
        if not pool and own and not _lists_items(own[-1]) and len(steps) >= 2:
            pool = steps
        index = _TURN_ORDINALS[m.group(1).lower()]
        if index >= len(pool):
            return None
        step, noun = pool[index], (m.group(2) or "").lower()
        if text.startswith("'s", m.end()):  # "the second one's currency": its currency
            text = f"{text[: m.start()]}its{text[m.end() + 2 :]}"
            return _read_as(text, step, route, general, request)
        remains = _SPACES.sub(" ", f"{text[: m.start()]} {text[m.end() :]}").strip()
        core = _OPENER.sub("", remains).strip(_TRIM)
        if not core:
            return None
        if _elliptic(core) or _BARE_UNIT.fullmatch(core) or _TO_UNIT.fullmatch(core):
            new = remains  # "the second one in ounces": "in ounces" of that part
        elif _DESCRIBED.match(text[m.end() :]):
            return None
        else:  # "when was the first one invented?": "it" is that part
            said = _entity(step.query) if noun not in ("", "one") and noun in _NAMED else None
            new = f"{text[: m.start()]}{said or 'it'}{text[m.end() :]}"
        return _read_as(new, step, route, general, request)
    topic = _PART_TOPIC.search(text)
    pool = own if len(own) >= 2 else steps
    part = _of_topic(topic.group(1), pool, route) if topic is not None and len(pool) >= 2 else None
    if topic is not None and part is not None:
        # "the time one again, for Tokyo" after "12 times 12 and the time in Paris": the part
        # the topic names, asked again with the new value
        remains = _SPACES.sub(" ", f"{text[: topic.start()]} {text[topic.end() :]}").strip()
        core = _OPENER.sub("", remains).strip(_TRIM)
        if _elliptic(core) or _BARE_UNIT.fullmatch(core) or _TO_UNIT.fullmatch(core):
            new = remains  # "the time one in seconds": "in seconds" of that part
        else:
            new = _SPACES.sub(" ", f"{text[: topic.start()]} the same {text[topic.end() :]}")
        return _read_as(new.strip(), part, route, general, request)
    if len(own) < 2:
        return None
    fitting = _of_unit(text, own) or _of_name(text, own)
    if fitting is not None:  # "now 10 miles" after "5 miles to km and 3 kg to pounds"
        return _read_as(text, fitting, route, general, request)
    each = _EACH.search(text)
    # without "both" or "each", a follow-up of parts to one target with no value of its
    # own ("and cubed?", "which rivers are they on?") is asked of each
    plain = not NUMBER.search(text) and not _NAME.search(text, 1) and not _QUOTED.search(text)
    alike = len({s.target for s in own}) == 1 and plain
    if each is None and not (alike and (_PLURAL.search(text) or _elliptic(text.strip(_TRIM)))):
        return None
    new = _SPACES.sub(" ", _plural_to_one(_EACH.sub("", text))).strip()
    if opens_question(_OPENER.sub("", new)):  # "when was each invented?": each is "it"
        new = _SPACES.sub(" ", _plural_to_one(_EACH.sub(" it", text))).strip()
    reads = [resolve_followup(new, _alone(s), route, (), general) for s in own]
    if not all(r is not None and len(r.clauses) == 1 for r in reads):
        return None
    if any(r is None or r.how not in ("substitute", "chain", "complete") for r in reads):
        return None
    clauses = list(dict.fromkeys(c for r in reads if r is not None for c in r.clauses))
    if len(clauses) < len(own):  # the same question each time: it was not of each part
        return None
    return FollowUp(
        request=text,
        how=reads[0].how if reads[0] is not None else "substitute",
        clauses=clauses,
        source="; ".join(s.query for s in own),
        said=request,
    )


_PART_TOPIC = re.compile(
    rf"\bthe\s+([^\W\d_]{{3,}})\s+(?:(?:{alternation(_CUES['topic_part_nouns'])})\b(?:\s+again\b)?"
    r"|again\b)",
    re.I,
)
""""the time one", "the weight question again", "the conversion again": a part named by
what it was about."""


def _of_topic(topic: str, pool: list[PriorStep], route: Route) -> PriorStep | None:
    """The one part of ``pool`` the topic word names: by a word of its request ("the
    capital question"), else by the target the word itself routes to ("the time one": the
    clock's part, "the percentage one": the calculator's); ``None`` when not exactly one."""
    if topic.lower() in STOP_WORDS | _NOT_ATTRIBUTES | set(_CUES["ordinals"]):
        return None  # "the same one", "the last one": no topic
    # the word itself first ("time", not "times"), then its stem, then its first letters
    # ("the conversion": "Convert 5 km to miles", "the percentage one": "25 percent of 80")
    for same in (str.lower, word_stem, _lead):
        said = [s for s in pool if any(same(w) == same(topic) for w in _WORD.findall(s.query))]
        if len(said) == 1:
            return said[0]
    routed = route(topic)
    if routed is None:
        return None
    server = routed[0].split(".", 1)[0]  # "the file one": the part of that server
    for fits in (lambda t: t == routed[0], lambda t: t.split(".", 1)[0] == server):
        served = [s for s in pool if fits(s.target)]
        if len(served) == 1:
            return served[0]
    return None


_LEAD = 6
"""How many first letters two words of a topic share to be one ("conver-sion", "conver-t")."""


def _lead(word: str) -> str:
    """A long word's first letters; a short word shares them only with itself."""
    return word[:_LEAD].lower() if len(word) >= _LEAD else f"\0{word}"


def _plural_to_one(text: str) -> str:
    return _PLURAL.sub(lambda p: _PLURALS[p.group(0).lower()], text)


_DEGREES = re.compile(r"\d\s*(?:degrees?\b|°)", re.I)
_TEMPERATURE = re.compile(rf"\b(?:{alternation(_CUES['temperature_words'])})(?!\w)|°", re.I)


def _of_unit(text: str, own: list[PriorStep]) -> PriorStep | None:
    """The one part whose quantity is in the unit the follow-up's own quantity is in."""
    said = _QUANTITY.search(text)
    if said is None and _DEGREES.search(text):  # "and 40 degrees?": the temperature part
        warm = [s for s in own if _TEMPERATURE.search(s.query)]
        return warm[0] if len(warm) == 1 else None
    if said is None:
        return None
    unit = said.group(2).lower().rstrip("s")
    fits = [
        s
        for s in own
        if any(m.group(2).lower().rstrip("s") == unit for m in _QUANTITY.finditer(s.query))
    ]
    return fits[0] if len(fits) == 1 else None


_EARLIER_REF = re.compile(
    r"^\s*(?:(?:do|redo|repeat|same)\s+)?(?:(?:the|that)\s+)?(?:[a-z]+\s+)?"
    rf"(?:{alternation(_CUES['earlier_refs'])})[\s,:;—-]*(?:but\s+)?(?=(?:for|with|of)\b)",
    re.I,
)
""""do the conversion from before with 20": the request that was asked before, again."""
_ASKING_OPENER = re.compile(rf"^\s*(?:{alternation(_CUES['asking_openers'])})\b[\s,:]*", re.I)
_ATTRIBUTE_OF_NAME = re.compile(
    r"^(?:(?:what|which)(?:'s|\s+is|\s+are|\s+was)?\s+)?the\s+([a-z]+(?:\s+[a-z]+)?)\s+of\s+"
    r"(?:the\s+)?[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*$"
)
""""the currency of Hungary", "what's the language of Brazil": an attribute of a name."""


def _attribute_question(text: str) -> str | None:
    """ "and the currency of Hungary?": the question it asks by itself (an attribute of a
    name, after an opener that only continues the thread), else ``None``."""
    opener = _ASKING_OPENER.match(text)
    core = (text[opener.end() :] if opener else text).strip(_TRIM)
    m = _ATTRIBUTE_OF_NAME.match(core)
    if m is None or m.group(1).split()[0].lower() in STOP_WORDS | _NOT_ATTRIBUTES:
        return None
    return f"what is {core}?" if core.lower().startswith("the ") else core


_NOT_ATTRIBUTES = frozenset({"same", "other", "rest", *_TURN_ORDINALS})
"""Words of "the same of France", "the first of Peru": a reference, not an attribute."""


def _named_in(text: str) -> bool:
    """Whether ``text`` names something past its first word (a place, a person)."""
    return any(m.group(0) != "I" for m in _NAME.finditer(text, 1))


def _of_name(text: str, own: list[PriorStep]) -> PriorStep | None:
    """The one part that names something, for a follow-up that names another thing and gives
    no number ("and of Peru?" after "the capital of Kenya and 10 miles in km")."""
    if NUMBER.search(text) or not _named_in(text):
        return None
    fits = [s for s in own if _named_in(s.query)]
    return fits[0] if len(fits) == 1 else None


def _read_as(
    text: str, step: PriorStep, route: Route, general: str | None, request: str
) -> FollowUp:
    """``text`` read as a follow-up of the one part ``step`` it names."""
    read = resolve_followup(text, _alone(step), route, (), general)
    if read is None:
        return FollowUp(request=text, said=request)
    read.said = request
    return read


def _result_number(step: PriorStep) -> str | None:
    """The number a step computed ("7 * 8 = 56") or a base was asked for; not a number a
    tool only reports (the year of a clock's date)."""
    if step.kind is TargetKind.TOOL and not _EQUALS.search(step.result.strip().split("\n")[0]):
        return None
    return number_given(step)


_NAMED = frozenset({"country", "city"})
"""Part nouns that stand for the thing a part asked about ("the first country": Canada)."""


def _named_pair(text: str, own: list[PriorStep], steps: list[PriorStep]) -> str | None:
    """``text`` with two results named by their places put in ("the former plus the latter"
    after two conversions: "4.828032 plus 8.04672"), when it combines them, else ``None``."""
    places = list(_PART_ORDINAL.finditer(text))
    if len(places) != 2 or not _COMBINING.search(text) or NUMBER.search(text):
        return None
    pool = own if len(own) >= 2 else steps
    indices = [_TURN_ORDINALS[m.group(1).lower()] for m in places]
    if len(set(indices)) != 2 or max(indices) >= len(pool):
        return None
    numbers = [_result_number(pool[i]) for i in indices]
    if any(n is None for n in numbers):
        return None
    (a, b), (x, y) = places, numbers
    return f"{text[: a.start()]}{x}{text[a.end() : b.start()]}{y}{text[b.end() :]}"


def _combined(
    text: str, own: list[PriorStep], steps: list[PriorStep], request: str
) -> FollowUp | None:
    """ "add those two together", "multiply them", "add the first two results": one
    calculation on the results of the last turn's parts, or of the thread's last two turns."""
    named = _named_pair(text, own, steps)
    if named is not None:  # "the former plus the latter", "the first minus the second"
        return FollowUp(request=text, how="chain", clauses=[(named, None)], said=request)
    two = _FIRST_TWO.search(text)
    their = _THEIR_OPERATION.search(text) if len(own) >= 2 else None  # "and their sum?"
    said = two or their or _COMBINED.search(text)
    if said is None or not (their or _COMBINING.search(text)) or NUMBER.search(text):
        return None
    pool = own if len(own) >= 2 and two is None else steps
    numbers = [n for s in pool if (n := _result_number(s)) is not None]
    if len(numbers) < 2:
        return None
    if two is not None:
        numbers = numbers[:2] if two.group(1).lower() == "first" else numbers[-2:]
    elif pool is steps:
        # "add all three" after three turns: the last three; "add them": the last two
        counted = [_COUNT_WORDS.get(w, 0) for w in said.group(0).lower().split()]
        every = "all" in said.group(0).lower().split()
        numbers = numbers[-max([2, *counted]) :] if not every or any(counted) else numbers
    joined = " and ".join(numbers)
    if their is not None:
        joined = f"the {their.group(1)} of {joined}"
    before = text[: said.start()]
    if _AVERAGE_BEFORE.search(before):  # "average them": the average *of* them
        before = f"{before.rstrip()} of "
    query = f"{before}{joined}{text[said.end() :]}"
    return FollowUp(
        request=text,
        how="chain",
        clauses=[(query, None)],
        source="; ".join(s.query for s in pool),
        said=request,
    )


_COMMAND_LEAD = re.compile(rf"^(?:(?:{alternation(_CUES['request_leads'])})\s+)+", re.I)
_COUNT_WORDS: dict[str, int] = {w: int(n) for w, n in _REFERRING["count_words"].items()}
_AVERAGE_BEFORE = re.compile(r"\b(?:average|mean)\s*$", re.I)


def _own_request(
    core: str,
    pronoun: re.Match[str] | None,
    mine: tuple[str, TargetKind, float] | None,
    prev: PriorStep,
) -> bool:
    """Whether ``core`` is a command or a thing to compose that says all it asks ("tell me a
    joke", "show me the git status") and routes to another target than the previous one:
    no pronoun, no value of the previous request to swap ("show me the log for 3 days")."""
    if pronoun is not None or mine is None or mine[0] == prev.target or not prev.target:
        return False
    if not _COMMAND.match(core) or NUMBER.search(core) or _PATH.search(core):
        return False
    words = [w for w in _content(_COMMAND_LEAD.sub("", core)) if w not in _CUES["request_verbs"]]
    return len(words) >= 1 and not _TRAILING.search(core)


_OWN_TOPIC = 0.5
"""Similarity at which a bare topic after a tool's answer is a base's question of its own."""


def _topic_of_its_own(
    core: str, mine: tuple[str, TargetKind, float] | None, prev: PriorStep
) -> bool:
    """Whether ``core`` (no number, place or unit) is a topic a knowledge base answers well
    by itself, after a tool's answer or another base's: no value to put into the previous
    question ("now the speed of light" after "the currency of Japan")."""
    if mine is None or mine[1] is not TargetKind.KNOWLEDGE or mine[2] < _OWN_TOPIC:
        return False
    other_base = prev.kind is TargetKind.KNOWLEDGE and mine[0] != prev.target
    if not (prev.kind is TargetKind.TOOL or other_base) or not prev.target:
        return False
    if NUMBER.search(core):
        return False
    if _NAME.search(core) or _QUOTED.search(core) or _PATH.search(core):
        return False  # "what about New York?": a value in place of the old one
    words = _content(core)
    return len(words) >= 2 and not _PP.match(core) and not any(w in _UNIT_WORDS for w in words)


_THE_NOUN = re.compile(r"^the\s+[^\W\d][\w-]*(?:\s+[^\W\d][\w-]*)?$", re.I)
""""the status", "the recent commits": a thing shown, named alone."""


def _sibling_read(core: str, mine: tuple[str, TargetKind, float] | None, prev: PriorStep) -> bool:
    """Whether ``core`` ("the status", "the log") names what another tool of the previous
    tool's own server shows: asked alone, it routes there, not to the previous tool."""
    if mine is None or mine[1] is not TargetKind.TOOL or not prev.target:
        return False
    if prev.kind is not TargetKind.TOOL or mine[0] == prev.target:
        return False
    server = prev.target.partition(".")[0]
    same_server = mine[0].partition(".")[0] == server and "." in mine[0]
    return same_server and bool(_THE_NOUN.fullmatch(core)) and not _NAME.search(core)


def _specialist(
    routed: tuple[str, TargetKind, float] | None,
) -> tuple[str, TargetKind, float] | None:
    """A routing to a tool or a base (an expert, the catch-all too, takes any text)."""
    return routed if routed is not None and routed[1] is not TargetKind.EXPERT else None


def _first_part(
    parts: list[str],
    text: str,
    last: PriorTurn,
    route: Route,
    earlier: Sequence[PriorTurn],
    general: str | None,
) -> FollowUp | None:
    """A follow-up of several parts whose first builds on the previous turn ("now subtract
    14, then divide by 5" after "8 squared"; "what time is it there and what's the
    currency?" after "capital of Spain"): that part rewritten as a follow-up, each later part
    that only names a new thing of the same subject too, the rest left for the request's own
    references ("then divide by 5": by the first part's result). ``None``: nothing to carry."""
    taken = _pronoun(parts[0]) or _ORDINAL.search(parts[0]) or _RESULT_WORD.search(parts[0])
    if _CARRIES.match(parts[0]) and taken is not None:
        # "use the answer from before and subtract 18": the first part only takes the value
        # up; the next one works on it
        parts = [_CARRIES.sub("", parts[1]), *parts[2:]]
        if len(parts) == 1:
            return resolve_followup(parts[0], last, route, earlier, general)
    first = resolve_followup(parts[0], last, route, earlier, general)
    if first is None or len(first.clauses) != 1 or first.how not in ("chain", "substitute"):
        return None
    rewritten = [first.clauses[0][0].strip()]
    for part in parts[1:]:
        later = resolve_followup(part, last, route, earlier, general)
        said = _pronoun(part)
        fits = later is not None and len(later.clauses) == 1
        owned = fits and later is not None and later.how in ("substitute", "chain") and said is None
        placed = fits and said is not None and said.group(0).lower() == "there"
        if later is not None and (placed or (owned and not NUMBER.search(part))):
            # "and what's the currency?", "the time there": of the previous turn's subject
            rewritten.append(later.clauses[0][0].strip())
        else:
            rewritten.append(part.strip())
    request = "; then ".join(p.rstrip(" ;,") for p in rewritten)
    return FollowUp(request=request, how=first.how, source=first.source, said=text)


# -- reading the follow-up ------------------------------------------------------------------


def _about(question: str, name: str) -> str | None:
    """``question`` with the place or person pronoun it asks about said as ``name`` ("what
    language do they speak?" → "what language do they speak in Kenya?"), else ``None``."""
    pronoun = _pronoun(question)
    if pronoun is None:
        return None
    word = pronoun.group(0).lower()
    if word == "there":
        return _replace_pronoun(question, pronoun, f"in {name}").strip()
    if word == "they":  # "what do they speak?": the people of the place
        return f"{question.strip().rstrip(_TRIM)} in {name}?"
    return _replace_pronoun(question, pronoun, name).strip()


def _previous_step(last: PriorTurn | None) -> PriorStep | None:
    """The step a follow-up refers to: the last one that worked, else the last one (a turn
    that planned nothing: its request, to be routed again once rewritten)."""
    if last is None:
        return None
    if not last.steps:
        return PriorStep(query=last.request, target="", kind=TargetKind.TOOL, ok=False)
    ok = [s for s in last.steps if s.ok]
    step = (ok or last.steps)[-1]
    whole = [s for s in ok[:-1] if s.target == step.target and not _elliptic(s.query.strip(_TRIM))]
    if step.ok and whole and _elliptic(step.query.strip(_TRIM)):
        # "What time is it in Tokyo and London?": the part "London?" is the first part's
        # question asked of London, which a follow-up changes again
        asked = _substitute(whole[-1].query, step.query.strip(_TRIM))
        if asked is not None and asked != whole[-1].query:
            return step.model_copy(update={"query": asked})
    return step


def _fitting(text: str, last: PriorTurn, prev: PriorStep) -> PriorStep:
    """The part of a turn of several parts a short follow-up goes on with: the last part,
    unless the follow-up gives a place and that part names none while an earlier one does
    ("and of spain?" after "capital of italy and 30 f in c"), or a bare number and that part
    has none while an earlier one has ("and 16?" after "15 squared and the time in tokyo")."""
    steps = _answered(last)
    core = _OPENER.sub("", text, count=1).strip(_TRIM)
    if len(steps) < 2 or prev not in steps or len(_words(core)) > _HURRIED:
        return prev
    places = _WORLD | _zone_places()
    if _place_in(core, places) is not None and _place_in(prev.query, places) is None:
        fit = [s for s in steps if _place_in(s.query, places) and not NUMBER.search(s.query)]
    elif NUMBER.fullmatch(core) and NUMBER.search(prev.query) is None:
        fit = [s for s in steps if NUMBER.search(s.query)]
    else:
        return prev
    return fit[-1] if fit else prev


_WH_NOUN = re.compile(r"(?:what|which)\s+[^\W\d_]+", re.I)
""""what year", "which city": a question word and its noun, asking something of the last topic."""
_PLACE_NOUNS = ("country", "city", "place")
_PLACE_WORD = re.compile(rf"\bthere\b|\b(?:that|the)\s+(?:{alternation(_PLACE_NOUNS)})\b", re.I)
""""there", "that country": a place referred back ("they" before it are its people)."""


def _pronoun(text: str) -> re.Match[str] | None:
    """The first pronoun that refers back (not the "it" of "what time is it")."""
    spans = [(m.start(), m.end()) for m in _EXPLETIVE.finditer(text)]
    there = _PLACE_WORD.search(text)
    for m in _PRONOUN.finditer(text):
        if any(s <= m.start() < e for s, e in spans):
            continue
        if there is not None and m.group(0).lower() == "they" and m.start() < there.start():
            continue  # "which language do they speak there?": the people of the place
        if m.group(0).lower() == "one" and re.match(r"\s*(?:\d|" + _UNIT + r")\b", text[m.end() :]):
            continue
        if m.group(0).lower() == "that" and _relative(text, m):
            continue
        if m.group(0).lower().startswith("the ") and _OF_NEXT.match(text, m.end()):
            continue  # "the sum of 4 and 5": an operation asked, not a result named
        return m
    return None


def _correction(rest: str) -> str | None:
    """ "no, I meant 70" → "70"; "sorry, 80 not 60" → "80"; "no, not Berlin, Madrid" →
    "Madrid" (``None``: not a correction)."""
    starred = _STARRED.match(rest)
    if starred:  # "Sydney* sorry": the word as it should have been written
        return starred.group(1)
    out, at = rest, None
    while (m := _CORRECTION.match(out)) and m.end() > 0 and out[m.end() :].strip(_TRIM):
        out, at = out[m.end() :], m
    if at is None and not _CORRECTION_HEAD.match(out):
        return None
    return _CORRECTION_HEAD.sub("", _CORRECTION_TAIL.sub("", out)).strip()


_OF_NEXT = re.compile(r"\s+(?:of|between)\b", re.I)
_INSTEAD = re.compile(
    rf"^(?:(?:{alternation(_CUES['substitution_leads'])})\s+)?(?P<new>\S.*?)[\s,;—-]+"
    rf"(?:{alternation(_CUES['correction_tails'])})\s+(?P<old>\S.*?)[\s?.!]*$",
    re.I,
)


_CHANGE = re.compile(
    rf"^(?:{alternation(_CUES['change_verbs'])})\s+(?:the\s+)?(?P<old>\S.*?)\s+(?:to|into|for|with)"
    r"\s+(?P<new>\S.*?)[\s?.!]*$",
    re.I,
)
""""change the 200 to 360": the old value first, then the new one."""


def _instead(core: str, previous: str) -> str | None:
    """The previous clause with the value the follow-up names as replaced put in its place
    ("with 6 instead of 12", "Lima rather than Cairo"), or ``None`` when the previous clause
    does not say that value."""
    m = _INSTEAD.match(core) or _CHANGE.match(core)
    if m is None:
        return None
    old = list(re.finditer(rf"(?<![\w.]){re.escape(m.group('old'))}(?![\w.])", previous, re.I))
    if not old:
        return None
    at = old[-1]
    return previous[: at.start()] + m.group("new").strip(_TRIM) + previous[at.end() :]


def _asks_reason(core: str, pronoun: re.Match[str] | None, opened: bool, prev: PriorStep) -> bool:
    """ "why?", "why did he do it?", "but why 32?": the reason for the previous answer (a
    reason word that refers back: alone, with a pronoun or an opener, or naming a word or a
    number of the previous turn), asked of a target that does not explain (no expert)."""
    reason = _REASON.match(core)
    if reason is None or prev.kind is TargetKind.EXPERT or not prev.target:
        return False
    said = core[reason.end() :].strip(_TRIM)
    contrast = reason.group(0).lower() in _CUES["contrasting_reasons"]  # "why not the euro?"
    if not said or pronoun is not None or opened or contrast:
        return True
    earlier = f"{prev.query} {prev.result}".lower()
    return any(re.search(rf"(?<![\w.]){re.escape(w)}(?![\w])", earlier) for w in _content(said))


def _operand(core: str) -> bool:
    """ "times 3", "divided by 4", "squared": an operation on the last result (not "-5")."""
    m = _OPERATOR.match(core)
    if not m or NUMBER.fullmatch(core):
        return False
    after = core[m.end() :].strip(_TRIM)
    return not after or bool(NUMBER.fullmatch(after))


def _converts(query: str) -> bool:
    """Whether a clause converted a quantity ("40 Celsius in Fahrenheit", "a mile in metres")
    rather than did arithmetic."""
    quantity = _QUANTITY.search(query) or _A_UNIT.search(query)
    return quantity is not None and not _OPERATION.search(query)


def _revises(core: str, mine: tuple[str, TargetKind, float] | None, target: str) -> bool:
    """ "add a docstring", "can you add tests?", "like I'm five": a change to the expert's
    answer, routed nowhere else (a short fragment routed nowhere is one too)."""
    asked = _POLITE.sub("", core).strip(_TRIM)
    words = [w.lower() for w in _words(asked)]
    concrete = NUMBER.search(asked) or _PATH.search(asked) or _QUOTED.search(asked)
    styled = any(w in _CUES["styles"] for w in words) or bool(_REVISE.match(asked))
    if len(words) <= 3 and styled and not concrete and not _LANGUAGE_WORD.search(asked):
        return True  # "shorter", "more formal", "add tests": the same expert, whoever scores
    if mine is not None and mine[0] != target:
        # "add a docstring" scored for a tool's "add": no value of its own, an edit still
        return mine[1] is not TargetKind.EXPERT and not concrete and bool(_REVISE.match(asked))
    if _EDIT.match(asked) and mine is None:
        return True
    if _REVISE.match(asked):
        return True
    return mine is None and len(_words(asked)) <= 3 and not opens_question(asked)


def _converted(core: str, prev: PriorStep) -> str | None:
    """ "in feet?" after an answer that gave a quantity the question did not: convert it."""
    unit = _TO_UNIT.fullmatch(core) or _BARE_UNIT.fullmatch(core)
    if not unit or not prev.ok:
        return None
    # "in ounces?" after "how many pounds is 5 kg": the same quantity, the new unit
    quantity = _QUANTITY.search(prev.query)
    said = quantity.group(0) if quantity is not None else _quantity_given(prev)
    if said is not None:
        return f"convert {said} to {unit.group(1)}"
    one = _A_UNIT.search(prev.query)  # "and yards?" after "How many feet in a mile?"
    return f"convert 1 {one.group(1)} to {unit.group(1)}" if one else None


_CONVERSION = re.compile(r"^convert\s+(.+?)\s+to\s+(.+)$", re.I)


def _clash(converted: str, said: str) -> str | None:
    """Why the conversion a follow-up asks for ("convert 30 celsius to feet") cannot be made:
    the quantity and the unit measure different things; ``None`` when they agree."""
    asked = _CONVERSION.match(converted)
    pair = mismatched(asked.group(1), asked.group(2), said) if asked is not None else None
    if asked is None or pair is None:
        return None
    return (
        f"{asked.group(2)} measure {_a(pair[1])} and {asked.group(1)} is {_a(pair[0])}:"
        " no conversion turns one into the other"
    )


def _a(dimension: str) -> str:
    """ "a length", "a temperature", "time", "data": the measure as a sentence names it."""
    return (
        dimension if dimension in ("time", "data", "mass", "energy", "power") else f"a {dimension}"
    )


def _named_values(core: str, prev: PriorStep) -> str | None:
    """ "what's the rent times 12?" after a table was read ("rent,1200"): each word the
    previous result gives a number beside ("rent" → 1200) put in its place, when that makes
    a calculation (``None`` otherwise)."""
    if not prev.ok or not prev.result or not _OPERATION.search(core):
        return None
    out = core
    for word in sorted(set(_words(core)), key=len, reverse=True):
        low = word.lower()
        if len(low) < 3 or low in STOP_WORDS or _ARITHMETIC.fullmatch(low):
            continue
        given = re.search(
            rf"(?im)^\W*{re.escape(low)}\s*[,:=|\t]\s*(-?\d+(?:\.\d+)?)\s*$", prev.result
        )
        if given is not None:
            out = re.sub(rf"\b(?:the\s+)?{re.escape(word)}\b", given.group(1), out, count=1)
    return out if out != core and _EXPRESSION.search(out) else None


_LIST_OPERATION = re.compile(rf"\b(?:{alternation(_CUES['list_operations'])})\b", re.I)


def _column(core: str, prev: PriorStep) -> str | None:
    """ "what's the total of the amounts?" after a table was read ("item,amount" over rows):
    the column's numbers in place of its name, when the request works on a list."""
    if not prev.ok or not _LIST_OPERATION.search(core):
        return None
    rows = [line for line in _passages(prev.result).strip().splitlines() if line.strip()]
    sep = next((s for s in (",", "\t", ";", "|") if rows and s in rows[0]), None)
    if sep is None or len(rows) < 3:
        return None
    header = [h.strip().lower() for h in rows[0].split(sep)]
    for word in _words(core):
        name = word.lower()
        at = header.index(name) if name in header else None
        if at is None and name.endswith("s") and name[:-1] in header:
            at = header.index(name[:-1])  # "the amounts": the amount column
        if at is None:
            continue
        cells = [row.split(sep) for row in rows[1:]]
        values = [c[at].strip() for c in cells if len(c) > at]
        if len(values) >= 2 and all(NUMBER.fullmatch(v) for v in values):
            listed = f"{', '.join(values[:-1])} and {values[-1]}"
            return re.sub(rf"\b(?:the\s+)?{re.escape(word)}\b", listed, core, count=1)
    return None


def _in_system(core: str, prev: PriorStep) -> str | None:
    """ "in metric please" after "how many pounds is 11 stone": "in kilograms", the usual
    unit of that system for the unit the previous answer was given in."""
    asked = _IN_SYSTEM.fullmatch(core.strip(_TRIM))
    if asked is None:
        return None
    table: dict[str, str] = _CUES["measure_systems"][_SYSTEMS[asked.group(1).lower()]]
    units = [m.group(1) for m in _HOW_MANY.finditer(prev.query)]
    units += [m.group(1) for m in _TO_UNIT.finditer(prev.query)]
    units += [m.group(2) for m in _QUANTITY.finditer(prev.result)][-1:]
    for unit in units:
        mapped = table.get(unit.lower())
        if mapped is not None:
            return f"in {mapped}"
    return None


def _elsewhere(mine: tuple[str, TargetKind, float], core: str, bar: float = 0.0) -> bool:
    """ "translate it into Spanish": an instruction another expert serves (from an expert's
    own answer only when it clearly does: ``bar``)."""
    return mine[1] is TargetKind.EXPERT and mine[2] >= bar and bool(_EDIT.match(core))


def _relative(text: str, that: re.Match[str]) -> bool:
    """ "the commits that touched app.py": a noun before, a verb after (not "divide that by 4",
    "is that prime")."""
    before, after = _words(text[: that.start()]), _words(text[that.end() :])
    if not before or not after or after[0].lower() in _REFERRING["prepositions"]:
        return False  # "translate that into German", "convert that to feet"
    if _EDIT.match(before[-1]) or _ARITHMETIC.fullmatch(before[-1]):
        return False
    return all(w.lower() not in STOP_WORDS for w in (before[-1], after[0]))


_REDO = re.compile(
    r"^(?:(?:do|redo|repeat|try)\s+)?(?:(?:the\s+)?same(?:\s+(?!for\b|with\b|of\b)[a-z]+)?"
    r"|(?:that|this|it)(?:\s+(?:thing|one))?)(?:\s+again)?(?:\s*,?\s*but)?"
    r"\s+(?P<prep>for|with|of)\b[\s,:]*",
    re.I,
)
"""The lead of a request to do the previous one again with another value ("do the same for",
"do that for", "the same thing but for", "the same percentage of"): the value follows it."""
_EXPRESSION = re.compile(
    r"\d(?:\.\d+)?\s*(?:[+*/^×]|\s-\s|\s(?:"
    + alternation([o for o in _CUES["operators"] if o[0].isalpha()])
    + r")\s)\s*-?\d",
    re.I,
)
"""Two numbers with an operation between them: a calculation that needs nothing carried."""
_NTH_POWER = re.compile(r"\d\s+to\s+the\s+\d+(?:st|nd|rd|th)\b", re.I)
""""2 to the 12th": a power written as an ordinal."""
_ASKED_NOUN = re.compile(
    rf"^(?:{alternation(_CUES['identity_questions'])})\s+"
    r"([^\W\d][\w-]*(?:\s+[^\W\d][\w-]*)?)$",
    re.I,
)
_OF_NAME = re.compile(r"\b(?:of|in)\s+((?:the\s+)?[^\W\d][\w'-]*(?:\s+[^\W\d][\w'-]*)?)\W*$")


_RETURNING = [w for w in _CUES["return_words"] if w not in ("back", "to")]
_RETURN_LEAD = re.compile(
    rf"^\W*(?:(?:{alternation(_CUES['acknowledgements'])}|so|and|let'?s)\W+)*"
    rf"(?:(?:{alternation(_RETURNING)})\s+back|back|return(?:ing)?)\s+to\s+"
    r"[^,:;.!?—–-]{1,40}[,:;.!?—–-]+\s*(?=\S)",
    re.I,
)
"""A lead that only says which earlier topic the request comes back to ("go back to the
multiplication, ...", "back to Kenya:"): the request is what follows it."""
_INSTEAD_WORDS = re.compile(rf"[\s,]+(?:{alternation(_CUES['instead_words'])})$", re.I)
_LAST_OPERATION = re.compile(
    rf"(?:{alternation(_CUES['operators'])})\s*-?\d[\d,]*(?:\.\d+)?(?!.*\d)", re.I
)


def _replaced_operation(core: str, previous: str) -> str | None:
    """The previous clause with its last operation replaced by one said to replace it
    ("divided by 5 instead" after "What is 45 divided by 9?": "What is 45 divided by 5?")."""
    said = _INSTEAD_WORDS.search(core)
    if said is None:
        return None
    operation = core[: said.start()].strip(_TRIM)
    old = _LAST_OPERATION.search(previous)
    if not _operand(operation) or old is None:
        return None
    return previous[: old.start()] + operation + previous[old.end() :]


def _redo_value(text: str, redo: re.Match[str]) -> str:
    """The new value after a redo lead: "8 miles" of "the same for 8 miles as well", "of 300"
    of "the same percentage of 300" (the word that says where it goes kept)."""
    value = _TRAILING.sub("", text[redo.end() :].strip(_TRIM)).strip(_TRIM)
    return f"of {value}" if redo.group("prep").lower() == "of" else value


def redone(previous: str, clause: str) -> str | None:
    """``clause`` as the ``previous`` clause asked again with its new value ("the same for 8
    miles" after "Convert 5 miles to km": "Convert 8 miles to km"), else ``None``."""
    text = _POLITE.sub("", clause.strip(), count=1)
    redo = _REDO.match(text)
    if redo is None or not text[redo.end() :].strip(_TRIM):
        return None
    return _substitute(previous, _redo_value(text, redo))


def _owned(core: str, prev: PriorStep) -> str | None:
    """An attribute asked for by a whole question ("what's the currency", "and what is the
    language") after a
    knowledge base was asked about something ("capital of France"): that attribute of the
    same thing ("the language of France"), else ``None`` (a bare "germany?" may be a name)."""
    if prev.kind is not TargetKind.KNOWLEDGE or not prev.ok:
        return None
    if any(m.start() > 0 or not opens_question(core) for m in _NAME.finditer(core)):
        return None  # "Japan?", "and Japan's currency": a name of its own
    asked = _ASKED_NOUN.match(core.strip(_TRIM))
    if asked is None and _OF_NAME.search(prev.query.strip(_TRIM)) is None:
        # "and the capital?" after "what currency does brazil use": no "of" to swap the
        # attribute in ("and the currency?" after "the capital of France" swaps it there)
        asked = _THE_ATTRIBUTE.match(core.strip(_TRIM))
    if asked is None or not 1 <= len(_content(asked.group(1))) <= 2:
        return None
    if set(_words(asked.group(1).lower())) & _NOT_ATTRIBUTES:
        return None  # "the same", "the other one": not an attribute
    if set(_content(asked.group(1))) & set(_content(prev.query)):
        return None  # "the capital" again: not another attribute
    if any(_superlative(w) for w in _words(asked.group(1).lower())):
        return None  # "what is the largest planet?" after "the speed of light": a new question
    owner = _owner(prev.query)
    if owner is None:
        return None
    return f"{core.strip(_TRIM)} of {owner}"


_THE_ATTRIBUTE = re.compile(r"^the\s+([^\W\d][\w-]*(?:\s+[^\W\d][\w-]*)?)$", re.I)
""""the capital" after "what currency does brazil use": an attribute named with its article."""


def _owner(query: str) -> str | None:
    """What a question to a base was about: the name after its last "of" or "in" ("capital
    of France"), else a place of the world it names however it is written ("what currency
    does brazil use": Brazil)."""
    owner = _OF_NAME.search(query.strip(_TRIM))
    return owner.group(1) if owner is not None else _place_in(query, _WORLD)


_SUPERLATIVES = frozenset(_CUES["superlative_words"])
_NOT_SUPERLATIVES = frozenset(_CUES["not_superlatives"])


def _superlative(word: str) -> bool:
    """ "largest", "most", "best": a word that makes a description whole by itself."""
    if word in _SUPERLATIVES:
        return True
    return len(word) >= 6 and word.endswith("est") and word not in _NOT_SUPERLATIVES


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _content(text: str) -> list[str]:
    """Words that say what the text is about (not function words, not "give me an example")."""
    generic = set(_CUES["generic_words"])
    return [w for w in _words(text.lower()) if w not in STOP_WORDS and w not in generic]


def _elliptic(core: str) -> bool:
    """A fragment that only names a new value: "into German", "'goodbye'", "70", "darwin"."""
    if _QUOTED.fullmatch(core) or _PP.match(core) or NUMBER.match(core):
        return True
    return len(_words(core)) <= 3 and not _EDIT.match(core) and not opens_question(core)


_SLOT_NUMBER = re.compile(r"(?<![\w.,])(\d+(?:\.\d+)?)(?![\w.,%])(?!\s*(?:%|percent\b|per cent\b))")


def _same_slot(text: str, last: PriorTurn | None) -> str:
    """``text`` with its one bare number marked a percentage when the previous turn was a
    follow-up that only gave a new percentage ("and 20%?", "and 10 percent?"): the thread
    keeps changing that value, so "and 30?" is 30% of the same base, not 20% of 30."""
    if last is None or _PERCENT.search(text) or _QUANTITY.search(text):
        return text
    said = last.request.strip(_TRIM)
    numbers = list(_SLOT_NUMBER.finditer(text))
    if len(numbers) != 1 or len(NUMBER.findall(said)) != 1 or not _PERCENT.search(said):
        return text
    if len(_content(said)) > 2 or len(_content(text)) > 2:
        return text  # "what's 20% of 150": a whole question, not a value given alone
    m = numbers[0]
    if _OF_BEFORE.search(text, 0, m.start()):
        return text  # "and of 500?": the base this time
    return f"{text[: m.end()]}%{text[m.end() :]}"


_OF_BEFORE = re.compile(r"\bof\s*$", re.I)


def _whole_conversion(core: str, mine: tuple[str, TargetKind, float] | None) -> bool:
    """Whether ``core`` is a conversion by itself: a quantity, then the unit it is wanted in
    ("5 kg to grams"), routed to a tool."""
    said = _QUANTITY.search(core)
    if said is None or mine is None or mine[1] is not TargetKind.TOOL:
        return False
    wanted = _TO_UNIT.search(core, said.end())
    return wanted is not None and wanted.group(1).lower() != said.group(2).lower()


def _stands_alone(
    rest: str, mine: tuple[str, TargetKind, float] | None, previous: str = ""
) -> bool:
    """ "now what is 17 * 23?": a whole question or command after the opener, routed alone;
    not one that only repeats words of the previous clause with a new value ("and how many
    in 7 metres?" after "How many feet in 3 metres?": the unit asked for is still "feet")."""
    core = rest.strip(_TRIM)
    if mine is None or not (opens_question(core) or len(_content(core)) >= 3):
        return False
    if NUMBER.match(core) and len(_words(core)) <= 3:
        return False  # "10 nautical miles": a quantity in place of the previous one
    words = [w for w in _content(core) if not NUMBER.fullmatch(w)]
    earlier = set(_content(previous))
    if not words or not all(w in earlier for w in words):
        return True
    names = {m.group(0).lower() for m in _NAME.finditer(previous) if m.start() > 0}
    # it leaves out a value the previous clause gave (its unit, its place): a re-ask
    missing = earlier - set(_content(core))
    return not any(w in _UNIT_WORDS or w in names for w in missing)


def _completed(previous: str, core: str) -> str:
    """A question without its own subject, after the previous clause ("Who discovered
    penicillin? — when"): retrieval still finds what answered the previous one."""
    asking = set(_CUES["asking_words"])
    kept = [w for w in _words(core) if w.lower() not in asking] or _words(core)
    return f"{previous.rstrip(_TRIM)}? — {' '.join(kept)}"


def _reversed(core: str, prev: PriorStep) -> str | None:
    """ "the other way round?" after "What's 50 miles in kilometres?": the same amount, the
    two units swapped ("convert 50 kilometres to miles")."""
    if not _REVERSAL.fullmatch(core):
        return None
    quantity, unit = _QUANTITY.search(prev.query), list(_TO_UNIT.finditer(prev.query))
    if quantity is not None and unit and unit[-1].start() >= quantity.end():
        return f"convert {quantity.group(1)} {unit[-1].group(1)} to {quantity.group(2)}"
    asked = _HOW_MANY.search(prev.query)  # "How many kg is 5 pounds?": the unit comes first
    if quantity is not None and asked is not None and asked.end() <= quantity.start():
        return f"convert {quantity.group(1)} {asked.group(1)} to {quantity.group(2)}"
    one = _A_UNIT.search(prev.query)  # "How many metres in a foot?": one of the unit asked
    if quantity is None and asked is not None and one is not None and asked.end() <= one.start():
        return f"convert 1 {asked.group(1)} to {one.group(1)}"
    return None


_REROUTE = 0.35
"""Similarity at which a rewritten follow-up goes where it routes itself rather than back to
the previous target ("and the status?" after the log: the status tool, not the log again)."""
_SIBLING_REROUTE = 0.2
"""The same, for a tool of the previous one's own server (its git, its filesystem)."""


def _kept(swapped: str, same: str | None, prev: PriorStep, route: Route) -> str | None:
    """The target a substituted follow-up goes to: the previous one, unless the rewritten
    request clearly names another tool of its own."""
    asks_of_name = _named_in(swapped) and not _COMMAND.match(swapped.strip())
    if same is not None and prev.kind is TargetKind.EXPERT and asks_of_name:
        # "and of Kenya?" after the catch-all answered for Wakanda: a specialist that serves
        # the question about the new name takes it (an expert routed for it stays; a poem
        # about mountains after one about the sea is still the expert's)
        mine = route(swapped)
        specialist = mine is not None and mine[1] is not TargetKind.EXPERT
        return None if specialist and mine is not None and mine[2] >= _REROUTE else same
    if same is None or prev.kind is not TargetKind.TOOL:
        return same
    mine = route(swapped)
    if mine is None or mine[0] == same or mine[1] is not TargetKind.TOOL:
        return same
    sibling = mine[0].split(".", 1)[0] == same.split(".", 1)[0]
    # "and the diff?" after the git status: another tool of the same server, which the
    # rewritten request names, rather than the status again
    return None if mine[2] >= (_SIBLING_REROUTE if sibling else _REROUTE) else same


# -- substitute -----------------------------------------------------------------------------


def _substitute(previous: str, core: str, exact: bool = False) -> str | None:
    """The previous clause with its value of the new value's kind replaced."""
    clock, old_clock = _CLOCK_AT.search(core), list(_CLOCK_AT.finditer(previous))
    if clock and old_clock:  # "and 8pm?" after "Convert 6pm Berlin to Tokyo time"
        m = old_clock[0]
        if clock.group("place") and m.group("place"):  # "3pm Sydney" for "3pm Tokyo"
            return previous[: m.start()] + clock.group(0) + previous[m.end() :]
        if clock.group("clock") != m.group("clock"):
            return previous[: m.start("clock")] + clock.group("clock") + previous[m.end("clock") :]
    quoted = _QUOTED.search(core)
    if quoted and _QUOTED.search(previous):
        return _QUOTED.sub(lambda _: quoted.group(0), previous, count=1)
    bare = core.strip(_TRIM)
    if (
        _QUOTED.search(previous)
        and re.fullmatch(r"[a-z][a-z' -]*", bare)
        and len(_words(bare)) <= 3
        and not _LANGUAGE_WORD.search(bare)
    ):
        # "and dog?" after "Translate 'cat' to German": the quoted text is what changes
        return _QUOTED.sub(lambda m: m.group(0)[0] + bare + m.group(0)[-1], previous, count=1)
    path, old_path = _PATH.search(core), list(_PATH.finditer(previous))
    if path and old_path:  # "and notes/done.txt?" after "read notes/todo.txt": the file
        m = old_path[-1]
        return previous[: m.start()] + path.group(0) + previous[m.end() :]
    when, old_when = _WHEN.fullmatch(core), list(_WHEN.finditer(previous))
    if when and old_when:  # "and tomorrow?" after "... today"
        m = old_when[-1]
        return previous[: m.start()] + core + previous[m.end() :]
    pp = _PP.match(core)
    while pp and _PP.match(pp.group(2)):  # "over in Dubai": the place is "in Dubai"
        pp = _PP.match(pp.group(2))
    one = _A_UNIT.search(previous)
    value = pp.group(2).strip(_TRIM) if pp else ""
    if one is not None and NUMBER.fullmatch(value) and not NUMBER.search(previous):
        # "and in 5?" after "How many grams in a pound?": 5 pounds
        return f"{previous[: one.start()]}{value} {one.group(1)}{previous[one.end() :]}"
    if pp:  # "and of 120?" after "15% of 80": the value after the same word
        swapped = _swap_phrase(previous, pp.group(1).lower(), pp.group(2), exact)
        if swapped is None and not exact and _NAME.fullmatch(value):
            core = value  # "but for Tokyo" where no "for" was said: the name in place of one
        elif swapped is not None or not NUMBER.search(core):
            return swapped
    numbers = list(NUMBER.finditer(core))
    if len(numbers) == 1 and one is not None and not NUMBER.search(previous):
        # "and 8 ounces?" after "How many grams in an ounce?": that many of the unit
        counted = _QUANTITY.search(core)
        said = counted.group(0) if counted else f"{numbers[0].group(0)} {one.group(1)}"
        return f"{previous[: one.start()]}{said}{previous[one.end() :]}"
    if numbers:
        return _swap_numbers(previous, core, numbers)
    name = _NAME.search(core)
    olds = _later_names(previous)
    if name and olds:
        start, end = olds[-1]
        return previous[:start] + name.group(0) + previous[end:]
    bare = core.strip(_TRIM)
    if name is None and olds and _head(previous) is not None and _bare_name(bare):
        # "and germany?" after "the capital of France": a name written in lower case takes
        # the name's place; a noun comes with its article ("and the currency?")
        start, end = olds[-1]
        return previous[:start] + bare + previous[end:]
    if name is None:  # "and the currency?" after "the capital of Japan": the noun, not the name
        head = _head(previous)
        if head is not None:
            start, end = head
            return previous[:start] + _ARTICLE.sub("", core.strip(_TRIM)) + previous[end:]
    return _swap_tail(previous, core)


def _later_names(previous: str) -> list[tuple[int, int]]:
    """The spans of the names a clause says past its first word: "Bitcoin" of "What's
    Bitcoin trading at?", where the question's own capital runs into the name."""
    out = []
    for m in _NAME.finditer(previous):
        start = m.start()
        if start == 0:  # "What's Bitcoin": the first word is capitalised anyway
            first = re.match(r"[\w'-]+\s+(?:(?:of|the)\s+)?", m.group(0))
            if first is None or first.end() >= len(m.group(0)):
                continue
            start = first.end()
        if previous[start : m.end()] != "I":
            out.append((start, m.end()))
    return out


def _bare_name(text: str) -> bool:
    """One to three words with no article, no function word and no number ("germany", "new
    zealand"): what a follow-up names when it is written in lower case."""
    words = _words(text)
    return (
        0 < len(words) <= 3
        and not re.search(r"\d", text)
        and not any(w.lower() in STOP_WORDS for w in words)
    )


def _head(previous: str) -> tuple[int, int] | None:
    """The span of the common noun a clause asks for about a name: "capital" in "What's the
    capital of Japan?" (``None`` when its last phrase is no name after "of")."""
    of = list(re.finditer(r"\bof\s+(?:the\s+)?(?=[A-Z])", previous))
    if not of or _NAME.match(previous, of[-1].end()) is None:
        return None
    return _tail(previous[: of[-1].start()])


def _swap_numbers(previous: str, core: str, numbers: list[re.Match[str]]) -> str | None:
    olds = list(NUMBER.finditer(previous))
    if not olds:
        return None
    if len(numbers) == 1 < len(olds):
        # "same for 12" after "15% of 80": one new value takes the place of the old one that
        # carries its mark ("20%" for "15%"), else of the last one (what was asked about)
        mark = _mark(core, numbers[0])
        alike = [m for m in olds if mark and _mark(previous, m) == mark]
        olds = alike[-1:] or [m for m in olds if not _mark(previous, m)][-1:] or olds[-1:]
    out, at = [], 0
    for old, new in zip(olds, numbers, strict=False):
        out.append(previous[at : old.start()])
        end = old.end()
        new_unit = _QUANTITY.match(core, new.start())
        old_unit = _QUANTITY.match(previous, old.start())
        value = new.group(0)
        if new_unit and old_unit and new_unit.group(2).lower() != old_unit.group(2).lower():
            value, end = new_unit.group(0), old_unit.end()
        out.append(value)
        at = end
    out.append(previous[at:])
    return "".join(out)


def _mark(text: str, number: re.Match[str]) -> str:
    """What follows a number: "%" or its unit ("" when nothing does)."""
    if _PERCENT.match(text, number.end()):
        return "%"
    unit = _QUANTITY.match(text, number.start())
    return unit.group(2).lower() if unit else ""


def _swap_phrase(previous: str, prep: str, new: str, exact: bool = False) -> str | None:
    """The value after ``prep`` (or a word of its group) replaced: "into German" in "Translate
    'good morning' into French."; with ``exact`` only after the same word ("in Rust" is not
    "to sort a list")."""
    groups = [] if exact else [g for g in _CUES["preposition_groups"] if prep in g]
    for preps in ([prep], *groups):
        pattern = re.compile(
            rf"\b({alternation(preps)})\s+(.+?)(?=\s+(?:{_PREPOSITION}|and|or|then)\s|[?.!,;]|$)",
            re.I,
        )
        found = list(pattern.finditer(previous))
        if found:
            m = found[-1]
            end = m.end()
            name = _NAME.match(m.group(2))  # "in Lisbon right now": only the name is the value
            if name and m.group(2)[:1].isupper():
                end = m.start(2) + name.end()
            said = m.group(1)  # the previous clause's own word ("in" for "for Nairobi")
            value = new.strip(_TRIM)
            counted = _QUANTITY.match(previous[m.start(2) : end])
            if NUMBER.fullmatch(value) and counted is not None:
                value = f"{value}{counted.group(0)[counted.end(1) :]}"  # "in 10" for "in 6 weeks"
            return previous[: m.start()] + f"{said} {value}" + previous[end:]
    return None


def _tail(previous: str) -> tuple[int, int] | None:
    """The span of a clause's last noun phrase: its last words back to a function word (at
    most 3): "Who invented the telephone?" → "telephone"."""
    words = list(re.finditer(r"[\w'/-]+", previous))
    taken: list[re.Match[str]] = []
    for m in reversed(words):
        if m.group(0).lower() in STOP_WORDS or len(taken) == 3:
            break
        taken.append(m)
    if not taken:
        return None
    return taken[-1].start(), taken[0].end()


def _swap_tail(previous: str, core: str) -> str | None:
    span = _tail(previous)
    if span is None:
        return None
    start, end = span
    asked = _WH_VERB.match(previous)
    if asked and start < asked.end() < end:  # "Who discovered penicillin?": not the verb
        start = asked.end()
    said = _words(previous[start:end])
    if len(said) > 1 and said[-1].lower() in _CONTAINERS and len(_words(core)) == 1:
        # "how about data" after "list the docs folder": the folder named, not the noun
        end = start + previous[start:end].rindex(said[-1]) - 1
    new = core
    if _ARTICLE.match(core) and re.search(r"\b(?:the|a|an)\s+$", previous[:start], re.I):
        new = _ARTICLE.sub("", core)
    return previous[:start] + new + previous[end:]


def _entity(previous: str) -> str | None:
    """What a clause is about: its last name ("Brazil"), else its last noun phrase."""
    names = [m for m in _NAME.finditer(previous) if m.start() > 0 and m.group(0) != "I"]
    if names:
        the = re.search(r"\bthe\s+$", previous[: names[-1].start()], re.I)
        return ("the " if the else "") + names[-1].group(0)
    span = _tail(previous)
    if span is None:  # "What does the ask effect do?": the phrase before a trailing verb
        span = _tail(re.sub(r"\s*[\w'-]+$", "", previous.rstrip(_TRIM)))
    return previous[span[0] : span[1]] if span else None


# -- chain ----------------------------------------------------------------------------------


def _chain(rest: str, pronoun: re.Match[str], prev: PriorStep, number: str | None) -> str | None:
    """The follow-up with its pronoun replaced by what it refers to in the previous turn
    (``number``: the number the turn gave, for arithmetic on it)."""
    clock = time_of_day(prev.result) if prev.ok else None
    if clock is not None and pronoun.group(0).lower() in ("that", "it", "this"):
        # "what's that in Tokyo time?" after the time in London: that moment, converted
        return _replace_pronoun(rest, pronoun, clock)
    unit = _TO_UNIT.search(rest) or _HOW_MANY.search(rest)
    if unit:
        quantity = _QUANTITY.search(prev.query)
        said = _quantity_given(prev) or (quantity.group(0) if quantity else None)
        if said:
            return f"convert {said} to {unit.group(1)}"
    if number is not None:
        spanned = year_span(_replace_pronoun(rest, pronoun, "{{s0}}"))
        if spanned is not None:  # "how many years ago was that from 2020?" after a year
            return spanned.replace("{{s0}}", number)
        many = re.match(r"\s+(?:many|much)\b", rest[pronoun.end() :], re.I)
        if many is not None and pronoun.group(0).lower() == "that":
            # "convert that many kilometres to miles": the number is the count
            return rest[: pronoun.start()] + number + rest[pronoun.end() + many.end() :]
    if number is not None and _ARITHMETIC.search(rest):
        if _LIST.search(pronoun.group(0)) or _LIST.search(rest):
            return extend_list(prev.query, rest) or _replace_pronoun(rest, pronoun, number)
        return _replace_pronoun(rest, pronoun, number)
    nth = _nth(rest, prev)
    if nth is not None:  # "open the second one" after a listing
        return nth
    labelled = _labelled(rest, pronoun, prev.result)
    if labelled is not None:  # "the diff of that commit" → "... of commit 3f2a1b"
        return labelled
    paths = _PATH.findall(prev.query)
    if not paths and prev.kind is not TargetKind.KNOWLEDGE:  # a document's file is not "it"
        paths = _PATH.findall(_passages(prev.result))
    paths = [p for p in paths if not NUMBER.fullmatch(p)]
    first = prev.result.strip().split("\n", 1)[0]
    if (
        number is not None
        and not paths
        and _EQUALS.search(first)
        and pronoun.group(0).lower() != "there"
    ):
        # "is that hot?" after "30 °C = 86 °F": the value the tool gave
        quantity = _QUANTITY.search(_EQUALS.split(first)[-1])
        return _replace_pronoun(rest, pronoun, quantity.group(0) if quantity else number)
    if paths:
        one = _named_one(rest, pronoun, paths)
        if one is not None:  # "read the todo one" after a search: the file it names
            return one
        return _replace_pronoun(rest, pronoun, paths[0])
    folder = _FOLDER.search(prev.result) if prev.ok and prev.kind is TargetKind.TOOL else None
    if folder is not None and pronoun.group(0).lower() in ("there", "it", "that"):
        # "list what's in there" after the allowed directories: the folder the tool gave
        return rest[: pronoun.start()] + folder.group(0) + rest[pronoun.end() :]
    # "its currency" is the asked thing's (Brazil's); "which river is it on" after "the
    # capital of Egypt" is about the answer (Cairo).
    word = pronoun.group(0).lower()
    if prev.ok and prev.kind is TargetKind.TOOL and word in _PLURALS:
        # "who wrote them?" after the recent commits: the items the tool listed, asked of
        # that same listing (no one name stands for them)
        return f"{rest.strip()} — {prev.query}"
    person = word in _REFERRING["person_pronouns"] and prev.query.strip().lower().startswith("who")
    named = _WHO_IS.match(prev.query) if person else None
    if named is not None:  # "when did he die?" after "Who was Charles Darwin?": that person
        return _replace_pronoun(rest, pronoun, named.group(1).strip())
    possessive = word in _CUES["possessives"] and not person
    answered = person or (not possessive and bool(_IDENTITY.match(prev.query.strip())))
    # "which river is it on?" after "the capital of Hungary": the city the answer named
    answered = answered or (word == "it" and bool(_ATTRIBUTE_OF.search(prev.query)))
    entity = _answer_entity(prev) if answered else None
    entity = entity or _entity(prev.query)
    if entity is None:
        return None
    attribute = re.fullmatch(r"(?:its|their)\s+([\w' -]+?)[\s?.!]*", rest.strip(), re.I)
    if attribute and possessive and word in ("its", "their"):
        return f"What is the {attribute.group(1)} of {entity}?"
    if word == "there":
        entity = f"in {_placed(entity, prev)}"
    elif _PLACE_WORD.fullmatch(word):  # "that country", "the city"
        entity = _placed(entity, prev)
    return _replace_pronoun(rest, pronoun, entity)


def _placed(entity: str, prev: PriorStep) -> str:
    """A place named with the place a relation of the previous answer puts it in ("Lima,
    Peru" after "Lima —capital_of→ Peru"): "there" asks about either, the city's time or the
    country's language, and the pair says both."""
    for line in _passages(prev.result).splitlines():
        m = _IN_PLACE.search(line)
        if m and m.group(1).strip() == entity and m.group(2).strip() != entity:
            return f"{entity}, {m.group(2).strip()}"
    return entity


_IN_PLACE = re.compile(
    rf"^\s*([^—\n]+?)\s*—(?:{alternation(_CUES['place_relations'])})→\s*([^\n(;]+?)\s*(?:\(|;|$)",
    re.M,
)
"""A graph relation that puts a place in a larger one ("Lima —capital_of→ Peru")."""


_FOLDER = re.compile(r"(?<![\w/.])/(?:[\w.-]+/)*[\w.-]+/?(?=\s|$)", re.M)
"""An absolute path a tool's result gives ("/srv/files"): the folder "there" is."""


def _named_one(rest: str, pronoun: re.Match[str], paths: list[str]) -> str | None:
    """ "read the todo one" after a listing of files: the one path the word before "one"
    names put in place of "the todo one" (``None``: no word, or not one path)."""
    if pronoun.group(0).lower() != "one":
        return None
    said = re.search(r"(?:\b(?:the|that|this)\s+)?([\w-]+)\s*$", rest[: pronoun.start()])
    if said is None or said.group(1).lower() in STOP_WORDS:
        return None
    word = said.group(1).lower()
    hits = [p for p in paths if word in p.rsplit("/", 1)[-1].lower()]
    if len(set(hits)) != 1:
        return None
    return rest[: said.start()] + hits[0] + rest[pronoun.end() :]


def _nth(rest: str, prev: PriorStep) -> str | None:
    """ "the second one" after a result that listed files: that file's path in its place."""
    ordinal = _ORDINAL.search(rest)
    listed = [p for p in _PATH.findall(_passages(prev.result)) if not NUMBER.fullmatch(p)]
    if ordinal is None or not listed:
        return None
    index = _CUES["ordinals"][ordinal.group(1).lower()]
    if not -len(listed) <= index < len(listed):
        return None
    return rest[: ordinal.start()] + listed[index] + rest[ordinal.end() :]


def _labelled(rest: str, pronoun: re.Match[str], result: str) -> str | None:
    """ "that commit" when the result labels one ("Commit: 3f2a1b"): the labelled value."""
    noun = re.match(r"\s+([A-Za-z]+)", rest[pronoun.end() :])
    if pronoun.group(0).lower() not in ("that", "this") or noun is None:
        return None
    label = re.search(rf"^\s*{re.escape(noun.group(1))}\s*:\s*(\S+)", result, re.I | re.M)
    if label is None:
        return None
    said = f"{noun.group(1)} {label.group(1)}"
    return rest[: pronoun.start()] + said + rest[pronoun.end() + noun.end() :]


def _replace_pronoun(text: str, pronoun: re.Match[str] | None, value: str) -> str:
    if pronoun is None:
        return text
    word = pronoun.group(0).lower()
    owned = _OPERATION_OWNED.match(text, pronoun.end())
    if word in _CUES["possessives"] and owned is not None and NUMBER.fullmatch(value):
        # "take its square root" after 243: the square root of 243
        return f"{text[: pronoun.start()]}the {owned.group(1)} of {value}{text[owned.end() :]}"
    new = f"{value}'s" if word in _CUES["possessives"] else value
    return text[: pronoun.start()] + new + text[pronoun.end() :]


_OPERATION_OWNED = re.compile(
    rf"\s+({alternation(cue_table('references.json')['possessed_compounds'])})\b", re.I
)
"""An operation a number may own ("its square root"): said of the number, not as a name's."""


def _passages(result: str) -> str:
    """A result's data lines (a knowledge base's quoted passages, else the whole text)."""
    quoted = [line[1:].strip() for line in result.splitlines() if line.startswith(">")]
    return "\n".join(quoted) if quoted else result


def _answer_entity(prev: PriorStep) -> str | None:
    """The entity the previous answer named: "Its capital is Cairo" for "the capital of
    Egypt", the object of a graph relation, else the first name the question did not say."""
    text = _passages(prev.result)
    attr = re.search(r"\b(\w+)\s+of\b", prev.query)
    if attr:
        m = re.search(
            rf"\b(?i:{re.escape(attr.group(1))})\s+(?:is|was|are|were|:)\s+(?:the\s+)?"
            rf"([A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*)",
            text,
        )
        if m:
            return m.group(1)
    asked = prev.query.lower()
    if attr:  # "Its capital and largest city is Berlin": the first new name after the word
        at = re.search(rf"\b{re.escape(attr.group(1))}\b", text, re.I)
        for m in _NAME.finditer(text, at.end() if at else len(text)):
            if m.group(0).lower() not in asked and m.group(0).split()[0].lower() not in STOP_WORDS:
                return m.group(0)
    for line in text.splitlines():  # a graph's "Tokyo —capital_of→ Japan": the unasked side
        m = _ARROW.search(line)
        if m:
            left = line[: m.start()].strip()
            for side in (m.group(1).strip(), left):
                if side and side.lower() not in asked:
                    return side
    for m in _NAME.finditer(text):
        name = m.group(0)
        if name.lower() not in asked and name.split()[0].lower() not in STOP_WORDS:
            return name
    return None


# -- continue -------------------------------------------------------------------------------


def _data(prev: PriorStep) -> str:
    """What another target works on: a knowledge base's passages (not its header), else all."""
    return _passages(prev.result) if prev.kind is TargetKind.KNOWLEDGE else prev.result


def _quote(result: str, limit: int = 1500) -> str:
    body = result.strip()
    return '"' + (body[:limit] + ("…" if len(body) > limit else "")) + '"'


def _continuation(instruction: str, prev: PriorStep) -> str:
    """An edit of an expert's answer: the instruction, then the previous request and answer
    as quoted data."""
    return (
        f"{instruction}\n\n(follow-up to the previous request {prev.query!r};"
        f" its answer, as data: {_quote(prev.result)})"
    )
