"""Which target serves a clause: per-target thresholds, the margin between kinds, the general
expert as catch-all, and declining what needs live data, the user's state or an act."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from agentroute.planning._acceptance import Thresholds, choose, is_general
from agentroute.planning._candidate import PASSAGE
from agentroute.text import capability_need
from agentroute.types import TargetDescriptor, TargetKind


@dataclass(frozen=True)
class Hit:
    descriptor: TargetDescriptor
    score: float
    best_text: str = ""


def tool(name: str, description: str = "") -> TargetDescriptor:
    return TargetDescriptor(name=name, kind=TargetKind.TOOL, description=description)


def expert(name: str, description: str = "", **kw: object) -> TargetDescriptor:
    return TargetDescriptor(name=name, kind=TargetKind.EXPERT, description=description, **kw)  # type: ignore[arg-type]


CALC = tool("calc.calculate", "Evaluate an arithmetic expression")
WEATHER = tool("meteo.forecast", "Weather forecast for a city: temperature, rain, wind")
KB = TargetDescriptor(name="facts", kind=TargetKind.KNOWLEDGE, description="science facts")
HELPER = expert("helper", "A general-purpose assistant for everyday questions")
POET = expert("poet", "writes poems", role="specialist")
TH = Thresholds(
    by_target={"calc.calculate": 0.4}, by_kind={"tool": 0.3, "expert": 0.2}, default=0.25
)


def test_thresholds_are_per_target_then_per_kind_then_default() -> None:
    assert TH.of(CALC) == 0.4
    assert TH.of(WEATHER) == 0.3
    assert TH.of(KB) == 0.25
    assert Thresholds.uniform(0.5).of(CALC) == 0.5


def test_the_shipped_thresholds_are_sane() -> None:
    learned = Thresholds.load()
    for kind in TargetKind:
        assert 0.1 <= learned.of(TargetDescriptor(name="never-seen", kind=kind)) <= 0.5
    assert all(0.1 <= v <= 0.6 for v in learned.by_target.values())


def test_a_general_expert_is_said_so_or_read_from_its_words() -> None:
    assert is_general(HELPER)
    assert is_general(expert("x", "answers anything", role="general"))
    assert is_general(expert("chat", "answers", domains=["general"]))
    assert not is_general(POET)
    assert not is_general(expert("general", "general-purpose", role="specialist"))
    assert not is_general(expert("lawyer", "contract law and general terms of sale"))
    assert not is_general(tool("general.tool", "a general-purpose tool"))


def test_a_target_is_chosen_only_above_its_own_threshold() -> None:
    assert choose("7 * 6", [Hit(CALC, 0.45)], TH).candidates[0].descriptor is CALC
    below = choose("7 * 6", [Hit(CALC, 0.35)], TH)  # over the tool default, under its own
    assert below.candidates == [] and "threshold" in below.reason


def test_what_no_specialist_serves_goes_to_the_general_expert() -> None:
    clause = "Write me a poem about the sea"
    choice = choose(clause, [Hit(CALC, 0.12), Hit(HELPER, 0.1)], TH, [HELPER])
    assert [c.descriptor.name for c in choice.candidates] == ["helper"]
    assert "general" in choice.reason
    # retrieval did not bring it up: still the catch-all, at no similarity
    assert choose(clause, [Hit(CALC, 0.12)], TH, [HELPER]).candidates[0].descriptor is HELPER
    # none configured: declined, explicitly
    declined = choose(clause, [Hit(CALC, 0.12)], TH)
    assert declined.candidates == [] and declined.reason


@pytest.mark.parametrize(
    "clause",
    [
        "What's the forecast for Madrid on Sunday?",
        "Order a pizza for me",
        "Book me a table for two at eight",
        "Do I have any unread messages?",
        "How much does a litre of petrol cost today?",
        "text my brother that I'm late",
        "Will it rain in Paris tomorrow?",
        "Set a timer for 10 minutes",
        "Send Tom the quarterly report",
    ],
)
def test_live_data_personal_state_or_an_act_is_declined_even_with_a_general_expert(
    clause: str,
) -> None:
    assert capability_need(clause) is not None
    choice = choose(clause, [Hit(HELPER, 0.5), Hit(KB, 0.6), Hit(CALC, 0.2)], TH, [HELPER])
    assert choice.candidates == [], choice
    assert "no target offers" in choice.reason


def test_a_base_whose_passage_answers_says_how_to_do_an_act_no_tool_does() -> None:
    """ "start a shell in a new network namespace": no tool starts one, a man page says how.
    Only a base ranked by a passage its probe judged an answer, and only that close; never
    for live data."""
    man = TargetDescriptor(name="manpages", kind=TargetKind.KNOWLEDGE, description="man pages")
    clause = "start a shell in a new network namespace"
    assert capability_need(clause) is not None
    passage = Hit(man, 0.57, PASSAGE + "-n, --net Create a new network namespace")
    choice = choose(clause, [passage, Hit(CALC, 0.2)], TH)
    assert [c.descriptor.name for c in choice.candidates] == ["manpages"]
    assert choose(clause, [Hit(man, 0.4, PASSAGE + "-n, --net")], TH).candidates == []
    assert choose(clause, [Hit(man, 0.57)], TH).candidates == []  # ranked by description
    live = "Will it rain in Paris tomorrow?"
    assert choose(live, [Hit(KB, 0.6, PASSAGE + "Paris is the capital")], TH).candidates == []


@pytest.mark.parametrize(
    "clause",
    [
        "Write me a poem about the sea",
        "How do I book a cheap flight?",
        "book recommendations for a long train ride",
        "Explain what the stock market is",
        "What is 17 * 23?",
        "Draft a polite email to my boss asking for Friday off",
        "water boiling point at altitude",
        "How do I set an alarm on Android?",
        "What is the volume of a sphere with radius 3?",
        "Explain how rain forms",
    ],
)
def test_what_a_model_knows_needs_nothing(clause: str) -> None:
    assert capability_need(clause) is None


def test_a_tool_that_offers_the_live_data_serves_it() -> None:
    clause = "Will it rain in Oslo tomorrow? what's the weather"
    choice = choose(clause, [Hit(HELPER, 0.5), Hit(WEATHER, 0.55)], TH, [HELPER])
    assert choice.candidates[0].descriptor is WEATHER
    assert choice.need is not None and choice.need.kind == "live"


def test_a_typing_slip_in_a_cue_still_counts() -> None:
    need = capability_need("wats the wheather in rome")
    assert need is not None and need.cue == "weather"


def test_close_scores_of_different_kinds_go_to_the_one_further_above_its_threshold() -> None:
    th = Thresholds(by_kind={"tool": 0.4, "knowledge": 0.2}, margin=0.05)
    hits = [Hit(CALC, 0.42), Hit(KB, 0.40)]  # retrieval put the tool first
    assert choose("speed of light", hits, th).candidates[0].descriptor is KB
    far = Thresholds(by_kind={"tool": 0.4, "knowledge": 0.2}, margin=0.01)
    assert choose("speed of light", hits, far).candidates[0].descriptor is CALC


def test_a_tool_named_for_the_clause_s_act_beats_a_passage_it_ties() -> None:
    """A request to search for markdown files: a documentation passage about markdown files
    tied the filesystem's search tool (0.410 against 0.409) and was answered in its place."""
    search = tool("filesystem.search_files", "Recursively search for files matching a pattern")
    th = Thresholds(by_kind={"tool": 0.28, "knowledge": 0.23}, margin=0.0)
    hits = [Hit(KB, 0.410), Hit(search, 0.409)]
    assert choose("search for markdown files", hits, th).candidates[0].descriptor is search
    # a clear lead stays the base's; so does a tie with a tool named for another act
    assert (
        choose("search for markdown files", [Hit(KB, 0.45), Hit(search, 0.409)], th)
        .candidates[0]
        .descriptor
        is KB
    )
    assert choose("markdown files, how?", hits, th).candidates[0].descriptor is KB


def test_a_question_about_the_users_own_things_is_served_by_a_fit_tool_else_declined() -> None:
    files = tool("filesystem.read_file", "Read a file's contents")
    clause = "What is in my todo.md?"
    need = capability_need(clause)
    assert need is not None and need.kind == "personal" and need.from_question
    assert choose(clause, [Hit(files, 0.5)], TH, [HELPER]).candidates[0].descriptor is files
    declined = choose("Is my phone charged?", [Hit(CALC, 0.1)], TH, [HELPER])
    assert declined.candidates == [] and "your own data" in declined.reason


def test_a_topic_made_live_by_a_time_marker_needs_a_tool_that_reads_the_present() -> None:
    """ "the temperature in Madrid right now": a unit converter names "temperature" but
    converts one; a forecast tool reads it. Without the marker the converter still serves."""
    units = tool("units.convert", "Convert between units of length, mass and temperature")
    asked = "What's the temperature in Madrid right now?"
    assert choose(asked, [Hit(units, 0.5)], TH).candidates == []
    served = choose(asked, [Hit(units, 0.5), Hit(WEATHER, 0.35)], TH).candidates
    assert [h.descriptor.name for h in served] == ["meteo.forecast"]
    converted = choose("Convert a temperature of 30 C to F", [Hit(units, 0.5)], TH)
    assert [h.descriptor.name for h in converted.candidates] == ["units.convert"]


TRANSLATOR = expert(
    "translator",
    "Translation specialist: translates text between languages and explains idioms",
    examples=["Translate 'good morning' into French", "How do you say thank you in Japanese"],
)


@pytest.mark.parametrize(
    "clause",
    ["Give me some tips to sleep better", "What is the capital of Mongolia?"],
)
def test_a_specialist_off_its_field_leaves_the_clause_to_the_general_expert(clause: str) -> None:
    choice = choose(clause, [Hit(TRANSLATOR, 0.3), Hit(HELPER, 0.15)], TH, [HELPER])
    assert [c.descriptor.name for c in choice.candidates] == ["helper"]


@pytest.mark.parametrize(
    "clause",
    ["How do you say cheese in Italian", "translate this sentence", "what languages do you know"],
)
def test_a_specialist_serves_a_clause_of_its_field(clause: str) -> None:
    choice = choose(clause, [Hit(TRANSLATOR, 0.3), Hit(HELPER, 0.15)], TH, [HELPER])
    assert choice.candidates[0].descriptor is TRANSLATOR


def test_a_specialist_is_kept_when_sure_or_when_no_general_expert_would_answer() -> None:
    clause = "Give me some tips to sleep better"
    sure = choose(clause, [Hit(TRANSLATOR, 0.55), Hit(HELPER, 0.15)], TH, [HELPER])
    assert sure.candidates[0].descriptor is TRANSLATOR
    alone = choose(clause, [Hit(TRANSLATOR, 0.3)], TH)  # no catch-all: nothing changes
    assert alone.candidates[0].descriptor is TRANSLATOR


def test_the_general_expert_closer_than_a_specialist_comes_first() -> None:
    clause = "Draft a thank-you note to my neighbour"  # "thank" is the translator's word too
    choice = choose(clause, [Hit(TRANSLATOR, 0.265), Hit(HELPER, 0.273)], TH, [HELPER])
    assert [c.descriptor.name for c in choice.candidates] == ["helper", "translator"]
    further = choose(clause, [Hit(TRANSLATOR, 0.4), Hit(HELPER, 0.273)], TH, [HELPER])
    assert further.candidates[0].descriptor is TRANSLATOR


@pytest.mark.parametrize(
    ("clause", "verb"),
    [
        ("text Sarah happy birthday", "text"),  # a person named after the verb is its object
        ("Call Mom", "call"),
        ("bok a flight to paris", "book"),  # a four-letter verb with a letter left out
        ("snd an email to my boss", "send"),
    ],
)
def test_an_act_on_a_named_person_or_with_a_dropped_letter_needs_a_tool(
    clause: str, verb: str
) -> None:
    need = capability_need(clause)
    assert need is not None and need.kind == "action" and need.cue == verb


@pytest.mark.parametrize(
    "clause",
    [
        "Write a text to Sarah",  # a text to write, not a message to send
        "Translate this text for Sarah",
        "put a comma after Paris",
        "use a dict",
        "pay attention to Rome",  # "pay" is a verb itself, no slip of "play"
        "what's the Beatles' best album",
    ],
)
def test_no_act_is_read_into_ordinary_clauses(clause: str) -> None:
    assert capability_need(clause) is None


def test_with_a_tool_fit_too_a_specialist_off_its_words_is_still_ranked() -> None:
    clause = "How do I undo the last commit without losing my changes?"
    log = tool("git.git_log", "Shows the commit logs")
    coder = expert("coder", "Programming specialist: writes and explains code")
    choice = choose(clause, [Hit(coder, 0.3), Hit(log, 0.35)], TH, [HELPER])
    assert "coder" in [c.descriptor.name for c in choice.candidates]


@pytest.mark.parametrize(
    ("clause", "kind", "cue"),
    [
        ("euro to dollar", "live", "exchange rate"),  # two currencies, one against the other
        ("how much is 100 dollars in euros", "live", "exchange rate"),
        ("is it windy at the beach", "live", "windy"),  # the weather said of the dummy "it"
        ("how cold is it in Chicago", "live", "cold"),
        ("what's the latest on the hurricane", "live", "the latest on"),
        ("tell Mike I'm running late", "action", "tell"),  # a message to a named person
        ("ping Sarah on Slack", "action", "ping"),
    ],
)
def test_exchange_rates_weather_news_and_messages_need_a_tool(
    clause: str, kind: str, cue: str
) -> None:
    need = capability_need(clause)
    assert need is not None and (need.kind, need.cue) == (kind, cue)


@pytest.mark.parametrize(
    "clause",
    [
        "What currency does Japan use, the yen or the dollar?",  # no conversion
        "convert 5 pounds to kg",  # one currency word, a weight here
        "is it cold in Oslo in winter",  # climate, not today's weather
        "How hot is the sun?",
        "tell me a joke",  # "tell" acts only on a named person
        "Tell me about Einstein",
    ],
)
def test_what_only_looks_live_or_like_a_message(clause: str) -> None:
    assert capability_need(clause) is None


CALCULATOR = TargetDescriptor(
    name="calc.calculate",
    kind=TargetKind.TOOL,
    description="Evaluate an arithmetic expression",
    examples=["What is 17 * 23", "2 to the power of 10"],
)
DATES = TargetDescriptor(
    name="cal.events",
    kind=TargetKind.TOOL,
    description="Events on a day",
    examples=["events on 2024-01-05", "what is on 3/4/2025"],
)


def test_a_tool_writing_the_clauses_arithmetic_serves_it_under_its_threshold() -> None:
    """Embeddings put "7200 * 52" far from the calculator's "17 * 23" (0.27 with MiniLM);
    the catch-all's prose is no product, so the tool that writes the operation serves it."""
    hits = [Hit(HELPER, 0.02), Hit(CALCULATOR, 0.27), Hit(DATES, 0.1)]
    choice = choose("What is 7200 * 52?", hits, TH, [HELPER])
    assert [h.descriptor.name for h in choice.candidates] == ["calc.calculate"]
    assert not choice.fallback and "computes" in choice.reason
    times = choose("what's 7200 times 52", hits, TH, [HELPER])
    assert [h.descriptor.name for h in times.candidates] == ["calc.calculate"]


def test_dates_and_prose_are_no_arithmetic_for_the_calculator() -> None:
    hits = [Hit(HELPER, 0.02), Hit(CALCULATOR, 0.1), Hit(DATES, 0.1)]
    for clause in ("What happened on 2024-01-05?", "plans for 3/4/2025", "a poem about 2 cats"):
        choice = choose(clause, hits, TH, [HELPER])
        assert [h.descriptor.name for h in choice.candidates] == ["helper"], clause
        assert choice.fallback  # the catch-all: memory does not learn it as the route


@pytest.mark.parametrize(
    ("clause", "kind"),
    [
        ("ETH price?", "live"),
        ("gold price per ounce", "live"),
        ("when is high tide in brighton today", "live"),
        ("what time does the sun set tonight", "live"),
        ("read me my latest texts", "personal"),
    ],
)
def test_prices_schedules_today_and_the_users_latest_things_need_a_capability(
    clause: str, kind: str
) -> None:
    need = capability_need(clause)
    assert need is not None and need.kind == kind, need


@pytest.mark.parametrize(
    "clause",
    [
        "my car has 200 hp, what is that in kilowatts",
        "I bought 3 coffees at 4.50 each, how much did I spend altogether",
        "If the price is 80 and there's a discount, what's 12.5% of 80?",
        "Why do prices go up over time?",
        "when did the Wright brothers first fly",
    ],
)
def test_numbers_the_clause_gives_or_a_past_date_need_nothing(clause: str) -> None:
    assert capability_need(clause) is None


def test_the_world_right_now_is_served_by_any_fit_tool_else_declined() -> None:
    """ "What's the time in Tokyo right now?" is the present: a fit tool reads it, the general
    expert cannot."""
    clock = tool("time.get_current_time", "Get the current time in a specific timezone")
    clause = "What's the time in Tokyo right now?"
    need = capability_need(clause)
    assert need is not None and need.kind == "live"
    assert (
        choose(clause, [Hit(clock, 0.5), Hit(HELPER, 0.4)], TH, [HELPER]).candidates[0].descriptor
        is clock
    )
    assert choose(clause, [Hit(clock, 0.1), Hit(HELPER, 0.4)], TH, [HELPER]).candidates == []
