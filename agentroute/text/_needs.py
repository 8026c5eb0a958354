"""What a clause needs that no text answer can give: live data, the user's own state, an act.

An expert model answers from what it learned and a knowledge base from what it holds; neither
knows tomorrow's weather, the user's inbox, or can book a taxi. Such a clause is served only by
a tool that offers it, else declined, even when a general-purpose expert is configured (it
would invent an answer). The cues are data (``needs.json``): topics that are live by nature
("weather"), state topics with a time marker ("price ... right now"), the user's own state
("my calendar", "unread"), and imperative verbs of acting in the world ("book a taxi").
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from importlib import resources
from itertools import pairwise
from typing import Literal

from agentroute.text._lexicon import alternation, word_list
from agentroute.text._opinions import asks_verdict
from agentroute.text._spelling import _table_words, distance

__all__ = ["Need", "asks_to_compose", "capability_need"]

_TABLES = json.loads(resources.files("agentroute.text").joinpath("needs.json").read_text("utf-8"))
_EFFECTS = json.loads(
    resources.files("agentroute.text").joinpath("effects.json").read_text("utf-8")
)
_LEAD_INS = frozenset(_EFFECTS["request_lead_ins"])
_VERBS = frozenset(_TABLES["action_verbs"])
_OBJECTS = frozenset(_TABLES["action_objects"])
_VERB_LEADS = frozenset(_TABLES["verb_leads"])
_GERUND_VERBS = frozenset(_TABLES["gerund_verbs"])
_STRONG = frozenset(_TABLES["strong_verbs"])
_COMPUTER = frozenset(_TABLES["computer_verbs"])
_SPECIFIC = frozenset(_TABLES["specific_objects"])
_HOW = frozenset(w for w in _TABLES["asking_how"] if " " not in w)
_HOW_PHRASES = [w for w in _TABLES["asking_how"] if " " in w]
_ABOUT_LEADS = frozenset(_TABLES["about_leads"])
_ABOUT_PHRASES = [f" {p} " for p in _TABLES["about_phrases"]]
_STATE_QUESTIONS = frozenset(_TABLES["state_questions"])
_FIRST_PERSON = _TABLES["first_person_state"]
_PERSON_VERBS = frozenset(_TABLES["person_verbs"])
_CURRENCIES: dict[str, str] = _TABLES["currencies"]
_WORLD_QUESTIONS = frozenset(_TABLES["world_questions"])
_FIRST_PERSON_WORDS = frozenset(_TABLES["first_person"])
_LINKS = frozenset({"to", "in", "into", "against", "vs", "versus", "per", "for", "from"})
_WEATHER = "|".join(re.escape(w) for w in _TABLES["weather_states"])
_DUMMY_IT = re.compile(
    rf"\b(?:is|isn't|will|was)\s+it\s+(?:be\s+|going\s+to\s+be\s+|gonna\s+be\s+)?({_WEATHER})\b"
    rf"|\bhow\s+({_WEATHER})\s+(?:is|will)\s+it\b"
)
"""The weather said of the dummy "it": "is it windy", "how cold is it", "will it be sunny"."""
_WORD = re.compile(r"[^\W_]+(?:['-][^\W_]+)*")
"""A word, accented letters too ("réserve", "météo": a request in another language)."""
_QUOTED = re.compile(r"\"[^\"]*\"|(?<!\w)'(?:[^']|'(?=\w))*'(?!\w)|`[^`]*`|“[^”]*”")
"""Quoted text, an apostrophe inside it too ("translate 'what's the weather' into Thai")."""


@dataclass(frozen=True)
class Need:
    """Why a clause needs a capability: ``kind`` of need and the ``cue`` that says so."""

    kind: Literal["live", "personal", "action", "opinion"]
    cue: str
    """The word (or phrase) of the table that matched, as written there."""
    from_question: bool = False
    """Read from the question's form ("Is my X ...?"), not a table: any tool that fits the
    clause may hold the user's X (a repository, a folder), so it is not declined for want
    of a tool naming the cue."""
    marker: str = ""
    """The time marker that made a state topic live ("right now" in "the temperature in
    Madrid right now"): a tool that only names the topic (a unit converter's "temperature")
    does not read its present value."""


_GIVEN = re.compile(
    r"(?<![\w.:/])\d+(?:[.,]\d+)?(?![\w:/]|\s*(?:st|nd|rd|th|am|pm|a\.m|p\.m|o'clock)\b)"
    r"|(?<![\w.:/])\d+(?:[.,]\d+)?\s*(?!st\b|nd\b|rd\b|th\b|am\b|pm\b)[a-z]{1,4}\b"
)
"""A quantity the clause states ("3 coffees at 4.50", "200 hp"), not an ordinal, a date or a
time of day ("the 3rd", "7am", "10:30")."""


_ASKS = frozenset({"what", "what's", "whats", "how", "is", "are"})


def _unmarked(words: list[str]) -> list[str]:
    """``words`` without a time marker right after "my" ("my latest texts" → "my texts")."""
    markers = {m for m in _TABLES["live_markers"] if " " not in m} | {"new", "last"}
    return [w for i, w in enumerate(words) if not (i and words[i - 1] == "my" and w in markers)]


def _slip(a: str, b: str) -> bool:
    """Whether ``a`` is ``b`` with one typing slip (a letter added, dropped, changed or two
    swapped), both starting alike."""
    return a[0] == b[0] and distance(a, b, 1) == 1


def _find(words: list[str], phrases: list[str]) -> str | None:
    """The first phrase of ``phrases`` in ``words`` (whole words; one slip in long words the
    word tables do not know)."""
    text = f" {' '.join(words)} "
    for phrase in phrases:
        if f" {phrase} " in text:
            return phrase
    for phrase in phrases:
        long = " " not in phrase and len(phrase) >= 7
        # a word the tables know is no slip of another ("showing" is not "snowing")
        known = _table_words()
        if long and any(len(w) >= 5 and _slip(w, phrase) and w not in known for w in words):
            return phrase
    return None


def _words(clause: str) -> list[str]:
    return _WORD.findall(_QUOTED.sub(" ", clause.lower().replace("’", "'")))


_THING = re.compile(
    r"(?<![\w.])[A-Za-z0-9][\w-]*(?:\.[A-Za-z0-9]+)+|[a-z]+://\S+|(?<![\w.])[a-z0-9]+(?:[-_][a-z0-9]+)+"
)
"""A thing named by its own identifier: a file ("todo.md"), a URL, a branch or package name
("feature-login"): what an act is done to, like a person's name."""


def _names(clause: str) -> frozenset[str]:
    """The words a clause capitalises past its first: names ("text Sarah", "call Dr Lee");
    and the first word of each identifier it names ("delete todo.md", "merge feature-login")."""
    unquoted = _QUOTED.sub(" ", clause)
    tokens = re.findall(r"[A-Za-z][\w'-]*", unquoted)
    things = [_WORD.findall(m.group(0).lower())[:1] for m in _THING.finditer(unquoted)]
    return frozenset(
        [*(t.lower() for t in tokens[1:] if t[0].isupper() and not t.isupper())]
        + [w for found in things for w in found]
    )


def _acts(words: list[str], names: frozenset[str] = frozenset()) -> str | None:
    """The verb of an imperative that acts in the world ("book a taxi", "tell Alexa to play
    the radio"): the first word after lead-ins, or after "to" in a request made through
    someone ("ask", "tell"), followed by an object (a determiner, pronoun, number; "start vacuuming"), or by
    anything for a verb that only acts ("send Tom the report")."""
    starts = [0]
    i = 0
    while i < len(words) and words[i] in _LEAD_INS:
        i += 1
    starts[0] = i
    if i < len(words) and words[i] in _VERB_LEADS and "to" in words[i:]:
        starts.append(words.index("to", i) + 1)
    for s in starts:
        if s + 1 < len(words) and words[s] in _PERSON_VERBS and words[s + 1] in names:
            return words[s]  # "tell Mike I'm running late": a message to a person
        if s + 1 < len(words) and words[s] in _COMPUTER:
            after = words[s + 1]
            if after in _SPECIFIC or after in names or " for me " in f" {' '.join(words)} ":
                return words[s]  # "restart the web server", not "run a program with ..."
        if s + 1 < len(words) and words[s] in _VERBS:
            after = words[s + 1]
            gerund = words[s] in _GERUND_VERBS and after.endswith("ing")
            named = after in names  # "text Sarah happy birthday": a person to act on
            if after in _OBJECTS or after[0].isdigit() or gerund or named or words[s] in _STRONG:
                return words[s]
        if s + 1 < len(words) and len(words[s]) >= 4:
            slipped = next((v for v in _STRONG if _verb_slip(words[s], v)), None)
            if slipped is not None:
                return slipped  # "remnd me", "sned a text"
        if s + 1 < len(words) and len(words[s]) == 3 and words[s + 1] in _OBJECTS:
            dropped = next((v for v in sorted(_VERBS) if _dropped(words[s], v)), None)
            if dropped is not None:
                return dropped  # "bok a flight", "snd an email": a letter left out
    return None


def _dropped(word: str, verb: str) -> bool:
    """``word`` is the four-letter ``verb`` with one inner or last letter left out ("bok",
    "snd"), and no verb itself."""
    if len(verb) != 4 or word in _VERBS or word[0] != verb[0]:
        return False
    return any(verb[:i] + verb[i + 1 :] == word for i in range(1, 4))


def _verb_slip(word: str, verb: str) -> bool:
    """A typing slip of an acting verb: any one slip in a long verb, only two letters swapped
    in a four-letter one ("sned"; "hair" is not "hail")."""
    if len(verb) < 4 or not _slip(word, verb):
        return False
    return len(verb) >= 5 or sorted(word) == sorted(verb)


def _exchange(words: list[str]) -> str | None:
    """Two different currencies, one put against the other ("euro to dollar", "100 dollars
    in euros"): an exchange rate ("the yen or the dollar" is no conversion)."""
    at = [(i, _CURRENCIES[w]) for i, w in enumerate(words) if w in _CURRENCIES]
    for (i, one), (j, other) in pairwise(at):
        if one != other and _LINKS.intersection(words[i + 1 : j]):
            return "exchange rate"
    return None


def _weather(words: list[str]) -> str | None:
    """The weather now, said of the dummy "it" ("how cold is it in Chicago"), unless the
    clause is about climate ("is it cold in Oslo in winter")."""
    m = _DUMMY_IT.search(" ".join(words))
    if m is None or _find(words, _TABLES["climate_words"]):
        return None
    return m.group(1) or m.group(2)


def _lead(words: list[str]) -> int:
    """Where the clause proper starts, after lead-ins ("can you", "please")."""
    i = 0
    while i < len(words) - 1 and words[i] in _LEAD_INS:
        i += 1
    return i


def _about(words: list[str]) -> bool:
    """Whether the clause asks what something is, how or why it works, or for a text (write,
    explain, translate): knowledge, whatever its topic ("How do exchange rates work?")."""
    rest = words[_lead(words) :]
    text = f" {' '.join(rest)} "
    return (
        rest[0] in _ABOUT_LEADS
        or any(text.startswith(p) for p in _ABOUT_PHRASES)
        or (" difference between " in text)
    )


def _own_state(words: list[str]) -> str | None:
    """The user's own thing a question asks the state of ("Is my phone charged?", "When is my
    next appointment?", "Did I take my pills?"), or a fragment naming it with a time ("my
    calendar today"); the word after "my", or the first-person phrase, as the cue."""
    rest = words[_lead(words) :]
    text = f" {' '.join(rest)} "
    first = next((p for p in _FIRST_PERSON if f" {p} " in text), None)
    if rest[0] in _STATE_QUESTIONS and "my" in rest[:-1]:
        return rest[rest.index("my") + 1]
    if rest[0] in _STATE_QUESTIONS and "our" in rest[:-1]:
        ours = rest[rest.index("our") + 1]  # "when is our meeting", not "our solar system"
        if ours not in _SHARED_OURS:
            return ours
    if rest[0] in _STATE_QUESTIONS and first is not None:
        return first
    if rest[0] == "my" and len(rest) > 1 and _find(rest, _TABLES["live_markers"]):
        return rest[1]
    return None


_UNITS = word_list("agentroute.text", "unit_names.txt")
_CONVERTED_TO = re.compile(
    r"\b(?:that|it|this|those)\s+(?:be\s+)?(?:in|to|into)\s+(?:degrees\s+)?([a-z]+)\s*[?.!]*\s*$"
)
"""The quantity just given asked in another unit ("what is that in fahrenheit")."""


def _converts_given(clause: str) -> bool:
    """Whether ``clause`` states a quantity and asks it, by "that" or "it", in another unit
    ("the forecast says 30 degrees, what is that in fahrenheit"): its live topic is only where the number came
    from; the conversion needs nothing live. A currency asked is an exchange rate still."""
    low = clause.lower()
    m = _CONVERTED_TO.search(low)
    if m is None or _GIVEN.search(low) is None or m.group(1) in _CURRENCIES:
        return False
    unit = m.group(1)
    return bool({unit, unit.removesuffix("s"), unit.removesuffix("es")} & _UNITS)


_YEAR = re.compile(r"\b(2\d{3})\b")
_US = re.compile(r"\bUS\b")
"""The country, written in capitals: "the US election" is not the asker's own."""
_FUTURE_WORDS = frozenset(_TABLES["future_words"])
_SHARED_OURS = frozenset(_TABLES["shared_ours"])


def _future(clause: str, words: list[str]) -> str | None:
    """What will happen in the world ("who will win the next election", "what will a house
    cost in 2035"): nothing holds it yet and a model would only guess. Not the user's own
    plans ("what will I need for the trip") and not a conversion ("what will 5 km be")."""
    mine = _FIRST_PERSON_WORDS.intersection(words) - ({"us"} if _US.search(clause) else set())
    if mine:  # "the US election" names a country, not the asker
        return None
    phrase = _find(words, _TABLES["future_asks"])
    if phrase == "when will" and _find(words, _TABLES["known_in_advance"]):
        phrase = None  # "when will the next eclipse be visible": known years ahead
    if phrase:
        return phrase
    this_year = datetime.now(UTC).year
    years = [int(y) for y in _YEAR.findall(clause)]
    if _FUTURE_WORDS.isdisjoint(words):
        return None
    if any(y > this_year for y in years):
        return "future year"
    return _find(words, _TABLES["future_times"])  # "the top song next Christmas"


def _world_now(words: list[str]) -> str | None:
    """The marker of the present in a question about the world, not about the asker ("is
    Gmail down right now"; not "what should I cook tonight"): any tool that fits may answer
    it, a model's knowledge or a base's passage cannot."""
    rest = words[_lead(words) :]
    if rest[0] not in _WORLD_QUESTIONS or not _FIRST_PERSON_WORDS.isdisjoint(words):
        return None
    return _find(words, _TABLES["world_now_markers"])


def _world_topic(words: list[str]) -> str | None:
    """A state of the world asked of it, not of the asker ("is the 8:15 train running late";
    "tell Mike I'm running late" is a message)."""
    if not _FIRST_PERSON_WORDS.isdisjoint(words):
        return None
    return _find(words, _TABLES["world_topics"])


@lru_cache(maxsize=1024)
def capability_need(clause: str) -> Need | None:
    """The live data, personal state or action ``clause`` needs, or ``None`` when a model's
    knowledge (or any target's data) could answer it."""
    words = _words(clause)
    if not words:
        return None
    marker = _find([w.removesuffix("'s") for w in words], _TABLES["live_markers"])
    if marker is None and _about(words):
        return None  # what it is, how it works, a text to write: knowledge
    verdict = asks_verdict(clause)
    if verdict:  # "is Python better than Go": a taste, no data holds it
        return Need("opinion", verdict)
    topic = _find(words, _TABLES["live_topics"])
    if topic and _converts_given(clause):
        topic = None  # "the forecast says 30 degrees celsius, what is that in fahrenheit"
    topic = topic or _exchange(words) or _weather(words) or _world_topic(words)
    if topic:
        return Need("live", topic)
    future = _future(clause, words)
    if future:  # "who will win the next election": no one holds that yet
        return Need("live", future)
    if marker and words[-1] != "about":  # "what is the latest version of X about": its content
        state = _find(words, _TABLES["state_topics"]) or _find(words, _TABLES["scheduled_asks"])
        if state:
            return Need("live", state, marker=marker)
        now = _world_now(words)
        if now:  # "any earthquakes reported today?": how the world stands now, any topic
            return Need("live", now, from_question=True, marker=now)
    # a question on numbers the clause states: its data is given ("I bought 3 at 4.50 each,
    # how much did I spend"), nothing is read from the user's accounts or today's prices
    given = _GIVEN.search(clause) is not None and not _ASKS.isdisjoint(words)
    if not given:
        price = _find(words, _TABLES["market_words"])
        if price:  # "ETH price?": today's, however it is asked
            return Need("live", price)
    personal = None if given else _find(_unmarked(words), _TABLES["personal_cues"])
    if personal:
        return Need("personal", personal)
    own = None if _about(words) else _own_state(words)
    if own:
        return Need("personal", own, from_question=True)
    if words[0] in _HOW or _find(words, _HOW_PHRASES) or " how to " in f" {clause.lower()} ":
        return None  # how to act is knowledge; the act is not asked for
    phrase = _find(words, _TABLES["action_phrases"])
    if phrase:
        return Need("action", phrase)
    text = f" {' '.join(words)} "
    if re.search(r" let (?!me |us )[a-z]+(?: [a-z]+)? know ", text):
        return Need("action", "let know")  # "Let Sam know I'm late": a message to send
    verb = _acts(words, _names(clause))
    return Need("action", verb) if verb else None


_COMPOSE = re.compile(
    rf"\b(?:{alternation(_TABLES['compose_verbs'], any_space=True)})\b(?:\s+(?:me|us))?"
    r"\s+(?:a|an|some|another|one|two|three|four|five|\d+)\b(?:\s+[\w'-]+){0,2}?"
    rf"\s+(?:{alternation(_TABLES['composed_texts'], any_space=True)})\b",
    re.I,
)
"""A new text asked for: a verb of composing, then an indefinite one of the texts ("write
me a short poem", "tell a joke"; not "tell me the story of Rome", a history asked)."""


def asks_to_compose(clause: str) -> bool:
    """Whether ``clause`` asks for a new text to be composed ("write me a poem about the sea",
    "sing me a song about rivers"): a model writes it; a knowledge base's passage on the same
    topic is no answer."""
    return _COMPOSE.search(clause) is not None
