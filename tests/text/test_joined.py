"""Names written together ("getorderbyid") are read as their words; real words are kept."""

from __future__ import annotations

import pytest

from agentroute.text import split_joined


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("getorderbyid", "get order by id"),
        ("getrelatedpeople", "get related people"),
        ("caloriesburned", "calories burned"),
        ("getfileversions", "get file versions"),
        ("qrcode", "qr code"),
    ],
)
def test_a_run_of_words_is_spelt_apart(name: str, words: str) -> None:
    assert split_joined(name) == words


@pytest.mark.parametrize(
    "word", ["youtube", "temperature", "gmhikaru", "ytstream", "list", "unstaged"]
)
def test_a_word_or_a_run_of_no_words_is_kept(word: str) -> None:
    """A word with a prefix or an ending ("unstaged", git's ``git_diff_unstaged``) stays one."""
    assert split_joined(word) == word


def test_only_lower_case_runs_in_a_text_are_split() -> None:
    text = "getalltemplates (Nexweave) PopularSitesForQuery get_current_time"
    assert (
        split_joined(text) == "get all templates (Nexweave) PopularSitesForQuery get_current_time"
    )
