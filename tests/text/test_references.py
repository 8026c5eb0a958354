"""References between the clauses of one request, written apart from any benchmark."""

import pytest

from agentroute.text import clauses, resolve_references


def plan(text: str) -> list[tuple[str, list[int]]]:
    """Each clause's query (clause i as s{i+1}) and the clauses it depends on."""
    resolved = resolve_references(clauses(text))
    return [(r.query(lambda i: f"s{i + 1}"), r.depends_on) for r in resolved]


@pytest.mark.parametrize(
    ("text", "second"),
    [
        ("Convert 3 feet to cm. Then double that.", "double {{s1}}"),
        ("What is 12 * 12, and what is that in binary?", "what is {{s1}} in binary?"),
        ("Fetch the page and summarise it", "summarise {{s1}}"),
        ("Find the log files and delete them", "delete {{s1}}"),
        ("Compute 9 * 9, then add 1 to the result", "add 1 to {{s1}}"),
        (
            "Look up the tallest tower, then tell me its height in feet",
            "tell me the height of {{s1}} in feet",
        ),
        ("Echo 'hola' and translate the echoed word into German", "translate {{s1}} into German"),
        ("Which city hosts the Louvre, and how old is that city?", "how old is {{s1}}?"),
        (
            "Who founded the firm? Translate their names into Greek.",
            "Translate the names of {{s1}} into Greek",
        ),
        ("Get the weather. Then write a poem about this.", "write a poem about {{s1}}"),
        ("Read the config, and write a test that checks it", "write a test that checks {{s1}}"),
    ],
)
def test_a_reference_depends_on_the_clause_before(text: str, second: str) -> None:
    assert plan(text) == [(plan(text)[0][0], []), (second, [0])]


def test_the_two_results_depend_on_both() -> None:
    assert plan("Convert 2 miles to km, 4 miles to km, and multiply the two results")[-1] == (
        "multiply {{s1}} and {{s2}}",
        [0, 1],
    )


def test_a_plural_refers_to_the_whole_parallel_list() -> None:
    assert plan("What's 3 * 3 and 4 * 4? Add them.")[-1] == ("Add {{s1}} and {{s2}}", [0, 1])
    assert plan("Compute 2 + 2, 3 + 3 and 4 + 4, then add both results")[-1][1] == [1, 2]


@pytest.mark.parametrize(
    "text",
    [
        "Read notes.txt, then tell me what time it is in Oslo",
        "Convert 5 km to miles and is it raining in Lima?",
        "List the files and write a script that backs them up",  # "them" does refer: see below
        "Show the log, then write a function that sorts numbers",
        "Name a river, then tell me how long it takes to boil an egg",
        "What is 2 + 2? Translate 'I love it' into French.",
        "Which country has Quito as its capital?",
        "Convert 10 kg to lb, and I weigh 70 kg, what is that in lb?",
        "What is 6 * 7? Are there any primes below 10?",
    ],
)
def test_words_that_refer_inside_their_own_clause_or_to_nothing(text: str) -> None:
    deps = [d for _, d in plan(text)]
    if "backs them up" in text:
        assert deps == [[], [0]]
    else:
        assert deps == [[] for _ in deps], plan(text)


def test_a_place_named_earlier_is_copied_not_waited_for() -> None:
    assert plan("What time is it in Lisbon, and what is 9:00 UTC there?") == [
        ("What time is it in Lisbon", []),
        ("what is 9:00 UTC in Lisbon?", []),
    ]


def test_there_without_a_place_waits_for_the_answer() -> None:
    assert plan("Where was Kant born? What time is it there?")[-1] == (
        "What time is it in {{s1}}?",
        [0],
    )


def test_the_result_in_a_unit_is_taken_as_that_unit() -> None:
    assert plan("Compute 40 * 25 and convert the result in grams to ounces")[-1] == (
        "convert {{s1}} grams to ounces",
        [0],
    )


def test_a_clause_without_a_step_keeps_its_words() -> None:
    resolved = resolve_references(clauses("Water the plants, then tell me how long it took"))
    assert resolved[1].depends_on == [0]
    assert resolved[1].query(lambda i: None) == "tell me how long it took"


@pytest.mark.parametrize(
    "text",
    [
        "Open the report and show it to me",
        "Compute 6 * 6, then tell me the result",
        "Read a.txt and then display it",
    ],
)
def test_a_clause_that_only_shows_a_result_needs_no_step(text: str) -> None:
    resolved = resolve_references(clauses(text))
    assert [r.shows for r in resolved] == [None, 0]


def test_a_reference_past_a_showing_clause_reaches_the_step_it_shows() -> None:
    resolved = resolve_references(
        clauses("Read x.txt, show it to me, and translate it into French")
    )
    assert [r.shows for r in resolved] == [None, 0, None]
    assert resolved[2].depends_on == [1]


@pytest.mark.parametrize(
    ("text", "second"),
    [
        ("Who wrote Hamlet, and when was it first performed?", "when was Hamlet first performed?"),
        ("Where is Mount Fuji, and what is its height?", "what is the height of Mount Fuji?"),
    ],
)
def test_it_after_a_who_or_where_question_is_the_thing_named_there(text: str, second: str) -> None:
    assert plan(text)[1] == (second, [])


def test_he_and_his_mean_the_person_found() -> None:
    assert plan("Who founded the company? How old is he?")[1] == ("How old is {{s1}}?", [0])


@pytest.mark.parametrize(
    "text",
    [
        "Show the log. Then show the unstaged diff.",
        "Read notes.txt, then list the files in docs",
        "What is the speed of light? Then tell me the speed limit in Ohio",
        "Compute 3 * 3, then tell me the number of planets",
    ],
)
def test_ordinary_definite_phrases_are_not_references(text: str) -> None:
    assert [d for _, d in plan(text)] == [[], []]
