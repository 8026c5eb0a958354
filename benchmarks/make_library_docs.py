"""Writes data/library_docs/: a fifth knowledge corpus, docstrings of five permissively
licensed Python packages (click, jinja2, httpx, rich, attrs; BSD-3-Clause and MIT), one
document per public class, function or method whose docstring says enough (300+ characters).

    python benchmarks/make_library_docs.py

Why: the knowledge benchmark's four bases are what its defaults were tuned on; a corpus none
of them was tuned on, in another style (one object's docstring per document, reST and
Google-style fields), tells whether a change generalises (``bench_answers --corpus extra``).
The sources are read with ``ast`` (nothing imported); each package's licence is copied
beside the documents.
"""

from __future__ import annotations

import ast
import importlib.metadata
import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "library_docs"
PACKAGES = {"click": 90, "jinja2": 90, "httpx": 60, "rich": 90, "attrs": 40}
"""Each package and at most how many of its documents (the longest docstrings first)."""
MIN_CHARS = 300
MAX_CHARS = 4000


def _objects(tree: ast.Module, module: str) -> list[tuple[str, str]]:
    """(dotted name, docstring) of the module's public classes, functions and methods."""
    out: list[tuple[str, str]] = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            if node.name.startswith("_"):
                continue
            doc = ast.get_docstring(node)
            if doc:
                out.append((f"{module}.{node.name}", doc))
            if isinstance(node, ast.ClassDef):
                for sub in node.body:
                    if isinstance(sub, ast.FunctionDef | ast.AsyncFunctionDef) and not (
                        sub.name.startswith("_")
                    ):
                        doc = ast.get_docstring(sub)
                        if doc:
                            out.append((f"{module}.{node.name}.{sub.name}", doc))
    return out


def package_docs(package: str, limit: int) -> list[dict[str, str]]:
    import_name = "attr" if package == "attrs" else package
    spec = importlib.util.find_spec(import_name)
    if spec is None or not spec.submodule_search_locations:
        return []
    root = Path(next(iter(spec.submodule_search_locations)))
    found: list[tuple[str, str]] = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root.parent).with_suffix("")
        if any(p in ("tests", "testing", "__main__") for p in rel.parts):
            continue
        # a private module's objects are public under the package ("httpx._client" → "httpx")
        module = ".".join(p for p in rel.parts if not p.startswith("_"))
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except (OSError, SyntaxError, UnicodeDecodeError):
            continue
        found.extend((n, d) for n, d in _objects(tree, module) if len(d) >= MIN_CHARS)
    seen: set[str] = set()
    kept = []
    for name, doc in sorted(found, key=lambda nd: (-len(nd[1]), nd[0])):
        if doc in seen:
            continue
        seen.add(doc)
        kept.append((name, doc))
    return [
        {"id": f"lib-{name}", "title": name, "text": doc[:MAX_CHARS], "package": package}
        for name, doc in sorted(kept[:limit])
    ]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    rows = [r for p, n in PACKAGES.items() for r in package_docs(p, n)]
    (OUT / "docs.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    notes = [
        "# library_docs: docstrings of five Python packages",
        "",
        "Written by `benchmarks/make_library_docs.py` from the installed packages' sources;",
        "one document per public class, function or method with a docstring of 300+ characters.",
        "Used only as a benchmark corpus (`benchmarks/bench_answers.py --corpus extra`).",
        "",
    ]
    for package in PACKAGES:
        dist = importlib.metadata.distribution(package)
        count = sum(r["package"] == package for r in rows)
        licence = dist.metadata.get("License-Expression") or dist.metadata.get("License") or next(
            (c.rsplit(" :: ", 1)[-1] for c in dist.metadata.get_all("Classifier") or []
             if c.startswith("License ::")), ""
        )  # fmt: skip
        notes += [f"## {package} {dist.version} ({licence}; {count} documents)", ""]
        for f in dist.files or []:
            if "licen" in str(f).lower() and "dist-info" in str(f):
                notes += ["```", Path(str(f.locate())).read_text(encoding="utf-8").strip(), "```"]
        notes.append("")
    (OUT / "LICENSES.md").write_text("\n".join(notes), encoding="utf-8")
    print(f"{len(rows)} documents in {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
