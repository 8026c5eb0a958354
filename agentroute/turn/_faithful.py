"""Does an LLM's rewrite of the answer still say what the steps found?

A model asked to polish the composed answer can drop a finding, round or change a number,
hide a failed step or invent a value (a small model once answered "The answer is 42" to
findings "391" and "8.04672 km"). These checks are lexical, cheap and deterministic, and err on
the side of rejecting: a rejected rewrite costs only prose, since the composed answer, which
holds every finding verbatim, is then the answer.

* every number a finding shows appears in the rewrite with the same value (``1,234`` and
  ``1234`` are the same value; ``8.05`` is not ``8.04672``);
* every name a finding mentions appears in it; a finding with neither numbers nor names
  needs at least half of its content words (matched on their first five letters, so
  "kilometres" meets "kilometers"); an ISO date's month may be written as its name;
* every failed part is acknowledged: a sentence that says it failed and says which part;
* no number appears that is not in the request, the findings or the failures.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from agentroute.text import MONTHS, STOP_WORDS, word_list

__all__ = ["Failure", "Finding", "check_rewrite", "numbers"]


@dataclass(frozen=True)
class Finding:
    """A part that was answered: what was asked and what came back."""

    query: str
    result: str


@dataclass(frozen=True)
class Failure:
    """A part that was not answered; ``terms`` are the words that name that part."""

    what: str
    terms: str


_SEPARATORS = ",\u00a0\u202f\u2009"
_NUMBER = re.compile(
    # not the tail of an identifier (s1, v2) or of a longer number; an ISO time's "T19" counts
    r"(?:(?<=\dT)|(?<![\w.]))"
    r"([-\u2212]?)"
    r"(\d{1,3}(?:[" + _SEPARATORS + r"]\d{3})+(?!\d)|\d+)"
    r"(\.\d+)?"
    r"([eE][-+]?\d+)?"
)
_LIST_MARKER = re.compile(r"^[ \t]*(?:[-*+][ \t]+)?\d{1,2}[.)][ \t]+", re.MULTILINE)
_WORD = re.compile(r"[^\W\d_]+")
_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+|\n+")
_FAILED = re.compile(
    r"\b(?:could\s*n[o'’]t|cannot|can[’']t|can\s+not|unable|fail\w*|error\w*|unavailable|"
    r"denied|refused|blocked|stopped|timed?\s*-?\s*out|unknown|missing|no\s+suitable|"
    r"not\s+(?:be\s+)?(?:answer\w*|available|found|possible|allowed|permitted|supported|"
    r"determined|known|retrieved|obtained|get|find|found)|"
    r"did\s*n[o'’]t|was\s*n[o'’]t|were\s*n[o'’]t|is\s*n[o'’]t|no\s+(?:answer|result|data|"
    r"information|target|tool|way))\b",
    re.IGNORECASE,
)
_ANSWER_WORDS = word_list("agentroute.turn", "answer_words.txt")
_STOPWORDS = STOP_WORDS | _ANSWER_WORDS
"""The one stop-word list and the words answers are phrased with (``answer_words.txt``):
neither names a finding."""
_STEM = 5
_ISO_DATE = re.compile(r"(?<!\d)\d{4}-(\d{2})-\d{2}(?!\d)")


def numbers(text: str) -> set[Decimal]:
    """The numeric values written in ``text``: separators dropped, ``8.0`` equal to ``8``."""
    found: set[Decimal] = set()
    for sign, whole, frac, exp in _NUMBER.findall(text):
        digits = re.sub("[" + _SEPARATORS + "]", "", whole)
        try:
            found.add(Decimal(("-" if sign else "") + digits + (frac or "") + (exp or "")))
        except InvalidOperation:  # pragma: no cover - the pattern only matches numbers
            continue
    return found


def _show(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral() else str(value)


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _stems(text: str) -> set[str]:
    return {w.lower()[:_STEM] for w in _words(text)}


def _names(text: str) -> list[str]:
    """Capitalised words that are names: not a sentence's first word unless part of a run of
    capitalised words (``Alexander Graham Bell``), never a stopword."""
    names: list[str] = []
    for sentence in _SENTENCE_END.split(text):
        words = _words(sentence)
        for i, word in enumerate(words):
            if len(word) < 2 or not word[0].isupper() or word.lower() in _STOPWORDS:
                continue
            if i == 0 and not (len(words) > 1 and words[1][:1].isupper()):
                continue
            names.append(word)
    return list(dict.fromkeys(names))


def _content(text: str, names: list[str]) -> set[str]:
    named = {n.lower() for n in names}
    return {
        w.lower()[:_STEM]
        for w in _words(text)
        if len(w) >= 4 and w.lower() not in _STOPWORDS and w.lower() not in named
    }


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _month_named(value: Decimal, result: str, words: set[str]) -> bool:
    """An ISO date's month (``2024-05-01``) may be written as its name (``1 May 2024``)."""
    months = {int(m) for m in _ISO_DATE.findall(result)} & set(range(1, 13))
    if value not in months:
        return False
    return any(MONTHS.get(word) == value for word in words)


def _finding_problems(finding: Finding, shown: set[Decimal], words: set[str]) -> list[str]:
    problems = []
    values = numbers(finding.result)
    missing = [n for n in values if n not in shown and not _month_named(n, finding.result, words)]
    if missing:
        listed = ", ".join(sorted(_show(n) for n in missing))
        problems.append(f"drops or changes {listed} from the finding for {finding.query!r}")
    names = _names(finding.result)
    lost = [n for n in names if n.lower() not in words]
    if lost:
        problems.append(f"drops {', '.join(lost)} from the finding for {finding.query!r}")
    if values or names:  # anchored by them; a data result's keys are no finding to keep
        return problems
    content = _content(finding.result, names)
    stems = {w[:_STEM] for w in words}
    if content and len(content & stems) < math.ceil(len(content) / 2):
        problems.append(
            f"leaves out the finding for {finding.query!r} ({_short(finding.result)!r})"
        )
    return problems


def _acknowledged(failure: Failure, sentences: list[str]) -> bool:
    terms = _content(failure.terms, []) or _stems(failure.terms)
    values = numbers(failure.terms)
    for sentence in sentences:
        if not _FAILED.search(sentence):
            continue
        if not terms and not values:
            return True
        if terms & _stems(sentence) or values & numbers(sentence):
            return True
    return False


def check_rewrite(
    text: str, request: str, findings: list[Finding], failures: list[Failure], composed: str
) -> list[str]:
    """What ``text`` (an LLM's rewrite of ``composed``) got wrong; empty when it holds."""
    body = _LIST_MARKER.sub("", text)
    shown = numbers(body)
    words = {w.lower() for w in _words(body)}
    problems: list[str] = []
    for finding in findings:
        problems += _finding_problems(finding, shown, words)
    sentences = [s for s in _SENTENCE_END.split(body) if s.strip()]
    for failure in failures:
        if not _acknowledged(failure, sentences):
            problems.append(f"does not say that {failure.what} failed")
    known = numbers(request) | numbers(composed)
    for finding in findings:
        known |= numbers(finding.query) | numbers(finding.result)
    for failure in failures:
        known |= numbers(failure.terms)
    new = sorted(_show(n) for n in shown - known)
    if new:
        problems.append(f"states {', '.join(new)}, found in neither the request nor the steps")
    return problems
