"""The target set of the planning benchmark, built offline from real parts.

* the embedded default: the project's MCP servers (calc, units), the ``facts`` base and the
  ``geography`` graph (``agentroute.build.builtin_mcp_specs``, ``build_default_knowledge``,
  ``default_graph``);
* the official MCP servers installed by ``.ci/install_ecosystem.sh``: ``time``, ``git`` (on a
  temporary repository made here), ``filesystem`` (on a temporary directory made here) and
  ``everything``;
* two more knowledge bases from text the repository carries: ``project_docs`` (README.md and
  docs/architecture.md) and ``policy_docs`` (policies/README.md);
* three expert chat models, descriptors only: each answers a fixed text, so routing to them
  can be scored.

The fixture contents below are what the requests of ``benchmarks/planning/*.jsonl`` ask about.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
NODE_MODULES = ROOT / ".ci" / "node" / "node_modules"
INSTALL = "bash .ci/install_ecosystem.sh"

EXPERT_REPLIES = {
    "general": "GENERAL-EXPERT-REPLY",
    "coder": "CODER-EXPERT-REPLY",
    "translator": "TRANSLATOR-EXPERT-REPLY",
}
"""The fixed text each expert answers with: the expected answer of a step routed to it."""

EXPERTS: dict[str, dict[str, Any]] = {
    "general": {
        "description": (
            "General-purpose chat assistant: writing and rewriting text, summaries, explanations "
            "of everyday topics, advice, brainstorming ideas, recipes, jokes and poems, drafting "
            "emails and messages."
        ),
        "domains": ["writing", "general", "advice", "creative"],
        "examples": [
            "Write a short poem about autumn",
            "Give me three ideas for a team offsite",
            "Explain what inflation is in simple words",
            "Draft a polite email declining a meeting",
        ],
        "price_in_per_m": 0.15,
        "price_out_per_m": 0.6,
    },
    "coder": {
        "description": (
            "Programming specialist: writes, reviews and explains code in Python, JavaScript, "
            "SQL, shell and regular expressions; explains error messages and stack traces; "
            "suggests fixes and tests."
        ),
        "domains": ["programming", "code", "software"],
        "examples": [
            "Write a Python function that reverses a linked list",
            "Why does this raise KeyError",
            "Write a regex that matches an email address",
            "Write a SQL query that counts orders per customer",
        ],
        "price_in_per_m": 1.0,
        "price_out_per_m": 4.0,
    },
    "translator": {
        "description": (
            "Translation specialist: translates text between languages (English, French, "
            "German, Spanish, Italian, Japanese, ...) and explains idioms and grammar."
        ),
        "domains": ["translation", "languages"],
        "examples": [
            "Translate 'good morning' into French",
            "How do you say thank you in Japanese",
            "Translate this sentence to German",
        ],
        "price_in_per_m": 0.5,
        "price_out_per_m": 1.5,
    },
}

GIT_COMMITS = [
    ("README.md", "# demo\n", "Add the readme"),
    ("app.py", "print('hi')\n", "Add the app entry point"),
    ("config.toml", "[server]\nport = 8080\n", "Add the server config"),
]

FILES = {
    "notes.txt": "alpha line\nbeta line\ngamma line\ndelta line\n",
    "todo.md": "# To do\n- renew passport\n- book dentist\n- pay electricity bill\n",
    "docs/guide.md": "# Guide\nUse the router.\n",
    "docs/faq.md": "# FAQ\nQ: Is it offline? A: Yes.\n",
    "data/budget.csv": "item,amount\nrent,1200\nfood,450\ntravel,300\n",
}


def _npm_server(package: str) -> str:
    script = NODE_MODULES / "@modelcontextprotocol" / package / "dist" / "index.js"
    if not script.is_file():
        raise SystemExit(f"@modelcontextprotocol/{package} is not installed at {script}: {INSTALL}")
    return str(script)


def make_repo(root: Path) -> Path:
    """A real git repository: three commits, one uncommitted change, one untracked file."""
    path = root / "repo"
    path.mkdir(parents=True)
    env = {"GIT_AUTHOR_NAME": "Ada", "GIT_AUTHOR_EMAIL": "ada@example.org",
           "GIT_COMMITTER_NAME": "Ada", "GIT_COMMITTER_EMAIL": "ada@example.org",
           "PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(root)}  # fmt: skip

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=path, env=env, check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    for name, text, message in GIT_COMMITS:
        (path / name).write_text(text)
        git("add", name)
        git("commit", "-q", "-m", message)
    git("branch", "feature-login")
    (path / "app.py").write_text("print('hello world')\n")  # an unstaged change
    (path / "notes-untracked.txt").write_text("todo\n")
    return path


def make_files(root: Path) -> Path:
    """The one directory the filesystem server may touch."""
    base = root / "files"
    for name, text in FILES.items():
        (base / name).parent.mkdir(parents=True, exist_ok=True)
        (base / name).write_text(text)
    return base


def mcp_specs(root: Path) -> list[Any]:
    from agentroute.build import builtin_mcp_specs
    from agentroute.mcp import McpServerSpec

    for module in ("mcp_server_time", "mcp_server_git"):
        __import__(module)  # installed by .ci/install_ecosystem.sh
    repo, files = make_repo(root), make_files(root)
    return [
        *builtin_mcp_specs(),
        McpServerSpec(
            name="time",
            command=sys.executable,
            args=["-m", "mcp_server_time", "--local-timezone", "UTC"],
        ),
        McpServerSpec(
            name="git",
            command=sys.executable,
            args=["-m", "mcp_server_git", "--repository", str(repo)],
        ),
        McpServerSpec(
            name="filesystem", command="node", args=[_npm_server("server-filesystem"), str(files)]
        ),
        McpServerSpec(
            name="everything", command="node", args=[_npm_server("server-everything"), "stdio"]
        ),
    ]


def knowledge(root: Path, embedder: Any) -> list[Any]:
    from agentroute.knowledge import ChromaKnowledgeBase, build_default_knowledge, default_graph

    project = ChromaKnowledgeBase(
        "project_docs",
        root / "kb" / "project_docs",
        embedder,
        description=(
            "The agentroute project's own documentation: installation, configuration "
            "(agentroute.toml), commands, architecture, benchmarks and known limits."
        ),
        domains=["agentroute", "documentation"],
        examples=["How do I install agentroute?", "What does agentroute chat do?"],
    )
    project.ingest([ROOT / "README.md", ROOT / "docs" / "architecture.md"])
    policy = ChromaKnowledgeBase(
        "policy_docs",
        root / "kb" / "policy_docs",
        embedder,
        description=(
            "Reference of agentroute's privilege policy language: rules, effects (allow, deny, "
            "ask, stop), conditions, priorities, scopes, defaults and the policy commands."
        ),
        domains=["policy", "security", "documentation"],
        examples=["What does the ask effect do?", "How are rule priorities ordered?"],
    )
    policy.ingest([ROOT / "policies" / "README.md"])
    return [
        build_default_knowledge(root / "kb" / "facts", embedder),
        default_graph(embedder),
        project,
        policy,
    ]


def experts() -> list[Any]:
    from agentroute.models import ChatModelExpert
    from agentroute.testing import FunctionChatModel
    from agentroute.types import TargetDescriptor, TargetKind

    out = []
    for name, spec in EXPERTS.items():
        reply = EXPERT_REPLIES[name]
        model = FunctionChatModel(function=lambda _messages, r=reply: r)
        out.append(
            ChatModelExpert(model, TargetDescriptor(name=name, kind=TargetKind.EXPERT, **spec))
        )
    return out


def build_agent(root: Path, planner: Any = None) -> Any:
    """The benchmark's agent: every target above, the semantic planner (or ``planner``), no
    memory (each request is planned on its own merits), threads in memory."""
    from agentroute import Agent
    from agentroute.embeddings import default_embedder

    embedder = default_embedder()
    return Agent(
        name="planbench",
        targets=[*knowledge(root, embedder), *experts()],
        mcp=mcp_specs(root),
        embedder=embedder,
        warm_spares=False,
        planner=planner,
    )
