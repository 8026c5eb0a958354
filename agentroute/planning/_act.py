"""What a clause asks done decides the kind of target before what it is about.

Similarity weighs topic words: "Write a Python function that checks whether a number is
prime" lands on a calculator, "Translate 'I love this city' into Italian" on a passage about
Italy, "How do I undo the last commit in git?" on the git log. Yet the clause asks for an act
(write code, translate, explain how) that only an expert whose own words name that act
performs. So, among the fit targets:

* when a tool or knowledge base leads and the clause's leading verb is named by an expert's
  name or description but by no fit tool or knowledge base, the best such expert comes first
  (the act beats the topic);
* a how-to question ("how do I ...") is knowledge: a tool, which performs acts, is dropped
  when another fit target answers it;
* a text put into a language ("into Spanish") goes to the expert that names that language;
* a target whose domain the clause sets aside ("to a non-programmer", "not a lawyer") is
  dropped, so the next, usually the general expert, serves.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from importlib import resources
from typing import TypeVar

from agentroute.planning._candidate import Scored
from agentroute.text._lexicon import LANGUAGES
from agentroute.types import TargetDescriptor, TargetKind

__all__ = ["ACT_TIE", "act_first", "performer_first", "set_aside"]

_LEAD_INS = frozenset(
    json.loads(resources.files("agentroute.text").joinpath("effects.json").read_text("utf-8"))[
        "request_lead_ins"
    ]
)
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
_QUOTED = re.compile(r"\"[^\"]*\"|(?<!\w)'[^']*'(?!\w)|`[^`]*`|“[^”]*”")
_HOW_TO = frozenset({"do", "does", "can", "could", "should", "would", "to"})
_NOT_A = re.compile(r"\b(?:non-?|not an? )([a-z]{4,})")
_ACTIVE_ENDINGS = frozenset({"", "e", "s", "es", "ing", "ings", "er", "ers"})
_ASKING = frozenset(
    w
    for w in json.loads(
        resources.files("agentroute.text").joinpath("needs.json").read_text("utf-8")
    )["asking_how"]
    if " " not in w
)


S = TypeVar("S", bound=Scored)
_INTO = re.compile(r"\b(?:in|into|to)\s+(" + "|".join(re.escape(w) for w in LANGUAGES) + r")\b")
"""A language a text is put into: "into Spanish", "in Japanese" (not a place: "in Japan")."""


def _words(clause: str) -> list[str]:
    words = _WORD.findall(_QUOTED.sub(" 'quoted' ", clause.lower()))
    i = 0
    while i < len(words) - 1 and words[i] in _LEAD_INS:
        i += 1
    return words[i:]


def _stem(word: str) -> str:
    return word[:-1] if word.endswith("e") and len(word) > 4 else word


def _names_act(descriptor: TargetDescriptor, verb: str) -> bool:
    """Whether the target's own words name ``verb``: a word of its name or description that
    starts with it ("translates", "writes" for "write"; examples are left out, their leading
    "give me" or "tell me" asks, it does not say what the target does)."""
    stem = _stem(verb)
    said = f"{descriptor.name.replace('_', ' ').replace('.', ' ')} {descriptor.description}"
    return any(_acts(w, stem) for w in _WORD.findall(said.lower()))


def _acts(word: str, stem: str) -> bool:
    """Whether ``word`` is an active form of the verb ``stem`` ("writes", "writing",
    "explanations"), not a participle that describes the input ("written", "translated")."""
    if word.startswith(stem):
        return word[len(stem) :] in _ACTIVE_ENDINGS
    return len(stem) >= 6 and word.startswith(stem[:5]) and word.endswith(("ation", "ations"))


def act_first(clause: str, fit: Sequence[S], hits: Sequence[S]) -> list[S]:
    """``fit`` reordered (or narrowed) by the act the clause asks for; ``hits`` are all of
    retrieval's targets, where an expert naming the act may sit below its threshold."""
    words = _words(clause)
    if not words:
        return list(fit)
    into = _into_language(clause, fit, hits)
    if into is not None:  # "put this into Spanish: ...": the expert that names Spanish
        return [into, *(h for h in fit if h is not into)]
    if words[0] == "how" and len(words) > 1 and words[1] in _HOW_TO:
        answer = [h for h in fit if h.descriptor.kind is not TargetKind.TOOL]
        return answer or list(fit)
    verb = words[0]
    if not fit or fit[0].descriptor.kind is TargetKind.EXPERT:
        return list(fit)  # an expert leads already: retrieval chose among experts
    if fit[0].descriptor.kind is TargetKind.KNOWLEDGE and verb in _ASKING:
        return list(fit)  # "explain the stop effect": a knowledge base explains what it holds
    if len(verb) < 4 or any(
        h.descriptor.kind is not TargetKind.EXPERT and _names_act(h.descriptor, verb) for h in fit
    ):
        return list(fit)
    experts = [
        h for h in hits if h.descriptor.kind is TargetKind.EXPERT and _names_act(h.descriptor, verb)
    ]
    if not experts:
        return list(fit)
    best = max(experts, key=lambda h: h.score)
    return [best, *(h for h in fit if h is not best)]


def _into_language(clause: str, fit: Sequence[S], hits: Sequence[S]) -> S | None:
    """The expert whose own words name the language a clause puts its text into ("into
    Spanish", "in Japanese"), when no fit target that leads names it: rendering text in a
    language is that expert's act, whatever the text is about."""
    asked = _INTO.findall(clause.lower())
    if not asked or not fit:
        return None

    def names(d: TargetDescriptor) -> bool:
        said = set(_WORD.findall(f"{d.name} {d.description}".lower()))
        return any(language in said for language in asked)

    if names(fit[0].descriptor):
        return None
    experts = [h for h in hits if h.descriptor.kind is TargetKind.EXPERT and names(h.descriptor)]
    return max(experts, key=lambda h: h.score) if experts else None


def set_aside(clause: str, fit: Sequence[S]) -> list[S]:
    """``fit`` without the targets whose domain the clause sets aside ("explain it to a
    non-programmer" sets aside a programming expert)."""
    aside = [m.group(1) for m in _NOT_A.finditer(clause.lower())]
    if not aside:
        return list(fit)

    def excluded(d: TargetDescriptor) -> bool:
        own = [d.name.lower(), *(x.lower() for x in d.domains)]
        return any(_shared(a, o) >= 6 for a in aside for o in own)

    return [h for h in fit if not excluded(h.descriptor)]


def _shared(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


ACT_TIE = 0.02
"""How close (cosine) a tool named for the clause's opening verb must come to a knowledge base's
passage to be preferred: at a tie, the tool performs what the passage only mentions."""


def performer_first(clause: str, fit: list[S]) -> list[S]:
    """``fit`` with a tool named for the act the clause opens with ("search for markdown files":
    ``search_files``) before a knowledge base that leads it by less than ``ACT_TIE``."""
    if fit[0].descriptor.kind is not TargetKind.KNOWLEDGE:
        return fit
    verb = re.match(r"\s*([A-Za-z]+)\b", clause)
    if verb is None:
        return fit
    for h in fit[1:]:
        if fit[0].score - h.score >= ACT_TIE:
            break
        if h.descriptor.kind is TargetKind.TOOL and _named_for(h.descriptor, verb.group(1)):
            return [h, *(x for x in fit if x is not h)]
    return fit


def _named_for(descriptor: TargetDescriptor, verb: str) -> bool:
    """Whether the tool's own name starts with ``verb`` (``search_files`` for "search")."""
    act = re.split(r"[_\-]", descriptor.name.rsplit(".", 1)[-1], maxsplit=1)[0]
    return len(act) > 2 and act.lower() == verb.lower()
