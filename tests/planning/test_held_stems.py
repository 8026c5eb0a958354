"""A file named by its name without the extension ("the budget file", "the faq") is asked as
that file's path when exactly one file below the reading tool's directory has that stem.

Measured before (blind set 19): "how big is the budget file" and "take a look at the faq"
reached the file tools, whose calls then found no path ("could not derive arguments").
"""

from __future__ import annotations

from pathlib import Path

from agentroute.planning._held import placed
from agentroute.types import TargetDescriptor, TargetKind


def _tool(name: str, root: Path, effect: str = "read") -> TargetDescriptor:
    return TargetDescriptor(
        name=f"filesystem.{name}",
        kind=TargetKind.TOOL,
        description="Read the complete contents of a file as text.",
        server="filesystem",
        effect=effect,  # type: ignore[arg-type]
        input_schema={
            "type": "object",
            "required": ["path"],
            "properties": {"path": {"type": "string", "default": str(root)}},
        },
    )


def _tree(tmp_path: Path) -> Path:
    (tmp_path / "data").mkdir()
    (tmp_path / "docs").mkdir()
    (tmp_path / "data" / "budget.csv").write_text("rent,1200\n")
    (tmp_path / "docs" / "faq.md").write_text("# FAQ\n")
    (tmp_path / "docs" / "guide.md").write_text("# Guide\n")
    (tmp_path / "guide.txt").write_text("another guide\n")
    return tmp_path


def test_a_stem_names_its_one_file(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    info = _tool("get_file_info", root)
    assert placed("how big is the budget file", info) == "how big is the data/budget.csv file"
    assert placed("take a look at the faq", _tool("read_text_file", root)) == (
        "take a look at the docs/faq.md"
    )


def test_a_stem_of_two_files_or_of_none_is_left(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    reader = _tool("read_text_file", root)
    assert placed("open the guide", reader) == "open the guide"  # guide.md and guide.txt
    assert placed("show me the recipes", reader) == "show me the recipes"


def test_a_writing_tool_is_not_given_an_existing_file(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    writer = _tool("write_file", root, effect="write")
    assert placed("write the budget file", writer) == "write the budget file"
