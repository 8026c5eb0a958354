"""Knowledge bases chosen by their content: a cheap retrieval probe while planning.

Why: a knowledge base's description says little of what it holds (man pages scored 0.20-0.38
against their own questions, issue 13), while searching every base and taking the best
passage routed 96.9% right. So for a clause that asks (not one that writes) the planner asks
each base for its best answering passage (``protocols.Probing``, synchronous, no ``invoke``):

* a base ranks by its best passage's similarity, on the description cosine's scale
  (``weight``, ``shift``), not by its description: the base whose best passage answers best
  wins (on benchmarks/bench_kb_routing.py's train split this beat the higher of passage and
  description, 70.1% against 68.2% of single questions);
* a base that would not answer (its own bar and entity check: ``Probe.answers``, one decision
  with what ``invoke`` does), whose best passage is about another entity than the clause names
  (``Probe.missing``), or whose best passage is further than ``floor``, leaves the candidates:
  the next target, or an explicit decline, is better than a passage that is not an answer;
  so does a base whose passage's document lacks the command-line option the clause asks
  about (``documents_options``: "what does kubectl apply -f do" is closest to kubectl's
  Debian stanza, which names the program, never its options).

A clause that asks for a kind of document ("which package has killall", "the python module
that reads plists") is answered only by the base whose titles are of that kind (``_kinds``:
killall's man page is closer than psmisc's stanza, but a manual page is no package), with a
document naming a word the clause gives that few of that base's documents name
(``names_given``), else by none: "which package provides htop" is declined, not answered
with another package's stanza or htop's neighbour's manual. On the natural train split this
routed 93.8% of singles against 90.0% (dev 93.1 against 92.4, dev2 85.7 against 84.2) and
declined one more unanswerable dev question; generated questions were unchanged.

Whether anything answers at all is judged once over the answering bases (``answered``): a
passage answers when its similarity plus ``coverage`` times the weighted share of the
clause's words its document names reaches a bar, higher when the clause names a word no base
uses and no English word either ("which package provides htop": the closest stanza is
another program's), and only a very close passage answers a clause about ordinary words no
base ever uses ("atomic number of uranium": ``UNHEARD_SHARE``). On the natural questions of benchmarks/bench_kb_routing.py (train and
the hand-written dev split) this declined 35 of 48 unanswerable questions against 23, and 5
of 211 answerable ones (2 with the write-verb mend in ``_semantic`` alone).

Among the answering bases, the one whose vocabulary fits the clause worse than the best
fitting one's is lowered by ``vocabulary`` times the difference (``_vocabulary``: "which
package" is the Debian base's word, "edit in place" the man pages'); the best fitting base
keeps its passage's score, so what is accepted or declined is judged as before. Bases that
cannot list their passages (no ``passages()``) get no prior.

Targets without ``probe`` (tools, experts) keep their description similarity.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Protocol, runtime_checkable
from zoneinfo import available_timezones

from agentroute._log import get_logger
from agentroute.planning._candidate import PASSAGE, Candidate, Scored
from agentroute.planning._kinds import asked_kind, title_kinds
from agentroute.planning._vocabulary import BROAD, Vocabulary
from agentroute.protocols import Probing
from agentroute.text import STOP_WORDS, index_words, named_entities, numbers_in, takes_quantity
from agentroute.text._lexicon import (
    FILE_TYPES,
    LANGUAGES,
    TIME_ZONE_PLACES,
    TIME_ZONE_SKIP,
    word_list,
)
from agentroute.types import Probe, TargetDescriptor, TargetKind

__all__ = ["ContentProbe"]

log = get_logger(__name__)

PASSAGE_WEIGHT = 1.0
"""A base's answering passage at similarity ``s`` ranks as a description cosine of
``s * PASSAGE_WEIGHT + PASSAGE_SHIFT`` (see benchmarks/bench_kb_routing.py)."""
PASSAGE_SHIFT = 0.0
SURE_MATCH = 0.5
"""A tool or expert whose description matches the clause this well is the route: no base is
probed (the probe costs a forward pass and a search per base, ~5 ms on a quiet machine).
0.5 rather than 0.6 on bench_planning's train split: plan 88.6% against 88.2%, planning p50
18.9 ms against 26.7 ms on the same (shared, noisy) machine."""
VOCABULARY_WEIGHT = 0.1
"""How far a base falls per unit of mean log-ratio its vocabulary fits the clause worse than
the best fitting answering base's (0.15-0.25 alike when the probes of bench_kb_routing's
train split were replayed: 96.3% of hand-written singles, 74.7% of generated ones; 0.1 lost
both). Through the planner: 95.0% and 68.4%, against 88.8% and 63.9% without it and the
entity mends. 0.3 rather than 0.2 with the coverage judgement: one more of 80 train and of
131 dev singles ("which package has killall", "ps and top"), 0.4 alike. Session 16, with the
dev2-dev4 splits written since: 0.1 routed 576 of 776 hand-written singles (train and the four
dev splits, their probes replayed) against 566 at 0.3 and 567 without the prior (0.05-0.2
within two): a whole mean over the clause's words is weak evidence beside a passage 0.03
closer ("make a unified diff of two files": diff(1) at 0.73, difflib's words fit better)."""
PASSAGE_FLOOR = 0.3
"""Below this a base's best passage is off the clause's topic (arithmetic, recipes against
encyclopedic facts score 0.15-0.3): the base is no candidate, whatever its description."""

COVERAGE_WEIGHT = 0.3
"""How much the share of the clause's words a passage names (``Vocabulary.coverage``) adds
to its similarity when judging whether it answers at all."""
ANSWER_BAR = 0.65
"""A clause naming a word no base uses ("htop", "Portugal", "nginx": a name the bases do
not hold) is answered only by a passage whose similarity plus ``COVERAGE_WEIGHT`` times its
coverage reaches this; the closest passage is about something else (another program,
country or library) unless it is very close or names the rest of the clause."""
KNOWN_BAR = 0.45
"""The same bar for a clause in the bases' own words: lower, as its words are all somewhere
(a passage close to them is on the clause's topic). Tuned on bench_kb_routing's natural
train and dev splits: one bar for all (0.55-0.65) declined as many unanswerable questions
but 5-8 of 211 answerable ones and half the generated train questions (their rare words are
held out of the index by construction); 0.3-0.5 here, 0.65-0.75 above, differed by one
question or two."""

UNHEARD_SHARE = 0.3
"""A clause whose words, by this weighted share or more, are ordinary words no base ever
uses ("atomic number of uranium", "what does pandas groupby do", "change the shell to fish")
asks about what the collection never mentions: only a passage at ``UNHEARD_BAR`` or closer
answers it. Tuned on bench_kb_routing's natural train, dev and dev2 splits (their probes
replayed): 0.3 with a bar of 0.6 declined 6 more of 87 unanswerable questions and no more of
344 answerable ones; 0.2-0.35 and 0.55-0.7 differed by one question or two."""
UNHEARD_BAR = 0.6
UNHEARD_BROAD = 4000
"""Distinct words the bases must use between them before an ordinary word they all lack says
anything: a few thousand words lack most of the language ("granted", "lies": the planning
benchmark's facts and docs use 2,200 words, and "in what year was that patent granted" is
theirs to answer); the six bases of bench_kb_routing use 11,300."""

RARE_SHARE = 0.05
"""A word at most this share of a base's documents name is a name the clause gives it, not
the base's common talk ("provides", "install" for packages): asked for a kind of document,
the answering one must name one of these."""

NAME_BASES = 2
"""A title's name that more bases than this use is common talk, not one entity ("init",
"keyword", "json" name packages and modules, and every base says them); a program's name
is used by its manual page and its package's record ("jq", "gdb"), a library's by its own
documents ("httpx", "jinja2")."""

TITLE_NAMED = 0.1
"""How much a base's passage gains when the clause names the document it comes from by its
title's name, a name no English word is ("contextlib suppress exceptions": the contextlib
module's passage, 0.49, against the raise statement's topic, 0.63; "enum auto values": the
enum module's against a click class the vocabulary prior favoured). A document the clause
names is what it asks about; a passage from another one is only close in words. Only bases
titling things by a kind or a dotted name title them by name (``title_kinds``)."""

SURE_NAMED = 0.65
"""A passage this close answers a kind asked for whatever it names (the knowledge base's own
``SURE_SIMILARITY``: it may say it otherwise)."""

EXPLAINED = 0.7
"""A question why something is so asks for a reason: a passage answers it only when its
document names most of what the question asks about (this weighted share). One about the
thing but silent on what is asked of it ("why is the ocean salty" against the oceans' sizes)
leaves it to an expert or to nothing. 0.95 lost bench_kb_routing's dev question why the
project uses its embedding runtime (its docs say so in other words); 0.7 keeps it."""
_WHY = re.compile(r"^\W*(?:(?:so|and|but|ok|okay|hey|please|then)\W+)*why\b", re.IGNORECASE)

_OPTION = re.compile(r"(?<![\w-])--?[A-Za-z][\w-]*")
"""A command-line option the clause names ("-G", "--max-depth"): what it asks about."""
NEAR_OPTION = 4
"""How many words from an option a program's name may stand and still be the program it is
asked of ("the --skip-empty option of watch": three)."""
_CAMEL = re.compile(r"(?:[a-z]+|[A-Z][a-z]+)(?:[A-Z][a-z\d]+)+")
"""A name in camel case ("SpeedColumn", "useEffect"): judged by whether the base writes it
anywhere (a class's closest passage may be its neighbour's: "AsyncClient" and Client's)."""
_CAUGHT = re.compile(r"(?:Error|Exception|Warning)$")
"""An exception's name ("FileNotFoundError") is what a clause catches or raises, not what it
asks about: documents of how to ignore one need not write it."""
_IDENTIFIER = re.compile(
    r"(?<![\w./-])[A-Za-z_]\w+(?:\.[A-Za-z_]\w+)+(?![\w/-])|(?<![\w./-])[a-z]\w*_\w+(?![\w/-])"
    rf"|(?<![\w./-]){_CAMEL.pattern}(?![\w/-])"
)
"""A name in code's shape the clause asks about: dotted ("shutil.rmtree", "Text.from_ansi",
"resolv.conf"), in snake case ("lru_cache", "select_autoescape") or in camel case
("SpeedColumn", "useEffect": a class or hook a document names as written). A file's extension
(".tar.gz") and a path ("/etc/hosts") are not: nothing before the dot, or a slash; nor is a
file's name ("notes.txt": its last part a file type's extension, ``FILE_TYPES``)."""
_EXTENSIONS = frozenset(FILE_TYPES.values())
_DOTTED_IN = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+")
"""A dotted name anywhere in a document's text."""
_DOTTED = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+$")
"""A title that is a dotted name ("httpx.Client"): the base titles objects by name."""

_SECTION = re.compile(r"\(\w+\)$")
"""A manual page's section after its name in a title ("tar(1)")."""
_TOKEN = re.compile(r"[\w][\w.+-]*")
"""A name as a clause writes it, hyphens and dots kept ("python3-venv", "resolv.conf")."""

_CONSTRUCT = re.compile(
    r"(?<![\w-])([A-Za-z][\w-]*[A-Za-z])[\"'`]?\s+(statement|clause|loop|keyword)\b", re.I
)
"""A language construct the clause names by its word ("unless statement", "match-except
clause", "repeat-until loop", "const keyword")."""
_WORD = re.compile(r"[^\W\d_]+")
_PLACES = frozenset(
    w[:5]
    for place in [*TIME_ZONE_PLACES, *(z.rsplit("/", 1)[-1] for z in available_timezones())]
    if place.lower() not in TIME_ZONE_SKIP
    for w in _WORD.findall(place.lower().replace("_", " "))
)
"""Places the reading tables know (time zones' cities, countries): a word a passage shares
with the clause only as a place says where, not what is asked."""
_LANGUAGES = frozenset(w[:5] for w in LANGUAGES)
"""Languages are named like places: "in Italian" shares a word with Italy's passage without
asking anything of it."""


@runtime_checkable
class Listing(Protocol):
    """A base that can list its passages (what its vocabulary is learned from)."""

    def passages(self) -> Sequence[str]: ...


def _stems(text: str) -> set[str]:
    """The content words of ``text``, cut to five letters ("times", "time" alike)."""
    return {w[:5] for w in _WORD.findall(text.lower()) if w not in STOP_WORDS and len(w) > 1}


class ContentProbe:
    """Probes the knowledge bases for a clause and re-ranks the index's hits by content."""

    def __init__(
        self,
        bases: Mapping[str, Probing],
        *,
        weight: float = PASSAGE_WEIGHT,
        shift: float = PASSAGE_SHIFT,
        floor: float = PASSAGE_FLOOR,
        sure: float = SURE_MATCH,
        vocabulary: float = VOCABULARY_WEIGHT,
        coverage: float = COVERAGE_WEIGHT,
        bar: float = ANSWER_BAR,
        known_bar: float = KNOWN_BAR,
        unheard: float = UNHEARD_SHARE,
        unheard_bar: float = UNHEARD_BAR,
        unheard_broad: int = UNHEARD_BROAD,
        broad: int = BROAD,
        rare: float = RARE_SHARE,
        sure_named: float = SURE_NAMED,
        titled: float = TITLE_NAMED,
        english: Callable[[str], bool] | None = None,
        embed: Callable[[str], Any] | None = None,
        embedder_id: str | None = None,
    ) -> None:
        self.bases = dict(bases)
        self.weight = weight
        self.shift = shift
        self.floor = floor
        self.sure = sure
        self.vocabulary = vocabulary
        self.coverage = coverage
        self.bar = bar
        self.known_bar = known_bar
        self.unheard = unheard
        self.unheard_bar = unheard_bar
        self.unheard_broad = unheard_broad
        self.broad = broad
        self.rare = rare
        self.sure_named = sure_named
        self.titled = titled
        self.english = english or _english(self.bases.values())
        """Which words are the language's, not names (the embedder's vocabulary, if it
        lists one): a base lacking "patent" says less than one lacking "htop"."""
        self._vocabulary: _Known | None = None
        self.embed = embed
        """The clause's vector as the planner's index already has it (one forward pass, not
        one more per clause), given only to the bases embedding with ``embedder_id``."""
        self.embedder_id = embedder_id
        self.descriptors: dict[str, TargetDescriptor] = {}
        for name, base in self.bases.items():
            descriptor = getattr(base, "descriptor", None)
            if isinstance(descriptor, TargetDescriptor):
                self.descriptors[name] = descriptor

    @classmethod
    def of(cls, targets: Mapping[str, object], **kwargs: Any) -> ContentProbe | None:
        """The probe over those ``targets`` that can be probed; ``None`` when none can."""
        bases = {name: t for name, t in targets.items() if isinstance(t, Probing)}
        return cls(bases, **kwargs) if bases else None

    def probe(self, clause: str, names: set[str]) -> dict[str, Probe]:
        """Each named base's probe of ``clause`` (a base that fails to probe is left out)."""
        out: dict[str, Probe] = {}
        t0 = time.perf_counter()
        vector = self.embed(clause) if self.embed is not None else None
        for name in sorted(names & set(self.bases)):
            try:
                base = self.bases[name]
                same = getattr(getattr(base, "embedder", None), "id", None) == self.embedder_id
                shared = vector is not None and same
                out[name] = base.probe(clause, vector) if shared else base.probe(clause)
            except Exception as exc:  # a broken base must not break planning
                log.warning("probe.failed", target=name, error=repr(exc))
        log.debug("probe.done", bases=len(out), ms=round((time.perf_counter() - t0) * 1e3, 2))
        return out

    def rerank(
        self, clause: str, hits: Sequence[Scored], available: set[str], exclude: set[str]
    ) -> list[Scored]:
        """``hits`` with every probed base scored by its best passage (dropped when that is
        about another entity or off the topic), best first; bases the index did not return
        join too."""
        names = {n for n in self.bases if n in available and n not in exclude}
        first = next((h for h in hits if h.descriptor.name in available), None)
        sure = first is not None and first.descriptor.name not in self.bases
        if not names or (sure and first is not None and first.score >= self.sure):
            return list(hits)
        probes = self.probe(clause, names)
        # Tools and experts keep the index's order; each answering base goes in before the
        # first of them it outscores.
        out: list[Scored] = [h for h in hits if h.descriptor.name not in probes]
        described = {h.descriptor.name: h for h in hits}
        bases: list[Candidate] = []
        answering = {
            name: p
            for name, p in probes.items()
            if not p.missing
            and p.answers
            and p.similarity >= self.floor
            and self.documents_options(clause, name, p.passage)
            and self.documents_identifiers(clause, name, p.passage)
            and self.names_named(clause, name, p.passage)
            and self.documents_counted(clause, name, p.passage)
            and self.documents_construct(clause, name)
        }
        asked = self.asked_kind(clause)
        if asked:  # "which package has killall": only a package's record answers
            answering = {
                n: p for n, p in answering.items() if n in asked and self.names_given(clause, n, p)
            }
        if not self.answered(clause, answering):
            answering = {}
        fits = self.fits(clause, set(answering))
        best_fit = max(fits.values(), default=0.0)
        for name, p in answering.items():
            hit = described.get(name)
            descriptor = hit.descriptor if hit is not None else self.descriptors.get(name)
            if descriptor is not None:
                lower = self.vocabulary * (best_fit - fits.get(name, best_fit))
                named = self.titled if self.title_named(clause, name, p.passage) else 0.0
                bases.append(self._scored(descriptor, p, lower, named))
        for base in sorted(bases, key=lambda b: -b.score):
            at = next((i for i, h in enumerate(out) if h.score < base.score), len(out))
            passage = probes[base.descriptor.name].passage
            acts = [
                i
                for i, h in enumerate(out)
                if self._names_act(clause, h, passage) or self._computes(clause, h, passage)
            ]
            out.insert(max([at, *(i + 1 for i in acts)]), base)
        return out

    def fits(self, clause: str, names: set[str]) -> dict[str, float]:
        """How well each of ``names``' vocabulary fits ``clause`` (``_vocabulary``); empty
        with fewer than two bases that list their passages."""
        known = self._known()
        if self.vocabulary <= 0 or len(names) < 2 or known is None or len(known.texts) < 2:
            return {}
        prior = known.vocabulary.prior(clause, _FRAME)
        return {n: v for n, v in prior.items() if n in names}

    def answered(self, clause: str, answering: Mapping[str, Probe]) -> bool:
        """Whether any of the ``answering`` bases' passages (with its title, as indexed) is
        close enough and names enough of what the clause asks (``Vocabulary.coverage``) to
        be its answer: "which package provides htop" is closest to some package's stanza,
        which never says "htop". A close passage may say the clause's words otherwise. Only
        whether anything answers is judged here; which base answers best is ranked after.
        Bases that cannot list their passages are not judged."""
        known = self._known()
        if self.coverage <= 0 or known is None:
            return True
        if not known.vocabulary.content_words(clause):
            return False  # "what is 12 * 12": numbers alone name nothing a passage is about
        names = known.vocabulary.unknown(clause, self.english)
        bar = self.bar if names else self.known_bar
        explains = _WHY.match(clause) is not None
        unheard = (
            len(known.vocabulary.total) >= self.unheard_broad
            and known.vocabulary.unheard(clause, self.english) >= self.unheard
        )
        for name, p in answering.items():
            if name not in known.texts:
                return True
            if unheard and p.similarity < self.unheard_bar:
                continue  # close to the clause's other words, silent on what it asks about
            covered = known.vocabulary.coverage(clause, known.words(name, p.passage))
            if explains and covered < EXPLAINED:
                continue  # "why is the ocean salty": the oceans' passage, silent on salt
            if p.similarity + self.coverage * covered >= bar:
                return True
        return False

    def asked_kind(self, clause: str) -> set[str]:
        """The bases whose documents are the kind of thing the clause asks for ("which
        package ...": the base whose titles are packages; ``_kinds``); empty when it asks for
        no kind one base alone holds, or the bases cannot list their passages."""
        known = self._known()
        return set() if known is None else asked_kind(clause, known.kinds)

    def names_given(self, clause: str, name: str, probe: Probe) -> bool:
        """Whether the document of base ``name``'s best passage names a word the clause gives
        that few of the base's documents name (``RARE_SHARE``: "killall" in "which package
        has killall", not "provides", which every package's record says): what a kind is
        asked for by. A word none of them names counts once the bases are broad enough for
        that to say something (``broad``, as ``Vocabulary.unknown``). A clause naming no such
        word, a very close passage (``SURE_NAMED``: it may say it otherwise) and a probe
        without the coverage judgement are not judged."""
        known = self._known()
        if self.coverage <= 0 or probe.similarity >= self.sure_named:
            return True
        if known is None or name not in known.texts:
            return True
        kinds = known.kinds.get(name, frozenset())
        share = known.share(name)
        broad = len(known.vocabulary.total) >= self.broad
        rare = [
            w
            for w in known.vocabulary.content_words(clause)
            if w not in kinds and (0 < share.get(w, 0.0) <= self.rare or (broad and w not in share))
        ]
        if not rare:
            return True
        have = known.words(name, probe.passage)
        return any(w in have for w in rare)

    def title_named(self, clause: str, name: str, passage: str) -> bool:
        """Whether the clause names the document of base ``name``'s ``passage`` by its title's
        name ("contextlib" of "module contextlib", "heapq" of "module heapq"): the title's
        first word that is not its base's kind, whole ("readline-common" is not named by
        "readline", a method of another module), when no English word is that name (a module
        called "random" or a page called "sort" is named by ordinary talk too). False when the
        base titles topics, or cannot list its passages, or the language's words are unknown."""
        known = self._known()
        if self.titled <= 0 or self.english is None or known is None or name not in known.texts:
            return False
        title = known.title(name, passage)
        kinds = known.kinds.get(name, frozenset())
        if not title or (not kinds and not _DOTTED.match(title)):
            return False
        head = next((w for w in title.lower().split() if w not in kinds), "")
        head = _SECTION.sub("", head)  # "base64(1)": the page's name
        if len(head) < 3 or self.english(head) or self.english(head + "s"):
            return False
        return head in {t.rstrip(".") for t in _TOKEN.findall(clause.lower())}

    def documents_options(self, clause: str, name: str, passage: str) -> bool:
        """Whether the document of base ``name``'s ``passage`` names the command-line options
        the clause asks about ("what does kubectl apply -f do", "the -G option of cmake"): a
        package's stanza names the program, never its options, and a passage that lacks the
        option does not say what it does. When the clause also names a document of the base by
        its title's name ("the --tree flag of ls", "watch --skip-empty"), the option must be
        that document's: another program's option with the same name ("--tree" of column(1))
        is no answer about this one. True when the clause names none, or the base cannot
        list its passages."""
        options = _OPTION.findall(clause)
        known = self._known() if options else None
        if not options or known is None or name not in known.texts:
            return True
        text = known.text(name, passage)
        if not any(_documents_option(text, o) for o in options):
            return False
        own = known.named(name, clause)
        return not own or any(_documents_option(t, o) for t in own for o in options)

    def documents_construct(self, clause: str, name: str) -> bool:
        """Whether base ``name`` names the language construct the clause asks about as one
        anywhere ("the python unless statement", "the repeat-until loop", "the defer
        statement": ``_CONSTRUCT``): written before the construct's noun ("the "with"
        statement") or quoted as a keyword. A made-up statement is closest to the real ones'
        topics, which use its word ("unless") only as English. The whole base is read, not the
        passage's document: the del statement's closest passage is about ``__del__``. A stop
        word ("for loop", "if statement") is not judged, nor is a base that cannot list its
        passages."""
        asked = [
            (w.lower(), noun.lower())
            for w, noun in _CONSTRUCT.findall(clause)
            if w.lower() not in STOP_WORDS
        ]
        known = self._known() if asked else None
        if not asked or known is None or name not in known.texts:
            return True
        return all(
            known.writes(name, rf"(?<![\w-]){re.escape(w)}[\"'`]?\s+{noun}")
            or known.writes(name, rf"[\"'`]{re.escape(w)}[\"'`]")
            for w, noun in asked
        )

    def documents_counted(self, clause: str, name: str, passage: str) -> bool:
        """Whether the document of base ``name``'s ``passage`` names the things the clause
        asks the number of ("how many rings does Saturn have": the solar system's passage
        names Saturn, never a ring; "how many GitHub stars does httpx have"): a count is
        given where the things counted are named, and a document that never names them
        does not say how many there are. A word matches by its first five letters, as
        ``names_named``'s. True when the clause asks no count (or how often: ``uncounted.txt``),
        or the base cannot list its passages."""
        counted = _counted(clause)
        known = self._known() if counted else None
        if not counted or known is None or name not in known.texts:
            return True
        have = known.words(name, passage)
        stems = {h[:5] for h in have if len(h) >= 5}
        return all(w in have or (len(w) >= 5 and w[:5] in stems) for w in counted)

    def documents_identifiers(self, clause: str, name: str, passage: str) -> bool:
        """Whether the document of base ``name``'s ``passage`` names each identifier the
        clause asks about (``_IDENTIFIER``: "httpx.Client.retry_policy", "reverse_words"): a
        made-up function of a real module is closest to the module's other functions, or to
        a manual page sharing a word ("Console.beep": watch(1)'s --beep), and a document that
        never names it does not say what it does. A clause naming several ("the difference
        between Console.print and Console.log") is answered by a document naming one of them
        when the base's other documents name the rest. A dotted one is named when a dotted name
        of the document has its parts in order ("click.echo" in "click.utils.echo"), or when
        the document writes every part and its title one of them ("shutil.rmtree" in the
        shutil module's, "attrs.evolve" in attr.evolve's), or any title when its base titles
        topics, not things ("list.sort" in the sequence types'); all in any case. True when the
        clause names none, or the base cannot list its passages."""
        found = [
            i
            for i in _IDENTIFIER.findall(clause)
            if i.rsplit(".", 1)[-1].lower() not in _EXTENSIONS
            and not (_CAMEL.fullmatch(i) and _CAUGHT.search(i))
        ]
        known = self._known() if found else None
        if not found or known is None or name not in known.texts:
            return True
        camel = [i for i in found if _CAMEL.fullmatch(i)]
        if not all(known.writes(name, rf"(?<!\w){re.escape(i)}(?!\w)") for i in camel):
            return False  # "SpeedColumn": a name the base never writes
        identifiers = [i for i in found if i not in camel]
        if not identifiers:
            return True
        title = known.title(name, passage) or ""
        here = [_names(known, name, title, known.text(name, passage), i) for i in identifiers]
        if all(here) or not any(here):
            return all(here)
        # "the difference between Console.print and Console.log": one document each
        documents = known.documents(name)
        return all(
            h or any(_names(known, name, t, " ".join(ps), i) for t, ps in documents.items())
            for h, i in zip(here, identifiers, strict=True)
        )

    def names_named(self, clause: str, name: str, passage: str) -> bool:
        """Whether base ``name`` holds each name the clause gives that other bases hold: a
        word no English has ("httpx", "gdb", "jinja") that some document's title names and
        at most ``NAME_BASES`` bases use. Such a name is what the clause is about, and a base
        that never writes it answers about something else ("set a breakpoint in gdb": the
        Python debugger's topic; "httpx websocket client": node(1), which names websockets,
        not httpx), unless its passage's document names it after all. A base that writes the
        name elsewhere is left to its passage ("the coreutils tool that prints prime
        factors": factor(1) never says coreutils, other manual pages do). A word matches by
        its first five letters ("jinja" in jinja2's titles). Names no title gives are judged
        by the bar (``answered``): a typo, a made-up name or a rare word may be closest to the
        right passage. True without the language's words, or when the base cannot list its
        passages."""
        known = self._known()
        if self.english is None or known is None or name not in known.texts:
            return True
        titled = known.title_words()
        counts = known.vocabulary.counts.values()
        names = [
            w
            for w in known.vocabulary.content_words(clause)
            if len(w) > 1
            and (w in titled or (len(w) >= 5 and w[:5] in titled))
            and not (self.english(w) or self.english(w + "s"))
            and sum(1 for c in counts if c[w] > 0) <= NAME_BASES
        ]
        uses = known.vocabulary.counts.get(name)
        names = [w for w in names if uses is not None and uses[w] == 0]
        if not names:
            return True
        have = known.words(name, passage)
        stems = {h[:5] for h in have if len(h) >= 5}
        return all(w in have or (len(w) >= 5 and w[:5] in stems) for w in names)

    def document(self, name: str, clause: str) -> str | None:
        """The title of the document base ``name``'s best passage for ``clause`` comes from,
        when that passage answers it (``_one_document``: two pieces one document answers are
        one ask); ``None`` when it does not, or the base cannot list its passages."""
        known = self._known() if name in self.bases else None
        if known is None or name not in known.texts:
            return None
        p = self.probe(clause, {name}).get(name)
        if p is None or not p.answers or p.missing:
            return None
        return known.title(name, p.passage)

    def similarity(self, name: str, clause: str) -> float:
        """How close base ``name``'s best passage answering ``clause`` is; 0.0 when none
        answers (it is about another entity, or too far) or ``name`` is no probed base."""
        p = self.probe(clause, {name}).get(name) if name in self.bases else None
        return p.similarity if p is not None and p.answers and not p.missing else 0.0

    def knows(self, word: str) -> bool:
        """Whether a listing base's passages use ``word`` (lower case): a name or term the
        general vocabulary lacks ("heredity", "Kathmandu") that a base holds."""
        known = self._known()
        if known is None:
            return False
        total = known.vocabulary.total
        return word in total or (word.endswith("s") and word[:-1] in total)

    def writes_name(self, name: str) -> bool:
        """Whether a listing base's passages write ``name`` whole, its words in order ("the
        Order of the Quiet River"): a base that writes only its words apart ("order", "quiet",
        "river") holds another thing, not this name."""
        known = self._known()
        words = re.findall(r"[^\W_]+", name)
        if known is None or not words:
            return False
        pattern = r"(?<!\w)" + r"\W+".join(map(re.escape, words)) + r"(?!\w)"
        return any(known.writes(base, pattern) for base in known.texts)

    def _known(self) -> _Known | None:
        """The listing bases' vocabulary, learned once (anew when a base lists anew)."""
        listing = {n: b for n, b in self.bases.items() if isinstance(b, Listing)}
        if not listing:
            return None
        texts = {n: b.passages() for n, b in listing.items()}
        known = self._vocabulary
        if known is None or not known.same(texts):
            known = self._vocabulary = _Known(texts, self.broad)
        return known

    def _names_act(self, clause: str, hit: Scored, passage: str) -> bool:
        """Whether tool or expert ``hit`` is better evidence than ``passage``: the passage
        shares only places, languages or names with the clause ("time in Tokyo" → Japan's
        passage, "how do you say 'cheese' in Italian" → Italy's), while the target's own text
        names a word of the clause the passage lacks ("time": get the current time; "say": the
        translator's "How do you say thank you in Japanese"). A passage about the place is
        not what was asked of it."""
        d = hit.descriptor
        if d.kind is TargetKind.KNOWLEDGE or hit.score < self.floor or not passage:
            return False
        words = _stems(clause)
        names = {w for n in named_entities(clause) for w in _stems(n)}
        shared = words & _stems(passage)
        if not shared or not shared <= names | _PLACES | _LANGUAGES:
            return False
        own = [d.name.replace(".", " ").replace("_", " "), d.description]
        if d.kind is TargetKind.EXPERT:  # an expert says what it does by its examples too
            own.extend(d.examples)
        return bool((words - shared) & _stems(" ".join(own)))

    def _computes(self, clause: str, hit: Scored, passage: str) -> bool:
        """Whether tool ``hit`` computes on the numbers the clause gives ("1 mile to metres")
        that the passage does not hold: the passage matched the words around the numbers (a
        definition of the metre), the tool is asked to work on them."""
        d = hit.descriptor
        if (
            d.kind is not TargetKind.TOOL
            or hit.score < self.floor
            or not takes_quantity(d.examples)
        ):
            return False
        given = set(numbers_in(clause)) or _one_of(clause)
        return bool(given) and not given & set(numbers_in(passage))

    def _scored(
        self, descriptor: TargetDescriptor, p: Probe, lower: float = 0.0, named: float = 0.0
    ) -> Candidate:
        score = p.similarity * self.weight + self.shift - lower + named
        why = f"{PASSAGE}{p.passage[:80]}" + (f" (vocabulary -{lower:.2f})" if lower else "")
        why += f" (named by its title +{named:.2f})" if named else ""
        return Candidate(descriptor, score, why)


_COUNT = re.compile(r"\bhow\s+many\s+([^\W\d_][\w'-]*(?:\s+[^\W\d_][\w'-]*){0,2})", re.I)
_UNCOUNTED = word_list("agentroute.planning", "uncounted.txt")


_FRAME = frozenset(
    w for line in word_list("agentroute.planning", "frame_words.txt") for w in index_words(line)
)
"""The index words that only frame a question (``frame_words.txt``): no evidence for the
vocabulary prior. Generated train singles of bench_kb_routing routed 61.2 -> 63.6% (the
man pages' vocabulary fit "explain ..., can you tell me more" best), hand-written ones kept."""


def _counted(clause: str) -> list[str]:
    """The index words of what a "how many" clause counts: the words after "how many" up
    to the first stop word, the last of them the thing counted ("processing units" →
    "unit"); none when it asks how often (``uncounted.txt``) or no count."""
    m = _COUNT.search(clause)
    if m is None:
        return []
    run: list[str] = []
    for w in m.group(1).split():
        if w.lower() in STOP_WORDS:
            break
        run.append(w)
    if not run or run[-1].lower() in _UNCOUNTED:
        return []
    return index_words(run[-1])


_HOW_MANY = re.compile(r"\bhow\s+(?:many|much)\b|\bconvert\b", re.I)
_ONE_OF = re.compile(r"\b(?:a|an|one)\s+([a-z]+)", re.I)


def _one_of(clause: str) -> set[str]:
    """ "how many grams in a kilogram": one of a thing asked to be counted in another, as
    ``numbers_in`` writes it ("1 kilo"); none outside a how-many question ("what is a
    newton")."""
    if not _HOW_MANY.search(clause):
        return set()
    return {f"1 {m.group(1).lower()[:4]}" for m in _ONE_OF.finditer(clause)}


def _english(bases: Iterable[object]) -> Callable[[str], bool] | None:
    """Whether a word is English, by the first base's embedder's vocabulary (MiniLM's)."""
    for base in bases:
        words = getattr(getattr(base, "embedder", None), "words", None)
        if callable(words):
            known = words()
            if isinstance(known, frozenset | set):
                return known.__contains__
    return None


def _documents_option(text: str, option: str) -> bool:
    """Whether ``text`` names the command-line ``option`` as written (case kept: "-F" is not
    "-f")."""
    return re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", text) is not None


def _writes(text: str, word: str) -> bool:
    """Whether ``text`` has ``word`` as a whole word, in any case."""
    return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE) is not None


def _in_order(parts: Sequence[str], dotted: Sequence[str]) -> bool:
    """Whether ``parts`` occur in ``dotted`` in their order ("click", "echo" in
    "click", "utils", "echo")."""
    rest = iter(dotted)
    return all(p in rest for p in parts)


def _names(known: _Known, name: str, title: str, text: str, identifier: str) -> bool:
    """Whether base ``name``'s document (``title``, ``text``) names ``identifier``."""
    if not known.kinds.get(name) and not _DOTTED.match(title):
        title = ""  # a topic's title ("typesseq") names nothing: every part will do
    dotted = [t.lower().split(".") for t in _DOTTED_IN.findall(text)]
    return _named(identifier, text, title, dotted)


def _named(identifier: str, text: str, title: str, dotted: Sequence[Sequence[str]]) -> bool:
    """Whether a document (``text``, ``title``, its dotted names split) names ``identifier``
    (``ContentProbe.documents_identifiers``); no ``title``: its title names no thing."""
    parts = identifier.lower().split(".")
    if len(parts) == 1:
        return _writes(text, identifier)
    if any(_in_order(parts, d) for d in dotted):
        return True
    written = all(_writes(text, p) for p in parts)
    return written and (not title or any(_writes(title, p) for p in parts))


class _Known:
    """The listing bases' passages, their vocabulary, and the words of the document each
    passage comes from, found by the passage's opening (a probe returns the first 300
    characters of a passage without its title; passages are listed as "title. text", and a
    document's passages share its title)."""

    def __init__(self, texts: Mapping[str, Sequence[str]], broad: int = BROAD) -> None:
        self.texts = dict(texts)
        self.vocabulary = Vocabulary(texts, broad=broad)
        self._title: dict[str, dict[str, str]] = {}
        self._documents: dict[str, dict[str, list[str]]] = {}
        self._words: dict[tuple[str, str], frozenset[str]] = {}
        self._shares: dict[str, dict[str, float]] = {}
        self._title_words: frozenset[str] | None = None
        self._heads: dict[str, dict[str, list[str]]] = {}
        self._joined: dict[str, str] = {}
        self._writes: dict[tuple[str, str], bool] = {}
        self.kinds: dict[str, frozenset[str]] = {}
        """What each base's documents are, by the words most of its titles share."""
        for name, passages in texts.items():
            titles: dict[str, str] = {}
            documents: dict[str, list[str]] = {}
            for passage in passages:
                at = passage.find(". ")
                title = passage[:at] if 0 <= at < 200 else ""
                documents.setdefault(title, []).append(passage)
                titles.setdefault(passage[:300], title)
                while 0 <= at < 200:  # the text may open after any ". " of the title
                    titles.setdefault(passage[at + 2 : at + 302], title)
                    at = passage.find(". ", at + 2)
            self._title[name] = titles
            self._documents[name] = documents
            self.kinds[name] = title_kinds(documents)

    def title_words(self) -> frozenset[str]:
        """The names the bases' documents are titled by: each title's first word that is not
        its base's kind ("gdb" of "Debian package gdb", "httpx" of "httpx.Client", "csv" of
        "module csv"), and its first five letters (learned once). Only a base whose titles
        share a kind or are dotted names titles things by name; others title topics."""
        if self._title_words is None:
            words = set()
            for name, documents in self._documents.items():
                kinds = self.kinds.get(name, frozenset())
                for title in documents:
                    if not kinds and not _DOTTED.match(title):
                        continue  # a topic's title ("The oceans", "Known limits") names none
                    head = next((w for w in index_words(title) if w not in kinds), None)
                    if head is not None:
                        words.add(head)
            self._title_words = frozenset(words | {w[:5] for w in words if len(w) >= 5})
        return self._title_words

    def writes(self, name: str, pattern: str) -> bool:
        """Whether any passage of base ``name`` matches ``pattern`` (any case; learned once a
        pattern)."""
        key = (name, pattern)
        if key not in self._writes:
            if name not in self._joined:
                self._joined[name] = "\n".join(self.texts.get(name, ()))
            self._writes[key] = re.search(pattern, self._joined[name], re.IGNORECASE) is not None
        return self._writes[key]

    def documents(self, name: str) -> Mapping[str, Sequence[str]]:
        """Base ``name``'s documents: each title's passages."""
        return self._documents.get(name, {})

    def named(self, name: str, clause: str) -> list[str]:
        """The texts of base ``name``'s documents the clause names by their title's name
        within ``NEAR_OPTION`` words of a command-line option it asks about ("ls --tree",
        "the --skip-empty option of watch"); only a base that titles things by a kind ("manual
        page", "package", "module") names documents so. A title's name further away is an
        ordinary word ("print the current time of day with --iso-8601")."""
        if not self.kinds.get(name):
            return []
        if name not in self._heads:
            heads: dict[str, list[str]] = {}
            for title in self._documents[name]:
                words = [w for w in index_words(title) if w not in self.kinds[name]]
                if words and title:
                    heads.setdefault(words[0], []).append(title)
            self._heads[name] = heads
        heads = self._heads[name]
        tokens = clause.lower().split()
        at = [i for i, t in enumerate(tokens) if _OPTION.fullmatch(t.strip(",.?!:;()'\""))]
        asked = {
            w
            for i, t in enumerate(tokens)
            if any(abs(i - j) <= NEAR_OPTION for j in at)
            for w in index_words(t)[:1]
            if w in heads
        }
        return [" ".join(self._documents[name][t]) for w in sorted(asked) for t in heads[w]]

    def same(self, texts: Mapping[str, Sequence[str]]) -> bool:
        """Whether ``texts`` are the very lists this was learned from (kept: ids stay)."""
        return list(texts) == list(self.texts) and all(texts[n] is self.texts[n] for n in texts)

    def share(self, name: str) -> dict[str, float]:
        """The share of base ``name``'s documents naming each word (learned once)."""
        if name not in self._shares:
            documents = self._documents.get(name, {})
            counts: Counter[str] = Counter()
            for passages in documents.values():
                counts.update(set(index_words(" ".join(passages))))
            n = max(len(documents), 1)
            self._shares[name] = {w: c / n for w, c in counts.items()}
        return self._shares[name]

    def title(self, name: str, opening: str) -> str | None:
        """The title of the document whose passage opens with ``opening`` (``None``: unknown)."""
        return self._title.get(name, {}).get(opening[:300]) or None

    def text(self, name: str, opening: str) -> str:
        """The whole document whose passage opens with ``opening`` (the opening itself when
        it is not found, or the passage has no title)."""
        title = self._title.get(name, {}).get(opening[:300])
        return " ".join(self._documents[name][title]) if title else opening

    def words(self, name: str, opening: str) -> frozenset[str]:
        """The words of the whole document whose passage opens with ``opening`` (its
        passage's own words when the opening is not found, or the passage has no title)."""
        title = self._title.get(name, {}).get(opening[:300])
        if not title:
            return frozenset(index_words(opening))
        key = (name, title)
        if key not in self._words:
            text = " ".join(self._documents[name][title])
            self._words[key] = frozenset(index_words(text))
        return self._words[key]
