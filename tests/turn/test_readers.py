"""Each step's query read in its target's own words (`agentroute.turn._readers`): the graph's
countries and relations, the places a time-zone field takes; experts and tools that say
nothing of their values are asked as written."""

from __future__ import annotations

from agentroute.knowledge._defaults import default_graph
from agentroute.testing import FunctionTarget
from agentroute.text import fill_arguments
from agentroute.turn._readers import ArgumentReader, own_words
from agentroute.types import TargetKind

ENGLISH = frozenset({"what", "is", "the", "of", "time", "in", "it", "chile", "pairs", "write"})
TIME_SCHEMA = {
    "type": "object",
    "properties": {"timezone": {"type": "string", "description": "IANA timezone name"}},
    "required": ["timezone"],
}


def _echo(query: str, args: object) -> str:
    return query


def reader() -> ArgumentReader:
    targets = {
        "geography": default_graph(),
        "clock": FunctionTarget("clock", _echo, input_schema=TIME_SCHEMA),
        "convert": FunctionTarget(
            "convert", _echo, description="Converts kilometers to miles", input_schema={}
        ),
        "writer": FunctionTarget(
            "writer", _echo, kind=TargetKind.EXPERT, description="writes about France"
        ),
    }
    return ArgumentReader(targets, ENGLISH)


def test_the_graph_reads_its_countries_and_relations() -> None:
    assert reader().read("geography", "what is the captial of Frnace") == (
        "what is the capital of France",
        {"captial": "capital", "Frnace": "France"},
    )


def test_a_real_name_is_not_read_as_another() -> None:
    assert reader().read("geography", "capital of Chile") == ("capital of Chile", {})


def test_a_time_zone_field_reads_the_places_it_takes() -> None:
    assert own_words(reader().targets["clock"])  # the places, though it describes none
    assert reader().read("clock", "what time is it in londn") == (
        "what time is it in london",
        {"londn": "london"},
    )
    assert reader().read("clock", "time in pairs") == ("time in pairs", {})


def test_experts_and_tools_that_name_no_values_are_asked_as_written() -> None:
    # a description is not a vocabulary: the converter knows units it does not name
    assert own_words(reader().targets["convert"]) == []
    assert reader().read("convert", "5 kilomters to miels") == ("5 kilomters to miels", {})
    assert reader().read("writer", "write about Frnace") == ("write about Frnace", {})
    assert reader().read("nobody", "captial") == ("captial", {})


def test_a_pattern_field_reads_file_types_and_the_words_that_name_files() -> None:
    schema = {
        "type": "object",
        "properties": {"path": {"type": "string"}, "pattern": {"type": "string"}},
        "required": ["pattern"],
    }
    finder = ArgumentReader({"find": FunctionTarget("find", _echo, input_schema=schema)}, ENGLISH)
    read, corrections = finder.read("find", "serch for csv fiels")
    assert (read, corrections) == ("serch for csv files", {"fiels": "files"})
    assert fill_arguments(read, schema)["pattern"] == "**/*.csv"
    assert finder.read("find", "search notes.txt") == ("search notes.txt", {})
