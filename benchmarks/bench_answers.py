"""Knowledge-base answers: do they state the fact, cite it, and decline what does not exist?

    python benchmarks/bench_answers.py [--split train|test|both] [--per-base N] [--corpus extra]

Four chromadb bases from real corpora (benchmarks/_kb_corpora.py): the man pages and Debian
package records carried in data/, CPython's reference topics and the standard library's
docstrings. In each document one sentence is held out (not indexed) and a question is made
from it; its document's train/test split is a hash of its id. Each question is asked of its
own base (``ChromaKnowledgeBase.invoke``, no routing) and scored:

* **key fact in the answer**: the held-out sentence's rarest word that its document still
  holds elsewhere (the anchor an answer can quote) is in what the answer shows;
* **cites the document**: the answer's first claim comes from the question's document;
* **wrongly declined**: an answerable question the base declined;
* **answer size**: characters the answer shows (whole passages against sentences);
* **gold document @1 / @3 / @10**: where the question's document first comes among the
  documents of its base's ten best passages (``search``: what the answer is chosen from).

Non-existent entities, made in each base's own style from its real names by a seeded
generator (hyphenated package names, command names, a real command's options, dotted
``module.function`` names), are asked beside the same questions about real ones: a fake one
answered is a passage about another entity passed off as the answer. Split by a hash of the
name. Results: benchmarks/results/answers.json.

``--corpus extra``: a fifth base instead, kept apart from the four the defaults were tuned on
(docstrings of click, jinja2, httpx, rich and attrs carried in data/library_docs/, one object
each): its held-out questions made the same way (its own word frequencies, so the four
bases' questions are unchanged), no entity probes. Results:
benchmarks/results/answers_extra.json.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import random
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _kb_corpora import _WORD, Doc, Question, corpora, held_out, library_docs

from agentroute.embeddings import default_embedder
from agentroute.knowledge import ChromaKnowledgeBase
from agentroute.observability import configure_logging

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "answers.json"
BASES = ("manpages", "debian_packages", "python_reference", "stdlib_docs")
EXTRA = ("library_docs",)
"""The fifth base, a generalisation check: nothing was tuned on it before it was measured."""
SEED = 15


@dataclass(frozen=True)
class Probe:
    """A question about a named entity, real or made up, asked of ``base``."""

    text: str
    base: str
    kind: str
    name: str
    real: bool
    split: str


def split_of(name: str) -> str:
    h = int(hashlib.sha256(f"{SEED}:{name}".encode()).hexdigest(), 16)
    return "train" if h % 2 == 0 else "test"


def shown(result: str) -> str:
    """What an answer shows a reader: its quoted lines (labels are provenance)."""
    return "\n".join(line[2:] for line in result.splitlines() if line.startswith("> "))


def gold_rank(kb: ChromaKnowledgeBase, q: Question, depth: int = 10) -> int | None:
    """The question's document's place (0: first) among the documents of ``kb``'s ``depth``
    best passages for it, in the order they first come (``None``: not among them)."""
    order = list(dict.fromkeys(h.doc_id for h in kb.search(q.text, depth)))
    return order.index(q.docs[0]) if q.docs[0] in order else None


def key_word(q: Question, kept: dict[str, str], df: Counter[str]) -> str:
    """The held-out sentence's rarest word its document still holds elsewhere ("" if none)."""
    words = {w.lower() for w in kept[q.docs[0]].split()}
    held = [w for w in dict.fromkeys(_WORD.findall(q.held)) if len(w) > 3]
    present = [w for w in held if w.lower() in words]
    return min(present, key=lambda w: (df.get(w.lower(), 0), w)) if present else ""


# -- non-existent entities in each base's style -------------------------------------------

_PACKAGE_ASKS = [
    "Who maintains the Debian package {n}?",
    "What does the {n} package contain?",
    "which debian package is {n}",
    "Tell me about the package {n}.",
    "What is {n} in Debian?",
    "describe {n}",
]
_COMMAND_ASKS = [
    "What does the {n} command do?",
    "how do I use {n}",
    "What is {n} used for?",
    "Explain the {n} program.",
    "{n} manual page",
    "what does {n} do on linux?",
]
_OPTION_ASKS = [
    "What does the {o} option of {c} do?",
    "{c} {o}?",
    "what does {c} {o} mean",
    "Explain {o} in {c}.",
]
_DOTTED_ASKS = [
    "What does {n} do?",
    "How do I call {n}()?",
    "Explain {n}.",
    "what arguments does {n} take",
]


def _package_names(docs: list[Doc]) -> list[str]:
    return [d.title.removeprefix("Debian package ").strip() for d in docs]


def _command_names(docs: list[Doc]) -> list[str]:
    return [re.sub(r"\(\d\w*\).*", "", d.title).strip() for d in docs]


def _options(doc: Doc) -> list[str]:
    return sorted(set(re.findall(r"(?<![\w-])--[a-z][a-z0-9]+(?:-[a-z0-9]+)+", doc.text)))


def _functions(doc: Doc) -> list[str]:
    return sorted(set(re.findall(r"^([a-z][a-z0-9_]{3,}): ", doc.text, re.M)))


def entity_probes(docs: dict[str, list[Doc]], per_kind: int = 80) -> list[Probe]:
    """Real and made-up names of each base's kind, asked the same ways."""
    rng = random.Random(SEED)
    words = {w.lower() for ds in docs.values() for d in ds for w in re.findall(r"[\w.-]+", d.text)}
    words |= {w.lower() for ds in docs.values() for d in ds for w in d.title.split()}
    out: list[Probe] = []

    def add(kind: str, base: str, real: list[str], make: Any, ask: Any) -> None:
        made: list[str] = []
        for _ in range(per_kind * 50):
            if len(made) >= per_kind:
                break
            n = make()
            if n and n.lower() not in words and n not in made:
                made.append(n)
        for n in rng.sample(real, min(per_kind, len(real))):
            out.append(Probe(ask(n), base, kind, n, True, split_of(n)))
        for n in made:
            out.append(Probe(ask(n), base, kind, n, False, split_of(n)))

    packages = _package_names(docs["debian_packages"])
    parts = sorted({p for n in packages for p in n.split("-") if len(p) > 2 and p.isalpha()})
    add(
        "package",
        "debian_packages",
        [p for p in packages if "-" in p],
        lambda: "-".join(rng.sample(parts, 2)),
        lambda n: rng.choice(_PACKAGE_ASKS).format(n=n),
    )
    commands = [c for c in _command_names(docs["manpages"]) if c.isalpha() and len(c) > 2]
    add(
        "command",
        "manpages",
        commands,
        lambda: rng.choice(commands)[: rng.randint(1, 3)] + rng.choice(commands)[-3:],
        lambda n: rng.choice(_COMMAND_ASKS).format(n=n),
    )
    pages = [(d, _options(d)) for d in docs["manpages"]]
    pages = [(d, o) for d, o in pages if o]
    option_words = sorted({w for _, os in pages for o in os for w in o[2:].split("-")})

    def real_option() -> str:
        d, os = rng.choice(pages)
        return f"{_command_names([d])[0]} {rng.choice(os)}"

    def fake_option() -> str:
        d, _ = rng.choice(pages)
        o = "--" + "-".join(rng.sample(option_words, 2))
        return "" if o in d.text else f"{_command_names([d])[0]} {o}"

    real_opts = list(dict.fromkeys(real_option() for _ in range(per_kind * 3)))
    fakes: list[str] = []
    while len(fakes) < per_kind:
        f = fake_option()
        if f and f not in fakes:
            fakes.append(f)
    for n, real in [*((n, True) for n in real_opts[:per_kind]), *((n, False) for n in fakes)]:
        c, o = n.split(" ", 1)
        out.append(
            Probe(rng.choice(_OPTION_ASKS).format(c=c, o=o), "manpages", "option", n, real,
                  split_of(n))
        )  # fmt: skip
    modules = [
        (d.title.removeprefix("module ").strip(), _functions(d)) for d in docs["stdlib_docs"]
    ]
    modules = [(m, fs) for m, fs in modules if fs]
    funcs = sorted({f for _, fs in modules for f in fs})
    prefixes = ["fast", "safe", "async", "multi", "deep", "raw", "iter", "auto"]
    add(
        "dotted",
        "stdlib_docs",
        [f"{m}.{f}" for m, fs in modules for f in fs],
        lambda: (lambda m: f"{m[0]}.{rng.choice(prefixes)}{rng.choice(funcs)}")(
            rng.choice(modules)
        ),
        lambda n: rng.choice(_DOTTED_ASKS).format(n=n),
    )
    return out


# -- the run ---------------------------------------------------------------------------------


def corpus_of(extra: bool) -> tuple[tuple[str, ...], dict[str, list[Doc]]]:
    """The bases asked and their documents: the four, or the fifth (never tuned on)."""
    if extra:
        return EXTRA, {"library_docs": library_docs()}
    return BASES, {b: ds for b, ds in corpora().items() if b in BASES}


def build(kept: dict[str, list[Doc]]) -> dict[str, ChromaKnowledgeBase]:
    from bench_kb_routing import build_bases

    return build_bases(kept, default_embedder())


async def ask(kb: ChromaKnowledgeBase, text: str) -> Any:
    return await kb.invoke("s1", text, None, timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["train", "test", "both"], default="train")
    parser.add_argument("--per-base", type=int, default=60, help="questions per base and split")
    parser.add_argument(
        "--corpus", choices=["four", "extra"], default="four", help="the four bases or the fifth"
    )
    args = parser.parse_args()
    configure_logging(level="warning")
    extra = args.corpus == "extra"
    names, docs = corpus_of(extra)
    results = RESULTS.with_name("answers_extra.json") if extra else RESULTS
    kept, questions = held_out(docs, names, keep_layout=True)
    t0 = time.perf_counter()
    bases = build(kept)
    built = time.perf_counter() - t0
    texts = {d.id: d.text for ds in kept.values() for d in ds}
    df = Counter(w for t in texts.values() for w in {w.lower() for w in _WORD.findall(t)})
    splits = ("train", "test") if args.split == "both" else (args.split,)
    rows: list[dict[str, Any]] = []
    for split in splits:
        for base in names:
            mine = [q for q in questions if q.split == split and q.bases == (base,)]
            for q in mine[: args.per_base]:
                t1 = time.process_time()
                obs = asyncio.run(ask(bases[base], q.text))
                cpu = time.process_time() - t1
                key = key_word(q, texts, df)
                said = shown(obs.result) if obs.ok else ""
                first = ((obs.data or {}).get("claims") or (obs.data or {}).get("hits") or [{}])[0]
                rows.append(
                    {
                        "type": "question",
                        "split": split,
                        "base": base,
                        "question": q.text,
                        "doc": q.docs[0],
                        "key": key,
                        "ok": obs.ok,
                        "key_in": bool(key) and key.lower() in said.lower(),
                        "cited": obs.ok and first.get("doc_id") == q.docs[0],
                        "retrieved": any(
                            h.get("doc_id") == q.docs[0] for h in (obs.data or {}).get("hits", [])
                        ),
                        "chars": len(said),
                        "gold_rank": gold_rank(bases[base], q),
                        "cpu_s": cpu,
                        "error": obs.error,
                    }
                )
    for p in [] if extra else entity_probes(docs):
        if p.split not in splits:
            continue
        obs = asyncio.run(ask(bases[p.base], p.text))
        rows.append(
            {
                "type": "entity",
                "split": p.split,
                "base": p.base,
                "kind": p.kind,
                "name": p.name,
                "real": p.real,
                "question": p.text,
                "ok": obs.ok,
                "error": obs.error,
                "said": shown(obs.result)[:200] if obs.ok else "",
            }
        )
    summary = summarise(rows)
    print(f"answers: {len(bases)} bases (built in {built:.1f} s), {len(rows)} asks")
    for split, m in summary.items():
        print(
            f"{split:6} key fact {m['key_in']:.1%} (n={m['key_n']}; "
            f"{m['key_in_retrieved']:.1%} where its document was retrieved)  "
            f"cites doc {m['cited']:.1%}  "
            f"wrongly declined {m['declined']:.1%} (n={m['n']})  shows {m['chars']:.0f} chars  "
            f"cpu {m['cpu_ms']:.0f} ms/q"
        )
        print(
            f"       gold document @1 {m['gold@1']:.1%}  @3 {m['gold@3']:.1%}  "
            f"@10 {m['gold@10']:.1%}"
        )
        for kind, e in m["entities"].items():
            print(
                f"       {kind:8} fake declined {e['fake_declined']:.1%} (n={e['fake_n']})  "
                f"real answered {e['real_answered']:.1%} (n={e['real_n']})"
            )
    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text(
        json.dumps(
            {
                "command": "python benchmarks/bench_answers.py " + " ".join(sys.argv[1:]),
                "summary": summary,
                "rows": rows,
            },
            indent=1,
        )
    )
    print(f"results: {results.relative_to(HERE.parent)}")


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for split in ("train", "test"):
        qs = [r for r in rows if r["split"] == split and r["type"] == "question"]
        if not qs:
            continue
        keyed = [r for r in qs if r["key"]]
        answered = [r for r in qs if r["ok"]]
        ents = [r for r in rows if r["split"] == split and r["type"] == "entity"]
        out[split] = {
            "n": len(qs),
            "key_n": len(keyed),
            "key_in": sum(r["key_in"] for r in keyed) / max(len(keyed), 1),
            "cited": sum(r["cited"] for r in qs) / max(len(qs), 1),
            "key_in_retrieved": sum(r["key_in"] for r in keyed if r.get("retrieved"))
            / max(sum(1 for r in keyed if r.get("retrieved")), 1),
            "declined": sum(not r["ok"] for r in qs) / max(len(qs), 1),
            **{
                f"gold@{k}": sum(r["gold_rank"] is not None and r["gold_rank"] < k for r in qs)
                / max(len(qs), 1)
                for k in (1, 3, 10)
            },
            "chars": sum(r["chars"] for r in answered) / max(len(answered), 1),
            "cpu_ms": 1e3 * sum(r["cpu_s"] for r in qs) / max(len(qs), 1),
            "entities": {
                kind: {
                    "fake_n": sum(not r["real"] for r in mine),
                    "fake_declined": sum(not r["ok"] for r in mine if not r["real"])
                    / max(sum(not r["real"] for r in mine), 1),
                    "real_n": sum(r["real"] for r in mine),
                    "real_answered": sum(r["ok"] for r in mine if r["real"])
                    / max(sum(r["real"] for r in mine), 1),
                }
                for kind in ("package", "command", "option", "dotted", "all")
                if (mine := [r for r in ents if kind in (r["kind"], "all")])
            },
        }
    return out


if __name__ == "__main__":
    main()
