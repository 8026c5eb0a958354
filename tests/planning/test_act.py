"""The act a clause asks for decides the kind of target before its topic words do."""

from __future__ import annotations

from dataclasses import dataclass

from agentroute.planning._act import act_first, set_aside
from agentroute.types import TargetDescriptor, TargetKind


@dataclass(frozen=True)
class Hit:
    descriptor: TargetDescriptor
    score: float


def _t(name: str, kind: TargetKind, description: str, **kw: object) -> TargetDescriptor:
    return TargetDescriptor(name=name, kind=kind, description=description, **kw)  # type: ignore[arg-type]


CALC = _t("calc.calculate", TargetKind.TOOL, "Calculator: evaluates a question written in English")
GIT_LOG = _t("git.git_log", TargetKind.TOOL, "Shows the commit logs")
WRITE = _t("filesystem.write_file", TargetKind.TOOL, "Write a file with the given content")
FACTS = _t("facts", TargetKind.KNOWLEDGE, "Facts about countries, cities and science")
POLICY = _t("policy_docs", TargetKind.KNOWLEDGE, "Policy language reference", domains=["policy"])
CODER = _t("coder", TargetKind.EXPERT, "Writes, reviews and explains code", domains=["programming"])
TRANSLATOR = _t("translator", TargetKind.EXPERT, "Translates text between languages, Japanese")
GENERAL = _t("general", TargetKind.EXPERT, "Writing text, explanations, advice")


def names(hits: list[Hit]) -> list[str]:
    return [h.descriptor.name for h in hits]


def test_an_expert_naming_the_act_beats_a_tool_matching_the_topic() -> None:
    fit = [Hit(CALC, 0.5)]
    hits = [*fit, Hit(CODER, 0.4), Hit(GENERAL, 0.3), Hit(TRANSLATOR, 0.1)]
    clause = "Write a Python function that checks whether a number is prime"
    assert names(act_first(clause, fit, hits))[0] == "coder"  # "written" is not "writes"


def test_translate_beats_a_passage_about_the_country() -> None:
    fit = [Hit(FACTS, 0.5)]
    hits = [*fit, Hit(TRANSLATOR, 0.2), Hit(CODER, 0.1)]
    clause = "Translate 'I love this city' into Italian"
    assert names(act_first(clause, fit, hits)) == ["translator", "facts"]


def test_a_target_that_names_the_act_itself_keeps_its_place() -> None:
    fit = [Hit(WRITE, 0.5)]
    hits = [*fit, Hit(GENERAL, 0.4)]
    assert names(act_first("Write 'hello' into notes.txt", fit, hits)) == ["filesystem.write_file"]


def test_a_topic_word_that_only_looks_like_the_verb_is_no_act() -> None:
    fit = [Hit(FACTS, 0.5)]
    hits = [*fit, Hit(TRANSLATOR, 0.3)]
    assert names(act_first("japan currency", fit, hits)) == ["facts"]


def test_a_knowledge_base_explains_what_it_holds() -> None:
    fit = [Hit(POLICY, 0.5)]
    hits = [*fit, Hit(GENERAL, 0.3), Hit(CODER, 0.2)]
    clause = "Explain the stop effect of the policy language"
    assert names(act_first(clause, fit, hits)) == ["policy_docs"]


def test_a_how_to_question_is_not_served_by_a_tool() -> None:
    fit = [Hit(GIT_LOG, 0.5), Hit(CODER, 0.4)]
    clause = "How do I undo the last commit in git without losing my changes?"
    assert names(act_first(clause, fit, fit)) == ["coder"]
    only_tool = [Hit(GIT_LOG, 0.5)]
    assert names(act_first(clause, only_tool, only_tool)) == ["git.git_log"]


def test_a_domain_set_aside_drops_its_expert() -> None:
    fit = [Hit(CODER, 0.5), Hit(GENERAL, 0.4)]
    assert names(set_aside("describe the changes to a non-programmer", fit)) == ["general"]
    assert names(set_aside("explain it as if I'm not a programmer", fit)) == ["general"]
    assert names(set_aside("describe the changes", fit)) == ["coder", "general"]
    policy = [Hit(POLICY, 0.5)]
    assert names(set_aside("What if no policy rule matches?", policy)) == ["policy_docs"]


def test_a_text_put_into_a_language_goes_to_the_expert_naming_that_language() -> None:
    spanish = _t("translator", TargetKind.EXPERT, "Translates text into French, Spanish, German")
    fit = [Hit(GENERAL, 0.43), Hit(spanish, 0.30)]
    asked = "Put this into Spanish: the meeting is cancelled"
    assert names(act_first(asked, fit, fit)) == ["translator", "general"]
    # a place is no language; a leading target that names the language keeps its place
    assert names(act_first("Is Python popular in Spain?", fit, fit)) == ["general", "translator"]
    led = [Hit(CALC, 0.5), Hit(TRANSLATOR, 0.3)]
    assert names(act_first("What is five plus five in English?", led, led))[0] == "calc.calculate"
