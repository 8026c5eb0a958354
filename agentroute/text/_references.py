"""Which earlier clause a later clause refers to ("multiply that by 2", "translate it").

A reference ("that", "it", "them", "there", "the result", "the two results", "the echoed
word", "that country", "its") in a later clause makes it depend on the clause it means:
usually the one before, every clause of the last parallel list for a plural, the last *n* for
"the two results". What a pronoun means inside its own clause ("what time is it", "a
Dockerfile that does it", "I weigh 150 lbs, what is that in kg") creates no dependency; a
place named earlier ("What time is it in Tokyo, and what is 14:30 UTC there?") is copied as
written, since its value is already known. The words are data (``clauses.json``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from agentroute.text._clauses import FREE_RELATIVE, Clause, leaves_left_operand
from agentroute.text._lexicon import alternation, cue_table, word_list
from agentroute.text._quantities import carries_unit
from agentroute.text._values import digits_for_words

__all__ = ["Reference", "Resolved", "resolve_references"]

_TABLES = cue_table("clauses.json")
_OWN = cue_table("references.json")


def _alternation(words: Sequence[str]) -> str:
    return alternation(words, any_space=True)


_PRODUCED = _alternation(_TABLES["produced_nouns"])
_NOUNS = _alternation(_TABLES["result_nouns"])
_COUNTS: dict[str, int] = _TABLES["count_words"]
_PLURAL = frozenset(_TABLES["plural_pronouns"])
_RELATIVE = frozenset(_TABLES["relative_followers"])
_DUMMY_IT = re.compile(rf"\b(?:{_alternation(_TABLES['non_referring'])})\b", re.IGNORECASE)
_SHOW = frozenset(_TABLES["presentation_verbs"])
_FILLERS = frozenset(_TABLES["presentation_fillers"])
_PERSON = frozenset(_TABLES["person_pronouns"])
_ASKS_PERSON = re.compile(rf"^(?:{_alternation(_TABLES['person_questions'])})\b", re.I)
_ASKS_PLACE = re.compile(rf"^(?:{_alternation(_TABLES['place_questions'])})\b", re.I)
_ARITHMETIC = frozenset(_TABLES["arithmetic_words"])
_NOT_NOUNS = (
    _RELATIVE
    | frozenset(_TABLES["prepositions"])
    | _ARITHMETIC
    | frozenset(_OWN["operation_participles"])
    | {"and", "or", "but", "than"}
    | frozenset(w for w in _OWN["predicates"] if " " not in w)
)
"""Words after "that" that make it a pronoun, not a determiner: "that minus 1" is the
earlier result minus 1, not a thing called "that minus"."""
_ORDINALS: dict[str, int] = _TABLES["ordinals"]
_TOGETHER = frozenset(_TABLES["together_words"]) | frozenset(_OWN["combining_words"])
"""Words of a part that puts several earlier results together ("add them together", "the
difference between them", "multiply them"): a plural then means every earlier part."""
_AGGREGATE = frozenset(_TABLES["aggregate_words"])
_INDEFINITE = _alternation(_TABLES["indefinites"])
_ORDINAL = re.compile(
    rf"(?<!\d\sto\s)\bthe\s+({_alternation(list(_ORDINALS))})"  # not "2 to the 8th"
    rf"(?:\s+(?:{_alternation([*_TABLES['ordinal_heads'], *_TABLES['result_nouns'], *_TABLES['numbered_leads']])}))?"
    rf"(?:\s+of\s+(?:those|these|them|the\s+two|both|the\s+(?:{_alternation(_TABLES['result_nouns'])})))?"
    rf"(?=\s*(?:[?.!,;]|$|(?:from|by|and|with|{_alternation(_TABLES['arithmetic_words'])})\b"
    rf"|to\s+the\s+(?:{_alternation(list(_ORDINALS))})\b))",  # "add the first to the second"
    re.IGNORECASE,
)
"""An earlier result by its place ("the first result", "the second", "the last one")."""
_HEADED_ORDINAL = re.compile(
    rf"\bthe\s+({_alternation(list(_ORDINALS))})\s+"
    rf"(?:{_alternation([*_TABLES['ordinal_heads'], *_TABLES['result_nouns'], *(w for g in _TABLES['same_kind'] for w in g)])}"
    r"|of\s+(?:those|these|them|the\s+two|both))"
    rf"(?=\s*(?:[?.!,;]|$|(?:from|by|and|with|{_alternation(_TABLES['arithmetic_words'])})\b))",
    re.IGNORECASE,
)
"""An earlier result by its place and what it is ("add 1 to the first one", "the time in the
first city"): the noun says it is no power ("2 to the 8th")."""
_DEFINITE = re.compile(r"\bthe\s+([a-z][a-z-]{2,})\b(?!\s+of\b)", re.IGNORECASE)
_MODIFIERS = _alternation(_TABLES["anaphoric_modifiers"])
_PARTS = _alternation(_TABLES["numbered_leads"])
_COMPLEMENTIZER = frozenset(_TABLES["complementizer_heads"])
_CARRY = frozenset(_TABLES["carry_verbs"])
_OPERATIONS: dict[str, tuple[int, str]] = {
    verb: (int(spec[0]), str(spec[1])) for verb, spec in _TABLES["operations"].items()
}
_OPERATION_LED = re.compile(rf"\s*({_alternation(list(_OPERATIONS))})\b", re.IGNORECASE)
"""A part that opens with an operation ("multiply by 5", "take away 50")."""
_OPERAND_WORDS = frozenset({"by", "to", "from", "percent", "please", "again", "too"})
_PRONOUN = re.compile(r"\b(?:it|that|this|them|those|these)\b", re.IGNORECASE)
_KINDS: dict[str, frozenset[str]] = {
    noun: frozenset(group) for group in _TABLES["same_kind"] for noun in group
}

_COUNTRY_WORDS = word_list("agentroute.text", "country_names.txt")
_COUNTRY_KIND = frozenset({"country", "nation"})
_BARE_MODIFIERS = _alternation(_TABLES["bare_anaphoric_modifiers"])
"""Modifiers that point back without an article ("subtract said amount from 100")."""
_GOT = (
    rf"\s+(?:that\s+|which\s+)?(?:{_alternation(_TABLES['free_relative_subjects'])})\s+"
    rf"(?:just\s+)?(?:{_alternation(_TABLES['irregular_past'])})\b"
)
"""What a result noun may be followed by ("the number you got"): part of the reference."""
_TAIL = rf"(?:\s+(?:{_alternation(_OWN['result_tails'])})\b)?"
"""Where the result was given, said after its noun ("the answer above", "the total from
before"): part of the reference, not words left for the target to read."""
_MEASURES: dict[str, frozenset[str]] = {
    noun: frozenset(cues) for noun, cues in _OWN["measure_nouns"].items()
}
_MEASURED = _alternation([f"{n}s" for n in _MEASURES])
"""Measures counted ("the two distances"): a count of earlier results."""
_VERBS = frozenset(_TABLES["operations"]) | {"half"}
"""Operations said as verbs ("then double"): read by ``_OPERATION_LED``, not as nouns."""
_BARE_OPERATION = re.compile(
    rf"^\s*(?:(?:and|then|now|finally|next)\s+)*(?:(?:take|find|get|compute|calculate)\s+)?"
    rf"(?:the\s+)?(?P<op>{_alternation([w for w in _OWN['possessed_compounds'] if w not in _VERBS])})"
    r"(?:\s+of\s+(?:it|that))?"
    r"\s*[.!?]?\s*$",
    re.IGNORECASE,
)
"""A part that is only an operation named as a noun ("square root", "then the cube root")."""
_UNIT_ONLY = re.compile(
    r"^\s*(?:(?:and|then|now)\s+)*(?:convert\s+)?(?:in|to|into)\s+(?P<unit>[^\W\d_][\w/° ]{0,20}?)"
    r"\s*(?:please)?\s*[.!?]?\s*$",
    re.IGNORECASE,
)
"""A part that only names a unit ("now in ounces", "then to kelvin"): the result before in it."""


_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # "double each of them", "add 10 to each of those": the operation once per earlier result
    ("each", re.compile(rf"\beach\s+(?:one\s+)?of\s+(?:{_alternation(_OWN['each_of'])})\b", re.I)),
    # "what time is it in each?", "convert each": each earlier result, as "each of them"
    ("each", re.compile(r"\beach(?:\s+one)?(?=\s*(?:[?.!,;]|$))", re.I)),
    # "step 1's result", "the answer to question 2", "part 1"
    (
        "numbered",
        re.compile(
            rf"(?:\bthe\s+(?:{_NOUNS})\s+(?:of|from|to|in|for)\s+)?\b(?:{_PARTS})\s*#?\s*(\d{{1,2}})"
            rf"(?:'s(?:\s+(?:{_NOUNS}))?)?\b",
            re.IGNORECASE,
        ),
    ),
    ("ordinal", _HEADED_ORDINAL),
    # "the answer to 1" in a numbered list: the part numbered 1
    (
        "numbered",
        re.compile(
            rf"\bthe\s+(?:{_alternation(_OWN['answer_to_nouns'])})\s+to\s+#?\s*(\d{{1,2}})\b"
            r"(?!\s*(?:[.,]\d|%|[a-z]{2,}\b(?<!minus)(?<!plus)(?<!times)))",
            re.IGNORECASE,
        ),
    ),
    ("ordinal", _ORDINAL),
    (
        "count",
        re.compile(
            rf"\b(?:the\s+|all\s+)?({_alternation(list(_COUNTS))})\s+(?:{_NOUNS}|{_MEASURED})\b",
            re.I,
        ),
    ),
    # "add both", "both of them", "add them both": one reference to the last two parts
    ("count", re.compile(r"\b(?:them\s+)?(both)(?:\s+of\s+them)?\b", re.IGNORECASE)),
    ("count", re.compile(rf"\b(?:those|these|the)\s+({_alternation(list(_COUNTS))})\b", re.I)),
    # "the km value", "the Fahrenheit figure": a result named by a word of the clause before
    (
        "echoed",
        re.compile(rf"\b(?:the|that|this)\s+([^\W\d][\w/°-]*)\s+(?:{_NOUNS})\b(?!\s+of\b)", re.I),
    ),
    ("plural", re.compile(r"\b(?:all\s+of\s+them|them\s+all|the\s+results|the\s+answers)\b", re.I)),
    # "the echoed word", "the converted value" (not "the unstaged diff")
    ("one", re.compile(rf"\bthe\s+[a-z]{{2,}}[^e\W]ed\s+(?:{_PRODUCED})\b")),
    (
        "one",
        re.compile(
            rf"\b(?:(?:the|that|this)\s+(?:(?:{_MODIFIERS})\s+)?|(?:{_BARE_MODIFIERS})\s+)"
            rf"(?:{_NOUNS})\b(?!\s+(?:of|between)\b)(?:{_GOT})?{_TAIL}",
            re.I,
        ),
    ),
    # "translate the above", "multiply the one above by 2": a result without its noun
    ("one", re.compile(rf"\b(?:{_alternation(_TABLES['result_phrases'])})\b", re.I)),
    # "multiply whatever you got by 2", "convert what it came to into inches": a free
    # relative with its verb in the past names what the part before produced
    ("one", FREE_RELATIVE),
    # "convert that many grams to kg": the number stands where the count would
    (
        "one",
        re.compile(rf"\b(?:that|this)\s+(?:{_alternation(_TABLES['quantity_words'])})\b", re.I),
    ),
    # "said country", "that city", "the country's": a thing of the kind the part before
    # found, or named
    (
        "kind",
        re.compile(
            rf"\b(?P<det>the|that|this|{_BARE_MODIFIERS})\s+(?P<noun>{_alternation(list(_KINDS))})"
            r"(?:'s)?\b(?!\s+(?:of|that|which|where|with|in)\b)",
            re.I,
        ),
    ),
    ("demonstrative", re.compile(r"\b(?:that|this|those|these)\s+([a-z][\w-]*)\b", re.I)),
    (
        "possessive",
        re.compile(
            rf"\b(its|their|his)\s+((?:{_alternation(_OWN['possessed_compounds'])})\b|[a-z][\w-]*\b)",
            re.IGNORECASE,
        ),
    ),
    # "the currency of the same country": the owner the clause before named
    ("same", re.compile(r"\b(?:the\s+)?(?:same|very\s+same)\s+([a-z][\w-]*)\b", re.I)),
    ("pronoun", re.compile(rf"\b({_alternation(_OWN['pronouns'])})\b(?!')", re.I)),
    ("there", re.compile(r"\bthere\b", re.IGNORECASE)),
]
_QUOTE = re.compile(r"\"[^\"]*\"|“[^”]*”|‘[^’]*’|(?<!\w)'[^']+'(?!\w)")
_ANTECEDENT = re.compile(r"\"|(?<!\w)'|'(?!\w)|[\w-]+\.[A-Za-z]{1,5}\b|/|(?<=\s)[A-Z][a-z]")
"""Something named in the clause itself that a pronoun after it may mean (a quotation, not
the apostrophe of "what's"; a file, a proper name)."""
_PARTICLE = re.compile(r"\s+(up)\b(?!\s+(?:to|with)\b)", re.IGNORECASE)
"""The particle of a phrasal verb after its object ("add them up", "sum it up")."""
_TAKEN_AS = re.compile(r"\s+(?:in|from)\s+([^\W\d]+)(?=\s+(?:to|into)\b)", re.IGNORECASE)
_RELATIVE_HEAD = re.compile(r"\S+\s+(?:that|which|who)\b.*$")
_PLACE = re.compile(r"\b(?:in|at|to|from|for)\s+((?:[A-Z][\w'-]*)(?:\s+[A-Z][\w'-]*){0,2})")
_EXISTENTIAL = re.compile(
    r"\bthere(?:'s|\s+(?:is|are|was|were|will|must|should|may))\b|\b(?:is|are|was|were)\s+there\b",
    re.I,
)


_PLACE_THERE = re.compile(
    r"\bthere\s*(?:[?.!,;]|$|(?:now|right\s+now|at\s+the\s+moment|currently|today)\b)", re.I
)


def _at_place(text: str, m: re.Match[str]) -> bool:
    """Whether the "is there" of a match is where something is ("what time is it there?",
    "what time it is there now"), not that something exists ("is there a ...")."""
    there = text.lower().find("there", m.start(), m.end())
    return there >= 0 and _PLACE_THERE.match(text, there) is not None


@dataclass(frozen=True)
class Reference:
    """A span of a clause that stands for the results of earlier clauses (their indices)."""

    start: int
    end: int
    to: tuple[int, ...]
    noun: str = ""
    """For a possessive ("its size"), the thing owned: written "the size of {{s1}}"."""
    place: bool = False
    """For "there": written "in {{s1}}", so the value reads as a place ("what time is it in
    Berlin"), not as a word run on ("what time it is Berlin")."""
    each: bool = False
    """For "each of them": the clause is asked once per result it names, not of them all."""


@dataclass(frozen=True)
class Resolved:
    """A clause with what it refers to; ``text`` may have a known value copied in."""

    text: str
    references: tuple[Reference, ...] = field(default=())
    shows: int | None = None
    """Set when the clause only shows an earlier clause's result ("and show it to me"): that
    clause's index; such a clause needs no step of its own."""

    @property
    def depends_on(self) -> list[int]:
        return sorted({i for r in self.references for i in r.to})

    def query(self, step_of: Callable[[int], str | None]) -> str:
        """The text with each reference written as ``{{sN}}`` (``step_of`` maps a clause to
        its step id; a clause without a step leaves the words as they were)."""
        out, last = [], 0
        for ref in self.references:
            ids = [step_of(i) for i in ref.to]
            if any(s is None for s in ids):
                continue
            marks = " and ".join(f"{{{{{s}}}}}" for s in ids)
            particle = _PARTICLE.match(self.text, ref.end)
            verb = self.text[: ref.start].split()[-1:]
            if particle and not (verb and verb[0].lower() in _AGGREGATE):
                # "back them up": "back up a.txt", the verb whole before its object; "add
                # them up" is "add 6.4 and 9.6"
                marks = f"{particle.group(1)} {marks}"
            out.append(self.text[last : ref.start])
            if ref.place:
                marks = f"in {marks}"
            if ref.noun == _TOTAL:  # "divide the total by 9": the total, whole, then divided
                out.append("(" + " + ".join(f"{{{{{s}}}}}" for s in ids) + ")")
            else:
                out.append(f"the {ref.noun} of {marks}" if ref.noun else marks)
            last = particle.end() if particle else ref.end
            taken_as = _TAKEN_AS.match(self.text, last)
            if taken_as:  # "convert the result in grams to pounds": the result is in grams
                last = taken_as.start(1) - 1
        out.append(self.text[last:])
        # "average both results": the average *of* them (a calculator adds "average 8 and 6")
        return _AVERAGED.sub(r"\g<0> of", "".join(out))


def resolve_references(clauses: Sequence[Clause]) -> list[Resolved]:
    """Each clause with the earlier clauses it refers to (the first refers to none); a part
    that only gives a value ("Take 2 gallons") is read into the part that works on it."""
    clauses = _absorbed(clauses)
    out: list[Resolved] = []
    for i, clause in enumerate(clauses):
        if i == 0:
            out.append(Resolved(clause.text))
            continue
        resolved = _resolve(clause, i, clauses)
        if _only_shows(resolved) and len(resolved.depends_on) == 1:
            resolved = Resolved(resolved.text, resolved.references, resolved.depends_on[0])
        out.append(resolved)
    return _distributed(out)


def _distributed(parts: list[Resolved]) -> list[Resolved]:
    """Each part that works on "each of them" as one part per result it names ("What's 6 * 7
    and 3 * 4? Double each of them": double the first, double the second); a later part that
    refers to it refers to every copy."""
    if not any(r.each and len(r.to) > 1 for p in parts for r in p.references):
        return parts
    copies: dict[int, tuple[int, ...]] = {}
    worked_on: dict[int, set[int]] = {}  # a distributed part -> the parts it took up
    out: list[Resolved] = []

    def moved(to: tuple[int, ...]) -> tuple[int, ...]:
        # "double each of them, then add them together": the doubled ones, not what they doubled
        taken = {j for d in to for j in worked_on.get(d, set())}
        return tuple(n for j in to if j not in taken for n in copies[j])

    for i, part in enumerate(parts):
        refs = tuple(
            Reference(r.start, r.end, moved(r.to), r.noun, r.place, r.each) for r in part.references
        )
        shows = copies[part.shows][0] if part.shows is not None else None
        each = next((r for r in refs if r.each and len(r.to) > 1), None)
        if each is None:
            copies[i] = (len(out),)
            out.append(Resolved(part.text, refs, shows))
            continue
        copies[i] = tuple(range(len(out), len(out) + len(each.to)))
        worked_on[i] = {j for j, c in copies.items() if set(c) & set(each.to)}
        for j in each.to:
            one = tuple(
                Reference(r.start, r.end, (j,), r.noun, r.place) if r is each else r for r in refs
            )
            out.append(Resolved(part.text, one, shows))
    return out


_TOTAL = "+"
"""The noun of a reference to the total of several results: written as their sum."""
_AVERAGED = re.compile(r"\b(?:average|mean)(?=\s+\{\{s\w+\}\}\s+and\b)", re.IGNORECASE)
"""An average taken of several results named right after it."""


_GIVEN = re.compile(
    rf"^\s*(?:{_alternation(_TABLES['given_leads'])})\s+"
    r"(?P<value>-?\d[\d,]*(?:\.\d+)?(?:\s*[^\W\d_][\w/°]*){0,2})\s*[.!,;]?\s*$",
    re.IGNORECASE,
)
"""A part that only states the value to start from ("Take 2 gallons", "Start with 50 km")."""
_NO_OBJECT = re.compile(
    rf"^\s*(?P<verb>convert|change|turn|{_alternation(list(_OPERATIONS))})"
    r"(?:\s+(?P<it>it|that|this))?"
    r"(?=\s+(?:to|into|in|by|from)\b|\s*[.!?]?\s*$)",
    re.IGNORECASE,
)
"""A part whose operation names no value ("convert to litres", "divide by 4", "halve")."""


_TAKEN_AS_UNIT = re.compile(
    rf"^\s*(?:{_alternation(_OWN['taken_as_leads'])})\s+"
    rf"(?:it|that|this|(?:the|that)\s+(?:{_NOUNS}))\s+as\s+"
    rf"(?:(?:{_alternation(_OWN['taken_as_measures'])})\s+)?(?P<unit>[^\W\d_][\w/°]*)\s*[.!,;]?\s*$",
    re.IGNORECASE,
)
"""A part that only says what unit an earlier result is in ("use that as grams")."""
_POSSESSED = re.compile(
    rf"\bits\s+((?:{_alternation(_OWN['possessed_compounds'])}))\b(?!\s+of\b)", re.IGNORECASE
)
"""What a value-only part's number is taken up as in the next part ("its square root")."""


def _joined(clauses: Sequence[Clause], i: int) -> str | None:
    """The one clause ``clauses[i]`` and the next make when the first only gives a value or
    a unit the next one works on, else ``None``."""
    if i + 1 >= len(clauses):
        return None
    nxt = clauses[i + 1].text
    given = _GIVEN.match(clauses[i].text)
    after = _NO_OBJECT.match(nxt)
    if given is not None and after is not None:
        # "Take 2 gallons, convert to litres": convert 2 gallons to litres
        return f"{nxt[: after.end('verb')]} {given.group('value')}{nxt[after.end() :]}"
    taken = _TAKEN_AS_UNIT.match(clauses[i].text) if i > 0 else None
    if taken is not None and after is not None:
        # "Use that as grams and convert it to ounces": convert it grams to ounces
        return f"{nxt[: after.end('verb')]} it {taken.group('unit')}{nxt[after.end() :]}"
    owned = _POSSESSED.search(nxt)
    if given is not None and owned is not None:
        # "Take 144, find its square root": the square root of 144
        value = given.group("value")
        return f"{nxt[: owned.start()]}the {owned.group(1)} of {value}{nxt[owned.end() :]}"
    return None


def _absorbed(clauses: Sequence[Clause]) -> list[Clause]:
    """The clauses with a value-only part put where the next part's object goes: "Take 2
    gallons, convert to litres" is "convert 2 gallons to litres" (a part of its own would ask
    nothing of any target)."""
    out: list[Clause] = []
    i = 0
    while i < len(clauses):
        text = _joined(clauses, i)
        if text is None:
            out.append(clauses[i])
            i += 1
        else:
            out.append(Clause(text, clauses[i + 1].group, 0))
            i += 2
    return out


_WAIT_LEAD = re.compile(rf"^\s*(?:{_alternation(_TABLES['waiting_leads'])})\b", re.IGNORECASE)
_WAITING = frozenset(_TABLES["waiting_subjects"]) | frozenset(_TABLES["waiting_verbs"])


def _only_shows(resolved: Resolved) -> bool:
    """Whether the clause asks for nothing but to see a result ("show it to me") or waits
    for it ("after you've got that")."""
    words = re.findall(r"[a-z']+", resolved.query(lambda i: "").lower())
    left = re.sub(r"[\s,.;:!?{}—-]", "", resolved.query(lambda i: ""))
    if not left and resolved.references:  # "whatever that comes to, add 79 to it"
        return True
    lead = _WAIT_LEAD.match(resolved.text)
    if lead is not None and resolved.references:
        rest = re.findall(r"[a-z']+", resolved.query(lambda i: "")[lead.end() :].lower())
        return bool(rest) and all(w in _WAITING or w in _FILLERS for w in rest)
    if not words or not all(w in _FILLERS for w in words[1:]):
        return False
    # "take that number", "use the result from before": it only carries the value on
    carries = words[0] in _CARRY or (words[0].endswith("ing") and f"{words[0][:-3]}e" in _CARRY)
    return words[0] in _SHOW or (carries and bool(resolved.references))  # "using that result"


_CARRIED = re.compile(
    rf"^\s*(?:{_alternation(_TABLES['carry_verbs'])})\s+(?=(?:the\s+)?(?:{_alternation(_TABLES['arithmetic_words'])})\b)",
    re.IGNORECASE,
)
"""A verb that only carries an operation ("take the square root of that"): the operation is
what is asked, and a calculator reads no "take"."""


_GOING_THERE = re.compile(
    rf"\b(?:{_alternation(_OWN['going_there'])})\s+(?:back\s+)?there\b", re.IGNORECASE
)
_OWN_CONVERSION = re.compile(
    r"(?P<quantity>\d[\d.,]*\s*[^\W\d_]+)\s+(?:to|in|into)\s+[^\W\d_]", re.IGNORECASE
)
"""A quantity and the unit it goes into: a part that converts a quantity of its own."""


def _going_there(text: str) -> list[tuple[int, int]]:
    """Spans of "there" that say where the speaker goes in a part that converts a quantity
    of its own ("10 miles to km for my drive there"): no reference to a place found before
    ("how many hours to drive there at 100 km/h" needs the distance found before)."""
    if not any(carries_unit(q.group("quantity")) for q in _OWN_CONVERSION.finditer(text)):
        return []
    return [(m.start(), m.end()) for m in _GOING_THERE.finditer(text)]


def _resolve(clause: Clause, i: int, clauses: Sequence[Clause]) -> Resolved:
    text = clause.text
    if not clause.facts:
        text = _CARRIED.sub("", text)
    taken: list[tuple[int, int]] = [(m.start(), m.end()) for m in _QUOTE.finditer(text)]
    taken += [(m.start(), m.end()) for m in _DUMMY_IT.finditer(text) if not _at_place(text, m)]
    taken += [(m.start(), m.end()) for m in _EXISTENTIAL.finditer(text) if not _at_place(text, m)]
    taken += _going_there(text)
    refs: list[Reference] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    previous = [i - 1]
    group = [j for j in range(i) if clauses[j].group == clauses[i - 1].group]
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            start, end = m.start(), m.end()
            if not free(start, end):
                continue
            if start < clause.facts:  # inside the stated preamble
                continue
            noun = ""
            if kind in ("demonstrative", "pronoun") and _opens_clause(text, start):
                continue  # "is it true that sound travels ...": no pointing back
            if kind == "numbered":
                number = int(m.group(1)) - 1
                if not 0 <= number < i:
                    continue
                to = [number]
            elif kind == "echoed":
                said = re.escape(re.sub(r"(?<=[^s])s$", "", m.group(1)))
                echoed = [  # "the ounce figure" after "how many ounces ...": either number
                    j
                    for j in range(i - 1, -1, -1)
                    if re.search(rf"(?<!\w){said}(?:e?s)?(?!\w)", clauses[j].text, re.IGNORECASE)
                ]
                if not echoed:
                    continue
                to = echoed[:1]  # "the km figure": the nearest part that said km
            elif kind == "same":
                owner = _OWNER.search(clauses[i - 1].text)
                if owner is None or _ASKS_WHICH.match(clauses[i - 1].text):
                    continue
                text = f"{text[:start]}{owner.group(1)}{text[end:]}"
                return _resolve(Clause(text, clause.group, clause.facts), i, clauses)
            elif kind == "kind":
                said_kind, det = m.group("noun").lower(), m.group("det").lower()
                before = clauses[i - 1].text
                asked = _asks_for(said_kind)
                found = asked is not None and asked.search(before) is not None
                name = _country_named(before) if _KINDS[said_kind] & _COUNTRY_KIND else None
                if name is not None and not found:
                    # "What language is spoken in Austria, and said country's currency?"
                    owned = "'s" if m.group(0).endswith("'s") else ""
                    text = f"{text[:start]}{name}{owned}{text[end:]}"
                    return _resolve(Clause(text, clause.group, clause.facts), i, clauses)
                if det == "the" and not found:
                    continue  # "the city" the part before neither asked for nor named
                to = previous
            elif kind == "ordinal":
                to = [_ordinal_clause(_ORDINALS[m.group(1).lower()], i)]
            elif kind == "count":
                n = _COUNTS.get(m.group(1).lower(), 2)
                to = list(range(max(0, i - n), i))
            elif kind in ("plural", "each"):
                to = group if len(group) > 1 or i < 2 else list(range(i))
            elif kind == "demonstrative":
                word = m.group(1).lower()
                singular = m.group(0).split()[0].lower() in ("that", "this")
                if word in _NOT_NOUNS or (singular and _verb_like(word)):
                    continue
                to = previous
            elif kind == "possessive":
                if _own_antecedent(text, start, clause.facts):
                    continue
                thing = _named_thing(clauses[i - 1].text, m.group(1).lower())
                if thing is not None:
                    text = f"{text[:start]}the {m.group(2)} of {thing}{text[end:]}"
                    return _resolve(Clause(text, clause.group, clause.facts), i, clauses)
                noun = m.group(2)
                to = group if m.group(1).lower() == "their" else previous
            elif kind == "pronoun":
                word = m.group(1).lower()
                if word in _PLURAL and len(group) == 1 and i > 1 and _combines(text):
                    group = list(range(i))  # "what's A? and B? Then add them together"
                after = text[end:].split()
                follower = after[0].lower().strip("?,.!") if after else ""
                then = after[1].lower().strip("?,.!") if len(after) > 1 else ""
                if (
                    word in ("that", "this")
                    and (
                        follower in _RELATIVE
                        or (_verb_like(follower) and follower not in _ARITHMETIC)
                    )
                    and not (follower in ("is", "was") and then in _ARITHMETIC)
                    and not _subject_of_question(text[:start])
                ):
                    continue  # "a Dockerfile that does it": a relative clause ("what that is
                    # minus 98" is the earlier result)
                if clause.facts and start >= clause.facts:
                    continue  # "I weigh 150 lbs, what is that in kg"
                if word == "it" and _own_antecedent(text, start, clause.facts):
                    continue
                if word == "they" and (
                    not _ASKS_WHICH.match(clauses[i - 1].text)
                    or _ANTECEDENT.search(text[clause.facts :])
                    or _PLACE.search(text)
                ):
                    continue  # "what language do they speak in Brazil": people anywhere; only
                    # after "which country ...?" do they mean what was found
                thing = _named_thing(clauses[i - 1].text, word)
                if thing is not None:
                    text = text[:start] + thing + text[end:]
                    return _resolve(Clause(text, clause.group, clause.facts), i, clauses)
                to = group if word in _PLURAL and len(group) > 1 else previous
            elif kind == "one":
                said_words = set(re.findall(r"[a-z]+", m.group(0).lower()))
                # "What's 45 * 2 and 30 * 3? Divide the total by 9": the total of the list
                if said_words & _AGGREGATE and len(group) > 1:
                    to, noun = group, _TOTAL
                else:
                    to = previous
            else:  # there
                place = _place(clauses, i)
                if place is not None:
                    text = text[:start] + f"in {place}" + text[end:]
                    return _resolve(Clause(text, clause.group, clause.facts), i, clauses)
                to = previous
            taken.append((start, end))
            refs.append(
                Reference(start, end, tuple(to), noun, place=kind == "there", each=kind == "each")
            )
    if not refs:
        given = _operand_left_out(text, " ".join(c.text for c in clauses[:i]))
        if given is not None:  # "Add 3 and 4, then multiply by 5": multiply *it* by 5
            return _resolve(Clause(given, clause.group, clause.facts), i, clauses)
        refs = _implicit(text, i, clauses)
    refs.sort(key=lambda r: r.start)
    return Resolved(text, tuple(_placed(text, refs)))


_FROM_PLACE = re.compile(r"\s+(?:from|of|in|to)\s+$", re.IGNORECASE)
_RESULT_NAMED = re.compile(rf"(?:the|that|this)\s+(?:{_NOUNS})", re.IGNORECASE)


def _placed(text: str, refs: list[Reference]) -> list[Reference]:
    """A result named and then placed ("the number from the first part", "the result of
    step 2"): one reference, to the part the place names."""
    out: list[Reference] = []
    for ref in refs:
        named = out and _RESULT_NAMED.fullmatch(text[out[-1].start : out[-1].end])
        if named and _FROM_PLACE.fullmatch(text[out[-1].end : ref.start]):
            out[-1] = Reference(out[-1].start, ref.end, ref.to, ref.noun, ref.place)
            continue
        out.append(ref)
    return out


_PREPOSITION_BEFORE = re.compile(
    rf"\b(?:{_alternation(_TABLES['prepositions'])})\s+$", re.IGNORECASE
)
_QUESTION_BEFORE = re.compile(
    rf"\b(?:{_alternation(_TABLES['embedded_question_heads'])})(?:\s+[a-z]+){{0,3}}?\s+$",
    re.IGNORECASE,
)


def _subject_of_question(before: str) -> bool:
    """Whether a "that" after ``before`` is a pronoun whatever verb follows: after a
    preposition ("what half of that would be": no relative "that" follows one) or as the
    subject of an embedded question ("tell me how many yards that is", "what that comes to")."""
    return bool(_PREPOSITION_BEFORE.search(before) or _QUESTION_BEFORE.search(before))


def _ordinal_clause(place: int, i: int) -> int:
    """The earlier clause an ordinal means: among several earlier results, the one at that
    place ("subtract the first result from the second"); after one, that one (its first
    item: "find the markdown files and read the first one")."""
    if i < 2:
        return i - 1
    index = place - 1 if place > 0 else i + place
    return min(max(index, 0), i - 1)


def _combines(text: str) -> bool:
    """The clause puts several things together ("add them together", "sum them all")."""
    words = set(re.findall(r"[a-z]+", text.lower()))
    return bool(words & _TOGETHER) or bool(words & _AGGREGATE)


_WORKED_ON = re.compile(
    rf"^\s*(?:please\s+)?(?:{_alternation(_OWN['working_verbs'])})\s+"
    rf"(?:me\s+)?(the\s+(?:{_alternation(_OWN['content_nouns'])}))\b(?!\s+(?:of|between|in|from)\b)",
    re.IGNORECASE,
)
"""A part that works on text and names its object only by what kind of text it is ("describe
the changes to a non-programmer" after "get the status of the repo"): the part before made it."""


def _implicit(text: str, i: int, clauses: Sequence[Clause]) -> list[Reference]:
    """References made without a pronoun: what the clause before converted into, taken up
    with "the" ("convert 20 km to miles, then multiply the miles by 3"), a thing introduced
    before with "a" and now taken up with "the" ("write a haiku about the sea, then translate
    the haiku"), and a sum or
    total of things the clause does not give itself ("open budget.csv and tell me the total
    of the amounts")."""
    worked = _WORKED_ON.match(text)
    if worked is not None and not _QUOTE.search(text):
        return [Reference(worked.start(1), worked.end(1), (i - 1,))]
    for m in _DEFINITE.finditer(text):
        noun = m.group(1).lower()
        stem = noun[:-1] if noun.endswith("s") and len(noun) > 4 else noun
        if stem in _NOT_NOUNS:
            continue
        measured = _measured(noun, i, clauses) if _MEASURE_ENDS.match(text, m.end()) else None
        if measured is not None:
            # "How far is the Moon? Convert the distance to miles": the distance it found
            return [Reference(m.start(), m.end(), (measured,))]
        mates = _alternation(sorted(_KINDS.get(stem, {stem})))
        introduced = re.compile(  # "write a limerick ..., then translate the poem"
            rf"\b(?:{_INDEFINITE})\s+(?:[\w-]+\s+){{0,2}}?(?:{mates})s?\b", re.IGNORECASE
        )
        asked = _asks_for(stem)
        converted_to = re.compile(rf"\b(?:to|into|in)\s+{re.escape(noun)}\b", re.IGNORECASE)
        for j in range(i - 1, -1, -1):
            if converted_to.search(clauses[j].text):
                # "convert 20 km to miles, then multiply the miles by 3": what it was turned
                # into, by the nearest part that turned something into it
                return [Reference(m.start(), m.end(), (j,))]
        for j in range(i - 1, -1, -1):
            if introduced.search(clauses[j].text) or (asked and asked.search(clauses[j].text)):
                return [Reference(m.start(), m.end(), (j,))]
    words = set(re.findall(r"[a-z]+", text.lower()))
    things = re.search(r"\bthe\s+\w+s\b", text)
    if words & _AGGREGATE and things and not re.search(r"\d", text):
        return [Reference(things.start(), things.end(), (i - 1,))]
    return []


_TAILS = re.compile(rf"(?:[\s,]+(?:{_alternation(_TABLES['operation_tails'])}))+$", re.IGNORECASE)
"""Words after an operation that add nothing to it ("times 60 again", "divide by 4 please")."""


def _operand_left_out(text: str, previous: str) -> str | None:
    """The clause with "it" where an operation's number is left out after parts that gave
    one ("multiply by 5" -> "multiply it by 5", "add 8" -> "add 8 to it", "times 2" -> "it
    times 2"), else ``None``.
    The operation says nothing else ("add a note" is no arithmetic)."""
    bare = _TAILS.sub("", text.strip(" ?.!")).strip()
    if re.search(r"\d", previous):
        operation = _BARE_OPERATION.match(bare)
        if operation is not None:  # "then the square root": of the result before
            return f"the {operation.group('op')} of it"
        unit = _UNIT_ONLY.match(bare)
        if unit is not None and carries_unit(f"2 {unit.group('unit')}"):
            return f"convert it to {unit.group('unit')}"  # "now in ounces"
    if leaves_left_operand(text) or leaves_left_operand(digits_for_words(bare)):
        # "times 2", "/3", "times 60 again", "times two?": the result before, times 2
        return f"it {text.strip()}"
    m = _OPERATION_LED.match(text)
    if m is None or not re.search(r"\d", previous):
        return None
    needs, where = _OPERATIONS[re.sub(r"\s+", " ", m.group(1).lower())]
    rest = text[m.end() :]
    if not set(re.findall(r"[a-z]+", rest.lower())) <= _OPERAND_WORDS:
        return None
    if len(re.findall(r"\d+(?:[.,]\d+)*", rest)) >= needs or _PRONOUN.search(rest):
        return None
    if where and not re.match(r"\s*(?:by|to|from)\b", rest, re.IGNORECASE):
        end = rest.rstrip(" ?.!")
        return f"{text[: m.end()]}{end} {where} it{rest[len(end) :]}"
    return f"{text[: m.end()]} it{rest}"


_MEASURE_ENDS = re.compile(
    rf"\s*(?:$|[?.!,;]|(?:to|into|in|by|from|and|then|is|was|as|{_alternation(_TABLES['arithmetic_words'])})\b)",
    re.IGNORECASE,
)
"""What may follow a measure that is a result ("the distance to miles"), not a compound's
first word ("the speed limit")."""


def _country_named(text: str) -> str | None:
    """The country ``text`` names by its name ("Austria", "United Kingdom"), if any."""
    for m in re.finditer(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*", text):
        words = m.group(0).lower().split()
        if all(w in _COUNTRY_WORDS for w in words):
            return m.group(0)
    return None


def _measured(noun: str, i: int, clauses: Sequence[Clause]) -> int | None:
    """The nearest clause before ``i`` that asked for the measure ``noun`` names ("how far",
    "in miles", the noun itself), if ``noun`` is a measure."""
    cues = _MEASURES.get(noun)
    if cues is None:
        return None
    for j in range(i - 1, -1, -1):
        if cues & set(re.findall(r"[a-z/]+", clauses[j].text.lower())):
            return j
    return None


def _asks_for(noun: str) -> re.Pattern[str] | None:
    """What a clause looks like that asks for a ``noun`` (or one of its kind): "which city
    ...", "what's the capital of Austria" make "the city", "the capital" mean their answer."""
    kinds = _KINDS.get(noun)
    if kinds is None:
        return None
    names = _alternation(sorted(kinds))
    return re.compile(
        rf"\b(?:which|what|whose)\s+(?:{names})s?\b|\bthe\s+(?:{names})\s+(?:of|in|on)\b",
        re.IGNORECASE,
    )


def _opens_clause(text: str, start: int) -> bool:
    """A "that" after a word of saying, knowing or being sure opens what is said ("is it true
    that", "I think that", "make sure that"), pointing back to nothing."""
    if text[start : start + 4].lower() != "that":
        return False
    before = re.findall(r"[a-z']+", text[:start].lower())
    return bool(before) and before[-1] in _COMPLEMENTIZER


_OWNER = re.compile(
    r"(?:\bthe\s+|^\s*)[a-z]+(?:\s+[a-z]+)?\s+of\s+"
    r"((?:the\s+)?[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*){0,2})"
)
"""A named owner of what a clause asks ("the capital of Kenya", "the official language of the
United Kingdom", "currency of Japan" written without its article)."""
_ASKS_WHICH = re.compile(r"^\s*(?:which|what)\s+(?!is\b|are\b|was\b|'s\b|’s\b)[a-z]+\b", re.I)
"""A question that asks for a thing of a kind ("which river ...", "what country ..."): what
a later "its" means is the thing found."""


def _named_thing(previous: str, pronoun: str) -> str | None:
    """What "it" means after a question whose answer cannot be an "it": "Who wrote Hamlet,
    and when was it first performed?" (Hamlet), "Where is the Eiffel Tower and how tall is
    it?" (the tower). Copied as written: the value is known, nothing to wait for."""
    if pronoun not in ("it", "its"):
        return None
    owner = _OWNER.search(previous)
    if pronoun == "its" and owner is not None and not _ASKS_WHICH.match(previous):
        return owner.group(1)  # "the capital of Kenya and its currency": Kenya's currency
    if not (_ASKS_PERSON.match(previous) or _ASKS_PLACE.match(previous)):
        return None
    words = previous.rstrip("?").split()
    thing = " ".join(words[2:])
    return thing if 0 < len(words[2:]) <= 5 else None


def _own_antecedent(text: str, start: int, facts: int) -> bool:
    """Whether the clause names, before ``start``, something the pronoun may mean (not the
    head of the relative clause it stands in: "a Dockerfile that does it")."""
    before = _RELATIVE_HEAD.sub(" ", text[facts:start])
    return bool(_ANTECEDENT.search(before))


def _verb_like(word: str) -> bool:
    """A present-tense verb after "that" ("a script that backs up"): a singular
    demonstrative is never followed by a plural noun."""
    return len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is"))


def _place(clauses: Sequence[Clause], i: int) -> str | None:
    """The last place named in the clauses before ``i`` ("in Tokyo"), if any."""
    for j in range(i - 1, -1, -1):
        found = _PLACE.findall(clauses[j].text)
        if found:
            return str(found[-1])
    return None
