"""The word tables text reading uses, loaded once from the data files beside this module.

``lexicon.json`` holds the tables (clause starters, number and month names, field-name cues,
places and their time zones, value shapes' words); ``stopwords.txt`` the one list of function
words. Adding a word is a data change, not a code change.
"""

from __future__ import annotations

import functools
import gzip
import json
import re
from collections.abc import Iterable
from importlib import resources
from typing import Any

__all__ = [
    "ABBREVIATIONS",
    "CLAUSE_STARTERS",
    "DATE_FIELD_NAMES",
    "ENUM_FALLBACKS",
    "FALSE_WORDS",
    "FIELD_SYNONYMS",
    "FILE_TYPES",
    "FLAG_VERBS",
    "FOLDER_WORDS",
    "GLOB_FIELD_NAMES",
    "LANGUAGES",
    "MONTHS",
    "NOT_ISSUE_KEYS",
    "NUMBER_SCALES",
    "NUMBER_TENS",
    "NUMBER_WORDS",
    "PATH_FIELD_NAMES",
    "QUANTITY_WORDS",
    "REPOSITORY_FIELD_WORDS",
    "REVISION_FIELD_NAMES",
    "REVISION_WORDS",
    "ROOT_WORDS",
    "SPOKEN_KINDS",
    "STOP_WORDS",
    "TEXT_FIELD_NAMES",
    "TIME_OFFSET_WORDS",
    "TIME_ZONE_PLACES",
    "TIME_ZONE_REGIONS",
    "TIME_ZONE_SKIP",
    "TOP_LEVEL_DOMAINS",
    "TRUE_WORDS",
    "alternation",
    "cue_table",
    "english_words",
    "word_list",
]

_FILES = resources.files("agentroute.text")
_TABLES: dict[str, Any] = json.loads(_FILES.joinpath("lexicon.json").read_text("utf-8"))


def word_list(package: str, name: str) -> frozenset[str]:
    """The entries of a word-list data file shipped in ``package``: one per line, blank lines
    and ``#`` comments skipped (every such list of the project is read this one way)."""
    text = resources.files(package).joinpath(name).read_text("utf-8")
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


@functools.cache
def english_words() -> frozenset[str]:
    """English words, rare ones included (``english/english_words.txt.gz``, 150,000 of
    wordfreq's list): "quokka", "petrichor" are real words the embedding model's vocabulary
    lacks. Kept out of the package's own word tables, which the speller reads whole; read on
    first use."""
    data = _FILES.joinpath("english/english_words.txt.gz").read_bytes()
    text = gzip.decompress(data).decode("utf-8")
    return frozenset(w for w in text.splitlines() if w and not w.startswith("#"))


@functools.cache
def cue_table(name: str) -> dict[str, Any]:
    """A table of cue words shipped beside this module (``clauses.json``, ``followup.json``),
    parsed once however many readers use it; read-only."""
    table: dict[str, Any] = json.loads(_FILES.joinpath(name).read_text("utf-8"))
    return table


def alternation(words: Iterable[str], *, any_space: bool = False) -> str:
    """A regex alternation of ``words``, longest first (so "and then" is tried before "and");
    with ``any_space`` a space in a cue matches any run of white space."""
    escaped = (re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))
    return "|".join(e.replace(r"\ ", r"\s+") if any_space else e for e in escaped)


STOP_WORDS: frozenset[str] = word_list("agentroute.text", "stopwords.txt")
"""Function words and punctuation: no evidence of what a text is about."""
LANGUAGES: tuple[str, ...] = tuple(cue_table("followup.json")["languages"])
"""Names of languages, lower case ("spanish", "japanese"): what a text is put into ("into
Spanish"), named like a place without being one (``followup.json``)."""

# Words that start an independent question or command: a conjunction before one of these
# separates two sub-requests ("what is 17*23, and how many km are 5 miles"); the imperatives
# of tool requests too ("..., and create a ticket", "then send an email").
CLAUSE_STARTERS: tuple[str, ...] = tuple(_TABLES["clause_starters"])

NUMBER_WORDS: dict[str, int] = {w: i for i, w in enumerate(_TABLES["number_words"])}
"""Spelled-out numbers, ``zero`` to ``twenty``."""
NUMBER_TENS: dict[str, int] = _TABLES["number_tens"]
NUMBER_SCALES: dict[str, int] = _TABLES["number_scales"]
"""With the tens, spelled-out numbers beyond twenty: "forty-two", "two hundred and five"."""
QUANTITY_WORDS: frozenset[str] = frozenset(_TABLES["quantity_words"])
"""Words that give a count without a number word ("a dozen eggs", "a couple of days")."""
MONTHS: dict[str, int] = {
    name: i + 1 for i, names in enumerate(_TABLES["months"]) for name in names
}
"""Month names and abbreviations → month number."""
TRUE_WORDS: frozenset[str] = frozenset(_TABLES["true_words"])
FALSE_WORDS: frozenset[str] = frozenset(_TABLES["false_words"])

# Words of a field's name that say what it takes: free text, a path, a date.
TEXT_FIELD_NAMES: frozenset[str] = frozenset(_TABLES["text_field_names"])
PATH_FIELD_NAMES: frozenset[str] = frozenset(_TABLES["path_field_names"])
DATE_FIELD_NAMES: frozenset[str] = frozenset(_TABLES["date_field_names"])
FLAG_VERBS: frozenset[str] = frozenset(_TABLES["flag_verbs"])
"""Verbs in a boolean field's name (``include_hidden``): only its other words cue the flag."""
FIELD_SYNONYMS: dict[str, list[str]] = _TABLES["field_synonyms"]
"""Other words the text may use for a word of a field's name (``revision``: commit, sha)."""

FILE_TYPES: dict[str, str] = _TABLES["file_types"]
"""Names of file types ("markdown", "csv") → their file extension, for glob patterns."""
FOLDER_WORDS: frozenset[str] = frozenset(_TABLES["folder_words"])
ROOT_WORDS: frozenset[str] = frozenset(_TABLES["root_words"])
REPOSITORY_FIELD_WORDS: frozenset[str] = frozenset(_TABLES["repository_field_words"])
"""Words by which a field names the repository or workspace a server serves ("repo_path")."""
"""Words before "folder" that name no folder ("the current folder", "this directory"): the
server's own root is meant."""
GLOB_FIELD_NAMES: frozenset[str] = frozenset(_TABLES["glob_field_names"])
REVISION_FIELD_NAMES: frozenset[str] = frozenset(_TABLES["revision_field_names"])
REVISION_WORDS: dict[str, str] = _TABLES["revision_words"]
"""Words for a commit relative to the current one ("the last commit") → a git revision."""
ENUM_FALLBACKS: tuple[str, ...] = tuple(_TABLES["enum_fallbacks"])
"""Options a required enum takes when the text names none and the schema has no default,
first found first: the broadest ("all") before the usual ("local")."""

TIME_OFFSET_WORDS: frozenset[str] = frozenset(_TABLES["time_offset_words"])
"""Words asking how far apart two zones' clocks are ("hours ahead", "time difference")."""
TIME_ZONE_PLACES: dict[str, str] = _TABLES["time_zone_places"]
"""Abbreviations, cities and countries → IANA zone, beyond each zone's own city."""
TIME_ZONE_SKIP: frozenset[str] = frozenset(_TABLES["time_zone_skip"])
"""Zone cities that are ordinary words ("general", "wake") or ambiguous ("victoria")."""
TIME_ZONE_REGIONS: frozenset[str] = frozenset(_TABLES["time_zone_regions"])

TOP_LEVEL_DOMAINS: frozenset[str] = frozenset(_TABLES["top_level_domains"])
"""Top-level domains common enough that ``name.tld`` is a host, not a file."""
NOT_ISSUE_KEYS: frozenset[str] = frozenset(_TABLES["not_issue_keys"])
"""Prefixes of ``UTF-8``-like names that are not a tracker key (``PROJ-123``)."""
SPOKEN_KINDS: dict[str, str] = _TABLES["spoken_kinds"]
"""The word a value's kind is spelled out with in the embedded request."""
# Abbreviations MiniLM reads poorly. The capitalised ones only as capitals ("Mr Smith" is not
# a merge request); "to-do" is three function words to MiniLM, with nothing left to match.
ABBREVIATIONS: dict[str, str] = _TABLES["abbreviations"]
