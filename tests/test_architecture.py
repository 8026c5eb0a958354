"""The import graph, drawn from the code (issue 12): no cycles between modules, and every room
imports only the rooms below it. ``LAYERS`` is the picture of ``docs/architecture.md`` as data:
a new room goes into it at the height it belongs, or this test fails."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

PACKAGE = Path(__file__).resolve().parents[1] / "agentroute"

# Bottom to top. A room may import itself and any room on a lower line; rooms on one line
# may not import each other.
LAYERS: list[set[str]] = [
    {"_lazy", "_log"},  # the basement: names resolved on first use; the library's loggers
    # the ground floor: records, reading text, the private loop, chromadb's file read directly
    # and its client (embedded or a server), a Postgres server's address
    {
        "types",
        "text",
        "_runtime",
        "_chroma_file",
        "_chroma_client",
        "_durable",
        "_postgres",
    },
    # pgvector's connection, to the Postgres server the floor below names
    {"protocols", "observability", "embeddings", "policy", "_pgvector_client"},
    {"targets", "mcp", "knowledge", "memory", "routing", "planning", "testing"},
    {"models", "config", "eval"},  # models replay routing's outcome tables; config names mcp specs
    {"turn"},  # one turn as a graph over the rooms below
    {"build"},  # the one place an agent's parts are assembled
    {"_agent"},  # the agent: lifecycle and the turn API
    {"api"},  # the agent as an OpenAI-compatible HTTP API
    {"cli"},
    {"__init__", "__main__"},  # the public surface
]


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, module: str) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("agentroute")}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            if base.startswith("agentroute"):
                found.add(base)
    return found


def _room(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _graph() -> nx.DiGraph:
    graph = nx.DiGraph()
    modules = {_module(p): p for p in PACKAGE.rglob("*.py")}
    for module, path in modules.items():
        graph.add_node(module)
        for target in _imports(path, module):
            while target not in modules and "." in target:  # a name imported from a module
                target = target.rpartition(".")[0]
            if target != module and target in modules:
                graph.add_edge(module, target)
    return graph


def test_the_graph_is_drawn_from_the_package() -> None:
    graph = _graph()
    assert graph.number_of_nodes() > 100 and graph.number_of_edges() > 200


def test_no_import_cycles() -> None:
    cycles = list(nx.simple_cycles(_graph()))
    assert not cycles, cycles


def test_every_room_is_placed() -> None:
    placed = set().union(*LAYERS)
    rooms = {_room(m) for m in _graph()}
    assert rooms <= placed, sorted(rooms - placed)


def test_imports_only_point_down() -> None:
    height = {room: i for i, layer in enumerate(LAYERS) for room in layer}
    upward = [
        f"{a} -> {b}"
        for a, b in _graph().edges
        if _room(a) != _room(b) and height[_room(b)] >= height[_room(a)]
    ]
    assert not upward, upward
