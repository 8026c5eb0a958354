"""Split a request into clauses that can be routed on their own (no LLM).

People chain requests in many ways ("X, then Y", "X. Also Y", "X; Y", "X and in addition Y",
"X? And Y?"), list parallel items ("Calculate 11 * 11, 111 * 111 and 1111 * 1111"), leave
out the verb of a later part ("Who invented the steam engine? And the telescope?") and state
facts before the question they feed ("I weigh 150 lbs, what is that in kg?"). A clause is
never cut inside an expression ("Add 3, 4 and 5", "between 3 and 5") or a quotation. The
words come from ``clauses.json``; this module only says how they are used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agentroute.text._evidence import numbers_operated
from agentroute.text._lexicon import (
    CLAUSE_STARTERS,
    NUMBER_SCALES,
    NUMBER_TENS,
    NUMBER_WORDS,
    STOP_WORDS,
    alternation,
    cue_table,
)
from agentroute.text._quantities import carries_unit
from agentroute.text._word_problems import asks_result, compound_quantities, word_problem

__all__ = [
    "FREE_RELATIVE",
    "Clause",
    "bare_calculation",
    "clauses",
    "leaves_left_operand",
    "names_something",
    "operates",
    "refers_back",
    "repeats_opening",
    "run_on_points",
    "sets_scene",
    "sets_time",
    "speaks_of_self",
    "split_clauses",
    "starts_request",
    "states_facts",
]

_TABLES = cue_table("clauses.json")
STARTERS = frozenset(CLAUSE_STARTERS) | frozenset(_TABLES["extra_starters"])
"""Words that open a question or a command of their own."""


def _alternation(words: list[str]) -> str:
    return alternation(words, any_space=True)


_STARTER = _alternation(sorted(STARTERS))
_ALWAYS = _alternation(_TABLES["always_split"])
_OPENERS = _alternation(_TABLES["statement_openers"])
_PREPS = _alternation(_TABLES["prepositions"])
_LEAD = re.compile(rf"^(?:(?:{_alternation(_TABLES['lead_words'])})\b[\s,]*)+", re.IGNORECASE)
_ELLIPSIS_LEAD = re.compile(rf"^(?:{_alternation(_TABLES['ellipsis_leads'])})\b\s*", re.I)
_CORRECTION = re.compile(rf"^(?:{_alternation(_TABLES['corrections'])})\b[\s,:]*", re.I)
_OPENER = re.compile(rf"^(?:{_OPENERS})\b", re.IGNORECASE)
_STARTS = re.compile(rf"^(?:{_STARTER})\b", re.IGNORECASE)
_DETERMINERS = frozenset(_TABLES["determiners"])
_PREPOSITIONS = frozenset(_TABLES["prepositions"])

_SEQUENCE = (
    rf"(?:{_alternation(_TABLES['sequence_leads'])}"
    rf"|(?:{_alternation(_TABLES['numbered_leads'])})\s*#?\s*\d{{1,2}})"
)
_SEQUENCE_LEAD = re.compile(
    rf"^{_SEQUENCE}(?:\s*[,:.)–-]\s*|\s+(?=(?:{_STARTER})\b)|\s*$)", re.IGNORECASE
)
"""A part's place in the order ("First, ...", "second: ...", "Step 2: ...", "next compute")."""
_REFERRING = re.compile(rf"\b(?:{_alternation(_TABLES['singular_pronouns'])}|them|there)\b", re.I)
_NOT_REFERRING = re.compile(rf"\b(?:{_alternation(_TABLES['non_referring'])})\b", re.I)
_HEADERS = _alternation(_TABLES["list_headers"])
_MARKER = re.compile(r"^\s*(?:\d{1,2}[.)-]|\((?:\d{1,2}|[a-h])\)|[a-h]\)|[-*•·–])\s+")
"""A list item's mark ("1)", "2.", "3-", "(3)", "b)", "(c)", "-", "•")."""
_HEADER = re.compile(rf"^[^:\n]{{0,60}}\b(?:{_HEADERS})\b[^:\n]{{0,20}}:\s*", re.IGNORECASE)
"""A line announcing the list on the lines after it ("Can you do these for me:")."""
_ANNOUNCED = re.compile(
    rf"^[^:\n]{{0,60}}\b(?:{_alternation(_TABLES['list_nouns'])})\b[^:\n]{{0,20}}?"
    r"(?::|\s+[-–—]+)\s*",
    re.IGNORECASE,
)
"""A lead-in announcing a list on its own line ("I need two things: A and B", "3 things - A,
B and C"), not what "translate these: salt and pepper" works on."""
_AMPERSAND = re.compile(r"\s+&\s+")
_GREETING = frozenset(_TABLES["social_words"])
_SOCIAL = _GREETING | frozenset(_TABLES["social_fillers"]) | STOP_WORDS
_TOPIC = re.compile(
    rf"^(?:(?:{_alternation(_TABLES['topic_leads'])})\s+)?((?:the\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){{0,2}})$",
    re.IGNORECASE,
)
"""A lead-in that only names the topic of what follows ("For Switzerland", "About Nepal")."""
_LEAD_IN = re.compile(r"^([^:\d\n]{1,80}?)(?::|\s+[-–—]+)\s+(?=\S)")
"""Words before a colon or a spaced dash: a greeting, a topic or a statement set off from the
question after it ("Quick one before my meeting: ...", "About Nepal - ...")."""
_ASIDE = re.compile(r"\s*\((?!\s*(?:in|into|to|as|per|of)\b)[^()\d\n]{2,60}\)")
"""A remark in parentheses that gives no number and no unit ("(marathon)", "(for the tip)",
"(I always forget it)"): no part of what is asked."""
_PARENTHESISED_PART = re.compile(
    rf"\s*\(\s*(?P<lead>(?:{_alternation(_TABLES['lead_words'])})\b)(?P<body>[^()\n]{{2,80}}?)\s*\)"
    r"(?P<end>[?.!]?)",
    re.IGNORECASE,
)
"""A part set in parentheses that opens with a joining word ("convert 10 km to miles (and 20
km too)", "17 x 4 (then add 12 to the answer)"): a part of its own, not an aside."""


def _parenthesised_parts(text: str) -> str:
    """``text`` with each part in parentheses set after a semicolon; a question word alone
    ("Who discovered it (and when)?") stays with the part it belongs to."""

    def read(m: re.Match[str]) -> str:
        body = m.group("body").strip(_TRIM)
        if _BARE_QUESTION.fullmatch(body):
            return m.group(0)
        return f"{m.group('end')}; {m.group('lead')} {body}"

    return _PARENTHESISED_PART.sub(read, text)


_MID_MARK = re.compile(r"(?<=\s)\((?:\d{1,2}|[a-h])\)\s+")
"""An item's mark inside a sentence ("convert (a) 7 km ... and (b) 7 miles ...")."""
_QUOTE = re.compile(r"\"[^\"]*\"|“[^”]*”|‘[^’]*’|(?<!\w)'[^']+'(?!\w)")
_OPENS_PART = _alternation(
    [*_TABLES["operations"], *STARTERS, *_TABLES["lead_words"], *_TABLES["sequence_leads"]]
)
_NOT_ENDING = "".join(
    rf"(?<!\b{re.escape(a)}\.)(?<!\b{re.escape(a.lower())}\.)" for a in _TABLES["abbreviations"]
)
"""No sentence ends at a title's stop ("who is Dr. Watson" is one part, not "who is Dr")."""
_SENTENCE = re.compile(
    rf"(?<=\?)\s+|(?<=[^\d]!)\s+|(?<=\.){_NOT_ENDING}\s+(?=[A-Z\"'])|\s*;\s*"
    rf"|(?:(?<=\.\.\.)|(?<=…))\s+(?=(?:{_alternation(_TABLES['corrections'])})\b)"
    # "tell me the population... sorry, the capital of Peru": trailed off, then corrected
    rf"|(?:(?<=[^\W\d]{{2}}\.)|(?<=\d\.))\s+(?=(?:{_OPENS_PART})\b)"
    rf"|(?:(?<=[^\W\d]{{2}}\.)|(?<=\d\.))\s+(?=(?:{_alternation(_TABLES['numbered_leads'])})\s*#?\s*\d)"
    # "what is 6 factorial. now divide it by 6", "7 * 13. is it prime?": a sentence written in
    # lower case starts where a word that opens a part follows a full stop after a word or a
    # number (not "D.C." or "e.g.", whose stop follows one letter)
)
_OPENING_WORDS = {*_TABLES["operations"], *STARTERS, *_TABLES["lead_words"]}
_CAPITAL_OPENER = re.compile(
    rf"(?<=[^\W_]|[%)])\s+(?=(?:{_alternation([w[:1].upper() + w[1:] for w in _OPENING_WORDS])})\b)"
)
"""A space before a capitalised word that opens a part ("... of 240 Add that to 240")."""

_MIN_SENTENCE_WORDS = 2


def _word_slips(word: str) -> set[str]:
    """One slip in ``word``: neighbours swapped, a doubled letter written once, the last
    letter doubled (words of three letters or more)."""
    if len(word) < 3:
        return set()
    out = {word + word[-1]}
    for i in range(len(word) - 1):
        if word[i] != word[i + 1]:
            out.add(word[:i] + word[i + 1] + word[i] + word[i + 2 :])
        else:
            out.add(word[:i] + word[i + 1 :])
    return out


def _connective_slips(phrases: list[str]) -> dict[str, str]:
    """Each slip of a joining word or phrase and what it reads as (``slipped_connectives``):
    one word of the phrase slipped, or two of its words written as one; never a slip that is a
    word of its own (a stop word, another joining word)."""
    out: dict[str, str] = {}
    for phrase in phrases:
        words = phrase.split()
        slips = {
            " ".join([*words[:i], slip, *words[i + 1 :]])
            for i, word in enumerate(words)
            for slip in _word_slips(word)
        }
        if len(words) > 1:  # "alongwith", "aswell as", "aswellas"
            slips.add("".join(words))
            slips.update(
                " ".join([*words[:i], words[i] + words[i + 1], *words[i + 2 :]])
                for i in range(len(words) - 1)
            )
        for slip in slips - set(phrases):
            if not set(slip.split()) - set(words) <= STOP_WORDS:
                out.setdefault(slip, phrase)
    return out


_SLIPS = _connective_slips(_TABLES["slipped_connectives"])
_SLIPPED = re.compile(
    r"(?<![\w'])(?:"
    + "|".join(r"\s+".join(map(re.escape, s.split())) for s in sorted(_SLIPS, key=len)[::-1])
    + r")(?![\w'])",
    re.IGNORECASE,
)
"""A slipped joining word ("as wel as", "alongwith", "pluss"): read as the word it slips."""
"""Words a part before a capitalised opener needs to stand as a part of its own."""


def _capital_breaks(sentence: str) -> list[str]:
    """A sentence written without its full stops cut where a part plainly starts anew: before
    a capitalised word that opens a part ("What is 15% of 240 Add that to 240", "Who invented
    the radio And the telescope") after a word in lower case or a number. A capital after a
    capitalised word is a name or a title ("Gone With The Wind"), and never a cut."""
    out, at = [], 0
    for m in _CAPITAL_OPENER.finditer(sentence):
        before = sentence[at : m.start()].split()
        if not before or not (before[-1][:1].islower() or before[-1][:1].isdigit()):
            continue
        if len(before) < _MIN_SENTENCE_WORDS:
            continue
        out.append(sentence[at : m.start()])
        at = m.end()
    return [*out, sentence[at:]]


_COORDINATOR = re.compile(
    rf"\s+(?:{_alternation(_TABLES['coordinators'])})\s+(?!that\b)", re.IGNORECASE
)
"""Words that join parts as "and" does ("the time in Paris as well as in Madrid")."""
_CASUAL_AND = re.compile(
    rf"\s+(?:{_alternation(_TABLES['casual_ands'])})\s+(?=(?:{_STARTER})\b)", re.IGNORECASE
)
""""And" written short, before a part that opens anew ("7 x 6 n whats the capital")."""
_ARTICLE_AND = re.compile(
    rf"\s+(?:{_alternation(_TABLES['article_ands'])})\s+"
    rf"(?=(?![aeiou])(?:{_STARTER}|{_alternation(_TABLES['determiners'])})\b)",
    re.IGNORECASE,
)
""""And" slipped into "an" or "ans" before a part's first word, which an article never comes
before ("capital of Kenya an the time in UTC")."""


def _gerund(verb: str) -> str:
    """The -ing form of a verb ("translate" -> "translating", "get" -> "getting")."""
    if verb.endswith("ie"):
        return f"{verb[:-2]}ying"
    if verb.endswith("e") and not verb.endswith("ee") and len(verb) > 2:
        return f"{verb[:-1]}ing"
    vowels = "aeiou"
    if (
        len(verb) == 3
        and verb[2] not in vowels + "wxy"
        and verb[1] in vowels
        and verb[0] not in vowels
    ):
        return f"{verb}{verb[2]}ing"
    return f"{verb}ing"


_GERUNDS = _alternation(
    [_gerund(w) for w in STARTERS if w.isalpha() and len(w) > 2 and not w.startswith("wh")]
)
"""Verbs that open a part, in the form they take after "as well as" ("..., as well as
translating 'hello' into Italian")."""
# Where one part ends and the next begins inside a sentence.
_JOIN = re.compile(
    rf",\s*and\s+(?=(?:{_GERUNDS})\b)"  # "X, as well as translating Y"
    rf"|(?:,\s*|\s+)(?=(?:{_ALWAYS})\b[\s,]+\S)"  # "X, then Y", "X and in addition Y"
    rf"|(?:,\s*|\s+)(?:and|also|plus)\s+(?=(?:{_STARTER})\b)"  # "X and show Y"
    r"|(?<=[\w?%)])(?:,\s*|\s+)also\s+(?=\d)"  # "what's 9 squared also 2^10"
    r"|(?<=\d)(?:,\s*|\s+)also\s+(?=(?:the\s+)?[^\W\d]+\s+(?:of|in)\s)"  # "2^10 also capital of X"
    rf"|,\s*(?=(?:{_STARTER})\b)"  # "X, how many Y"
    rf"|\s+/\s+(?=(?:{_STARTER})\b)"  # "what's the capital of Brazil / what's its currency"
    rf"|,\s*(?={_SEQUENCE}(?:\s*[,:]|\s+(?:{_STARTER})\b))"  # "X, next write Y", "X, second: Y"
    rf"|,\s*and\s+(?=(?:{_OPENERS})\b)"  # "..., and my height is 6 feet, what is that in m"
    rf"|(?:,\s*|\s+)and\s+(?=(?:{_PREPS})\s+(?:what|which|whose|how|when|where)\b)"
    r"|\s+and\s+(?=(?:into|in|to)\s+[^\s\d]+[?!.]?$)",  # "into French and into Spanish"
    re.IGNORECASE,
)
_NUMBER = r"-?\d[\d,]*(?:\.\d+)?"
_CONVERSION = re.compile(
    rf"{_NUMBER}\s*[^\W\d][\w°/]*(?:\s+[^\W\d]+)?\s+(?:to|in|into)\s+[^\W\d]", re.IGNORECASE
)
"""A quantity and the unit it is asked in ("72 F in celsius", "1.5 days in hours")."""
_EXPRESSION = re.compile(
    rf"{_NUMBER}\s*(?:[-+*/×÷^x]|times|plus|minus|divided\s+by|multiplied\s+by|over)\s*{_NUMBER}"
    rf"|{_NUMBER}\s+to\s+the\s+(?:power\s+of\s+)?{_NUMBER}"
    rf"|{_NUMBER}\s*[^\W\d][\w°/]*(?:\s+[^\W\d]+)?\s+(?:to|in|into)\s+[^\W\d]",
    re.IGNORECASE,
)
"""A part that is a whole calculation or conversion on its own ("144 / 12", "1 stone to kg")."""
_ITEM = re.compile(r",\s+(?:and\s+)?|\s+and\s+", re.IGNORECASE)
_LISTED = re.compile(r",\s+(?:and\s+)?", re.IGNORECASE)
_OPERATIONS = frozenset(_TABLES["arithmetic_words"]) - {"by", "-", "x", "over"}
_AGGREGATE = frozenset(_TABLES["aggregate_words"]) | {"multiply", "times", "plus", "product"}
_PLACEHOLDER = re.compile(r"\x00(\d+)\x00")
_TRIM = " \t\n,.;:—–"
_TRAILING = re.compile(r"(?:[\s,]+(?:and|then|and\s+then|or|so))+$", re.IGNORECASE)
"""A connective left at a part's end when the next part opened with its own ("X, and after
you've done that, Y")."""


@dataclass(frozen=True)
class Clause:
    """One routable part of a request.

    ``facts`` is the length of a stated preamble at its start ("I weigh 150 lbs, "): what a
    pronoun after it refers to is there, not in an earlier clause. Clauses of one parallel
    list ("11 * 11, 111 * 111 and 1111 * 1111") or ellipsis share a ``group``.
    """

    text: str
    group: int
    facts: int = 0


_RUN_ON = re.compile(rf"(?:{_alternation(_TABLES['run_on_starters'])})\b", re.IGNORECASE)
_RUN_ON_MIN_WORDS = 2


def run_on_points(text: str) -> list[int]:
    """Where a second part may begin inside a clause written on without punctuation or a
    joining word ("time in tokyo who invented the radio", "8 times 7 how much is 9 squared"):
    before a word that opens a question or a command (``run_on_starters``), after a word of
    content ("tell me what ..." and "a function that checks ..." go on), at least two words
    from either end, never inside a quotation. Only candidates: whether one is a boundary is
    for routing to say (each side must be an ask of its own)."""
    masked = _QUOTE.sub(lambda m: "x" * len(m.group(0)), text)
    words = list(re.finditer(r"\S+", masked))
    out = []
    for i in range(_RUN_ON_MIN_WORDS, len(words) - _RUN_ON_MIN_WORDS + 1):
        word, before = words[i], words[i - 1].group(0).lower().strip("?.,;:!")
        if not _RUN_ON.match(masked, word.start()) or _RUN_ON.fullmatch(before):
            continue
        if not before or before in STOP_WORDS or before in STARTERS:
            continue
        if len(masked[word.start() :].split()) < _RUN_ON_MIN_WORDS:
            continue
        out.append(word.start())
    return out


_CONTRACTED = re.compile(r"^(\w+?)(?:'|’)?s$")


def _opening(text: str) -> tuple[str, ...]:
    """The first two words of a question that opens with a question word ("what's" and
    "whats" read as "what is"); empty for anything else."""
    words = [w.lower() for w in re.findall(r"[\w'’]+", text)[:2]]
    if not words or words[0] not in _QUESTION_WORDS:
        return ()
    m = _CONTRACTED.match(words[0])
    if m and m.group(1) in _QUESTION_WORDS:
        return (m.group(1), "is")
    return tuple(words)


_QUESTION_WORDS = frozenset({"what", "whats", "what's", "who", "whos", "who's", "how",
                             "where", "wheres", "where's", "when", "which", "why"})  # fmt: skip


def repeats_opening(left: str, right: str) -> bool:
    """Whether ``right`` opens with the same question words as ``left`` ("what is 7 times 8
    what is the capital of peru", "who was einstein who was newton"): a second question
    written on without punctuation, asked apart however the whole reads."""
    first = _opening(left)
    return len(first) == 2 and first == _opening(right)


def names_something(text: str) -> bool:
    """Whether ``text`` names what it asks for without a verb: a thing of a named one ("the
    capital of Kenya", "time in tokyo") or something to be made ("a haiku about rain")."""
    text = text.strip(_TRIM)
    return bool(_BARE_FRAME.match(text) or _PRODUCT.match(text))


def operates(text: str) -> bool:
    """Whether ``text`` is a whole calculation or conversion on numbers of its own ("whats 12
    times 7", "convert 5 km to miles"; not "is it 12 or 13")."""
    return bool(_EXPRESSION.search(text) or _calculation(text))


def bare_calculation(text: str) -> bool:
    """Whether ``text`` is only a calculation on numbers of its own ("what's 343 times 3?"):
    besides its numbers, only operation words and the words of a question ("the speed of
    light times 2" names a quantity to look up)."""
    words = re.findall(r"[^\W\d_]+(?:'[a-z]+)?", text.lower())
    plain = _OPERATIONS | _CALC_WORDS | STOP_WORDS
    return operates(text) and all(w in plain or w.replace("'", "") in plain for w in words)


_CALC_WORDS = frozenset(_TABLES["arithmetic_words"]) | frozenset(_TABLES["lead_words"])


def refers_back(text: str) -> bool:
    """Whether ``text`` refers to something said before it ("cube it", "the time there",
    "the answer cubed", "square what you got")."""
    return bool(
        _REFERRING.search(_NOT_REFERRING.sub(" ", text))
        or _THE_RESULT.search(text)
        or FREE_RELATIVE.search(text)
    )


FREE_RELATIVE = re.compile(
    rf"\b(?:{_alternation(_TABLES['free_relative_heads'])})\s+"
    rf"(?:{_alternation(_TABLES['free_relative_subjects'])})\s+(?:just\s+)?"
    rf"(?:{_alternation(_TABLES['irregular_past'])}|[a-z]{{3,}}ed)\b"
    r"(?:\s+(?:back|before|earlier|above|there|for\s+(?:the\s+)?[a-z]+))?",
    re.IGNORECASE,
)
"""A result named by what was done to get it ("whatever you got", "what it came to")."""


_THE_RESULT = re.compile(
    rf"\b(?:the|that|this)\s+(?:{_alternation(_TABLES['result_nouns'])})\b"
    rf"|\b(?:{_alternation(_TABLES['result_phrases'])})\b",
    re.IGNORECASE,
)


def sets_scene(text: str) -> bool:
    """Whether ``text`` speaks of the speaker ("I'd love some help", "we're in a hurry") or
    greets and hedges: words that may only set the scene of what is asked."""
    words = re.findall(r"[a-z][a-z'’]*", text.lower())
    return speaks_of_self(text) or any(w in _GREETING for w in words)


_SPEAKER = re.compile(r"(?:i|we|my|our)\b", re.IGNORECASE)


def speaks_of_self(text: str) -> bool:
    """Whether ``text`` opens with the speaker ("I've been ...", "We're ...", "My ..."): the
    sentence is about them, whatever else it says."""
    return _SPEAKER.match(text.strip()) is not None


def states_facts(text: str) -> bool:
    """Whether ``text`` states facts ("if I save 250 a week", "I weigh 150 lbs") rather
    than asks."""
    return _is_statement(text.strip(_TRIM))


def starts_request(text: str) -> bool:
    """Whether ``text`` opens with a word that opens a question or a command."""
    return _STARTS.match(text.strip()) is not None


_QUESTION_WORD = re.compile(rf"^(?:{alternation(cue_table('followup.json')['wh_words'])})\b", re.I)


def opens_question(text: str) -> bool:
    """Whether ``text`` opens with a question word ("who", "how many"): a question of its own."""
    return _QUESTION_WORD.match(text.strip()) is not None


def split_clauses(text: str) -> list[str]:
    """Clauses in order; each keeps a trailing '?' so it still reads as a question."""
    return [c.text for c in clauses(text)]


def clauses(text: str) -> list[Clause]:
    """The request's clauses with their groups and preambles (see ``Clause``)."""
    quoted: list[str] = []

    def mask(m: re.Match[str]) -> str:
        quoted.append(m.group(0))
        return f"\x00{len(quoted) - 1}\x00"

    masked = _arrows(_QUOTE.sub(mask, text.strip()))
    masked = _SLIPPED.sub(lambda m: _SLIPS[" ".join(m.group(0).lower().split())], masked)
    found = _assembled(masked)
    # "twenty times thirty and forty divided by eight": read once more with the numbers said
    # in words that are operated on as digits, piece by piece; taken when it shows more parts
    # (an operation is seen whole however its numbers are said; "Two quick ones." counts)
    spoken = _PIECES.sub(lambda m: numbers_operated(m.group(0)), masked)
    if spoken != masked:
        read = _assembled(spoken)
        found = read if len(read) > len(found) else found
    result = [
        Clause(_PLACEHOLDER.sub(lambda m: quoted[int(m.group(1))], c.text), c.group, c.facts)
        for c in found
    ]
    if not result and text.strip():
        return [Clause(text.strip(), 1)]
    return result


_ARROW = re.compile(r"\s*(?:→|->|=>|⇒)\s*(?P<next>[^→=⇒\n;]*?)(?=\s*(?:→|->|=>|⇒|[\n;]|$))")
"""An arrow between steps ("sqrt(256) → times 3", "100 km -> miles -> times 2")."""


_QUANTITY_BEFORE = re.compile(r"\d[\d.,]*\s*°?\s*[^\W\d_][\w/]*\s*$")
"""A number and its unit right before an arrow: what follows may be the unit it goes into."""


def _arrows(text: str) -> str:
    """``text`` with each arrow read as the words it stands for: "to" before a unit alone
    ("60 mph -> km/h"), a new part that works on the one before otherwise ("→ times 3")."""

    def read(m: re.Match[str]) -> str:
        after = m.group("next")
        quantity = _QUANTITY_BEFORE.search(m.string, 0, m.start())
        if quantity is not None and len(after.split()) <= 2 and carries_unit(f"2 {after}"):
            return f" to {after}"  # "60 mph -> km/h"
        return f"; then {after}"

    return _ARROW.sub(read, text)


_UNIT_LEFT_OUT = re.compile(
    rf"(?P<quantity>(?P<number>{_NUMBER})\s*(?P<unit>[^\W\d][\w°/]*))\b(?P<between>[^,;.?!]*?)"
    rf"(?P<join>,?\s+(?:and|also|then|plus)\s+)(?P<second>{_NUMBER}|the\s+same)"
    rf"(?=\s+(?:to|in|into)\s+[^\W\d])",
    re.IGNORECASE,
)


def _unit_carried(text: str) -> str:
    """A second quantity written without its unit, or as "the same", takes the unit of the
    first: "convert 5 km to miles and 10 to feet" asks 10 km in feet, "50 km in miles and the
    same in feet" 50 km in feet. Only after a number with a unit ("2 to the power of 10 and 3
    to the 4th" has none)."""

    def carry(m: re.Match[str]) -> str:
        if not carries_unit(m.group("quantity")):
            return m.group(0)
        second = m.group("second")
        said = (
            m.group("quantity")
            if second.lower().startswith("the")
            else f"{second} {m.group('unit')}"
        )
        return f"{m.group('quantity')}{m.group('between')}{m.group('join')}{said}"

    return _UNIT_LEFT_OUT.sub(carry, text)


_PIECES = re.compile(r"[^,;:.?!\n]+")
"""Stretches between punctuation: where numbers in words are read as operands or not."""


def _assembled(masked: str) -> list[Clause]:
    """The clauses of a request whose quotations are masked (``clauses``)."""
    masked = _CASUAL_AND.sub(" and ", _AMPERSAND.sub(" and ", masked))
    masked = _ARTICLE_AND.sub(" and ", masked)
    masked = _unit_carried(masked)
    masked = _ASIDE.sub("", _COORDINATOR.sub(" and ", _parenthesised_parts(masked)))
    masked = _ADDED_PART.sub(lambda m: f"; {m.group('join')} ", masked)
    parts: list[tuple[str, int, bool]] = []  # (text, group, an item of an announced list)
    problems: dict[int, int] = {}  # part -> the length of the quantities it states first
    group = 0
    topic = ""
    for line, marked in _lines(masked):
        line = _MID_MARK.sub("", line)
        listed = _ANNOUNCED.match(line)
        if listed and line[listed.end() :].strip():  # "I need two things: A and B"
            items = [i for i in _split_items(line[listed.end() :]) if _trim(i)]
            if len(items) > 1:
                for item in items:
                    group += 1
                    parts.append((_trim(item), group, True))
                continue
        verb = ""  # "Calculate these: A; B": the verb each item is asked with
        for sentence in (s for piece in _SENTENCE.split(line) for s in _capital_breaks(piece)):
            announced = _ANNOUNCING.match(sentence)
            if announced:
                verb, sentence = announced.group(1), sentence[announced.end() :]
            sentence, named = _lead_in(sentence)
            topic = named or topic
            stated = _one_problem(sentence)
            if stated is not None:  # "jacket is 120 and 35% off, what do I pay": one part
                group += 1
                problems[len(parts)] = stated
                parts.append((_trim(sentence), group, marked))
                continue
            for raw in (r for piece in sentence.split("\x01") for r in _JOIN.split(piece)):
                part = _lead_off(_trim(raw))
                if part and verb and not _STARTS.match(part):
                    part = f"{verb} {part}"
                if not part or _social(part) or _FRAME_ONLY.fullmatch(part):
                    continue
                for piece, framed in _conjuncts(part):
                    items = _distributed(piece) or _parallel(piece)
                    group += 1
                    in_list = marked or framed or bool(verb) or len(items) > 1
                    parts.extend((_about(item, topic), group, in_list) for item in items)
    return _assemble(parts, problems)


_INLINE_MARK = re.compile(r"\s+(?=\(?(?:\d{1,2}|[a-h])[.)]\s+[^\W_])")
_ITEM_MARK = re.compile(r"\s*\(?(?:\d{1,2}|[a-h])[.)]\s+[^\W_]")
_LIST_HEAD = re.compile(r"^[^:]{0,60}:\s*(?=\(?(?:\d{1,2}|[a-h])[.)]\s)")


_FRAME_ONLY = re.compile(
    rf"(?:(?:{_alternation(_TABLES['request_frames'])})\b[\s,.!?]*)+", re.IGNORECASE
)
"""A piece that is only a request's frame ("could you", "can you please"): it asks nothing."""


def _social(part: str) -> bool:
    """A part that asks nothing: greetings, hedges and politeness alone ("hey", "sorry to
    bother you", "while you're at it"), or only how many parts follow ("2 questions")."""
    if _COUNTED_LIST.match(part):
        return True
    words = re.findall(r"[a-z][a-z'’]*", part.lower())
    spoken = [w for w in words if w in _SPOKEN]
    if re.search(r"\d|\x00", part) or (len(spoken) > 1 and len(words) == len(spoken) + 1):
        return False  # "two and three" of "sum of one, two and three" are numbers
    if all(w in _SOCIAL for w in words) and any(w in _GREETING for w in words):
        return True  # "what is it" asks, "if you can" does not
    # "quick question before my flight": mostly greeting and hedging, asking nothing
    said = [w for w in words if w not in STOP_WORDS]
    social = sum(w in _GREETING for w in said)
    return (
        social >= _SOCIAL_MOST
        and 2 * social > len(said)
        and not part.rstrip().endswith("?")
        and not _STARTS.match(part)
        and not _names_a_thing(part)
    )


_SOCIAL_MOST = 2
_SPOKEN = frozenset([*NUMBER_WORDS, *NUMBER_TENS, *NUMBER_SCALES])
"""Numbers said in words: a part made of them names numbers, never only greets ("two")."""


_COUNTED_LIST = re.compile(
    rf"^(?:(?:i\s+have|here\s+are|got)\s+)?(?:\d{{1,2}}|a\s+few|a\s+couple(?:\s+of)?|"
    rf"{_alternation([w for w in _TABLES['count_words'] if not w.isdigit()])})\s+(?:quick\s+|short\s+)?"
    rf"(?:{_alternation(_TABLES['list_nouns'])})(?:\s+for\s+you)?\s*[.!:]?$",
    re.IGNORECASE,
)
"""A sentence that only counts the parts after it ("2 questions.", "three things")."""


_ANNOUNCING = re.compile(
    rf"^((?:{_STARTER})\b[^:\d\n]{{0,30}}?)\s+(?:these|the\s+following|following|them|both)\s*:\s+(?=\S)",
    re.IGNORECASE,
)
"""A command announcing the items after its colon ("Calculate these: 15 * 15; 20 * 20"): each
item is asked with its verb."""
_POINTS = re.compile(r"\b(?:this|these|that|following|below)\b", re.IGNORECASE)
"""A lead-in that points at what follows its colon ("Put this into Spanish: ...")."""


_ASKING = re.compile(rf"\b(?:{_alternation(_TABLES['asking_nouns'])})\b", re.IGNORECASE)
"""A lead-in that only says what follows is a question or a task."""


def _lead_in(sentence: str) -> tuple[str, str]:
    """The sentence without a lead-in set off by a colon or a spaced dash when the lead-in
    only greets or hedges ("Just wondering - ...") or names the topic ("For Switzerland: ...";
    returned second), or, before a colon, neither asks nor states anything ("Quick one before
    lunch: ..."); a statement before a dash ("I'm calling a friend in Nairobi - ...") is kept as
    a part of its own. Anything else is left as it is ("Translate to French: ...")."""
    m = _LEAD_IN.match(sentence)
    if m is None:
        return sentence, ""
    lead, rest = m.group(1).strip(_TRIM), sentence[m.end() :]
    if _social(lead) or (_ASKING.search(lead) and not _STARTS.match(lead)):
        return rest, ""  # "quick question for a pub quiz - ..."
    topic = _TOPIC.match(lead)
    if (
        topic is not None
        and not _STARTS.match(lead)
        and not _SEQUENCE_LEAD.match(f"{lead}:")
        and (m.group(0).rstrip()[-1] == ":" or not _BARE_FRAME.match(lead))
    ):
        return rest, topic.group(1)
    colon = m.group(0).rstrip()[-1] == ":"
    if colon and not (_STARTS.match(lead) or _EMBEDDED.match(lead) or _POINTS.search(lead)):
        return rest, ""  # "Quick one before lunch: ...", "I'm baking: ...", "Two sums for you:"
    if colon and not _STARTS.match(lead) and _whole_items(rest):
        return rest, ""  # "Need these for a worksheet: 88 + 12, 90 - 45": no verb they take
    if (_is_statement(lead) or _BARE_FRAME.match(lead)) and not colon:
        # "the capital of Austria - what's the time there?": a thing asked before a dash is a
        # part of its own that the part after it may refer to, not a topic
        return f"{lead}\x01{rest}", ""
    return sentence, ""


def _whole_items(text: str) -> bool:
    """A list of whole calculations or conversions ("88 + 12, 90 - 45, and 6 * 7"): each asks
    by itself, whatever the words before them point at."""
    items = [i for i in _ITEM.split(text) if i.strip()]
    return len(items) > 1 and all(operates(i) for i in items)


def _about(part: str, topic: str) -> str:
    """A part that names nothing of its own, with the topic set before it ("what's the
    capital" after "For Switzerland:" asks the capital of Switzerland)."""
    # a number names something of its own only where it is worked on ("5 miles in km"), not
    # in "run up to 4 processes at a time" after "xargs:"
    if not topic or re.search(r"(?<=\s)[A-Z]", part) or topic.lower() in part.lower():
        return part
    if re.search(r"\d", part) and operates(part):
        return part
    end = "?" if part.endswith("?") else ""
    body = part.rstrip("?").rstrip(_TRIM)
    words = body.split()
    joint = "of" if len(words) <= 2 or (len(words) > 1 and words[-2].lower() == "the") else "in"
    return f"{body} {joint} {topic}{end}"


def _inline_items(line: str) -> list[str]:
    """A numbered list written on one line ("1) cube 3 2) add 1 to it", "Do these: a) ...
    b) ...") as its items, each with its mark; a line whose list does not open with a mark
    is kept whole ("(2 + 3) * 4")."""
    head = _LIST_HEAD.match(line)
    start = head.end() if head else 0
    if not _ITEM_MARK.match(line, start):
        return [line]
    items = _INLINE_MARK.split(line[start:])
    if len(items) < 2:
        return [line]
    return [line[:start].strip(), *items] if start else items


def _lines(text: str) -> list[tuple[str, bool]]:
    """The request's lines without their list marks (and whether each had one: a list's item
    is a part of its own, never the fragment of the one before); a line that only announces
    the list ("Can you do these for me:") is dropped."""
    lines = [item for line in text.splitlines() for item in _inline_items(line) if item.strip()]
    if len(lines) < 2:
        return [(line, False) for line in lines]
    out: list[tuple[str, bool]] = []
    for line in lines:
        marked = _MARKER.match(line) is not None
        line = _MARKER.sub("", line)
        if line.rstrip().endswith(":") and (_HEADER.match(line) or not out):
            continue
        out.append((line, marked))
    return out


_ADDED = re.compile(
    rf"^(?:add|combine|sum)\s+(?:up\s+)?{_NUMBER}[^,;\d]*(?:{_NUMBER}[^,;\d]*)?"
    rf"\s(?:and|plus|to)\s+{_NUMBER}[^,;]*$",
    re.IGNORECASE,
)
"""Two operands of one sum ("add 3 km and 500 m", "add 1 hour 15 minutes and 2 hours")."""


def _conjuncts(part: str) -> list[tuple[str, bool]]:
    """The part's own conjoined parts: a list of requests ("the capital of Portugal, 250 g
    in ounces, and a limerick"), a repeated frame, one operation after another ("the sum of 4
    and 5 and the product of 6 and 7"), and a noun phrase that refers to what the part before
    it asks ("the capital of Peru and the current time there"); each with whether it is an
    item of a list (then never the fragment of the one before)."""
    if _ADDED.match(part):  # "add 3 km and 500 m in metres": one sum, two operands
        return [(part, False)]
    combined = _combined_lookups(part)
    if combined:
        return [(c, True) for c in combined]
    out: list[tuple[str, bool]] = []
    requests = _listed_requests(part)
    for listed in requests:
        for piece in _repeated_frame(listed):
            frames = _conjoined_frames(piece)
            for conjunct in frames:
                framed = len(frames) > 1 or len(requests) > 1
                out.extend((c, framed) for c in _referring_conjunct(conjunct))
    return out


_LOOKUP = r"the\s+[^\W\d]+(?:\s+[^\W\d]+)?\s+(?:of|in)\s+[^\W\d][\w'-]*(?:\s+[^\W\d][\w'-]*)?"
_FRAME_OPERATIONS: dict[str, str] = _TABLES["frame_operations"]
_COMBINED = re.compile(
    rf"^(?P<head>.*?)(?P<a>{_LOOKUP})\s+(?P<op>{_alternation(list(_FRAME_OPERATIONS))})\s+"
    rf"(?P<b>{_LOOKUP})[\s?.!]*$",
    re.IGNORECASE,
)


def _combined_lookups(part: str) -> list[str]:
    """Two things looked up and an operation on them ("what's the atomic number of oxygen plus
    the atomic number of carbon"): the two questions, then the operation on their results
    (``frame_operations``); a part with numbers of its own is a calculation as written."""
    m = _COMBINED.match(part)
    if m is None or re.search(r"\d", part):
        return []
    if not all(_quantity_asked(m.group(k)) for k in ("a", "b")):
        return []  # "the capital of Germany plus the capital of Italy": two questions
    head = m.group("head")
    operation = _FRAME_OPERATIONS[re.sub(r"\s+", " ", m.group("op").lower())]
    return [f"{head}{m.group('a')}", f"{head}{m.group('b')}", operation]


_QUANTITY_NOUNS = frozenset(cue_table("answers.json")["quantity_nouns"])


def _quantity_asked(lookup: str) -> bool:
    """A lookup that asks for a number ("the atomic number of oxygen", "the height of K2"):
    what an operation between two lookups can work on."""
    head = re.split(r"\s+(?:of|in)\s+", lookup, maxsplit=1)[0].split()[-1].lower()
    return head in _QUANTITY_NOUNS or head.rstrip("s") in _QUANTITY_NOUNS


_COMMA = re.compile(r",\s+(?:and\s+|or\s+)?", re.IGNORECASE)
_LAST_AND = re.compile(
    r"\s+(?:and|plus)\s+|(?<=[^\W\d])\s+\+\s+(?=[^\W\d]|\d[\d.,]*\s*[^\W\d])", re.IGNORECASE
)
_BARE_FRAME = re.compile(
    r"^(?:(?:the|a|an)\s+)?[^\W\d]+(?:\s+[^\W\d]+)?\s+(?:of|in|for)\s+\S", re.IGNORECASE
)
"""A thing asked of a named one, with or without its article ("capital of kenya")."""
_PRODUCT = re.compile(r"^(?:a|an)\s+(?:[^\W\d]+\s+){0,2}?[^\W\d]+\s+(?:about|on|for|of)\s+\S")
"""Something to be made, by its kind and topic ("a limerick about a goat")."""
_OPERATOR_LED = re.compile(
    rf"^(?:{_alternation(_TABLES['operator_leads'])})\s*{_NUMBER}\s*[?.!]?$", re.IGNORECASE
)
"""An operation whose left operand is left out ("times 2", "/3"): the result before it."""


def leaves_left_operand(part: str) -> bool:
    """An operation on a number whose left operand is left out ("times 2", "/3")."""
    return _OPERATOR_LED.match(part.strip(_TRIM)) is not None


def _frame_after_request(last: str, first: str, second: str) -> bool:
    """Whether ``second``, the item after the last "and" of ``last``, is a frame of its own
    after a request ``first`` that gives no number ("what's the git status plus the time in
    london"), not words of the same request."""
    return (
        _STARTS.match(first) is not None
        and not re.search(r"\d", first)  # "what's 7 plus 8 times 2": one sum
        and _counts_or_frames(second)
        # "Summarise the plot of Romeo and Juliet": a frame needs its own article
        and bool(
            re.search(r"\d", second) or re.match(r"(?:the\s|[A-Z][\w-]*['’]s\s)", second.strip())
        )
        # "tell me the time in Oslo and the time in Lima": one frame after another,
        # each asked with the words before the first (`_conjoined_frames`)
        and not (_FRAME.search(first) and _FRAME.match(second.strip()))
        and not _REFERRING.search(_NOT_REFERRING.sub(" ", second))  # "the history of it"
        and len(_conjoined_frames(last)) < 2  # "Tell me who ... and the currency ..."
    )


def _listed_requests(part: str) -> list[str]:
    """A list of requests set side by side with commas or one "and" ("what's 18 * 4 and the
    capital of Germany"): split when every item after the first asks something on its own (a
    command or question, a calculation or conversion, "the X of Y", something to be made, or
    what refers to the item before: "time there", "times 2"). A list of things one request
    works on ("add 3, 4 and 5", "a poem about the sea, the sky and the stars", "between A and
    B") stays whole: its items ask nothing alone."""
    if (
        re.search(r"\bbetween\b", part, re.IGNORECASE)
        or len(_distributed(part) or _parallel(part)) > 1
    ):
        return [part]  # one question over several things, or one list of calculations
    items = [i.strip(_TRIM) for i in _COMMA.split(part)]
    if any(not i for i in items) or len(items[0].split()) < 2:
        return [part]
    *head, last = items
    pair = _LAST_AND.split(last)
    if len(pair) > 2:  # "capital of canada and time in ottawa and 2 plus 2"
        joined = _joined_requests(last)
        pair = [last]  # two of several pieces are one request's ("the sum of 4 and 5 and ...")
        if len(joined) > 2:
            items = [*head, *joined]
    if len(pair) == 2 and _one_sum(last, pair):
        pair = [last]  # "3 squared plus 4 squared": one calculation, not two parts
    if (
        len(pair) == 2
        and all(_asks_alone(p) for p in pair)
        and (_counts_or_frames(pair[0]) or _frame_after_request(last, pair[0], pair[1]))
    ):
        # "..., 25% of 640 and a poem", "what's the git status plus the time in london"
        items = [*head, *(p.strip(_TRIM) for p in pair)]
    if len(items) < 2 or not all(_asks_alone(i) for i in items[1:]):
        return [part]
    return items


def _joined_requests(text: str) -> list[str]:
    """Requests joined one after another by "and", "plus" or "+" ("time in mexico city plus
    capital of mexico plus 8 times 8"), read from the end: a joiner parts two requests where
    the words on each side ask by themselves (`_asks_alone`); otherwise it stays inside one
    ("2 plus 2", "3 squared plus 4 squared plus 5 squared")."""
    pieces = _LAST_AND.split(text)
    joiners = _LAST_AND.findall(text)
    groups = [pieces[-1].strip()]
    for piece, joiner in zip(pieces[-2::-1], joiners[::-1], strict=True):
        right, piece = groups[0], piece.strip()
        both_sums = _calculation(piece) and _calculation(right)
        if (
            _asks_alone(piece)
            and _asks_alone(right)
            and not (both_sums and joiner.strip().lower() in ("plus", "+"))
        ):
            groups.insert(0, piece)
        else:
            groups[0] = f"{piece}{joiner}{right}"
    return groups


def _one_sum(text: str, pair: list[str]) -> bool:
    """Two calculations joined by "plus" ("3 squared plus 4 squared") are one sum; joined by
    "and" they are two parts ("9 squared and 4 cubed")."""
    joiner = _LAST_AND.search(text)
    said = joiner.group(0).strip().lower() if joiner else ""
    return said in ("plus", "+") and all(_calculation(p) for p in pair)


_CARRY = frozenset(_TABLES["carry_verbs"])
_CARRIED_WORDS = frozenset(_TABLES["presentation_fillers"]) | frozenset(_TABLES["result_nouns"])


def _carries_only(words: list[str]) -> bool:
    """Words that only take up an earlier result for what follows ("using that result", "with
    the answer"): no request of their own."""
    if not words:
        return False
    verb = words[0]
    carrying = verb in _CARRY or (verb.endswith("ing") and f"{verb[:-3]}e" in _CARRY)
    return carrying and all(w in _CARRIED_WORDS for w in words[1:])


def _counts_or_frames(item: str) -> bool:
    """An item that is a calculation, a conversion, "the X of Y" or "Y's X" (what "and" may
    end a list of requests after; "a cat and a dog" is one thing asked about)."""
    item = item.strip(_TRIM)
    return bool(
        _EXPRESSION.search(item)
        or _calculation(item)
        or _BARE_FRAME.match(item)
        or _POSSESSIVE.match(item)
    )


_POSSESSIVE = re.compile(
    rf"^(?:(?:what|which)(?:'s|\s+(?:is|are))\s+)?(?:the\s+)?[A-Z][\w-]*(?:\s+[A-Z][\w-]*)?['’]s\s+"
    rf"(?:{_alternation(_TABLES['lookup_nouns'])})(?:\s+(?:please|pls))?[?.!]*$",
    re.IGNORECASE,
)
"""A thing asked of a named one before it ("Germany's currency", "what's Japan's capital")."""


def _asks_alone(item: str) -> bool:
    """Whether a list item asks something by itself (see `_listed_requests`)."""
    item = item.strip(_TRIM)
    if leaves_left_operand(item) or (_EXPRESSION.match(item) and " " not in item):
        return True  # "times 2", "2+2"
    words = re.findall(r"[a-z']+", item.lower())
    if len(item.split()) < 2 or _carries_only(words):
        return False
    if _STARTS.match(item) or _counts_or_frames(item) or _PRODUCT.match(item):
        return True
    return bool(_REFERRING.search(_NOT_REFERRING.sub(" ", item)))


_CONJUNCTION = re.compile(r"\s+(?:and|plus|as\s+well\s+as|along\s+with)\s+", re.IGNORECASE)
_OPERATION_OF = rf"(?:{_alternation(_TABLES['operation_frames'])})\s+of"
"""An operation named without its article ("gcd of 84 and 126", "sum of 4 and 5")."""
_FRAME = re.compile(
    rf"\b(?:the\s+[^\W\d]+(?:\s+[^\W\d]+)?\s+(?:of|in)|{_OPERATION_OF})\b", re.IGNORECASE
)
_CALCULATION = r"-?\d[\d,]*(?:\.\d+)?\s*(?:[-+*/×÷^x]|times|plus|minus)\s*\d"
_NEXT_FRAME = re.compile(
    r"(?:,\s*(?:and\s+)?|\s+and\s+)"
    rf"(?=the\s+[^\W\d]+(?:\s+[^\W\d]+)?\s+(?:of|in)\b|{_OPERATION_OF}\b|{_CALCULATION})",
    re.IGNORECASE,
)


_ASKS_THE = re.compile(
    r"\b(?:what|which)(?:'s|\s+(?:is|are|was|were))\s+the\s+[^\W\d]+\W*$", re.IGNORECASE
)
"""A question that only names a thing, whose "of ..." comes after the next one's."""
_WH_QUESTION = re.compile(r"\b(?:who|what|which|when|where|how)\b", re.IGNORECASE)
"""A question word: the part before a list of things asked by name is a question itself."""


def _conjoined_frames(part: str) -> list[str]:
    """One operation after another: in "the sum of 4 and 5 and the product of 6 and 7" each
    "the X of" opens a part of its own ("the difference between A and B" is one); so does
    each item of a list of such frames and calculations ("the capital of Austria, the currency
    of Hungary, and 7 * 13", "the time in Cairo and the time in Lima")."""
    pieces = _NEXT_FRAME.split(part)
    if len(pieces) < 2 or re.search(r"\bbetween\b", part, re.IGNORECASE):
        return [part]
    asked = _WH_QUESTION.search(pieces[0])
    if (
        asked
        and not _FRAME.search(pieces[0])
        and not _ASKS_THE.search(pieces[0])  # "What are the capital and the currency of Peru"
        and all(_FRAME.match(p.strip()) and not _REFERRING.search(p) for p in pieces[1:])
    ):
        # "Tell me who discovered penicillin and the language spoken in Brazil": a question,
        # then things asked by name, each asked with the words before the question
        lead = pieces[0][: asked.start()]
        return [pieces[0].strip(_TRIM), *(f"{lead}{p.strip()}".strip(_TRIM) for p in pieces[1:])]
    if not all(_FRAME.search(p) or re.match(_CALCULATION, p.strip()) for p in pieces):
        return [part]
    if not any(_FRAME.search(p) for p in pieces):
        return [part]  # numbers alone are the parallel lists' (`_parallel`)
    first = _FRAME.search(pieces[0])
    head = pieces[0][: first.start()] if first else ""  # "What's" of "What's the sum of ..."
    return [
        (head + p.strip() if i and _FRAME.match(p.strip()) else p).strip(_TRIM)
        for i, p in enumerate(pieces)
    ]


def _referring_conjunct(part: str) -> list[str]:
    """A short noun phrase after the last "and" that refers back ("Tell me the capital of
    Peru and the current time there", "... and its currency") asks for something of the first
    part's answer, so it is a part of its own (the words are not one list of things)."""
    joins = list(_CONJUNCTION.finditer(part))
    if not joins:
        return [part]
    left, right = part[: joins[-1].start()], part[joins[-1].end() :]
    words = right.rstrip("?").split()
    if not words or words[0].lower() not in _DETERMINERS or len(words) > 8:
        return [part]
    if len(left.split()) < 3 or not _REFERRING.search(_NOT_REFERRING.sub(" ", right)):
        return [part]
    if words[0].lower() in ("that", "this", "these", "those") and len(words) == 1:
        return [part]  # "compare this and that"
    return [left.strip(_TRIM), right.strip(_TRIM)]


def _repeated_frame(part: str) -> list[str]:
    """Two parts that open with the same words, joined by "and" or "plus": "capital of Germany
    and capital of France", "git log plus git branches" (not "between 3 and 5")."""
    words = part.split()
    head = words[0].lower() if words else ""
    if len(head) < 3 or not head.isalpha() or head in _DETERMINERS or head in _PREPOSITIONS:
        return [part]
    pieces = re.split(rf"\s+(?:and|plus)\s+(?={re.escape(words[0])}\b)", part, flags=re.IGNORECASE)
    if len(pieces) < 2 or any(len(p.split()) < 2 for p in pieces):
        return [part]
    return [p.strip(_TRIM) for p in pieces]


_DASH_END = re.compile(r"\s+-+$")
"""A spaced dash left at a part's end ("what's 33 * 3 - and also ..."), not a minus sign."""


def _trim(part: str) -> str:
    """Without the punctuation around it; "5!" keeps its factorial."""
    part = _DASH_END.sub("", part.strip(_TRIM)).strip(_TRIM)
    while part.endswith("!") and not part[-2:-1].isdigit():
        part = part[:-1].rstrip(_TRIM)
    return part


_ADDITIVE_TAIL = re.compile(
    rf"(?<=\S)[\s,]+(?:{_alternation(_TABLES['additive_tails'])})[\s?.!]*$", re.IGNORECASE
)
"""Words at a part's end that only say it is asked in addition ("and 20 km too")."""


_ADDED_PART = re.compile(
    r",?\s+(?P<join>and|plus)\s+(?=(?:(?!\b(?:and|plus)\b)[^,;?!\n])*?\s"
    rf"(?:{_alternation(_TABLES['additive_tails'])})[\s?.!]*(?:[;\n]|$))",
    re.IGNORECASE,
)
"""The last "and" before words that say a part is asked in addition ("convert 3 km to miles
and 7 km as well"): it starts a part of its own, never a second operand."""


def _lead_off(part: str) -> str:
    """The part without the connective it starts with ("And then", "Also,")."""
    stripped, before = _trim(part), ""
    while stripped != before:  # "And then, second: ..."
        before = stripped
        stripped = _trim(_SEQUENCE_LEAD.sub("", _LEAD.sub("", stripped)))
        stripped = _trim(_TRAILING.sub("", stripped))
        stripped = _trim(_ADDITIVE_TAIL.sub(lambda m: "?" if "?" in m.group(0) else "", stripped))
    stripped = _base_verb(_social_off(stripped))
    if not stripped or not re.search(r"[^\W_]|\x00", stripped):
        return ""
    # a keyword of the starters list kept its own meaning ("then" is not a clause)
    return stripped


_BUT = re.compile(r"^(?:but|and|so)\b[\s,]*", re.IGNORECASE)


def _social_off(part: str) -> str:
    """The part without a greeting or hedge set off by a comma before or after what it asks
    ("Sorry to bother you, but what's 7 factorial", "work out 17 * 23, and while you're at
    it")."""
    pieces = part.split(", ")
    while len(pieces) > 1 and _social(pieces[0]) and _CORRECTION.sub("", pieces[0]).strip():
        pieces = pieces[1:]
        pieces[0] = _BUT.sub("", pieces[0])
    while len(pieces) > 1 and _social(pieces[-1]):
        pieces = pieces[:-1]
    return ", ".join(pieces)


def _base_verb(part: str) -> str:
    """A part opening with a verb's -ing form ("... followed by multiplying it by 5") as a
    command ("multiply it by 5"), when the verb opens requests of its own."""
    m = re.match(r"([A-Za-z]+)ing\b", part)
    if m is None:
        return part
    stem = m.group(1).lower()
    for verb in (stem, f"{stem}e", stem[:-1]):
        if verb in STARTERS:
            return verb + part[m.end() :]
    return part


_AMOUNT = rf"{_NUMBER}(?:\s*(?!(?:and|or|st|nd|rd|th)\b)[^\W\d][\w°]*)?"
_QUANTITIES = re.compile(
    rf"(?P<run>{_AMOUNT}(?:\s*,\s*{_AMOUNT})*\s*,?\s+(?:and|or)\s+{_NUMBER}\s*"
    rf"(?P<unit>(?!(?:and|or|to|in|into|st|nd|rd|th)\b)[^\W\d][\w°]*)?)"
    r"(?P<rest>\s+(?:to|in|into)\s+(?!(?:the|a|an)\b)[^\W\d].*|[\s?.!]*)$",
    re.IGNORECASE,
)
"""Quantities listed before one conversion ("3, 5 and 8 miles to km", "1 kg, 2 kg and 5 kg")."""
_ASKS_UNIT = re.compile(r"\bhow\s+(?:many|much)\s+[^\W\d]", re.IGNORECASE)
_UNARY = [verb for verb, (arity, _) in _TABLES["operations"].items() if int(arity) == 1]
_NUMBERS = re.compile(
    rf"^(?P<verb>(?:{_alternation(_UNARY)}))\s+(?P<run>{_NUMBER}(?:\s*,\s*{_NUMBER})*\s*,?\s+"
    rf"and\s+{_NUMBER})(?P<rest>[\s?.!]*)$",
    re.IGNORECASE,
)
"""One operation on one number, over a list ("square 4, 5 and 6")."""
_NAME = r"(?:the\s+)?[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2}"
_NAMES = re.compile(
    rf"\b(?:of|in)\s+(?P<run>{_NAME}(?:\s*,\s*{_NAME})*\s*,?\s+and\s+(?:(?:of|in)\s+)?{_NAME})"
    r"(?P<rest>[\s?.!]*)$"
)
"""One question over named things ("the capitals of France, Italy and Germany", "the time in
Tokyo, London and Lima", "the capital of Canada and of Australia")."""
_PLURAL_OF = re.compile(
    r"\b(?P<head>[a-z]+[^s\W])s\s+of\s+(?P<run>[a-z]{3,}(?:\s*,\s*[a-z]{3,})*\s*,?\s+and\s+[a-z]{3,})"
    r"(?P<rest>[\s?.!]*)$"
)
"""One question over things named in lower case after a plural of what is looked up ("the
atomic numbers of hydrogen and gold"): a plural asks of each ("the benefits of diet and
exercise" is one question)."""
_LOOKED_UP = _QUANTITY_NOUNS | frozenset(w for group in _TABLES["same_kind"] for w in group)
_SHARED = re.compile(
    r"\bthe\s+(?P<a>[a-z]+(?:\s+[a-z]+)?)\s+and\s+(?:the\s+|its\s+)(?P<b>[a-z]+(?:\s+[a-z]+)?)"
    r"\s+of\s+(?P<x>\S.*)$",
    re.IGNORECASE,
)
"""Two things asked of one subject, each with its article ("the capital and the currency of
Peru"); "the name and location of the airport" is one record asked of one source."""
_LOOKUPS = _alternation(_TABLES["lookup_nouns"])
_SHARED_LOOKUP = re.compile(
    rf"\bthe\s+(?P<a>{_LOOKUPS})\s+and\s+(?P<b>{_LOOKUPS})\s+of\s+(?P<x>\S.*)$",
    re.IGNORECASE,
)
"""Two things a named one has, the second without its article ("the capital and official
language of Kenya"; ``lookup_nouns``)."""
_LOOKUP_THEN_BARE = re.compile(
    rf"\bthe\s+(?:{_LOOKUPS})\s+of\s+(?P<x>(?:the\s+)?[^\W\d][\w'-]*)"
    rf"(?P<and>\s+and\s+)(?:also\s+)?the\s+(?P<b>{_LOOKUPS})[\s?.!]*$",
    re.IGNORECASE,
)
"""A second thing asked of the first one's subject, after it ("the boiling point of water
and the freezing point")."""
_RUN_ITEM = re.compile(r"\s*,\s*(?:(?:and|or)\s+)?|\s+(?:and|or)\s+", re.IGNORECASE)


def _distributed(part: str) -> list[str]:
    """A part that asks one thing of each item of a list, as one part per item: quantities
    before one conversion, numbers after an operation on one number, names after "of" or
    "in", two things of one subject. ``[]`` when it is none of these; a list that is taken
    whole ("add 3, 5 and 8", "the average of 2, 4 and 9", "between 3 and 5") is none."""
    if re.search(r"\bbetween\b", part, re.IGNORECASE) or _aggregates(part):
        return []
    each = _asked_of_each(part)
    if each:
        return each
    m = _QUANTITIES.search(part)
    if m and re.search(r"\d", part[: m.start()]):
        m = None  # "20 percent of 90 and 100 F in C": the first number is another expression's
    if m and (m.group("rest").strip(" ?.!") or _ASKS_UNIT.search(part[: m.start()])):
        unit = m.group("unit") or ""
        items = [i.strip() for i in _RUN_ITEM.split(m.group("run")) if i.strip()]
        units = {w.lower() for i in items for w in re.findall(r"[^\W\d][\w°]*", i)}
        if len(units) > 1:  # "3 hours and 10 minutes", "5 feet and 2 inches": one quantity
            return []
        out = []
        for item in _RUN_ITEM.split(m.group("run")):
            item = item.strip()
            if not re.search(r"[^\W\d]", item) and unit:
                item = f"{item} {unit}"
            out.append(part[: m.start()] + item + m.group("rest"))
        return out if len(out) > 1 else []
    m = _NUMBERS.match(part)
    if m:
        verb = m.group("verb")
        return [f"{verb} {n}{m.group('rest')}" for n in _RUN_ITEM.split(m.group("run")) if n]
    m = _NAMES.search(part)
    if m is None and (plural := _PLURAL_OF.search(part)) and plural.group("head") in _LOOKED_UP:
        m = plural
    if m and _several_named(part[: m.start("run")], m.group("run")):
        names = [re.sub(r"^(?:of|in)\s+", "", n) for n in _RUN_ITEM.split(m.group("run")) if n]
        return [part[: m.start("run")] + name + m.group("rest") for name in names]
    m = _SHARED.search(part) or _SHARED_LOOKUP.search(part)
    if m and not {m.group("a").lower(), m.group("b").lower()} & STOP_WORDS:
        head, rest = part[: m.start()], m.group("x")
        return [f"{head}the {m.group(k)} of {rest}" for k in ("a", "b")]
    m = _LOOKUP_THEN_BARE.search(part)
    if m:  # "the boiling point of water and the freezing point": of water, both
        end = "?" if part.rstrip().endswith("?") else ""
        x = m.group("x").rstrip("?.! ")
        return [part[: m.start("and")] + end, f"the {m.group('b')} of {x}{end}"]
    return []


_ASKED_OF_EACH = re.compile(
    rf"^(?P<head>who\s+(?:first\s+)?(?:{_alternation(_TABLES['asked_of_each'])}|[a-z]{{3,}}ed))\s+"
    r"(?P<run>[^\d?!.;:]+?)(?P<end>[?!.]?)$",
    re.IGNORECASE,
)
_EACH_ITEM = re.compile(r",\s*(?:and\s+)?|\s+and\s+", re.IGNORECASE)
_EACH_MOST_WORDS = 4
_EACH_FEWEST = 3


def _asked_of_each(part: str) -> list[str]:
    """One question ("who invented the telephone, the light bulb, the radio and dynamite?")
    per thing of a list of three or more short names after "who" and a past verb; ``[]`` for
    anything else (two things may be one name, "Romeo and Juliet")."""
    m = _ASKED_OF_EACH.match(part.strip())
    if m is None:
        return []
    items = [i.strip() for i in _EACH_ITEM.split(m.group("run")) if i.strip()]
    if len(items) < _EACH_FEWEST or any(
        len(i.split()) > _EACH_MOST_WORDS or _STARTS.match(i) for i in items
    ):
        return []
    return [f"{m.group('head')} {item}{m.group('end')}" for item in items]


def _several_named(head: str, run: str) -> bool:
    """Whether a run of names is several things asked about, not one name ("Romeo and
    Juliet", "Trinidad and Tobago"): three or more, the preposition said again ("of Canada
    and of Australia"), or a plural asked of them ("the capitals of France and Italy")."""
    if run.count(",") >= 1 or re.search(r"\band\s+(?:of|in)\s", run):
        return True
    asked = re.findall(r"[a-z]+", head.lower())
    return len(asked) > 1 and asked[-2].endswith("s") and not asked[-2].endswith("ss")


def _aggregates(part: str) -> bool:
    """The part puts its numbers together ("add", "sum", "average")."""
    words = set(re.findall(r"[a-z]+", part.lower()))
    return bool(words & _AGGREGATE)


def _parallel(part: str) -> list[str]:
    """A list of whole calculations or conversions as parallel parts, each with the verb
    frame of the first ("Calculate 11 * 11, 111 * 111 and 1111 * 1111")."""
    items = [i for i in _ITEM.split(part) if i.strip()]
    if len(items) < 2:
        return [part]
    if not all(_EXPRESSION.search(i) for i in items) and not _same_shape(items):
        listed = [i for i in _LISTED.split(part) if i.strip()]
        if len(listed) > 1 and all(_calculation(i) for i in listed):
            return [i.strip(_TRIM) for i in listed]  # "sqrt of 225, and 13 squared"
        if not all(_calculation(i) for i in items):  # "9 squared and 4 cubed"
            return [part]
    first = items[0]
    start = re.search(_NUMBER, first)
    frame = first[: start.start()].rstrip("([ ") if start else ""  # not "Calculate ("
    frame = f"{frame} " if frame else ""
    end = "?" if part.rstrip().endswith("?") else ""
    out = [first.strip(_TRIM).rstrip("?") + end]
    for item in items[1:]:
        item = item.strip(_TRIM).rstrip("?")
        out.append((item if _STARTS.match(item) else frame + item) + end)
    return out


def _shape(item: str) -> str:
    """An item from its first number on, numbers as "N": "Multiply 3 by 4" -> "N by N"."""
    start = re.search(_NUMBER, item)
    tail = item[start.start() :] if start else ""
    return " ".join(re.sub(_NUMBER, "N", tail.strip(_TRIM).rstrip("?").lower()).split())


def _same_shape(items: list[str]) -> bool:
    """Later items repeat the first one's numbers-and-words shape without its verb ("Divide
    100 by 4 and 60 by 3", "25% of 80 and 10% of 250"): each a whole operation on two
    numbers, not a list of quantities ("40 dollars and 25 dollars", "3 and 5")."""
    shape = _shape(items[0])
    if shape.split().count("N") + shape.count("N%") < 2 or not re.search(r"[^\WN\d]|%", shape):
        return False
    return all(re.match(_NUMBER, i.strip()) and _shape(i) == shape for i in items[1:])


def _calculation(item: str) -> bool:
    """A whole calculation: a number and an operation of its own ("13 squared")."""
    words = set(re.findall(r"[^\W\d]+|[%^*/+]", item.lower()))
    return bool(re.search(r"\d", item)) and bool(words & _OPERATIONS)


def _assemble(
    parts: list[tuple[str, int, bool]], problems: dict[int, int] | None = None
) -> list[Clause]:
    """Corrections replace, preambles join the question they feed, ellipses take the frame of
    the clause before them. ``problems``: the parts that state quantities and ask about them
    (``_one_problem``), with the length of what they state."""
    problems = problems or {}
    out: list[Clause] = []
    pending: tuple[str, int] | None = None  # a stated preamble waiting for its question
    for i, (part, group, listed) in enumerate(parts):
        correction = _CORRECTION.match(part)
        if correction and out:
            out.pop()
            part = part[correction.end() :]
            if not part:
                continue
        if pending is not None and word_problem(pending[0]) and _asks_apart(part):
            # "I earn 22.50 an hour for 38 hours. Write a function ...": answered on its own
            out.append(Clause(pending[0], pending[1]))
            pending = None
        if i in problems and pending is None:
            out.append(Clause(part, group, problems[i]))
            continue
        if pending is not None:
            facts = pending[0] + ", "
            out.append(Clause(facts + part, group, len(facts)))
            pending = None
            continue
        last = i == len(parts) - 1
        if not last and not listed and _is_statement(part) and not (out and _bare_phrase(part)):
            pending = (part, group)
            continue
        if out and _BARE_QUESTION.fullmatch(part) and not _BARE_QUESTION.fullmatch(out[-1].text):
            # "Who invented the printing press and when?": when, of what the one before asks
            before = out[-1].text[out[-1].facts :].rstrip("?").strip(_TRIM)
            asked = _WH_QUESTION.match(before)
            body = before[asked.end() :].strip() if asked else before
            mark = "?" if part.endswith("?") else ""
            out.append(Clause(f"{part.rstrip('?')} {body}{mark}", group))
            continue
        lead = _ELLIPSIS_LEAD.match(part)
        if out and (lead or (_is_fragment(part) and not listed)):
            fragment = part[lead.end() :] if lead else part
            prev = out[-1]
            out.append(Clause(_fill_frame(fragment, prev.text[prev.facts :]), prev.group))
            continue
        out.append(Clause(part, group))
    if pending is not None:
        out.append(Clause(pending[0], pending[1]))
    return out


_BARE_QUESTION = re.compile(rf"(?:{_alternation(_TABLES['bare_questions'])})\s*\??", re.IGNORECASE)
"""A part that is only a question word ("when?", "in what year"): asked of the part before."""
_WISH = re.compile(
    rf"^(?:i|we)(?:'d|\s+would)?\s+(?:{_alternation(_TABLES['wish_verbs'])})\b", re.IGNORECASE
)
"""A statement that asks for something ("I need ...", "I'd like ...")."""
_EMBEDDED = re.compile(r"\b(?:what|which|who|whom|whose|how|when|where|whether)\b", re.I)


_SCENE = re.compile(
    rf"^(?:{_alternation(_TABLES['scene_leads'])})\s+(?:{_alternation(_TABLES['scene_subjects'])})"
    rf"\s+(?=.*(?:\d|\b(?:{_alternation(_TABLES['scene_times'])})\b))",
    re.IGNORECASE,
)
"""The time a question is put at ("when it's 9am in Tokyo", "once it's noon in London")."""


def sets_time(text: str) -> bool:
    """``text`` opens with the time its question is put at ("when it's noon in London, what
    time is it in Tokyo"): one part, never cut after the time it sets."""
    return bool(_SCENE.match(text.strip(_TRIM)))


def _is_statement(part: str) -> bool:
    """It states facts ("I weigh 150 lbs", "If I have 3 boxes with 12 eggs each", "when it's
    9am in Tokyo"), not a question put as one ("I was wondering what the capital of Peru
    is")."""
    scene = _SCENE.match(part)
    if scene and not part.endswith("?"):
        # "when it's 9am in New York what time is it in Berlin" asks its question itself
        return not _EMBEDDED.search(part[scene.end() :])
    return (
        not part.endswith("?")
        and bool(_OPENER.match(part))
        and not _names_a_thing(part)
        and not _STARTS.match(part)
        and not _EMBEDDED.search(part)
        and not _WISH.match(part)  # "I need 5 miles in km for a run"
    )


_AUXILIARIES = frozenset(_TABLES["auxiliaries"])


def _names_a_thing(part: str) -> bool:
    """A noun phrase that asks for a thing ("the average of 10, 20 and 45", "the capital of
    Italy"), not a statement ("the box of 12 eggs costs 5 dollars"): after "the X of" no
    auxiliary and no word that reads as a verb in the present tense."""
    frame = _BARE_FRAME.match(part)
    if frame is None:
        return False
    words = re.findall(r"[a-z']+", part[frame.end() :].lower())
    return not any(w in _AUXILIARIES or _present_tense(w) for w in words)


def _present_tense(word: str) -> bool:
    """A word that may be a verb's third person ("costs", "weighs"), not "is" or "gas"."""
    return len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is"))


_ABOUT_RESULT = re.compile(
    r"\d|\b(?:total|left|each|per|result|answer|it|pay|cost|price|worth|rate)\b", re.IGNORECASE
)


def _asks_apart(part: str) -> bool:
    """A part after a stated word problem that asks nothing of its quantities ("I earn 22.50
    an hour for 38 hours. Write a python function ..."): the statement is answered alone;
    "Weekly pay?" asks about it."""
    if asks_result(part):
        return False
    commands = bool(_STARTS.match(part)) and not _WH_QUESTION.match(part)
    return commands or not _ABOUT_RESULT.search(part)


_PIECE = re.compile(r",\s*|\s+[-–—]+\s+")


def _one_problem(sentence: str) -> int | None:
    """Quantities stated and one question about their result, in one sentence ("bill is 156,
    there are 4 of us and we want to leave an 18% tip, how much does each person pay", "I'm
    5 foot 4, what's that in metres"): the length of what is stated (the question's "that"
    points there), or ``None`` when the sentence is not one such problem. The quantities are
    stated, not asked ("convert 5 km to miles, how many feet is that" asks twice)."""
    text = sentence.strip(_TRIM)
    pieces = _PIECE.split(text)
    if len(pieces) < 2:
        return None
    question = pieces[-1]
    head = text[: len(text) - len(question)].rstrip(" ,-–—")
    if not asks_result(question) or not re.search(r"\d", head):
        return None
    if any(asks_result(p) or _STARTS.match(p.strip()) for p in pieces[:-1]):
        return None  # "I am 180 cm tall, how much is that in feet, and ...": asked twice
    if re.search(r"\d", question) and not word_problem(text):
        return None  # "5 km, how many feet in 3 miles": a question of its own
    if not (word_problem(text) or _REFERRING.search(question) or not re.search(r"\d", question)):
        return None
    return len(text) - len(question)


def _split_items(text: str) -> list[str]:
    """A list's items, never cutting one quantity written in two units ("4 km and 750 m")."""
    whole = compound_quantities(text)
    out, last = [], 0
    for m in _ITEM.finditer(text):
        if not any(a < m.start() < b for a, b in whole):
            out.append(text[last : m.start()])
            last = m.end()
    return [*out, text[last:]]


_BARE_PHRASE_WORDS = 3


def _bare_phrase(part: str) -> bool:
    """A short thing named without a verb or a number ("the telescope" after "who invented
    the radio"): the part before's question asked again of it, never a stated fact."""
    words = part.rstrip("?.!").split()
    return len(words) <= _BARE_PHRASE_WORDS and not re.search(r"\d", part) and _is_fragment(part)


_COMPLETE = re.compile(rf"\b(?:{_alternation(_TABLES['complete_operations'])})\b", re.I)
"""An operation its one number completes ("5 squared", "9 factorial")."""


def _is_fragment(part: str) -> bool:
    """A part without its own verb ("the telescope?", "into Spanish", "10 miles?"); a
    quantity with the unit it is asked in ("72 F in celsius") and a number with an operation
    it completes ("5 squared") are requests of their own."""
    words = part.rstrip("?").split()
    if not words or len(words) > 6 or _STARTS.match(part) or _CONVERSION.search(part):
        return False
    if re.search(r"\d", part) and _COMPLETE.search(part):
        return False
    head = words[0].lower()
    if head in _DETERMINERS or head in _PREPOSITIONS or re.match(_NUMBER, head):
        return True
    return part.endswith("?") and words[0][:1].isupper()


def _whole_calculation(part: str) -> bool:
    """Two numbers and an operation between them: a calculation that needs nothing more ("4
    and 5?" after "add 2 and 3" has no operation of its own)."""
    return len(re.findall(_NUMBER, part)) > 1 and _calculation(part)


def _fill_frame(fragment: str, previous: str) -> str:
    """The fragment put in the place of its counterpart in the previous clause."""
    question = "?" if fragment.endswith("?") or previous.endswith("?") else ""
    frag = fragment.rstrip("?").strip(_TRIM)
    prev = previous.rstrip("?").strip(_TRIM)
    fwords = frag.split()
    pwords = prev.split()
    low = [w.lower() for w in pwords]
    # the longest run of the fragment's first words found in the previous clause
    best, at = 0, -1
    for j in range(len(pwords)):
        n = 0
        while n < len(fwords) and j + n < len(pwords) and low[j + n] == fwords[n].lower():
            n += 1
        if n > best or (n == best and n and fwords[0].lower() in _PREPOSITIONS):
            best, at = n, j
    if best:
        return " ".join([*pwords[:at], pwords[at], *fwords[1:]]) + question
    if _names_a_thing(frag) and not _REFERRING.search(frag):
        # "45 plus an 18% tip, and the time in London": a thing named with what it is of,
        # that the clause before has no place for, is asked as it is ("the history of it"
        # asks of what the clause before names)
        return frag + question
    if _whole_calculation(frag):
        # "What's 2^10 followed by 3^5": the question's words, not its operation ("sqrt of
        # 625; 11 times 11" asks no root of the second)
        first = re.search(_NUMBER, prev)
        head = prev[: first.start()] if first else ""
        return (frag if _calculation(f"1 {head}") else head + frag) + question
    if re.match(_NUMBER, frag):
        number = re.search(rf"{_NUMBER}(?:\s*\S+\s*{_NUMBER})*(?:\s+[^\W\d]+)?", prev)
        if number:
            if len(fwords) > 1:
                old = number.group(0)
            else:  # one token ("3!", "7kg") for one token
                token = re.search(r"\S*\d\S*", prev)
                old = token.group(0) if token else number.group(0)
            return prev.replace(old, frag, 1) + question
    if fwords[0].lower() in _DETERMINERS:
        for j, w in enumerate(low):
            if w in _DETERMINERS:
                return " ".join([*pwords[:j], fwords[0].lower(), *fwords[1:]]) + question
    names = list(re.finditer(r"(?<=\s)[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*", prev))
    if names and fwords[0][:1].isupper():
        last = names[-1]
        return prev[: last.start()] + frag + prev[last.end() :] + question
    return frag + question
