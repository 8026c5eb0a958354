"""The semantic planner: no LLM, the embedded default and the fallback of the LLM planner.

Split the request into clauses, route each by embedding similarity against the targets'
descriptions and examples, keep the best above a threshold, and say explicitly when no target
fits. On a later round it re-routes only the failed or denied parts, to the next-best target.

A clause that does not ask to change anything ("show me the last 5 commits") is never routed
to a target that writes (`TargetDescriptor.effect`), however similar its description; a
clause that does ("commit the staged changes") may be, first to a writing tool named by its
verb (``git_commit``) when one fits, and its route says so.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Protocol

from agentroute.planning._acceptance import (
    Choice,
    Thresholds,
    choose,
    is_general,
    owned_subject,
)
from agentroute.planning._candidate import Candidate, Scored
from agentroute.planning._continued import continues_declined
from agentroute.planning._fillable import fillable_first, takes_path_said
from agentroute.planning._followup import redone, resolve_followup
from agentroute.planning._foreign import in_english
from agentroute.planning._held import (
    holds_place,
    outside_said,
    place_not_held,
    placed,
    rooted,
    server_root,
)
from agentroute.planning._one_document import one_ask, one_document, words_lost
from agentroute.planning._preamble import framed, states_context
from agentroute.planning._probe import ContentProbe
from agentroute.planning._rejoined import rejoined
from agentroute.planning._repeats import once_each
from agentroute.planning._revision_held import revision_held_only
from agentroute.planning._siblings import FETCHING, siblings_first
from agentroute.text import (
    Clause,
    Need,
    Resolved,
    Speller,
    UnknownNames,
    aside,
    asks_history,
    asks_quantity,
    asks_result,
    asks_to_compose,
    asks_to_write,
    bare_calculation,
    carries_quantity,
    carries_unit,
    clauses,
    code_attribute,
    evidence,
    inner_place,
    inner_quantity,
    leaves_left_operand,
    named_entities,
    named_place,
    names_something,
    names_verb,
    numbers_operated,
    offers_verb,
    only_context,
    operates,
    plain_request,
    refers_back,
    repeats_opening,
    resolve_references,
    run_on_points,
    searched_as,
    sets_scene,
    split_confident,
    starts_request,
    states_facts,
    takes_quantity,
    takes_unit,
    without_aside,
    word_problem,
    write_verb,
    year_span,
)
from agentroute.text._lexicon import alternation, cue_table
from agentroute.types import (
    REFERENCE,
    Alternative,
    Plan,
    PlanningContext,
    RouteDecision,
    Step,
    TargetDescriptor,
    TargetKind,
    references,
    replace_references,
)

__all__ = ["SemanticPlanner"]

DEFAULT_THRESHOLD = 0.3
"""The one cosine similarity (MiniLM) a user may set instead of the learned per-target
thresholds (`planning._acceptance.Thresholds`)."""


class _Index(Protocol):
    def search(
        self,
        text: str,
        k: int = ...,
        kinds: set[TargetKind] | None = ...,
        *,
        prior: Mapping[str, float] | None = ...,
    ) -> Sequence[Scored]: ...


class SemanticPlanner:
    name = "semantic"

    def __init__(
        self,
        index: _Index,
        *,
        threshold: float | None = None,
        thresholds: Thresholds | None = None,
        probe: ContentProbe | None = None,
        speller: Speller | None = None,
        names: UnknownNames | None = None,
    ) -> None:
        """``threshold``: one similarity for every target; else ``thresholds`` (by default
        the ones learned on the planning benchmark's train split)."""
        self.index = index
        self.speller = speller
        self.threshold = threshold
        self.thresholds = thresholds or (
            Thresholds.uniform(threshold) if threshold is not None else Thresholds.load()
        )
        self.probe = probe
        """Knowledge bases ranked by their best passage, not their description (``_probe``)."""
        self.names = names
        """Names no vocabulary knows ("the capital of Zembria"): declined, not guessed at."""

    async def plan(self, ctx: PlanningContext) -> Plan:
        available = {t.name for t in ctx.targets}
        if ctx.round == 1 or not ctx.previous:
            return self._first_round(ctx, available)
        return self._replan(ctx, available)

    def _candidates(
        self,
        clause: str,
        available: set[str],
        exclude: set[str],
        prior: Mapping[str, float] | None = None,
        general: Sequence[TargetDescriptor] = (),
        given: bool = False,
        *,
        unitless: bool = False,
    ) -> Choice:
        """The targets fit for ``clause``, best first; only reading ones unless it asks to
        write (writing tools are searched past: they may fill the first places). Which are
        fit, and the catch-all or decline when none is: `planning._acceptance.choose`. Routed
        with its misspelt words corrected (`agentroute.text.Speller`)."""
        if self.speller is not None:
            clause = self.speller.correct(clause)
        # "ask the everything server to add 7 and 5": the server named is the one meant, and
        # the clause is routed by what it asks of it ("add 7 and 5")
        named_server, clause = _server_named(clause, available)
        verb = write_verb(clause)
        # by a write verb, or by an act said in other words ("let #ops know that …")
        writes = verb is not None or asks_to_write(clause)
        k = max(8, len(exclude) + 4) + (0 if writes else 8)
        # "two thousand minus three hundred and fifty" is searched as "2000 minus 350": the
        # targets' examples write their numbers in digits
        searched = numbers_operated(clause)
        # "git history please" is searched as "... (commit log)": the words tools name the
        # job by, when the clause asks for it in others (`agentroute.text.searched_as`)
        prior = {**(prior or {}), **named_server}
        hits: Sequence[Scored] = self.index.search(searched_as(searched), k=k, prior=prior or None)
        if not given and not carries_quantity(searched):
            # "how tall is Everest in metres": a calculator or converter has nothing to work on
            hits = [h for h in hits if not _computes(h.descriptor)]
        elif unitless or (not given and not carries_unit(searched)):
            # "what's 3 to the 4th": bare numbers, nothing a converter could measure
            hits = [h for h in hits if not takes_unit(h.descriptor.examples)]
        if self.probe is not None and (not writes or not self._writer_fits(hits, available)):
            # "sort lines in reverse order" with no tool that sorts asks how: a base may say
            hits = self.probe.rerank(clause, hits, available, exclude)
        safe = [
            h
            for h in hits
            if h.descriptor.name in available
            and h.descriptor.name not in exclude
            and (writes or not h.descriptor.writes)
        ]
        if named_server:
            # ... and another server's tools step aside when one of its own fits
            mine = [h for h in safe if h.descriptor.name in named_server]
            if any(h.score >= self.thresholds.of(h.descriptor) for h in mine):
                safe = [h for h in safe if h.descriptor.kind is not TargetKind.TOOL or h in mine]
        if verb is not None:
            # "commit the staged changes": a writing tool named by the verb comes before tools
            # that only describe the same things ("Shows changes that are staged for commit").
            named = [h for h in safe if h.descriptor.writes and names_verb(h.descriptor.name, verb)]
            safe = named + [h for h in safe if h not in named]
            nearest = next((h for h in safe if h.score >= self.thresholds.of(h.descriptor)), None)
            safe = [h for h in safe if not h.descriptor.writes or _performs(h.descriptor, verb)]
            if (
                nearest is not None
                and nearest not in safe
                and not self._writer_fits(safe, available)
            ):
                # "push my commits" nearest a tool that records them, "delete notes.txt"
                # nearest one that edits it: an act no target performs, never a wrong write
                return Choice([], f"asks to {verb}: no target does", Need("action", verb))
        general = [g for g in general if g.name not in exclude]
        choice = choose(clause, safe, self.thresholds, general)
        bases = self.probe.descriptors.values() if self.probe is not None else ()
        owned = (
            owned_subject(clause, bases, self.names.known)
            if choice.fallback and self.names
            else None
        )
        if owned is not None:
            base, word = owned
            return Choice([], f"asks of {word!r}, {base}'s own subject, which no passage answers")
        unknown = self._unknown(clause, choice)
        if unknown is not None:
            return Choice([], f"names {unknown!r}, which nothing here knows")
        if not writes:  # a file to write may well not be there yet
            choice = revision_held_only(clause, _held_only(clause, choice, safe), safe)
        arithmetic = [
            h for h in safe if _computes(h.descriptor) and not takes_unit(h.descriptor.examples)
        ]
        if arithmetic and word_problem(clause) and not self._writer_fits(hits, available):
            # "I drive 55 mph for 3 hours, how far": quantities related by a rate, money or
            # sharing are arithmetic, however close a converter's examples or an expert are
            first = arithmetic[0]
            rest = [h for h in choice.candidates if not _computes(h.descriptor)]
            return Choice([first, *rest], "a word problem: arithmetic on the quantities given")
        if (
            arithmetic
            and (not choice.candidates or _talks(choice.candidates[0].descriptor))
            and bare_calculation(searched)
            and not carries_unit(searched)
        ):
            # "what's 343 times 3": only a calculation on numbers of its own is arithmetic,
            # however the sentence embedding scores its digits (the calculator 0.25 there,
            # 0.38 for "344 times 3"), never the general expert's, a passage or a decline
            first = arithmetic[0]
            rest = [h for h in choice.candidates if not _computes(h.descriptor)]
            return Choice([first, *rest], "a calculation on numbers of its own")
        # the words of the job asked for in others ("who last changed" → commit log) are
        # evidence too: without them "changed" was shown only by a diff's "changes"
        return replace(choice, candidates=_evidenced_first(searched_as(clause), choice.candidates))

    def _unknown(self, clause: str, choice: Choice) -> str | None:
        """The name ``clause`` asks about that no vocabulary (nor any base's passages) knows,
        when the target chosen would have to know it: the catch-all, a tool given it, or a
        base whose passage answers of a name beside it ("which river connects Vienna and
        Quorstadt": Vienna's; a word its passages write is known). A specialist expert
        keeps it (code and languages are full of names no vocabulary has: "pytest",
        "smtplib"), but for made-up software and states."""
        if self.names is None or not choice.candidates:
            return None
        d = choice.candidates[0].descriptor
        knows = self.probe.knows if self.probe is not None else None
        whole = self.probe.writes_name if self.probe is not None else None
        if d.kind is TargetKind.EXPERT and not is_general(d):
            # software no one has ("the python module <made-up>") is no name a specialist
            # knows either
            return (
                self.names.made_up_software(clause, knows)
                or self.names.made_up_state(clause, knows)
                or self.names.made_up_place(clause, knows)
            )
        if d.kind is not TargetKind.KNOWLEDGE:
            return self.names.unknown(clause, knows, whole)
        # a graph's passage is no probed base's: a word it writes is known ("Tyrrhenian")
        said = set(re.findall(r"[a-z]+", choice.candidates[0].best_text.lower()))

        def written(word: str) -> bool:
            return word in said or (knows is not None and knows(word))

        best = " ".join(re.findall(r"[a-z]+", choice.candidates[0].best_text.lower()))

        def written_whole(name: str) -> bool:
            words = " ".join(re.findall(r"[a-z]+", name.lower()))
            return f" {words} " in f" {best} " or (whole is not None and whole(name))

        return self.names.unknown(clause, written, written_whole)

    def _writer_fits(self, hits: Sequence[Scored], available: set[str]) -> bool:
        """Whether a writing target clears its threshold for the clause (then a write verb
        asks for the act, not for how it is done)."""
        return any(
            h.descriptor.writes
            and h.descriptor.name in available
            and h.score >= self.thresholds.of(h.descriptor)
            for h in hits
        )

    def _first_round(self, ctx: PlanningContext, available: set[str]) -> Plan:
        steps: list[Step] = []
        unmatched: list[str] = []
        notes: list[str] = []
        notices: list[str] = []
        routes: dict[str, RouteDecision] = {}
        n = ctx.next_step_number
        general = [t for t in ctx.targets if is_general(t)]
        alone: dict[str, Choice] = {}  # a text routed on its own, once per request

        def routed_alone(text: str) -> Choice:
            if text not in alone:
                alone[text] = self._candidates(text, available, set(), ctx.prior, general)
            return alone[text]

        # "HEY, COULD YOU TELL ME ...": what is asked; "Quelle heure est-il à Tokyo ?" in
        # English words where it opens a known way
        asked = in_english(plain_request(ctx.request))
        follow = resolve_followup(
            asked,
            ctx.last_turn,
            self._router(available, ctx.prior),
            ctx.earlier_turns,
            general[0].name if general else None,
        )
        if follow is not None and follow.declined:  # "and in feet?" after a temperature
            return Plan(
                steps=[],
                unmatched=[asked],
                planner=self.name,
                reasoning=follow.note,
                followup=follow.note,
                notices=[f"{asked!r} was declined: {follow.declined}"],
            )
        parts: list[tuple[Resolved | None, str, str | None]]
        if follow is not None and follow.clauses:  # read against the thread's previous turn
            notes.append(follow.note)
            parts = [(None, clause, fixed) for clause, fixed in follow.clauses]
            only = follow.clauses[0][0]
            if len(follow.clauses) == 1 and inner_place(only) is not None:
                # "and in the capital of Hungary?": the capital first, then the time there
                parts = [
                    (p, p.text, None) for p in resolve_references(_unnested([Clause(only, 0)]))
                ]
        else:
            request = follow.request if follow is not None else asked
            found, notices = once_each(self._clauses(request))
            found = _asks_only(
                _run_ons_split(found, lambda text: _confidence(routed_alone(text))),
                lambda text: _catch_all_only(routed_alone(text)),
            )
            found = [_trimmed(c) for c in found]
            parts = [(p, p.text, None) for p in resolve_references(found)]
        step_of: dict[int, str] = {}  # clause index -> its step: what later clauses refer to
        declined: set[int] = set()  # clause indexes of asks no target answers
        said: dict[str, str] = {}  # step -> its clause as the request wrote it
        targets: dict[str, TargetDescriptor] = {}  # step -> where it goes
        needed: set[int] = set()  # declined for an act, the user's own data or a sense
        for i, (part, clause, fixed) in enumerate(parts):
            if part is not None and part.shows is not None:  # "... and show it to me"
                if part.shows in step_of:  # the earlier step shows it
                    step_of[i] = step_of[part.shows]
                continue
            given = part is None or bool(part.depends_on)  # a value comes from elsewhere
            if part is not None and part.depends_on and set(part.depends_on) <= declined:
                # "tar has an --encrypt option, right? how do I use it": what "it" is was
                # never found, and a passage about some other use is no answer
                declined.add(i)
                unmatched.append(clause)
                notes.append(f"{clause!r}: declined, it refers to a part no target answers")
                continue
            routed = _as_read(clause)
            by_name = routed
            if part is not None and part.references:
                # a number comes from a tool that computes it, or from a base asked for one
                # ("what year was the web invented? how many years ago was that?")
                computed = {
                    j
                    for j, sid in step_of.items()
                    if _computes(targets[sid])
                    or (targets[sid].kind is TargetKind.KNOWLEDGE and asks_quantity(parts[j][1]))
                }
                named = {
                    j: name
                    for j, sid in step_of.items()
                    if targets[sid].kind is TargetKind.KNOWLEDGE
                    and (name := _asked_about(parts[j][1]))
                }
                routed = _with_stand_ins(part, computed, named)
                by_name = _with_stand_ins(part, computed, named, by_name=True)
                spanned = year_span(part.query(step_of.get))
                if spanned is not None:  # "how many years before 2000 was that": arithmetic
                    routed = by_name = _as_read(REFERENCE.sub(STAND_IN, spanned))
                elif part.depends_on and all(
                    _TELLS_TIME.search(parts[j][1]) for j in part.depends_on
                ):
                    # "what is that in London time?" after "what time is it in Tokyo": a time
                    # of day to convert, as it will read once the time is known
                    routed = by_name = REFERENCE.sub(STAND_IN_CLOCK, part.query(step_of.get))
            # "the result times 2" after a conversion: the number flows in bare, so a
            # converter fits only when the clause names a unit of its own ("convert it to feet")
            unitless = (
                part is not None
                and bool(part.references)
                and _stands_in_number(routed, part)
                and not _names_unit(routed)
            ) or (part is None and not _names_unit(routed))  # "double 42" after a turn
            if given or unitless:
                choice = self._candidates(
                    routed, available, set(), ctx.prior, general, given, unitless=unitless
                )
                if by_name != routed:
                    # "which sea does that river flow into?": asked of the base that knows
                    # the name the earlier question gave, when one answers it so
                    named_choice = self._candidates(
                        by_name, available, set(), ctx.prior, general, given, unitless=unitless
                    )
                    first = next(iter(named_choice.candidates), None)
                    if first is not None and first.descriptor.kind is TargetKind.KNOWLEDGE:
                        choice = named_choice
            else:
                choice = routed_alone(routed)
            if part is not None and part.references and _expert_first(choice):
                as_written = choice.candidates[0].score  # with its references in
                # "write a Dockerfile that does it": which expert writes it is said by what
                # it writes, not by the pronoun for what it works on
                bare = _without_references(part)
                if bare != part.text:
                    bare_choice = self._candidates(
                        bare, available, set(), ctx.prior, general, given, unitless=unitless
                    )
                    if _expert_first(bare_choice):
                        choice = bare_choice
                # "write a better commit message for it" after "show me the unstaged changes":
                # which expert works on it is said by what the referred tool hands over (a
                # diff: the coder's), read in the words of the step that asked for it
                told = _with_referred(part, parts, step_of, targets)
                if told != part.text:
                    told_choice = self._candidates(
                        told, available, set(), ctx.prior, general, given, unitless=unitless
                    )
                    # ... and only where it reads at least as close as the clause did with
                    # its pronoun: "explain it in plain words" stays the general expert's
                    if _expert_first(told_choice) and told_choice.candidates[0].score >= as_written:
                        choice = told_choice
            candidates = choice.candidates
            if fixed is not None and fixed in available:  # the previous turn's target
                candidates = _first(fixed, candidates, ctx.targets)
            if part is not None and part.depends_on:
                referred = [targets[step_of[j]] for j in part.depends_on if j in step_of]
                if choice.fallback:
                    candidates = _source_asked(clause, candidates, referred)
                candidates = _same_source_first(candidates, referred)
            if not candidates or (
                choice.fallback and i - 1 in needed and continues_declined(clause)
            ):
                # "look at this photo and tell me what breed it is": the part after one
                # declined for what no target offers asks of the same thing
                if not states_context(clause):  # what the user says they do asks nothing
                    declined.add(i)
                unmatched.append(clause)
                if choice.need is not None and choice.need.kind not in ("live", "opinion"):
                    needed.add(i)  # live data declined: what comes after may be answered
                why = choice.reason if not candidates else "it goes on with the part declined"
                notes.append(f"{clause!r}: declined, {why}")
                continue
            best = candidates[0]
            query, deps = clause, list[str]()
            if part is not None:
                query = part.query(step_of.get)
                query = (year_span(query) or query) if part.references else query
                deps = [step_of[j] for j in part.depends_on if j in step_of]
            query = placed(query, best.descriptor)  # "read faq.md": docs/faq.md, where it is
            steps.append(
                Step(id=f"s{n}", query=query, target=best.descriptor.name, depends_on=deps)
            )
            step_of[i] = f"s{n}"
            targets[f"s{n}"] = best.descriptor
            said[f"s{n}"] = clause
            routes[f"s{n}"] = _decision(
                f"s{n}",
                candidates,
                f"; {choice.reason}",
                fallback=choice.fallback and is_general(best.descriptor),
            )
            notes.append(
                f"{clause!r} → {best.descriptor.name} (similarity {best.score:.2f}"
                f"{_writes(best.descriptor)})"
            )
            n += 1
        if self.probe is not None and len(steps) > 1:  # one document answers both pieces
            steps, joined = one_document(ctx.request, steps, said, self.probe.document)
            for gone in joined:
                routes.pop(gone, None)
        probe = self.probe
        if (
            probe is not None
            and steps
            and (
                len(steps) + len(unmatched) > 1
                or words_lost(asked, [said.get(s.id, s.query) for s in steps])
            )
            and follow is None
            and all(s.target in probe.bases for s in steps)
        ):
            whole = routed_alone(asked)  # cut from one question: the whole answered better
            base = whole.candidates[0].descriptor.name if whole.candidates else None
            one = one_ask(
                asked,
                steps,
                probe.similarity,
                base if base in probe.bases else None,
                probe.document,
            )
            if one is not None:  # a piece declined alone is part of the question too
                steps, routes = [one], {one.id: _decision(one.id, whole.candidates, "")}
                unmatched = []
        return Plan(
            steps=steps,
            unmatched=unmatched,
            planner=self.name,
            reasoning="; ".join(notes),
            routes=routes,
            followup=follow.note if follow is not None else "",
            notices=notices,
        )

    def _clauses(self, request: str) -> list[Clause]:
        """The request's clauses, read with its misspelt words corrected when that shows more
        parts: a slip in the word that opens a part ("wats 18 * 4 and waht is ...") hides
        where the part starts. A junction the rules kept inside a clause splits it where the
        learned junction model is confident (`agentroute.text.split_confident`)."""
        found = rejoined(framed(_unnested(split_confident(clauses(request)))), request)
        if self.speller is None:
            return found
        corrected = self.speller.correct(request)
        if corrected == request:
            return found
        read = rejoined(framed(_unnested(split_confident(clauses(corrected)))), corrected)
        return read if len(read) > len(found) else found

    def _router(
        self, available: set[str], prior: Mapping[str, float]
    ) -> Callable[[str], tuple[str, TargetKind, float] | None]:
        """Where a text alone would go (the follow-up reader asks before carrying over)."""

        def route(text: str) -> tuple[str, TargetKind, float] | None:
            read = _as_read(text)
            best = next(
                iter(self._candidates(read, available, set(), prior, given=True).candidates), None
            )
            return (best.descriptor.name, best.descriptor.kind, best.score) if best else None

        return route

    def _replan(self, ctx: PlanningContext, available: set[str]) -> Plan:
        tried: dict[str, set[str]] = {}
        solved: set[str] = set()
        ids: dict[str, list[str]] = {}  # query -> the earlier steps that asked it
        for obs in ctx.previous:
            tried.setdefault(obs.query, set())
            ids.setdefault(obs.query, []).append(obs.step_id)
            if not references(obs.query):  # a step still waiting for a failed input was not tried
                tried[obs.query].add(obs.target)
            if obs.ok:
                solved.add(obs.query)
        steps: list[Step] = []
        notes: list[str] = []
        routes: dict[str, RouteDecision] = {}
        n = ctx.next_step_number
        general = [t for t in ctx.targets if is_general(t)]
        renamed: dict[str, str] = {}  # an earlier step id -> the step that asks its query again
        todo = [q for q in tried if q not in solved]
        done = {obs.step_id for obs in ctx.previous if obs.ok}
        for query in sorted(todo, key=lambda q: bool(references(q))):  # inputs first
            if any(r not in renamed and r not in done for r in references(query)):
                notes.append(f"{query!r}: its input failed for good")
                continue
            if _NOTATION.fullmatch(query):
                # "2 +* 3": arithmetic notation the calculator could not read is a typo to
                # show, not a request another tool should guess at (a sum of 2 and 3)
                notes.append(f"{query!r}: arithmetic notation that could not be read")
                continue
            routed = REFERENCE.sub("it", query)
            choice = self._candidates(routed, available, tried[query], ctx.prior, general, True)
            candidates = choice.candidates
            if not candidates:
                notes.append(f"{query!r}: no other target left")
                continue
            best = candidates[0]
            sid = f"s{n}"
            renamed.update((old, sid) for old in ids[query])
            failed = ", ".join(sorted(tried[query]))
            query = replace_references(
                query, lambda r: f"{{{{{renamed[r]}}}}}" if r in renamed else None
            )
            deps = [r for r in references(query) if r in renamed.values()]
            steps.append(Step(id=sid, query=query, target=best.descriptor.name, depends_on=deps))
            routes[sid] = _decision(
                sid, candidates, f" (after {failed} failed)" if failed else "", fallback=True
            )
            notes.append(f"{query!r} → {best.descriptor.name} after {failed or 'its input'} failed")
            n += 1
        return Plan(steps=steps, planner=self.name, reasoning="; ".join(notes), routes=routes)


_NOTATION = re.compile(r"[\d\s.,()]*\d[\d\s.,()]*[-+*/^%×÷][\d\s.,()+*/^%×÷=?-]*")
"""A query written only in digits and operator signs ("2 +* 3", "(4 + 6) * 3")."""

_TAKEN = re.compile(
    rf"\s*(?:{alternation(cue_table('clauses.json')['carry_verbs'], any_space=True)}|start\s+with)"
    r"\s+(-?\d[\d,]*(?:\.\d+)?)\s*[.,;:!?]*\s*",
    re.IGNORECASE,
)
"""A part that only takes a number to work on ("take 360", "start with 12")."""
_IT = re.compile(r"\b(?:it|that|this)\b(?!\s+(?:is|was)\b)", re.IGNORECASE)


def _unnested(found: list[Clause]) -> list[Clause]:
    """Each clause that asks something of a place named by a question ("what time is it in
    the capital of Peru") as two: that question, then the clause with "there" in its place
    (`agentroute.text.inner_place`), so the place found flows into the second; so for a
    quantity looked up where an operation's number goes ("twice the atomic number of iron":
    `agentroute.text.inner_quantity`). A clause that
    asks the one before again with another value ("..., and the same for 8 miles") written
    out (`planning._followup.redone`)."""
    out: list[Clause] = []
    for i, clause in enumerate(found):
        taken = _TAKEN.fullmatch(found[i - 1].text) if i else None
        it = _IT.search(clause.text) if taken is not None else None
        if taken is not None and it is not None and out and out[-1] is found[i - 1]:
            # "take 360, divide it by 12": the number taken is what "it" means
            out.pop()
            clause = Clause(
                f"{clause.text[: it.start()]}{taken.group(1)}{clause.text[it.end() :]}",
                clause.group,
                clause.facts,
            )
        again = redone(found[i - 1].text, clause.text) if i else None
        if again is not None:  # "Convert 5 miles to km and the same for 8 miles"
            clause = Clause(again, clause.group, clause.facts)
        split = inner_place(clause.text) if not clause.facts else None
        if split is None and not clause.facts:
            split = inner_quantity(clause.text)  # "twice the atomic number of iron"
        if split is None:
            out.append(clause)
            continue
        inner, outer = split
        out += [Clause(inner, clause.group), Clause(outer, clause.group)]
    return out


def _confidence(choice: Choice) -> float | None:
    """How confidently a text alone is routed: its best target's similarity when a
    specialist fits it (the general expert, which takes anything, says nothing of where a
    part ends), else ``None``."""
    if not choice.candidates or choice.fallback or is_general(choice.candidates[0].descriptor):
        return None
    return choice.candidates[0].score


def _catch_all_only(choice: Choice) -> bool:
    """Whether only the catch-all would take a text: no target fits it, or only the general
    expert does, and under the one similarity a request must reach to be routed at all
    ("I'd love some help"; "a poem about cats" is the expert's own)."""
    if not choice.candidates or choice.fallback:
        return True
    best = choice.candidates[0]
    return is_general(best.descriptor) and best.score < DEFAULT_THRESHOLD


def _run_ons_split(found: list[Clause], confidence: Callable[[str], float | None]) -> list[Clause]:
    """Each clause written on without punctuation or a joining word ("time in tokyo who
    invented the radio") as the parts routing reads in it: of the candidate points
    (`agentroute.text.run_on_points`), the one where both sides route confidently to a target
    of their own and, on average, better than the whole clause does, the surer the better (the
    weaker side's similarity); a clause where no point does, or whose first side only states
    what the second asks about, stays whole. Scored by the targets, not by a list of
    phrasings."""
    out: list[Clause] = []
    group = max((c.group for c in found), default=0)
    todo = list(found)
    while todo:
        clause = todo.pop(0)
        points = run_on_points(clause.text) if not clause.facts else []
        whole = confidence(clause.text) if points else None
        best: tuple[float, int] | None = None
        for point in points:
            left, right = clause.text[:point].strip(), clause.text[point:].strip()
            if states_facts(left) or (
                asks_result(right) and not _DIGIT.search(right) and _DIGIT.search(left)
            ):
                continue  # "if I save 250 a week how much ...", "price was 80 now its 100 whats
                # the increase": what is stated, then one question about it
            sure_left = confidence(left)
            sure_right = confidence(right) if sure_left is not None else None
            if sure_left is None or sure_right is None:
                continue
            mean = (sure_left + sure_right) / 2
            apart = (operates(left) and operates(right)) or repeats_opening(left, right)
            if whole is not None and mean < whole and not apart:
                # the clause reads better as one ask than as these two; each side a whole
                # operation of its own ("convert 5 km to miles whats 12 times 7") is an ask apart
                continue
            weaker = min(sure_left, sure_right)
            if best is None or weaker > best[0]:
                best = (weaker, point)
        if best is None:
            out.append(clause)
            continue
        group += 1
        point = best[1]
        out.append(Clause(clause.text[:point].strip(), clause.group))
        todo.insert(0, Clause(clause.text[point:].strip(), group))
    return out


_ASKS = re.compile(r"\?|\d")
_DIGIT = re.compile(r"\d")


def _asks_only(found: list[Clause], catch_all: Callable[[str], bool]) -> list[Clause]:
    """The clauses without the ones that only set the scene beside what is asked ("I'd love
    some help") or only tell the user's own plan or a limit (`agentroute.text.aside`): a short one that speaks of the speaker or greets (`agentroute.text.sets_scene`)
    with no question, no number, no word that opens a request, nothing it names to be looked
    up or made and nothing it refers to ("cube it"), which only the catch-all would take ("reed
    the todo file" is an ask however badly it is routed). A request of one clause keeps it (the
    catch-all answers it)."""
    if len(found) < 2:
        return found
    kept = [
        c
        for c in found
        if not sets_scene(c.text)
        or _ASKS.search(c.text)
        or len(c.text.split()) > _SCENE_WORDS
        or starts_request(c.text)
        or names_something(c.text)
        or refers_back(c.text)
        or not catch_all(c.text)
    ]
    # "show todo.md, I want to update it later", "show me the diff, don't commit yet": the
    # user's own plan or a limit beside the ask, which asks for nothing
    kept = [c for c in kept if not aside(c.text)] or kept
    # "I've been on the repo all morning and lost track. What's the git status?": context
    told = [c for i, c in enumerate(kept) if only_context(c.text, [k.text for k in kept[i + 1 :]])]
    return [c for c in kept if c not in told] or kept or found


_SCENE_WORDS = 5


def _trimmed(clause: Clause) -> Clause:
    """``clause`` without an aside it ends with ("what's in the data folder before i move
    things around": the folder is asked for, the move is the user's)."""
    text = without_aside(clause.text)
    if text == clause.text or clause.facts > len(text):
        return clause
    return Clause(text, clause.group, clause.facts)


CLOSE_TOOLS = 0.12
"""Tools within this similarity of the leading tool are compared by what their own words
show of the clause (`agentroute.text.evidence`)."""


def _talks(d: TargetDescriptor) -> bool:
    """A target that answers in prose: the general expert, or a knowledge base's passage."""
    return is_general(d) or d.kind is TargetKind.KNOWLEDGE


def _evidenced_first(clause: str, candidates: list[Scored]) -> list[Scored]:
    """``candidates`` with the leading tool replaced by a close one whose description or
    examples show what the clause names when the leader's show none of it ("what's 3*3": the
    calculator's "17 * 23", not the converter's "3 metres")."""
    if not candidates or candidates[0].descriptor.kind is not TargetKind.TOOL:
        return candidates
    best = candidates[0]
    # "which folders are you able to get at": every description hands something back
    # ("Get a detailed listing"), so "get" shows nothing of what is asked
    asked = " ".join(w for w in clause.split() if w.lower() not in FETCHING)

    def shown(h: Scored) -> int:
        d = h.descriptor
        return evidence(
            asked, [d.name.split(".")[-1].replace("_", " "), d.description, *d.examples]
        )

    if shown(best) > 0:
        return candidates
    # "show me what's in the docs folder": a leader that takes the folder named keeps its
    # place before a tool that only shares a verb ("Shows the contents of a commit")
    named = named_place(clause)
    place = named[1] if named is not None and not asks_history(clause) else None
    placed = place is not None and takes_path_said(clause, best.descriptor, place)
    close = [
        h
        for h in candidates[1:]
        if h.descriptor.kind is TargetKind.TOOL
        and best.score - h.score <= CLOSE_TOOLS
        and (best.descriptor.writes or not h.descriptor.writes)
        and (place is None or not placed or takes_path_said(clause, h.descriptor, place))
    ]
    better = next((h for h in close if shown(h) > 0), None)
    if better is None:
        return candidates
    return [better, *(h for h in candidates if h is not better)]


NAMED_SERVER = 0.15
"""What a tool gains when the clause names its server ("use the everything server to ...")."""


def _server_named(clause: str, available: set[str]) -> tuple[dict[str, float], str]:
    """A bonus for the tools of the one server the clause names as a server ("the git
    server", "everything mcp"), and the clause without the naming ("use the everything
    server to add 7 and 5" → "add 7 and 5"): the user said where to ask, however close another
    server's tool reads (the calculator's "add 19 and 23" beside the everything server's sum),
    and the server's own name is no evidence for one of its tools ("debugging MCP server
    configuration")."""
    servers = {name.split(".", 1)[0] for name in available if "." in name}
    found = [(server, m) for server in servers if (m := _naming(server).search(clause)) is not None]
    if len(found) != 1:
        return {}, clause
    server, m = found[0]
    rest = f"{clause[: m.start()]} {clause[m.end() :]}".strip()
    bonus = {name: NAMED_SERVER for name in available if name.split(".", 1)[0] == server}
    return bonus, rest if re.search(r"\w", rest) else clause


def _naming(server: str) -> re.Pattern[str]:
    return re.compile(
        r"(?:\b(?:ask|use|have|tell|get|with|using|via|on|from)\s+)?(?:the\s+)?"
        rf"(?<![\w-]){re.escape(server)}(?:'s)?\s+(?:mcp\s+)?(?:server|mcp)\b(?:\s+to\b)?",
        re.IGNORECASE,
    )


def _first(
    name: str, candidates: Sequence[Scored], targets: Sequence[TargetDescriptor]
) -> list[Scored]:
    """``candidates`` with the target ``name`` first (added if it scored under the cut)."""
    found = [c for c in candidates if c.descriptor.name == name]
    if not found:
        descriptor = next(t for t in targets if t.name == name)
        found = [Candidate(descriptor, 0.0, "the previous turn")]
    return [*found, *(c for c in candidates if c.descriptor.name != name)]


def _expert_first(choice: Choice) -> bool:
    """Whether an expert model is the choice's first candidate."""
    first = next(iter(choice.candidates), None)
    return first is not None and first.descriptor.kind is TargetKind.EXPERT


_LEADS_TO_REFERENCE = re.compile(
    r"(?:\s+(?:that|which)\s+[a-z]+|\s+(?:using|for|with|from|on|about|of|based\s+on))\s*$",
    re.IGNORECASE,
)
"""What ties a reference to the clause ("a Dockerfile that does it", "a policy using it")."""


def _without_references(part: Resolved) -> str:
    """The clause without its references and what ties them in ("write a Dockerfile that
    does it": "write a Dockerfile"): what it asks of an expert, whatever it works on."""
    out, last = [], 0
    for ref in part.references:
        lead = _LEADS_TO_REFERENCE.search(part.text, last, ref.start)
        out.append(part.text[last : lead.start() if lead else ref.start])
        last = ref.end
    out.append(part.text[last:])
    return re.sub(r"\s+", " ", "".join(out)).strip()


def _source_asked(
    clause: str, candidates: list[Scored], referred: Sequence[TargetDescriptor]
) -> list[Scored]:
    """A question about what one knowledge base found that nothing fits by its own words
    ("what river is Budapest on, and where does it flow into?": "it" names no entity a base
    can be probed for) asked of that base: the referent is of the kind it knows, so the
    catch-all steps back. A clause that asks to compose or write something ("a poem about
    it") stays the catch-all's."""
    if len({r.name for r in referred}) != 1 or referred[0].kind is not TargetKind.KNOWLEDGE:
        return candidates
    if asks_to_compose(clause) or write_verb(clause) is not None or asks_to_write(clause):
        return candidates
    source = referred[0]
    if not evidence(clause, [source.description, *source.examples]):
        # "how many people live there": nothing the base says it knows ("flow" is)
        return candidates
    return [
        Candidate(source, 0.0, "asked about what it found"),
        *(c for c in candidates if c.descriptor.name != source.name),
    ]


def _with_referred(
    part: Resolved,
    parts: Sequence[tuple[Resolved | None, str, str | None]],
    step_of: Mapping[int, str],
    targets: Mapping[str, TargetDescriptor],
) -> str:
    """The clause with each reference to a tool's step read as the clause that asked for it
    ("write a better commit message for show me the unstaged changes"): a tool's output is
    what that clause names; references to other steps keep their words."""
    out, last = [], 0
    for ref in part.references:
        sids = [step_of.get(j) for j in ref.to]
        if len(ref.to) != 1 or sids[0] is None or targets[sids[0]].kind is not TargetKind.TOOL:
            continue
        out.append(part.text[last : ref.start])
        out.append(parts[ref.to[0]][1])
        last = ref.end
    out.append(part.text[last:])
    return "".join(out)


def _same_source_first(
    candidates: list[Scored], referred: Sequence[TargetDescriptor]
) -> list[Scored]:
    """A question about what one knowledge base found ("Which country has Lisbon as its
    capital? What currency does that country use?") asked of that base first when it is fit
    for the question too: it knows the entity it named; another base may only know the topic."""
    if len({r.name for r in referred}) != 1 or not candidates:
        return candidates
    source = referred[0]
    if source.kind is not TargetKind.KNOWLEDGE or candidates[0].descriptor.kind is not source.kind:
        return candidates
    same = [c for c in candidates if c.descriptor.name == source.name]
    return [*same, *(c for c in candidates if c not in same)]


_OBJECT = re.compile(r"\b(?:of|in)\s+((?:the\s+)?[^\W\d][\w'-]*(?:\s+[^\W\d][\w'-]*)?)\W*$")


def _asked_about(clause: str) -> str | None:
    """The last name a knowledge base's question carries, or, written in lower case, what it
    asks about ("capital of kenya": Kenya): what a later "there" stands near."""
    names = named_entities(clause)
    if names:
        return names[-1]
    found = _OBJECT.search(clause)
    return found.group(1).title() if found else None


_AT = re.compile(r"\b(?:in|at)\s+$", re.IGNORECASE)
"""A place preposition right before a reference: what the reference stands for is a place."""

STAND_IN = "2"
"""What a reference to a computed number reads as while the clause is routed."""


def _as_read(text: str) -> str:
    """A distance in years written ``abs(2020 - 1867)`` as routing reads it: a subtraction
    of plain numbers (years read as dates to an embedding, not as arithmetic)."""
    if re.fullmatch(r"\s*abs\([^()]*\)\s*", text) is None:
        return text
    return f"what is {STAND_IN} minus {STAND_IN}"


STAND_IN_CLOCK = "12:00"
"""What a reference to a time of day (a time server's answer) reads as while routed."""
_TELLS_TIME = re.compile(
    rf"\b(?:{alternation(cue_table('clauses.json')['time_questions'])})\b", re.IGNORECASE
)


def _with_stand_ins(
    part: Resolved,
    computed: set[int],
    named: Mapping[int, str] | None = None,
    *,
    by_name: bool = False,
) -> str:
    """The clause as routing reads it: a reference to a number that an earlier step computes
    reads as a number ("multiply the sum by 2" is a multiplication, not a sum; "convert the
    total in grams to kg" a conversion, not a question about kilograms), and so does the left
    operand of an operation, wherever it comes from ("it times 2" after a base's answer). A "there" after a
    knowledge base's question reads as the name that question gave ("What's the capital of
    Serbia, and what currency is used there?": used in Serbia), so the base that knows such
    names is asked. Other references keep their words ("which river is the city on": the
    words say more than the name the earlier question gave); ``by_name`` reads them as that
    name too, a second reading the planner takes only when a base answers it."""
    out, last = [], 0
    for ref in part.references:
        operand = leaves_left_operand(part.text[ref.end :])  # "it times 2": a number, whatever
        if ref.to and (operand or all(j in computed for j in ref.to)):
            stand_in = " and ".join(STAND_IN for _ in ref.to)
            if ref.noun:  # "work out its square": the square of a number
                stand_in = f"the {ref.noun} of {stand_in}"
        elif ref.place and len(ref.to) == 1 and named and ref.to[0] in named:
            stand_in = f"in {named[ref.to[0]]}"
        elif (
            len(ref.to) == 1 and named and ref.to[0] in named and _AT.search(part.text[: ref.start])
        ):
            # "the time in the second one": a reference where a place goes reads as the name
            # its question asked about (its own words, "second", would read as a unit)
            stand_in = named[ref.to[0]]
        elif by_name and len(ref.to) == 1 and named and ref.to[0] in named and not ref.noun:
            # "which sea does that river flow into?" after "which river does Paris lie on":
            # the base that knows the name the earlier question gave is asked about it (a
            # probe of "that river" finds no entity in any base, and another base's passage
            # about rivers would win)
            stand_in = named[ref.to[0]]
        else:
            continue
        out.append(part.text[last : ref.start])
        out.append(stand_in)
        last = ref.end
    out.append(part.text[last:])
    return "".join(out)


def _stands_in_number(routed: str, part: Resolved) -> bool:
    """Whether every reference of ``part`` reads as a number in ``routed`` (then the clause
    says all a tool is given: the number, and a unit only if it names one)."""
    return not references(routed) and len(_NUMBERS.findall(routed)) > len(
        _NUMBERS.findall(part.text)
    )


_NUMBERS = re.compile(r"(?<![\w.])\d+(?:\.\d+)?")
_UNIT_SLOT = re.compile(
    r"\b(?:to|into|in|from|as|how\s+many)\s+(?:°\s?)?([^\W\d_][\w/²³°]*)", re.IGNORECASE
)
"""Where a clause names a unit without a number before it ("convert it to feet", "how many
yards that is")."""


def _names_unit(text: str) -> bool:
    """Whether ``text`` names a unit, with a number or in a unit's place."""
    return carries_unit(text) or any(carries_unit(f"1 {w}") for w in _UNIT_SLOT.findall(text))


def _performs(descriptor: TargetDescriptor, verb: str) -> bool:
    """Whether a writing target's own words name the act ``verb`` asks for."""
    said = " ".join([descriptor.description, *descriptor.examples])
    return offers_verb(descriptor.name, said, verb)


def _computes(descriptor: TargetDescriptor) -> bool:
    """A tool that only computes on a quantity it is given (its examples all give one)."""
    return descriptor.kind is TargetKind.TOOL and takes_quantity(descriptor.examples)


def _decision(
    step_id: str, candidates: Sequence[Scored], note: str, *, fallback: bool = False
) -> RouteDecision:
    best = candidates[0]
    why = f" to {best.best_text!r}" if best.best_text else ""
    return RouteDecision(
        step_id=step_id,
        target=best.descriptor.name,
        kind=best.descriptor.kind,
        score=best.score,
        alternatives=[
            Alternative(target=c.descriptor.name, score=c.score) for c in candidates[1:5]
        ],
        reason=f"semantic: similarity {best.score:.2f}{why}{note}{_writes(best.descriptor)}",
        fallback=fallback,
    )


def _held_only(clause: str, choice: Choice, hits: Sequence[Scored]) -> Choice:
    """``choice`` unless its reading tool's server does not hold the file or folder the
    clause names (`planning._held`): then the tools of another server whose directory has
    it, best first ("who touched app.py": the repository's), a knowledge base that fits too
    (a question about a file, not a read of it), or a decline that says why ("open
    vacation_photos.zip" with no such file; "read /etc/hosts" outside the allowed
    directory), never a read that can only fail."""
    if not choice.candidates:
        return choice
    first = choice.candidates[0].descriptor
    roots = (server_root(h.descriptor) for h in hits if h.descriptor.server == first.server)
    root = next((r for r in roots if r is not None), None)
    absent = place_not_held(clause, first, root)
    if absent is None and root is not None and first.kind is TargetKind.TOOL:
        absent = outside_said(clause, root)  # "list the files on my desktop": not its folder
    if absent is None:
        return choice
    holders = [
        h
        for h in hits
        if h.descriptor.server != first.server
        and holds_place(clause, h.descriptor)
        and place_not_held(clause, h.descriptor) is None
    ]
    code = code_attribute(clause)
    experts = sorted(
        (h for h in hits if h.descriptor.kind is TargetKind.EXPERT), key=lambda h: -h.score
    )
    if code is not None and experts:  # "what does str.strip do": a method, not a file
        return Choice(experts, f"{code} is code, not a file")
    bases = [h for h in choice.candidates if h.descriptor.kind is TargetKind.KNOWLEDGE]
    if bases and not choice.fallback and not rooted(clause):
        return replace(choice, candidates=bases)  # "explain how to configure agentroute.toml"
    if holders:  # "what did I change in app.py": a file of the repository, not of the folder
        why = f"{absent}; {holders[0].descriptor.server} holds it"
        ranked = sorted(holders, key=lambda h: -h.score)
        return Choice(siblings_first(clause, fillable_first(clause, ranked), hits), why)
    return Choice([], f"{absent}: the server does not hold it")


def _writes(descriptor: TargetDescriptor) -> str:
    """``; writes: git.git_commit`` for a target that changes the world (``(destructive)``
    when it may lose data), else nothing."""
    if not descriptor.writes:
        return ""
    how = " (destructive)" if descriptor.effect == "destructive" else ""
    return f"; writes: {descriptor.name}{how}"
