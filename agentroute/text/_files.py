"""Folders and file patterns as people name them, for a tool's path and pattern arguments.

"the docs folder", "files in docs", "markdown files", "files ending in .csv" name no path and
no glob as written; a file tool needs both. A folder named by a bare word is taken relative
(file servers resolve it against their allowed root), and a folder the text does not name is
left to the server-level default (`McpServerSpec.argument_defaults`). The word tables (file
types, folder words) are data in ``lexicon.json``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from agentroute.text._lexicon import FILE_TYPES, FOLDER_WORDS, ROOT_WORDS, STOP_WORDS, word_list
from agentroute.text._values import Text

__all__ = ["FILE_NAME", "asks_history", "file_words", "find_folder", "find_glob", "named_place"]

FILE_NAME = re.compile(r"(?<![\w.])[\w-]+\.([A-Za-z][A-Za-z0-9]{0,7})\b")
"""A file named by its name and extension ("notes.txt"; not "km/h" nor "3.5"); the extension
is group 1."""
_NAME = r"([A-Za-z0-9_][\w.-]*)"


def _named_by(words: Iterable[str]) -> list[re.Pattern[str]]:
    """A folder named beside one of ``words``: "the docs folder", "folder called docs"."""
    said = "|".join(sorted(map(re.escape, words), key=len, reverse=True))
    return [
        re.compile(rf"\b{_NAME}\s+(?:{said})\b", re.I),
        re.compile(rf"\b(?:{said})\s*:?\s+(?:(?:called|named)\s+)?[\"'`]?{_NAME}", re.I),
    ]


# "the docs folder", "folder docs", "folder called docs", "files in docs", "under src",
# "the contents of src"
_FOLDER_PATTERNS = [
    *_named_by(FOLDER_WORDS),
    re.compile(rf"\b(?:in|inside|under|within|from)\s+(?:the\s+)?{_NAME}/?\s*(?:[?.!,;]|$)", re.I),
    re.compile(rf"\b(?:contents?|files|listing|inside)\s+of\s+(?:the\s+)?{_NAME}", re.I),
    # the shell's own words: "mkdir projects", "ls docs/"
    re.compile(rf"^\s*(?:mkdir(?:\s+-p)?|ls(?:\s+-\w+)?|dir|tree)\s+{_NAME}/?\s*$", re.I),
]
_NOUNS = ["files", "file", "documents", "document", "sheets", "spreadsheets", "scripts"]
"""What a described file pattern names after its type ("markdown files", "csv sheets")."""
_EXTENSION = r"\.?([A-Za-z0-9]{1,5})"
_TYPES = "|".join(sorted(map(re.escape, FILE_TYPES), key=len, reverse=True))
# "*.md", "files ending in .csv", "with the extension .py", "all .md files", "markdown files"
_GLOB_PATTERNS = [
    re.compile(r"(?<![\w*])((?:\*\*/)?[\w./-]*\*[\w.*/-]*|[\w./-]*\?[\w./-]+)"),
    re.compile(rf"\b(?:ending|end|ends)\s+(?:in|with)\s+{_EXTENSION}\b", re.I),
    re.compile(rf"\b(?:extension|suffix|type)\s+(?:of\s+)?{_EXTENSION}\b", re.I),
    re.compile(r"(?<![\w/])\.([A-Za-z0-9]{1,5})\s+(?:files?|documents?)\b", re.I),
    re.compile(rf"\b({_TYPES})\s+(?:files?|documents?|sheets?|spreadsheets?|scripts?)\b", re.I),
]


def file_words() -> list[str]:
    """The words a file pattern or folder is read from ("csv files", "the docs folder"):
    what a misspelt one is read against ("serch for csv fiels")."""
    return [*FILE_TYPES, *FOLDER_WORDS, *ROOT_WORDS, *_NOUNS]


def find_folder(text: Text) -> tuple[str, int, int] | None:
    """The folder the text names by a bare word, as a relative path, with its span; ``None``
    when it names none or only the root ("this folder", "the top-level directory")."""
    for pattern in _FOLDER_PATTERNS:
        for m in text.find(pattern, 1):
            name = m.group(1)
            low = name.lower()
            if low in ROOT_WORDS or low in STOP_WORDS or low in FOLDER_WORDS or low in FILE_TYPES:
                continue
            if name.startswith(".") or low.rstrip("s") in {"file", "document"}:
                continue
            return name, m.start(1), m.end(1)
    return None


def find_glob(text: Text) -> tuple[str, int, int] | None:
    """A glob pattern written out (``*.md``) or described ("files ending in .csv",
    "markdown files" → ``**/*.md``: every such file below the root), else a file named by
    its name ("where is faq.md" → ``**/faq.md``), with its span."""
    for i, pattern in enumerate(_GLOB_PATTERNS):
        for m in text.find(pattern):
            if i == 0:
                return m.group(1), m.start(1), m.end(1)
            word = m.group(1).lower()
            extension = FILE_TYPES.get(word, word if i < 4 else None)
            if extension:
                return f"**/*.{extension}", m.start(), m.end()
    for m in text.find(FILE_NAME):  # "where is faq.md": that name, in any folder below
        return f"**/{m.group(0)}", m.start(), m.end()
    return None


_EXTENSIONS = frozenset(FILE_TYPES.values())
_ONE_FOLDER = _named_by(w for w in FOLDER_WORDS if not w.endswith("s"))
"""One folder named ("the docs folder", "folder called docs"); "which directories have you"
and "allowed directories" name none."""
_HISTORY = word_list("agentroute.text", "history_words.txt")
_TOKEN = re.compile(r"[a-z]+")


def named_place(clause: str) -> tuple[str, str] | None:
    """What place the clause names and its name: ``("folder", "docs")`` for a folder named
    by name ("the docs folder", "folder called docs"), ``("file", "budget.csv")`` for a file
    named by its name and a known extension ("data/budget.csv", "todo.md"; not "i.e." nor
    "example.com"), else ``None``: a value a file tool takes, which no expert or passage
    reads ("read the budget file data/budget.csv" is the file's, however close a general
    assistant's "summaries" is)."""
    text = Text(clause)
    for pattern in _ONE_FOLDER:
        for m in text.find(pattern, 1):
            low = m.group(1).lower()
            if not (low in ROOT_WORDS or low in STOP_WORDS or low in FOLDER_WORDS):
                return "folder", m.group(1)
    for m in FILE_NAME.finditer(clause):
        if m.group(1).lower() in _EXTENSIONS:
            return "file", m.group(0)
    return None


def asks_history(clause: str) -> bool:
    """Whether the clause asks about a file's past in version control ("what did I change in
    app.py", "who touched config.toml"; words in ``history_words.txt``), not its contents."""
    return any(w in _HISTORY for w in _TOKEN.findall(clause.lower()))
