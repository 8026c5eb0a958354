"""A keyword fragment: a run of content words with nothing between them that a sentence has.

Why: people (and the benchmark's held-out questions) search a base with a few rare words of
what they remember ("kubectl misc Kubernetes interacting", "interoperability AOP
Aspect-Oriented EJB"). The name check reads the capitalised words of such a run as the one
entity asked about and declines when no passage writes it, although the run names several
things and the passage writing the others is the answer. A sentence sets its words among
small ones ("how does the Zorblax scheduler handle threads"): its name is still checked.
"""

from __future__ import annotations

import re

from agentroute.text import STOP_WORDS, word_list

__all__ = ["FRAGMENT_RUN", "keyword_fragment", "keywords_besides", "name_words"]

FRAGMENT_RUN = 4
"""How many content words in a row (no stop word, asking word or clause mark between them)
make a question a keyword fragment. Three in a row are common in questions ("reverse proxy
caching"); the benchmark's fragments are a sentence's four rarest words."""

_ASKING = set(word_list("agentroute.knowledge", "asking_words.txt"))
_TOKEN = re.compile(r"[^\s]+")
_BREAK = re.compile(r"[,;:.?!)\]\"]$")
_WORDISH = re.compile(r"[A-Za-z0-9]")
_ARTICLES = {"the", "a", "an", "this", "that", "these", "those", "my", "your", "its", "our"}


def _content(token: str) -> bool:
    word = token.strip("\"'()[],;:.?!").lower()
    if word.partition("'")[0] in STOP_WORDS:
        return False  # "i'd", "it's"
    return (
        bool(_WORDISH.search(word))
        and word not in STOP_WORDS
        and word not in _ASKING
        and not word.isdigit()
    )


def keyword_fragment(query: str) -> bool:
    """Whether ``query`` is a keyword fragment: all its content words one run of
    ``FRAGMENT_RUN`` or more, with only asking and small words before and after it ("Can
    you explain ...", "..., please"), and no article right before the run (a sentence's
    "the Zorblax scheduler handle CPU pre-emption" names what it asks about)."""
    tokens = _TOKEN.findall(query)
    content = [i for i, t in enumerate(tokens) if _content(t)]
    if len(content) < FRAGMENT_RUN or content[-1] - content[0] + 1 != len(content):
        return False
    if any(_BREAK.search(tokens[i]) for i in content[:-1]):
        return False  # "tabs, spaces and ...": a list in a clause, not one run
    before = tokens[content[0] - 1].lower() if content[0] else ""
    return before not in _ARTICLES


def name_words(name: str) -> list[str]:
    """The words of a (capitalised) name as written, hyphenated ones whole."""
    return [w.strip("\"'()[],;:.?!").lower() for w in name.split() if w.strip("\"'()[],;:.?!")]


def keywords_besides(query: str, named: set[str]) -> set[str]:
    """The content words of ``query`` (lower case) that are not among ``named``."""
    words = {t.strip("\"'()[],;:.?!").lower() for t in _TOKEN.findall(query) if _content(t)}
    return words - named
