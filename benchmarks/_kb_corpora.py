"""The corpora of the multi-KB routing benchmark, built offline from what the project carries
or the interpreter ships, and the questions generated from them by a fixed script.

* ``python_reference``: CPython's reference topics (``pydoc_data.topics``, PSF licence);
* ``stdlib_docs``: docstrings of the standard library's modules and their public functions
  and classes, read from the source files with ``ast`` (nothing is imported);
* ``project_docs``: this repository's documentation (README.md, docs/*.md,
  policies/README.md), one document per section;
* ``facts``: the bundled facts corpus (agentroute/knowledge/corpus/facts.jsonl);
* ``manpages``: about 250 common manual pages carried in data/manpages/ (one document a page);
* ``debian_packages``: 650 Debian package stanzas carried in data/debian_packages/;
* ``library_docs``: 325 docstrings of click, jinja2, httpx, rich and attrs carried in
  data/library_docs/ (one public class, function or method each; not among ``corpora()``:
  the knowledge benchmark's held-back fifth base, ``bench_answers.py --corpus extra``).

Two question sets. The natural set (benchmarks/kb_routing/questions.jsonl) was written by
hand the ways people ask ("which package gives me the xxd command?", "what does the walrus
operator do"), 40 singles per base of manpages, debian_packages, python_reference and
stdlib_docs, 40 two-part questions and 20 that no base answers, alternately train and test
(fixed in the file).

Questions: in each document one sentence is held out (not indexed) and turned into a question
from its rarest words (by document frequency over all corpora) with one of several phrasings,
chosen by a seeded generator. A document's questions are train or test by a hash of its id;
defaults are tuned on train only. Two-part questions join a question of one base with one of
another by one of several connectives.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.util
import json
import random
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = 13

DESCRIPTIONS = {
    "python_reference": (
        "The Python language reference: syntax and semantics of statements and expressions, "
        "operators, the data model and special methods."
    ),
    "stdlib_docs": "Documentation of the Python standard library's modules and functions.",
    "project_docs": (
        "agentroute's own documentation: installation, configuration, commands, architecture, "
        "benchmarks and the policy language."
    ),
    "facts": (
        "Encyclopedic reference facts: units, constants, elements, countries, rivers, "
        "mountains, inventions and scientists, astronomy."
    ),
    "manpages": (
        "Linux manual pages: how to use shell commands and their options, and the formats of "
        "system configuration files."
    ),
    "debian_packages": (
        "Debian packages: what each package contains and which package provides a program."
    ),
    "library_docs": (
        "Reference documentation of the Python libraries click, jinja2, httpx, rich and attrs: "
        "their classes, functions and methods."
    ),
}
NATURAL = ROOT / "benchmarks" / "kb_routing" / "questions.jsonl"
DEV = ROOT / "benchmarks" / "kb_routing" / "dev.jsonl"
"""A second hand-written set (split ``dev``) over all six bases, with close distractors that
no base answers; written after the natural set, for tuning beside its train split."""
DEV2 = ROOT / "benchmarks" / "kb_routing" / "dev2.jsonl"
"""A third hand-written set (split ``dev2``) in registers the older sets lack: short
fragments, long chatty questions, entities named only by description ("the tool that prints
prime factors"), and close distractors no base answers (a command with a package but no
manual page, a stdlib-like name the corpus lacks, a country the facts miss)."""
DEV3 = ROOT / "benchmarks" / "kb_routing" / "dev3.jsonl"
"""A fourth hand-written set (split ``dev3``, session 15, written before the probe's code was
read): entities named by what they do ("the event loop behind node.js"), commands asked as
tasks ("chop a file into pieces"), terse fragments, and close distractors (a river or element
the facts name without the fact asked, a library the corpus lacks, another language's
feature); each gold checked against the corpus text."""
DEV4 = ROOT / "benchmarks" / "kb_routing" / "dev4.jsonl"
"""A fifth hand-written set (split ``dev4``, session 16, written before the probe's code was
read: fragments, typos, bare names and option flags, how-tos and facts, each gold checked
against its document's text)."""
DEV5 = ROOT / "benchmarks" / "kb_routing" / "dev5.jsonl"
"""A sixth hand-written set (split ``dev5``, session 17, written before the probe's code was
read) over seven bases: the six and ``library_docs`` (click, jinja2, httpx, rich, attrs), which
the probe was never tuned on. Library questions the many ways people ask, the other bases
beside them, and close distractors: made-up options and functions of real modules, packages
that do not exist, an attribute of a real entity its document never states; each gold checked
against its document's text."""
DEV6 = ROOT / "benchmarks" / "kb_routing" / "dev6.jsonl"
"""A seventh hand-written set (split ``dev6``, session 18, written before the probe's code was
read) over the seven bases: singles the many ways people ask (questions, commands, fragments,
typos, questions naming no program or library), two-part questions mixing bases, and questions
that look answerable but are not (an attribute of a real entity no document states, made-up
options, functions and packages, real software no base covers); each gold checked against its
document's text as indexed (``held_out`` keeps one sentence of each generated-from document out
of the index: a fact only that sentence states is one no base answers)."""
DEV7 = ROOT / "benchmarks" / "kb_routing" / "dev7.jsonl"
"""An eighth hand-written set (split ``dev7``, session 19, written before the probe's code was
read) over the seven bases: long questions with context before the ask, two entity names of
which one is the subject, "difference between X and Y", "can I ... with X", fragments, typos,
options and sections named without their program; two-part questions over every pair of kinds;
look-alike questions nothing answers (made-up options, statements, functions and features, other
ecosystems' software, facts the indexed text does not state, counts). Each gold checked against
its document's text as indexed."""
DEV8 = ROOT / "benchmarks" / "kb_routing" / "dev8.jsonl"
"""A ninth hand-written set (split ``dev8``, session 20, written before the probe's code was
read) over the seven bases: context before the ask, comparisons, how-tos, "is there a way to",
pasted error messages, functions and options named without their base's words, typos and
lowercase names; two-part questions over pairs of bases; look-alikes nothing answers (made-up
options, functions and packages, facts the indexed text does not state, other ecosystems).
Each gold checked against its document's text as indexed."""
DEV9 = ROOT / "benchmarks" / "kb_routing" / "dev9.jsonl"
"""A tenth hand-written set (split ``dev9``, session 21, written before the probe's code was
read) over the seven bases: very short keyword queries, questions in the second person,
questions naming two bases' vocabulary of which one answers, "what's the difference between X
and Y" within one base; two-part questions over pairs of bases; look-alikes nothing answers
(facts the indexed text does not state, made-up options and functions, other ecosystems).
Each gold checked against its document's text as indexed."""

DEV10 = ROOT / "benchmarks" / "kb_routing" / "dev10.jsonl"
"""An eleventh hand-written set (split ``dev10``, session 22, written before the probe's code
was read) over the four bases of the natural set (manpages, debian_packages, python_reference,
stdlib_docs), asked with the seven indexed: keyword fragments and bare option flags, "how do
i", typos, long questions with context, two-part questions across two of the four, and
questions no base answers (other ecosystems' software, everyday questions, Python modules and
functions no indexed text covers). Each gold checked against its document's text as indexed."""

HELD_OUT: dict[str, list[str]] = json.loads(
    (ROOT / "benchmarks" / "kb_routing" / "held_out.json").read_text(encoding="utf-8")
)
"""The held-out sentences of the Python reference's, the standard library's and the facts'
documents, as drawn in session 19 (when dev7 was written and checked against the indexed
text), fixed so that no edit elsewhere re-draws them (``_picked``)."""

_SKIP_MODULES = {"antigravity", "this", "idlelib", "turtledemo", "pydoc_data", "lib2to3"}
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]+")
_BROKEN = re.compile(r"(?<=[a-z])[\u2010\u00ad] (?=[a-z])")
"""A word a man page's formatter broke at a line end (whitespace collapsed): nobody asks so."""
_STOP = {
    w.strip()
    for w in (ROOT / "agentroute" / "text" / "stopwords.txt").read_text().splitlines()
    if w.strip() and not w.startswith("#")
} | {
    "also",
    "may",
    "must",
    "used",
    "use",
    "one",
    "two",
    "such",
    "which",
    "there",
    "their",
    "they",
    "them",
    "its",
    "into",
    "has",
    "have",
    "had",
    "more",
    "most",
    "other",
    "only",
    "same",
    "see",
    "following",
    "example",
    "value",
    "values",
    "new",
    "given",
    "first",
}

PHRASINGS = [
    "What is {phrase}?",
    "How does {phrase} work?",
    "Tell me about {phrase}.",
    "{phrase}?",
    "Can you explain {phrase}",
    "what about {phrase}",
    "I'd like to know about {phrase}, please.",
    "Explain {phrase}.",
    "Where can I read about {phrase}?",
    "Is it true that {sentence}",
    "What does it mean that {window}?",
    "Why {window}?",
    "I read that {window} - what does that mean?",
    "{window}... can you tell me more?",
    "Explain: {window}",
]
"""{phrase}: the sentence's four rarest words, in order (a keyword fragment); {window}: up to
eight words of the sentence around its rarest word (what someone quoting it would write);
{sentence}: the whole sentence."""
CONNECTIVES = ["{a} Also, {b}", "{a} And {b}", "{a} Then {b}", "{a}; {b}", "{a} After that, {b}"]


@dataclass(frozen=True)
class Doc:
    base: str
    id: str
    title: str
    text: str


@dataclass(frozen=True)
class Question:
    text: str
    bases: tuple[str, ...]
    docs: tuple[str, ...]
    split: str
    held: str = ""
    """The held-out sentence a generated question was made from."""


def python_reference() -> list[Doc]:
    from pydoc_data.topics import topics

    return [Doc("python_reference", f"ref-{k}", k, v) for k, v in sorted(topics.items())]


def stdlib_docs(limit: int = 120) -> list[Doc]:
    out: list[Doc] = []
    for name in sorted(sys.stdlib_module_names):
        if name.startswith("_") or name in _SKIP_MODULES or len(out) >= limit:
            continue
        spec = importlib.util.find_spec(name) if name not in sys.builtin_module_names else None
        origin = spec.origin if spec else None
        if not origin or not origin.endswith(".py"):
            continue
        try:
            tree = ast.parse(Path(origin).read_text(encoding="utf-8"))
        except (OSError, SyntaxError, UnicodeDecodeError):
            continue
        parts = [ast.get_docstring(tree) or ""]
        for node in tree.body:
            if isinstance(node, ast.FunctionDef | ast.ClassDef) and not node.name.startswith("_"):
                doc = ast.get_docstring(node)
                if doc:
                    parts.append(f"{node.name}: {doc.split(chr(10) + chr(10))[0]}")
        text = "\n\n".join(p for p in parts if p).strip()[:4000]
        if len(text) >= 300:
            out.append(Doc("stdlib_docs", f"mod-{name}", f"module {name}", text))
    return out


def project_docs() -> list[Doc]:
    files = [
        ROOT / "README.md",
        *sorted((ROOT / "docs").glob("*.md")),
        ROOT / "policies" / "README.md",
    ]
    out: list[Doc] = []
    for path in files:
        rel = path.relative_to(ROOT).as_posix()
        for i, section in enumerate(re.split(r"\n(?=#{1,4} )", path.read_text(encoding="utf-8"))):
            lines = section.strip().splitlines()
            if not lines:
                continue
            title = lines[0].lstrip("# ").strip()
            body = "\n".join(lines[1:]).strip()
            if len(body) >= 200:
                out.append(Doc("project_docs", f"{rel}:{i}", title, body))
    return out


def facts() -> list[Doc]:
    path = ROOT / "agentroute" / "knowledge" / "corpus" / "facts.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [Doc("facts", r["id"], r.get("title", ""), r["text"]) for r in rows]


def _carried(base: str, folder: str, name: str) -> list[Doc]:
    path = ROOT / "data" / folder / name
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [Doc(base, r["id"], r["title"], r["text"]) for r in rows]


def manpages() -> list[Doc]:
    return _carried("manpages", "manpages", "pages.jsonl")


def debian_packages() -> list[Doc]:
    return _carried("debian_packages", "debian_packages", "packages.jsonl")


def library_docs() -> list[Doc]:
    return _carried("library_docs", "library_docs", "docs.jsonl")


def corpora() -> dict[str, list[Doc]]:
    return {
        "python_reference": python_reference(),
        "stdlib_docs": stdlib_docs(),
        "project_docs": project_docs(),
        "facts": facts(),
        "manpages": manpages(),
        "debian_packages": debian_packages(),
    }


GENERATED_FROM = ("python_reference", "stdlib_docs", "project_docs", "facts")
"""The bases the generated questions are drawn from (as before the natural set existed)."""


def natural() -> list[Question]:
    """The hand-written questions: gold bases in asking order; none when no base answers."""
    rows = [
        json.loads(line)
        for path in (NATURAL, DEV, DEV2, DEV3, DEV4, DEV5, DEV6, DEV7, DEV8, DEV9, DEV10)
        for line in path.read_text(encoding="utf-8").splitlines()
        if line
    ]
    return [Question(r["question"], tuple(r["bases"]), (), r["split"]) for r in rows]


def split_of(doc_id: str) -> str:
    h = int(hashlib.sha256(f"{SEED}:{doc_id}".encode()).hexdigest(), 16)
    return "train" if h % 2 == 0 else "test"


def _usable(sentence: str) -> bool:
    words = sentence.split()
    return (
        8 <= len(words) <= 40
        and not re.search(r"[{}<>=`|\\]|>>>|\.\.\.|\*\*", sentence)
        and sum(1 for w in _WORD.findall(sentence) if w.lower() not in _STOP) >= 4
    )


def held_out(
    docs: dict[str, list[Doc]],
    generate_from: tuple[str, ...] = GENERATED_FROM,
    *,
    keep_layout: bool = False,
) -> tuple[dict[str, list[Doc]], list[Question]]:
    """Each document without one held-out sentence, and that sentence's question (of the
    bases ``generate_from``; the others' documents are kept whole). ``keep_layout``: the
    sentence is cut out of the document as written (its lines and sections kept), not out of
    its text with whitespace collapsed."""
    draws: dict[str, random.Random] = {}  # which sentences are held out: each base its own
    say = random.Random(SEED + 2)  # how each is asked (apart: new phrasings re-embed nothing)
    all_docs = [d for b, ds in docs.items() if b in generate_from for d in ds]
    df = Counter(w for d in all_docs for w in {w.lower() for w in _WORD.findall(d.text)})
    kept: dict[str, list[Doc]] = {b: [] for b in docs}
    questions: list[Question] = []
    for base, ds in docs.items():
        for d in ds:
            if base not in generate_from:
                kept[base].append(d)
                continue
            sentences = _SENTENCE.split(_clean(d.text))
            usable = [i for i, s in enumerate(sentences) if _usable(s)]
            if not usable or len(sentences) < 2:
                kept[base].append(d)
                continue
            picked = _picked(d, sentences, usable, draws.setdefault(base, random.Random(SEED)))
            rest = " ".join(s for j, s in enumerate(sentences) if j not in picked)
            if keep_layout:
                rest = _cut(d.text, [sentences[i] for i in picked]) or rest
            kept[base].append(Doc(base, d.id, d.title, rest))
            for i in picked:
                held = sentences[i].strip()
                sentence = _BROKEN.sub("", held)  # asked in whole words: "current", not "cur‐ rent"
                words = [w for w in _WORD.findall(sentence) if w.lower() not in _STOP]
                # ties broken by the word itself: a set's order changes with every process
                rare = sorted(set(words), key=lambda w: (df.get(w.lower(), 0), w))[:4]
                phrase = " ".join(w for w in dict.fromkeys(words) if w in rare)
                template = say.choice(PHRASINGS)
                text = template.format(
                    phrase=phrase,
                    window=_window(sentence, rare[0] if rare else ""),
                    sentence=sentence[0].lower() + sentence[1:].rstrip(".") + "?",
                )
                if say.random() < 0.3:
                    text = text.lower()
                questions.append(Question(text, (base,), (d.id,), split_of(d.id), held))
    return kept, questions


def _picked(d: Doc, sentences: list[str], usable: list[int], rng: random.Random) -> list[int]:
    """The indexes of ``d``'s held-out sentences: those ``HELD_OUT`` lists for it when its text
    still has them, else drawn by its base's own generator ``rng``. One generator shared by all
    bases let an edit of one (this README is project_docs, drawn before facts) re-draw every
    later base's sentences: the facts base then stated what hand-written look-alike questions
    were checked to lack (a capital, a boiling point), and their golds flipped."""
    listed = HELD_OUT.get(d.id)
    stripped = [s.strip() for s in sentences]
    if listed and all(s in stripped for s in listed):
        return sorted(stripped.index(s) for s in listed)
    return sorted(rng.sample(usable, min(len(usable), 3, max(1, len(sentences) // 12))))


def _cut(text: str, sentences: list[str]) -> str:
    """``text`` without ``sentences`` (matched across its line breaks and markdown marks);
    "" when one is not found as written."""
    for sentence in sentences:
        words = [re.escape(w) for w in sentence.split()]
        m = re.search(r"[`*\[\]()]*\s+[`*\[\]()]*".join(words), text) if words else None
        if m is None:
            return ""
        text = text[: m.start()] + text[m.end() :]
    return text


def _window(sentence: str, word: str, size: int = 8) -> str:
    """Up to ``size`` words of ``sentence`` around ``word``, within its clause."""
    clauses = re.split(r"[,;:()]", sentence)
    clause = next((c for c in clauses if word and word in c), sentence)
    words = clause.split()
    at = next((i for i, w in enumerate(words) if word and word in w), 0)
    start = max(0, min(at - size // 2, len(words) - size))
    return " ".join(words[start : start + size]).strip(" .?!")


def _clean(text: str) -> str:
    """Markdown's marks off (code spans, emphasis, links), whitespace collapsed."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = text.replace("`", "").replace("**", "")
    return re.sub(r"\s+", " ", text)


def two_part(questions: list[Question], per_split: int = 40) -> list[Question]:
    """Pairs of questions of different bases joined by a connective, ``per_split`` each."""
    rng = random.Random(SEED + 1)
    out: list[Question] = []
    for split in ("train", "test"):
        pool = [q for q in questions if q.split == split]
        made = 0
        while made < per_split:
            a, b = rng.sample(pool, 2)
            if a.bases == b.bases:
                continue
            first = a.text if a.text.rstrip()[-1:] in "?." else a.text + "?"
            text = rng.choice(CONNECTIVES).format(a=first, b=b.text)
            out.append(Question(text, a.bases + b.bases, a.docs + b.docs, split))
            made += 1
    return out
