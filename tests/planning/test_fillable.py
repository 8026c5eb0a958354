"""Close sibling tools ranked by the arguments the clause gives them (planning._fillable), on
the schemas the official time and filesystem servers publish."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from agentroute.planning._acceptance import Thresholds, choose
from agentroute.planning._fillable import fillable_first
from agentroute.types import TargetDescriptor, TargetKind


@dataclass(frozen=True)
class Hit:
    descriptor: TargetDescriptor
    score: float
    best_text: str = ""


def _tool(name: str, schema: dict[str, Any], effect: str = "read") -> TargetDescriptor:
    return TargetDescriptor(
        name=name,
        kind=TargetKind.TOOL,
        input_schema=schema,
        server=name.split(".", 1)[0],
        effect=effect,  # type: ignore[arg-type]
    )


def _props(**props: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "properties": props, "required": list(props)}


_ZONE = {"type": "string", "description": "IANA timezone name (e.g. 'Europe/London')."}
NOW = _tool("time.get_current_time", _props(timezone=_ZONE))
CONVERT = _tool(
    "time.convert_time",
    _props(
        source_timezone=_ZONE,
        time={"type": "string", "description": "Time to convert in 24-hour format (HH:MM)"},
        target_timezone=_ZONE,
    ),
)
READ = _tool("files.read_text_file", _props(path={"type": "string"}))
MOVE = _tool(
    "files.move_file",
    _props(source={"type": "string"}, destination={"type": "string"}),
    "write",
)
CALC = _tool("calc.calculate", _props(expression={"type": "string"}))


def _names(clause: str, hits: list[Hit]) -> list[str]:
    return [h.descriptor.name for h in fillable_first(clause, hits)]


def test_the_sibling_that_takes_the_clause_s_clock_time_comes_first() -> None:
    hits = [Hit(NOW, 0.41), Hit(CONVERT, 0.41)]
    asked = "If it's 9:00 in Tokyo, what time is it in Berlin?"
    assert _names(asked, hits)[0] == "time.convert_time"
    assert _names("What's 14:30 UTC in Los Angeles time?", [Hit(NOW, 0.51), Hit(CONVERT, 0.47)])[
        0
    ] == ("time.convert_time")


def test_a_sibling_the_clause_cannot_call_steps_back() -> None:
    """No time to convert in "time in paris please": the current time is what was asked."""
    assert _names("time in paris please", [Hit(CONVERT, 0.32), Hit(NOW, 0.31)])[0] == (
        "time.get_current_time"
    )
    assert _names("what time is it in Tokyo", [Hit(NOW, 0.37), Hit(CONVERT, 0.34)])[0] == (
        "time.get_current_time"
    )


def test_alike_siblings_keep_the_planner_s_order_and_far_ones_are_not_compared() -> None:
    assert _names("what time is it in Tokyo", [Hit(NOW, 0.37), Hit(CONVERT, 0.2)]) == [
        "time.get_current_time",
        "time.convert_time",
    ]
    asked = "If it's 9:00 in Tokyo, what time is it in Berlin?"
    assert _names(asked, [Hit(NOW, 0.6), Hit(CONVERT, 0.4)])[0] == "time.get_current_time"
    # another server's tool is no sibling
    assert _names(asked, [Hit(CALC, 0.45), Hit(CONVERT, 0.44)])[0] == "calc.calculate"


def test_a_tool_that_writes_never_overtakes_one_that_reads() -> None:
    """The mover would take both paths (two values) where the reader takes one."""
    asked = "show me docs/a.md next to docs/b.md"
    assert _names(asked, [Hit(READ, 0.4), Hit(MOVE, 0.39)])[0] == "files.read_text_file"


def test_choose_applies_it_to_the_fit_targets() -> None:
    chosen = choose(
        "If it's 9:00 in Tokyo, what time is it in Berlin?",
        [Hit(NOW, 0.41), Hit(CONVERT, 0.41)],
        Thresholds(default=0.3),
    )
    assert [c.descriptor.name for c in chosen.candidates] == [
        "time.convert_time",
        "time.get_current_time",
    ]


LIST = _tool("files.list_directory", _props(path={"type": "string"}))
SHOW = _tool(
    "git.git_show",
    _props(repo_path={"type": "string", "default": "/srv/repo"}, revision={"type": "string"}),
)
GENERAL = TargetDescriptor(
    name="general",
    kind=TargetKind.EXPERT,
    description="General-purpose chat assistant: summaries, advice, poems",
    role="general",
)


def test_a_file_named_goes_to_the_tool_that_takes_it_under_any_threshold() -> None:
    clause = "read the budget file data/budget.csv"
    # the catch-all's description is nearer than the reader's: the file named decides
    chosen = choose(clause, [Hit(READ, 0.15), Hit(CALC, 0.1)], Thresholds.uniform(0.3), [GENERAL])
    assert [h.descriptor.name for h in chosen.candidates][:1] == ["files.read_text_file"]


def test_a_folder_named_goes_to_the_listing_not_a_tool_sharing_a_verb() -> None:
    clause = "show me what's in the docs folder"
    hits = [Hit(SHOW, 0.42), Hit(READ, 0.25), Hit(LIST, 0.24)]
    chosen = choose(clause, hits, Thresholds.uniform(0.3), [GENERAL])
    assert chosen.candidates[0].descriptor.name == "files.list_directory"


def test_a_file_s_history_and_a_write_keep_their_tools() -> None:
    hits = [Hit(SHOW, 0.42), Hit(READ, 0.25)]
    history = choose("what did app.py look like at HEAD", hits, Thresholds.uniform(0.3))
    assert history.candidates[0].descriptor.name == "git.git_show"
    write = _tool("files.write_file", _props(path={"type": "string"}), effect="write")
    hits = [Hit(write, 0.5), Hit(READ, 0.45)]
    chosen = choose("Write 'buy milk' to a new file shopping.txt", hits, Thresholds.uniform(0.3))
    assert chosen.candidates[0].descriptor.name == "files.write_file"
