"""Which target, if any, serves a clause: learned thresholds, a margin, the catch-all, declining.

One global cosine said both "is this good enough" and "which is best" for every target; but a
tool's similarity runs on another scale than an expert's (a free-form "Give me three tips for
sleeping better" scores 0.21 against a general assistant, "What's my heart rate?" 0.33 against
a unit converter). So:

* each target has its own threshold, learned on the planning benchmark's train split
  (``thresholds.json``, made by ``benchmarks/learn_route_thresholds.py``), with a default per
  kind for targets never seen in training (a user's own servers);
* when the two best fit targets are of different kinds and close, the one further above its
  own threshold wins (the margin rule);
* the act a clause asks for (write, translate) puts an expert that performs it before a tool
  or passage matching only its topic, and a domain set aside ("to a non-programmer") drops
  its expert (`planning._act`);
* between close sibling tools of one server, the one the clause gives its arguments for
  (`planning._fillable`), then the one its own name and description say the clause's words
  of, negation read (`planning._siblings`);
* a clause that needs live data, the user's own state or an act in the world
  (`agentroute.text.capability_need`) is served only by a tool that offers it, else declined;
* anything else no specialist serves goes to a general-purpose expert when one is configured
  (`is_general`), and is declined, explicitly, when none is.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from agentroute.planning._act import act_first, performer_first, set_aside
from agentroute.planning._candidate import PASSAGE, Candidate, Scored
from agentroute.planning._fillable import fillable_first, takes_path_said
from agentroute.planning._siblings import siblings_first
from agentroute.text import (
    STOP_WORDS,
    Need,
    asks_history,
    asks_to_compose,
    asks_to_write,
    capability_need,
    carries_quantity,
    named_place,
    shows_arithmetic,
    takes_quantity,
    write_verb,
)
from agentroute.text._lexicon import FOLDER_WORDS
from agentroute.types import TargetDescriptor, TargetKind

__all__ = ["Choice", "Thresholds", "choose", "is_general", "owned_subject"]

_NEEDS = json.loads(resources.files("agentroute.text").joinpath("needs.json").read_text("utf-8"))
_GENERAL_NAMES = frozenset(_NEEDS["general_names"])
_ACT_WORDS: dict[str, list[str]] = _NEEDS["act_words"]
_PRESENT = re.compile(
    r"\b(?:"
    + "|".join(re.escape(w) for w in [*_NEEDS["live_markers"], *_NEEDS["present_words"]])
    + r")\b"
)
"""Words by which a tool says it reads the world as it is now ("current", "latest", "live")."""
_NAMED_NUMBER = re.compile(r"(?<=\s)[A-Z][\w&]*\s+\d+(?![\w.,:/])")
"""A number that is part of a name ("FTSE 100", "Windows 11", "Model 3"): no quantity given."""
_GENERAL_SAID = re.compile(
    r"(?<![\w-])(?:"
    + "|".join(re.escape(m) for m in _NEEDS["general_descriptions"])
    + r")(?![\w-])"
)


@dataclass(frozen=True)
class Thresholds:
    """Per-target similarity thresholds, a default per kind, and the margin between kinds."""

    by_target: Mapping[str, float] = field(default_factory=dict)
    by_kind: Mapping[str, float] = field(default_factory=dict)
    default: float = 0.3
    margin: float = 0.0

    @classmethod
    def load(cls, path: Path | None = None) -> Thresholds:
        """The learned values (the shipped ``thresholds.json`` unless ``path`` is given)."""
        if path is None:
            text = resources.files("agentroute.planning").joinpath("thresholds.json")
            data: dict[str, Any] = json.loads(text.read_text("utf-8"))
        else:
            data = json.loads(path.read_text("utf-8"))
        return cls(
            by_target=dict(data.get("targets", {})),
            by_kind=dict(data.get("kinds", {})),
            default=float(data.get("default", 0.3)),
            margin=float(data.get("margin", 0.0)),
        )

    @classmethod
    def uniform(cls, value: float) -> Thresholds:
        """One threshold for every target (what a user who sets ``threshold`` asks for)."""
        return cls(default=value)

    def of(self, descriptor: TargetDescriptor) -> float:
        if descriptor.name in self.by_target:
            return self.by_target[descriptor.name]
        return self.by_kind.get(descriptor.kind.value, self.default)


def is_general(descriptor: TargetDescriptor) -> bool:
    """Whether an expert serves what no specialist does: its ``role`` says so, or, with no
    role, its name, domains or description call it general-purpose."""
    if descriptor.kind is not TargetKind.EXPERT or descriptor.role == "specialist":
        return False
    if descriptor.role == "general":
        return True
    if {descriptor.name.lower(), *(d.lower() for d in descriptor.domains)} & _GENERAL_NAMES:
        return True
    return _GENERAL_SAID.search(descriptor.description.lower()) is not None


def _offers(descriptor: TargetDescriptor, need: Need, clause: str = "") -> bool:
    """Whether a tool's own words name what the clause needs: "weather" for a weather tool,
    "book" for a booking tool (an expert or a knowledge base never does)."""
    if descriptor.kind is not TargetKind.TOOL or need.kind == "opinion":
        return False  # no tool reads a verdict of taste either
    if need.from_question:
        # any tool may hold the user's thing asked of (a repository, a folder), but not one
        # that only computes on quantities it is given, unless the clause gives them ("how
        # much is in my checking?" is no sum; "I did 10 km, how many miles was that" is)
        given = _NAMED_NUMBER.sub(" ", clause)  # "the FTSE 100 today": a name, no quantity
        return carries_quantity(given) or not takes_quantity(descriptor.examples)
    words = [w for w in re.findall(r"[a-z]+", need.cue.lower()) if w not in STOP_WORDS]
    said = " ".join(
        [descriptor.name.replace("_", " "), descriptor.description, *descriptor.examples]
    ).lower()
    if bool(words) and all(re.search(rf"\b{re.escape(w.rstrip('s'))}", said) for w in words):
        # a topic made live by a time marker: the tool must read the present, not only
        # name the topic ("temperature ... right now" is no unit conversion); so must one
        # that computes on quantities when the clause gives none ("the time in Canberra")
        computes = takes_quantity(descriptor.examples) and not carries_quantity(clause)
        return (not need.marker and not computes) or _PRESENT.search(said) is not None
    # an act named in the tool's other words: a tool that posts a message lets #ops know
    return (
        need.kind == "action"
        and descriptor.writes
        and any(re.search(rf"\b{re.escape(w)}", said) for w in _ACT_WORDS.get(" ".join(words), ()))
    )


@dataclass(frozen=True)
class Choice:
    """The fit targets of a clause, best first (empty: declined), and why."""

    candidates: list[Scored]
    reason: str
    need: Need | None = None
    fallback: bool = False
    """The candidates are the catch-all (no specialist fits), not targets that fit."""


def choose(
    clause: str,
    hits: Sequence[Scored],
    thresholds: Thresholds,
    general: Sequence[TargetDescriptor] = (),
) -> Choice:
    """The targets that serve ``clause`` among ``hits`` (retrieval's order, unfiltered by
    score), the general expert when none does, or none, with the reason."""
    need = capability_need(clause)
    composed = asks_to_compose(clause)  # "write me a poem about the sea": no passage is one
    fit = [
        h
        for h in hits
        if h.score >= thresholds.of(h.descriptor)
        and (need is None or _offers(h.descriptor, need, clause))
        and not (composed and h.descriptor.kind is TargetKind.KNOWLEDGE)
    ]
    if general and all(h.descriptor.kind is TargetKind.EXPERT for h in fit):
        # only experts fit: the catch-all's clause unless it is a specialist's field
        fit = [h for h in fit if _in_domain(h, clause)]
    fit = set_aside(clause, fit)
    if fit:
        fit = _margin(fit, thresholds)
        fit = performer_first(clause, fit)
        fit = fit if need is not None else act_first(clause, fit, hits)
        fit = siblings_first(clause, fillable_first(clause, fit), hits)
        fit = _generalist_first(clause, fit)
        if need is None:
            fit = _place_taker_first(clause, fit, hits)
        best = fit[0]
        reason = f"similarity {best.score:.2f} >= {thresholds.of(best.descriptor):.2f}"
        return Choice(fit, reason, need)
    told = [] if composed else _tells_how(hits, thresholds, need)
    if told:  # "start a shell in a new network namespace" with no tool that does: a base says how
        best = told[0]
        reason = f"passage {best.score:.2f} >= {HOW_TO:.2f}: says how to do what no tool does"
        return Choice(told, reason, need)
    computes = _computes_it(clause, hits) if need is None else []
    if computes:  # "What is 7200 * 52?" under the calculator's threshold: still its sum
        best = computes[0]
        reason = f"similarity {best.score:.2f}, and it computes what the clause writes"
        return Choice(computes, reason)
    # the user's own thing asked of in a file they name ("what's my food budget in
    # data/budget.csv") is the file's to tell, as any file the clause names
    mine = need is not None and need.kind == "personal" and need.from_question
    takers = _place_taker_first(clause, [], hits) if need is None or mine else []
    if takers:  # "read the budget file data/budget.csv" under every threshold: the file's
        best = takers[0]
        reason = f"similarity {best.score:.2f}, and it takes the file or folder the clause names"
        return Choice(takers, reason)
    if need is not None:
        what = {
            "live": "live data",
            "personal": "your own data",
            "action": "an action",
            "opinion": "a verdict of taste",
        }[need.kind]
        return Choice([], f"needs {what} ({need.cue!r}) that no target offers", need)
    if general:
        seen = {h.descriptor.name: h for h in hits}
        catch = [seen.get(g.name) or Candidate(g) for g in general]
        return Choice(list(catch), "no specialist fits: the general expert answers", fallback=True)
    return Choice([], "no target above its similarity threshold")


HOW_TO = 0.45
"""A knowledge base ranked this high for a clause that asks for an act or the user's own data
no tool offers ("send an email via smtp from a python script", "how many processing units can
my shell script use") says how to do it: its passage answers. Its probe has judged the passage
an answer already (``planning._probe``); this bar is higher than a base's own threshold, as
the clause reads as a command. On bench_kb_routing's natural train, dev, dev2 and dev3 splits
(only bases as targets): 6 of 10 such answerable questions routed against none, and "what's
my ip address right now" (0.38) still declined; 0.4 took one more."""


def _tells_how(hits: Sequence[Scored], thresholds: Thresholds, need: Need | None) -> list[Scored]:
    """The knowledge bases that say how to do what a clause needs when no target offers it:
    an act or the user's own data (``action``, ``personal``), never live data (a passage is
    no reading of the present). Only a base ranked by a passage its probe judged an answer
    (``PASSAGE``): a description close to "order a pizza" says nothing of how."""
    if need is None or need.kind in ("live", "opinion"):
        return []
    return [
        h
        for h in hits
        if h.descriptor.kind is TargetKind.KNOWLEDGE
        and h.best_text.startswith(PASSAGE)
        and h.score >= max(HOW_TO, thresholds.of(h.descriptor))
    ]


def _computes_it(clause: str, hits: Sequence[Scored]) -> list[Scored]:
    """Tools under their threshold whose own examples or description write an arithmetic
    operation between numbers, as the clause does (`agentroute.text.shows_arithmetic`):
    embeddings place big or unusual numbers far from a calculator's "17 * 23", and the
    catch-all's prose is no product."""
    return [
        h
        for h in hits
        if h.descriptor.kind is TargetKind.TOOL
        and not h.descriptor.writes
        and shows_arithmetic(clause, [h.descriptor.description, *h.descriptor.examples])
    ]


_SURE_SPECIALIST = 0.5
"""Similarity at which a specialist expert serves a clause without sharing a word with it."""
_SUFFIX = re.compile(r"(?:ations?|ions?|ings?|ers?|ed|es|s|ly)$")
_TOKEN = re.compile(r"[a-z]{3,}")


def _stems(text: str) -> set[str]:
    return {_SUFFIX.sub("", w) or w for w in _TOKEN.findall(text.lower()) if w not in STOP_WORDS}


def _shares(left: set[str], right: set[str]) -> bool:
    """Whether a stem of one is the other's or begins it ("translat" and "translate")."""
    return any(
        a == b or (min(len(a), len(b)) >= 4 and (a.startswith(b) or b.startswith(a)))
        for a in left
        for b in right
    )


def _in_domain(hit: Scored, clause: str) -> bool:
    """A specialist expert (not the general one) serves a clause only experts fit only if the
    clause says something of its field: a word its name, description, domains or examples
    use. Its low learned threshold is for its own requests; "tips to sleep better" at 0.30
    against a translator is the general expert's ("a good name for a kitten"). With a tool
    or passage fit too, the act decides (`planning._act`: "how do I undo a commit")."""
    d = hit.descriptor
    if d.kind is not TargetKind.EXPERT or is_general(d) or hit.score >= _SURE_SPECIALIST:
        return True
    return _shares(_stems(clause), _field(d) | _stems(" ".join(d.examples)))


def _field(d: TargetDescriptor) -> set[str]:
    """The words an expert names its field with: its name, description and domains."""
    return _stems(" ".join([d.name.replace("_", " "), d.description, *d.domains]))


def _generalist_first(clause: str, fit: list[Scored]) -> list[Scored]:
    """A specialist expert first that shares only its examples' words with the clause ("thank
    you" in "Draft a thank-you note"), the general one fit and closer: the general one
    first. A clause naming the specialist's field ("into Spanish") keeps it."""
    best = fit[0]
    if best.descriptor.kind is not TargetKind.EXPERT or is_general(best.descriptor):
        return fit
    if _shares(_stems(clause), _field(best.descriptor)):
        return fit
    closer = next((h for h in fit[1:] if is_general(h.descriptor) and h.score > best.score), None)
    return fit if closer is None else [closer, *(h for h in fit if h is not closer)]


_FILE_WORDS = frozenset({"file", "files"})


def _place_taker_first(clause: str, fit: list[Scored], hits: Sequence[Scored]) -> list[Scored]:
    """A reading tool that takes the file or folder the clause names (`takes_path_said`)
    before a target that takes none: a tool of another kind of thing ("show" of a commit
    viewer for "show me what's in the docs folder"), the general assistant, or, for a folder
    named, any expert or base (no passage lists a folder). A file named keeps an expert or a
    base that fits ("how do I configure agentroute.toml" is the documentation's), and a
    clause about the file's history keeps a repository's tools ("what did I change in
    app.py"). Only retrieval's hits are taken, under their thresholds too: a clause naming
    a file is no sentence like a file reader's description. Unchanged when none takes it."""
    named = named_place(clause)
    if named is None or asks_history(clause) or write_verb(clause) or asks_to_write(clause):
        return fit  # "write 'buy milk' to shopping.txt": the act, not the file, decides
    place, name = named
    if fit:
        best = fit[0].descriptor
        if takes_path_said(clause, best, name):
            return fit
        if place == "file" and best.kind is not TargetKind.TOOL and not is_general(best):
            return fit
    takers = [h for h in hits if takes_path_said(clause, h.descriptor, name)]
    if not takers:
        return fit
    takers = siblings_first(clause, fillable_first(clause, takers), hits)
    # a folder's listing, a file's reader: the tool whose own name says the kind of thing
    # named ("list_directory" for "the docs folder", not a media file reader taking it too)
    words = FOLDER_WORDS if place == "folder" else _FILE_WORDS
    kind = [h for h in takers if set(re.findall(r"[a-z]+", h.descriptor.name.lower())) & words]
    takers = [*kind, *(h for h in takers if h not in kind)]
    return [*takers, *(h for h in fit if h not in takers)]


def _margin(fit: list[Scored], thresholds: Thresholds) -> list[Scored]:
    """Retrieval's order, unless the best of another kind is as similar as the best, within
    the margin: then the one further above its own threshold comes first."""
    best = fit[0]
    other = next((h for h in fit[1:] if h.descriptor.kind is not best.descriptor.kind), None)
    if other is None or abs(best.score - other.score) >= thresholds.margin:
        return fit

    def lead(h: Scored) -> float:
        return h.score - thresholds.of(h.descriptor)

    if lead(other) > lead(best):
        return [other, *(h for h in fit if h is not other)]
    return fit


def owned_subject(
    clause: str, bases: Iterable[TargetDescriptor], english: Callable[[str], bool]
) -> tuple[str, str] | None:
    """The knowledge base whose own subject ``clause`` names, and the word: a word of the
    base's name or domains that is no English word ("agentroute" of the project's
    documentation). Such a base is the one authority on it: when none of its passages
    answers ("how do I configure agentroute's Redis cache"), the general expert knows less
    still and would invent the feature, so the clause is declined. ``None`` when it names
    none, or asks to compose something ("a tweet announcing agentroute")."""
    if asks_to_compose(clause):
        return None
    said = set(_WORDS.findall(clause.lower()))
    for d in bases:
        if d.kind is not TargetKind.KNOWLEDGE:
            continue
        own = set(_WORDS.findall(" ".join([d.name.replace("_", " "), *d.domains]).lower()))
        for word in sorted(said & own):
            if len(word) >= 4 and word not in STOP_WORDS and not english(word):
                return d.name, word
    return None


_WORDS = re.compile(r"[a-z]+")
