"""The attribute a question asks of its entity (``knowledge._attributes``), read from the
data file: its words and the words a passage gives it in."""

from __future__ import annotations

from agentroute.knowledge._attributes import asked_attributes, entity_words, gives_of, ungiven


def _names(query: str) -> list[str]:
    return [a.name for a in asked_attributes(query)]


def test_the_attribute_asked_is_read_from_its_words_and_phrases() -> None:
    assert _names("population of germany") == ["population"]
    assert _names("how tall is the Eiffel Tower") == ["height"]
    assert _names("what is the GDP of Japan") == ["economy"]
    assert _names("when was Microsoft founded") == ["time", "founding"]
    assert _names("how long is the Yangtze") == ["length"]


def test_a_question_asking_no_attribute_is_not_checked() -> None:
    for query in (
        "how long has this machine been running",  # a duration, not a length
        "what does shutil.which return when the program isn't found",  # no founding
        "how do I make a deep copy of a list",  # no depth
        "grammar of the agentroute policy language",  # no spoken language
        "which package provides ffmpeg",
    ):
        assert asked_attributes(query) == [], query


def test_a_passage_gives_an_attribute_by_its_word_a_form_or_a_synonym() -> None:
    height = asked_attributes("how tall is Mount Everest")
    assert ungiven(height, "Mount Everest is the highest mountain at about 8,849 metres.") == []
    assert ungiven(height, "It was first climbed in 1953 by Edmund Hillary.") == ["height"]
    population = asked_attributes("population of germany")
    assert ungiven(population, "Germany has 83 million inhabitants.") == []
    assert ungiven(population, "Its capital is Berlin; the currency is the euro.") == ["population"]
    length = asked_attributes("how long is the Yangtze")
    assert ungiven(length, "The Yangtze is the longest river in Asia.") == ["length"]
    assert ungiven(length, "The Yangtze is about 6,300 kilometres long.") == []


def test_the_entity_is_the_words_that_neither_ask_nor_frame_the_question() -> None:
    asked = asked_attributes("how many moons does mars have")
    assert entity_words("how many moons does mars have", asked) == ["mars"]
    asked = asked_attributes("currency of india")
    assert entity_words("currency of india", asked) == ["india"]
    asked = asked_attributes("how far away is the moon")
    assert entity_words("how far away is the moon", asked) == ["moon"]


def test_the_attribute_must_be_given_of_the_entity_not_of_a_neighbour() -> None:
    asked = asked_attributes("what's the capital of Switzerland")
    france = (
        "France is a country in Western Europe. Its capital and largest city is Paris. "
        "France borders Belgium, Germany, Switzerland and Italy."
    )
    assert not gives_of(asked, "switzerland", "France", france)
    assert gives_of(asked, "france", "France", france)  # "Its" leans on the sentence before
    swiss = "Switzerland is a country in Central Europe. Its capital is Bern."
    assert gives_of(asked, "switzerland", "Switzerland", swiss)


def test_when_is_given_by_a_year() -> None:
    asked = asked_attributes("penicillin, discovered when")
    assert {a.name for a in asked} == {"time", "discovery"}
    title = "Discovery of penicillin"
    assert not gives_of(asked, "", title, "Florey and Chain later developed it into a medicine.")
    assert gives_of(asked, "", title, "Alexander Fleming discovered penicillin in 1928.")


def test_a_past_participle_is_no_entity() -> None:
    asked = asked_attributes("in what year was the telephone patent granted")
    assert entity_words("in what year was the telephone patent granted", asked) == [
        "telephone",
        "patent",
    ]


def test_a_thing_an_earlier_part_names_is_not_named_here() -> None:
    asked = asked_attributes("what language is spoken in that country")
    assert entity_words("what language is spoken in that country", asked) == []


def test_a_short_name_with_a_figure_is_an_entity_and_a_bare_attribute_has_none() -> None:
    asked = asked_attributes("how tall is K2")
    assert entity_words("how tall is K2", asked) == ["k2"]
    asked = asked_attributes("how tall is it")
    assert entity_words("how tall is it", asked) == []


def test_a_word_in_a_keyword_fragment_or_a_name_in_code_asks_nothing() -> None:
    for query in (
        "How do system daemons speak D-Bus messages to applications?",  # a verb, not language
        "Explain atmospheric freezes boils Fahrenheit.",  # keywords among keywords
        "attrs freeze_all helper",  # a name in code
        "what does console.height hold",
        "can I see how far along dd is",  # progress, not a distance
    ):
        assert asked_attributes(query) == [], query


def test_a_one_word_ask_among_a_questions_small_words_is_still_read() -> None:
    assert _names("what language do they speak in Brazil") == ["language"]
    assert _names("who founded microsoft") == ["founding"]
    assert _names("at what temperature does ethanol boil") == ["boiling"]  # last
    assert _names("germany population 2020") == ["population"]  # too short for a fragment
    assert _names("how far away is the moon") == ["distance"]
