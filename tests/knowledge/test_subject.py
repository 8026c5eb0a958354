"""What a question is about, and whether a passage is about it or names it in passing."""

from __future__ import annotations

import pytest

from agentroute.knowledge._subject import asked_subject, plainly_about


@pytest.mark.parametrize(
    ("question", "subject"),
    [
        ("what does the htop command do?", ["htop"]),
        ("Who is the marketing lead?", ["marketing", "lead"]),
        ("What is rsync used for?", ["rsync"]),
        ("What is snapkeep?", ["snapkeep"]),
        ("what does snapkeep prune do?", ["snapkeep", "prune"]),
        ("How do I install agentroute on Windows?", []),
        ("Who invented the telephone?", []),
    ],
)
def test_the_subject_of_a_question_shaped_so(question: str, subject: list[str]) -> None:
    assert asked_subject(question) == subject


def test_a_word_in_an_aside_is_named_in_passing() -> None:
    text = 'Judged by coverage ("which package provides htop"); watch it in a viewer (htop).'
    assert not plainly_about("agentroute › Benchmarks", text, "htop")
    assert plainly_about("Admin tools › htop", "An interactive process viewer.", "htop")
    assert plainly_about("Tools", "htop is an interactive process viewer.", "htop")


def test_a_word_inside_another_is_not_written() -> None:
    assert not plainly_about("Desktop", "The desktop shows icons.", "top")


def test_a_word_once_mid_sentence_is_named_in_passing() -> None:
    text = "rsync copies files between machines. It is usually run over ssh."
    assert not plainly_about("Admin tools › rsync", text, "ssh")
    assert plainly_about("Admin tools › rsync", text, "rsync")


def test_a_name_with_its_version_names_it() -> None:
    assert plainly_about("Debian package libpolkit-agent-1-0", "", "libpolkit-agent")
