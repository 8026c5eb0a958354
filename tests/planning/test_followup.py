"""Reading a follow-up against the thread's previous turn: detection and resolution over
many phrasings, and requests that must stay alone. The router is a small keyword table (the
reader's logic is under test, not MiniLM); the real planner runs in tests/e2e."""

from __future__ import annotations

import pytest

from agentroute.planning._followup import (
    drop_acknowledgement,
    principal_number,
    prior_turn,
    resolve_followup,
)
from agentroute.types import Observation, PriorStep, PriorTurn, TargetKind

KINDS = {
    "calc": TargetKind.TOOL,
    "units": TargetKind.TOOL,
    "clock": TargetKind.TOOL,
    "files": TargetKind.TOOL,
    "atlas": TargetKind.KNOWLEDGE,
    "writer": TargetKind.EXPERT,
    "linguist": TargetKind.EXPERT,
}
WORDS = {
    "calc": ("times", "multiply", "divide", "plus", "sum", "cube root", "squared", "*", "halve"),
    "units": ("convert", "litres", "gallons", "fahrenheit", "kg", "pounds in"),
    "clock": ("time", "clock"),
    "files": ("open", "show the file", ".md", ".log", "lines"),
    "atlas": ("population", "capital", "river", "mountain", "located", "built", "who painted"),
    "writer": ("write", "haiku", "story", "letter"),
    "linguist": ("translate", "say in"),
}


def route(text: str) -> tuple[str, TargetKind, float] | None:
    lower = text.lower()
    for name, words in WORDS.items():
        if any(w in lower for w in words):
            return name, KINDS[name], 0.6
    return None


def turn(request: str, target: str, result: str, ok: bool = True) -> PriorTurn:
    step = PriorStep(query=request, target=target, kind=KINDS[target], ok=ok, result=result)
    return PriorTurn(request=request, steps=[step], answer=result)


def resolved(request: str, last: PriorTurn) -> tuple[str, str, str | None]:
    follow = resolve_followup(request, last, route)
    assert follow is not None and follow.clauses, f"{request!r} was not read as a follow-up"
    (query, target), *_ = follow.clauses
    return follow.how, query, target


CONVERSION = turn("How many litres are 3 gallons?", "units", "3 gal = 11.356235352 L")
PRODUCT = turn("Multiply 12 by 15", "calc", "12 * 15 = 180")
CLOCK = turn("What's the time in Lisbon right now?", "clock", '{"timezone": "Europe/Lisbon"}')
CAPITAL = turn(
    "What is the capital of Peru?",
    "atlas",
    "Passages retrieved (quoted data):\n[1] Peru (doc p)\n> Peru is in South America. Its capital"
    " is Lima, on the Pacific coast. About 34 million people live in Peru.",
)
PAINTER = turn("who painted the night watch", "atlas", "> Rembrandt painted it in 1642.")
POEM = turn("Write a haiku about rain.", "writer", "Soft rain on the roof")
GREETING = turn("Translate 'see you soon' into Italian.", "linguist", "A presto")
FILE = turn("show the file CHANGES.md", "files", "v2: faster\nv1: first")
TOWER = turn(
    "What's the tallest building in the world?",
    "atlas",
    "> The Burj Khalifa in Dubai is the tallest building, 828 metres high.",
)


@pytest.mark.parametrize(
    ("request_text", "last", "how", "query", "target"),
    [
        # a value of the same kind replaces the old one
        ("and 7?", CONVERSION, "substitute", "How many litres are 7 gallons?", "units"),
        (
            "what about 10 gallons",
            CONVERSION,
            "substitute",
            "How many litres are 10 gallons?",
            "units",
        ),
        ("and 20 by 30?", PRODUCT, "substitute", "Multiply 20 by 30", "calc"),
        ("And in Oslo?", CLOCK, "substitute", "What's the time in Oslo right now?", "clock"),
        (
            "how about for Nairobi",
            CLOCK,
            "substitute",
            "What's the time in Nairobi right now?",
            "clock",
        ),
        ("and Chile?", CAPITAL, "substitute", "What is the capital of Chile?", "atlas"),
        ("and of Chile", CAPITAL, "substitute", "What is the capital of Chile?", "atlas"),
        ("and the mona lisa?", PAINTER, "substitute", "who painted the mona lisa", "atlas"),
        (
            "and into Greek?",
            GREETING,
            "substitute",
            "Translate 'see you soon' into Greek.",
            "linguist",
        ),
        (
            'and "good night"?',
            GREETING,
            "substitute",
            'Translate "good night" into Italian.',
            "linguist",
        ),
        # a reference to the previous result
        ("divide that by 4", PRODUCT, "chain", "divide 180 by 4", None),
        ("halve it", PRODUCT, "chain", "halve 180", None),
        ("and how high is it in feet?", TOWER, "chain", "convert 828 metres to feet", None),
        ("which river is it on?", CAPITAL, "chain", "which river is Lima on?", None),
        ("what's its population?", CAPITAL, "chain", "what's Peru's population?", None),
        ("how many lines does it have", FILE, "chain", "how many lines does CHANGES.md have", None),
        # a bare question completed with the previous clause
        ("when?", PAINTER, "complete", "who painted the night watch? — when", "atlas"),
        ("Why?", PAINTER, "complete", "who painted the night watch? — Why", "atlas"),
        (
            "tell me more",
            CAPITAL,
            "complete",
            "What is the capital of Peru? — tell me more",
            "atlas",
        ),
    ],
)
def test_a_follow_up_is_rewritten_from_the_previous_turn(
    request_text: str, last: PriorTurn, how: str, query: str, target: str | None
) -> None:
    assert resolved(request_text, last) == (how, query, target)


@pytest.mark.parametrize(
    "request_text",
    ["make it rhyme", "Now one about snow.", "shorter please", "do it again but sadder"],
)
def test_an_edit_of_an_experts_answer_goes_back_to_that_expert(request_text: str) -> None:
    how, query, target = resolved(request_text, POEM)
    assert (how, target) == ("continue", "writer")
    assert request_text.split()[-1].rstrip(".") in query.split("\n")[0]
    assert "Write a haiku about rain." in query and "Soft rain on the roof" in query


def test_an_expert_asked_about_it_gets_the_previous_result_itself() -> None:
    how, query, target = resolved("translate it into Dutch", FILE)
    assert how == "chain" and target is None
    assert query == 'translate "v2: faster\nv1: first" into Dutch'


@pytest.mark.parametrize(
    ("request_text", "last"),
    [
        ("What time is it in Tokyo?", CONVERSION),  # "it" of the clock, not a reference
        ("Convert 5 kg to pounds in total", CLOCK),
        ("Write a story about a fox.", CAPITAL),
        ("what is 6 times 7", POEM),
        ("Who painted the Sistine Chapel ceiling?", CAPITAL),
    ],
)
def test_a_complete_request_stays_alone(request_text: str, last: PriorTurn) -> None:
    follow = resolve_followup(request_text, last, route)
    assert follow is None or not follow.clauses


@pytest.mark.parametrize(
    ("request_text", "alone"),
    [
        ("thanks! what is 6 times 7?", "what is 6 times 7?"),
        ("ok now what is 6 times 7", "what is 6 times 7"),
        ("Great, thank you. Write a story about a fox.", "Write a story about a fox."),
        ("cool and what is 6 times 7?", "what is 6 times 7?"),
    ],
)
def test_an_acknowledgement_is_dropped_and_a_new_request_planned_alone(
    request_text: str, alone: str
) -> None:
    follow = resolve_followup(request_text, PRODUCT, route)
    assert follow is not None and not follow.clauses
    assert follow.request == alone


def test_acknowledgements_alone_or_inside_a_request_stay() -> None:
    assert drop_acknowledgement("thanks") == "thanks"
    assert drop_acknowledgement("good morning in French") == "good morning in French"
    assert drop_acknowledgement("okay, thanks! convert 3 ft to m") == "convert 3 ft to m"


def test_without_a_previous_turn_nothing_is_carried_over() -> None:
    assert resolve_followup("and 70?", None, route) is None
    follow = resolve_followup("thanks. what is 6 times 7", None, route)
    assert follow is not None and follow.request == "what is 6 times 7" and not follow.clauses


def test_a_request_the_previous_turn_could_not_plan_is_rewritten_and_routed() -> None:
    declined = PriorTurn(request="what is the population of Peru", steps=[], answer="")
    assert resolved("and of Chile?", declined) == (
        "substitute",
        "what is the population of Chile",
        None,
    )


def test_the_principal_number_of_a_result() -> None:
    assert principal_number("48 * 52 = 2496") == "2496"
    assert principal_number("sqrt(144) = 12\n(exact)") == "12"
    assert principal_number("about 1,024 items") == "1,024"
    assert principal_number("5 kg ≈ 11.0231131 lb") == "11.0231131"  # a rounded conversion
    assert principal_number("no number") is None


def test_a_turn_is_kept_with_its_steps_in_plan_order() -> None:
    observations = {
        "s2": Observation(step_id="s2", target="b", kind=TargetKind.TOOL, query="q2", ok=False),
        "s1": Observation(
            step_id="s1", target="a", kind=TargetKind.TOOL, query="q1", ok=True, result="x" * 9000
        ),
    }
    kept = prior_turn("q1 and q2", ["s1", "s2"], observations, "answer")
    assert [(s.target, s.ok) for s in kept.steps] == [("a", True), ("b", False)]
    assert len(kept.steps[0].result) == 4000


def test_the_note_says_it_came_from_the_previous_turn() -> None:
    follow = resolve_followup("and 7?", CONVERSION, route)
    assert follow is not None
    assert "previous turn" in follow.note and "How many litres are 7 gallons?" in follow.note


@pytest.mark.parametrize(
    "request_text",
    [
        "Are there any open issues in the log?",
        "Is it going to rain in Lisbon tomorrow?",
        "How long does it take to boil an egg?",
        "Name one of the planets",
        "What is the capital of Kenya and what is its population?",  # "its" is inside it
    ],
)
def test_it_and_there_that_refer_to_nothing_before_stay_alone(request_text: str) -> None:
    follow = resolve_followup(request_text, CAPITAL, route)
    assert follow is None or not follow.clauses


def test_a_follow_up_of_a_follow_up_reads_the_rewritten_clause() -> None:
    again = turn("How many litres are 7 gallons?", "units", "7 gal = 26.497878988 L")
    assert resolved("and 9?", again) == ("substitute", "How many litres are 9 gallons?", "units")
    assert resolved("and tomorrow?", turn("weather in Oslo today", "clock", "{}"))[1] == (
        "weather in Oslo tomorrow"
    )


def test_he_or_she_after_a_who_question_is_the_person_it_answered() -> None:
    assert resolved("where was he born?", PAINTER) == (
        "chain",
        "where was Rembrandt born?",
        "atlas",  # routes nowhere alone: the previous target is asked
    )


def test_a_value_after_the_same_word_is_the_one_replaced() -> None:
    share = turn("What is 15% of 80?", "calc", "15 / 100 * 80 = 12")
    assert resolved("and of 120?", share)[1] == "What is 15% of 120?"


def test_a_phrase_for_an_expert_is_not_forced_into_another_words_place() -> None:
    code = turn("Write a Python function to sort a list", "writer", "def f(x): ...")
    how, query, target = resolved("now in Rust", code)
    assert (how, target) == ("continue", "writer") and query.startswith("in Rust")


def test_there_is_the_place_the_previous_answer_named() -> None:
    graph = turn("What's the capital of Japan?", "atlas", "> Tokyo —capital_of→ Japan (source: x)")
    assert resolved("how many people live there?", graph)[1] == "how many people live in Tokyo, Japan?"


def test_several_acknowledgements_are_dropped() -> None:
    assert drop_acknowledgement("ok thanks, what is 9 * 9?") == "what is 9 * 9?"


def test_a_relative_that_is_not_a_reference() -> None:
    follow = resolve_followup("open the log files that changed today", FILE, route)
    assert follow is None or not follow.clauses
    assert resolved("is that prime?", PRODUCT)[1] == "is 180 prime?"
    assert resolved("what is 10 percent of that", PRODUCT)[1] == "what is 10 percent of 180"


def test_an_operator_fragment_computes_on_the_previous_result() -> None:
    assert resolved("and times 3?", PRODUCT) == ("chain", "180 times 3", None)
    assert resolved("try 25", CONVERSION)[1] == "How many litres are 25 gallons?"


def test_the_answered_name_follows_the_asked_word() -> None:
    capital = turn(
        "What's the capital of Chile?",
        "atlas",
        "> Chile lies in South America. Its capital and largest city is Santiago.",
    )
    assert resolved("which river runs through it?", capital)[1] == (
        "which river runs through Santiago?"
    )


def test_an_edit_a_tool_scores_for_stays_with_the_expert() -> None:
    how, _, target = resolved("add the sum of it", POEM)
    assert (how, target) == ("continue", "writer")


def test_a_question_about_its_subject_is_not_sent_the_previous_text() -> None:
    country = turn("What's the capital of Kenya?", "atlas", "> Kenya's capital is Nairobi.")
    assert resolved("and its population?", country)[1] == "What is the population of Kenya?"


SUM = turn("What is 7 plus 8?", "calc", "7 + 8 = 15")
SQUARE = turn("What is 12 squared?", "calc", "12 ** 2 = 144")
POWER = turn("what's 3 to the power of 4", "calc", "3 ** 4 = 81")
RAISED = turn("What's 250 plus 30%?", "calc", "250 * (100 + 30) / 100 = 325")
DIFFERENCE = turn("What is 500 minus 123?", "calc", "500 - 123 = 377")
WARM = turn("How much is 40 Celsius in Fahrenheit?", "units", "40 °C = 104 °F")
MILE = turn("What is 1 mile in kilometres?", "units", "1 mi = 1.609344 km")
A_MILE = turn("How many metres in a mile?", "units", "1 mi = 1609.344 m")
KILOS = turn("convert 5 kg to pounds", "units", "5 kg = 11.0231 lb")


@pytest.mark.parametrize(
    ("request_text", "last", "how", "query", "target"),
    [
        # an amount "more" or an operation with its amount works on the result
        ("ok and 5 more", SUM, "chain", "15 plus 5", None),
        ("and 3 fewer?", SUM, "chain", "15 minus 3", None),
        ("and minus 200 more?", DIFFERENCE, "chain", "377 minus 200", None),
        ("now add 8", PRODUCT, "chain", "180 plus 8", None),
        ("subtract 30", PRODUCT, "chain", "180 minus 30", None),
        # a modifier of the family the previous clause used replaces it
        ("and cubed?", SQUARE, "substitute", "What is 12 cubed?", "calc"),
        ("and to the 5th?", POWER, "substitute", "what's 3 to the 5th", "calc"),
        ("and to the power of 6?", POWER, "substitute", "what's 3 to the power of 6", "calc"),
        ("and minus 30%?", RAISED, "substitute", "What's 250 minus 30%?", "calc"),
        # after a conversion "minus 40" is a value, "26.2 of them" a count of the unit
        ("and minus 40?", WARM, "substitute", "How much is -40 Celsius in Fahrenheit?", "units"),
        (
            "what about 26.2 of them",
            MILE,
            "substitute",
            "What is 26.2 mile in kilometres?",
            "units",
        ),
        ("and 3 of them?", A_MILE, "substitute", "How many metres in 3 mile?", "units"),
        # a number with its unit only is a quantity in place of the old one
        ("what would 20 kg be", KILOS, "substitute", "convert 20 kg to pounds", "units"),
        # a name alone, possessive or not, replaces the previous clause's name
        ("Berlin?", CLOCK, "substitute", "What's the time in Berlin right now?", "clock"),
        ("Chile's?", CAPITAL, "substitute", "What is the capital of Chile?", "atlas"),
        # a bare common noun after a quoted text replaces the text, not the language
        (
            "and dog?",
            turn("Translate 'cat' to German", "linguist", "Katze"),
            "substitute",
            "Translate 'dog' to German",
            "linguist",
        ),
        # a filler before the opener is dropped like an acknowledgement
        # the same quantity in a new unit goes back to the tool that converted it
        ("uh and in feet", MILE, "chain", "convert 1 mile to feet", "units"),
        ("erm, and 20?", WARM, "substitute", "How much is 20 Celsius in Fahrenheit?", "units"),
    ],
)
def test_arithmetic_follow_ups(
    request_text: str, last: PriorTurn, how: str, query: str, target: str | None
) -> None:
    assert resolved(request_text, last) == (how, query, target)


@pytest.mark.parametrize(
    ("request_text", "last", "query"),
    [
        ("times 3", SQUARE, "144 times 3"),  # a binary operation still chains, after a power too
        ("and squared?", PRODUCT, "180 squared"),  # no power before: the result is squared
        ("and minus 40?", PRODUCT, "180 minus 40"),  # after arithmetic "minus" subtracts
    ],
)
def test_operations_that_do_not_replace_the_previous_one(
    request_text: str, last: PriorTurn, query: str
) -> None:
    assert resolved(request_text, last)[1] == query


def test_a_quantity_with_other_words_is_no_bare_quantity() -> None:
    follow = resolve_followup("what would 20 kg of apples cost", KILOS, route)
    assert follow is None or not follow.clauses or "pounds" not in follow.clauses[0][0]


FEET = turn("How many feet in a mile?", "units", "1 mi = 5280 ft")
DARWIN = turn(
    "Who was Charles Darwin?", "atlas", "> Charles Darwin (1809-1882) was an English naturalist."
)
KENYA = turn("What is the capital of Kenya?", "atlas", "> Nairobi —capital_of→ Kenya")


@pytest.mark.parametrize(
    ("request_text", "last", "query"),
    [
        # a unit alone: the previous quantity (one of a unit, when no number) in that unit
        ("and yards?", FEET, "convert 1 mi to yards"),
        ("and gallons?", CONVERSION, "convert 3 gallons to gallons"),
        # "he" after "who was <name>" is that person, not a word the answer named
        ("when did he die?", DARWIN, "when did Charles Darwin die?"),
        (
            "where was he born?",
            turn("who was marie curie", "atlas", "> Polish-born"),
            "where was marie curie born?",
        ),
        # "they ... there": the place refers back, "they" are its people
        ("which language do they speak there?", KENYA, "which language do they speak in Nairobi, Kenya?"),
    ],
)
def test_units_people_and_places_referred_back(
    request_text: str, last: PriorTurn, query: str
) -> None:
    assert resolved(request_text, last)[1] == query


def test_he_after_who_is_the_role_is_the_person_the_answer_names() -> None:
    author = turn("Who is the author of Hamlet?", "atlas", "> William Shakespeare wrote Hamlet.")
    assert resolved("when was he born?", author)[1] == "when was William Shakespeare born?"
