"""Whose words a clause uses: the bases' vocabularies as a prior among them."""

from __future__ import annotations

from agentroute.planning._vocabulary import Vocabulary
from agentroute.text import index_words

PACKAGES = [
    "Debian package procps. Package: procps Section: admin Description: /proc file system "
    "utilities. Commands: ps, top, free, kill",
    "Debian package psmisc. Package: psmisc Section: admin Description: utilities that use "
    "the proc file system. Commands: killall, pstree, fuser",
    "Debian package curl. Package: curl Section: web Description: command line tool for "
    "transferring data with URL syntax. Commands: curl",
]
PAGES = [
    "killall(1) manual page. killall sends a signal to all processes running any of the "
    "specified commands. If no signal name is specified, SIGTERM is sent.",
    "sed(1) manual page. Sed is a stream editor. -i edit files in place (makes backup if "
    "SUFFIX supplied).",
]


def test_a_clause_in_one_base_s_words_fits_that_base() -> None:
    v = Vocabulary({"packages": PACKAGES, "pages": PAGES})
    asking = v.prior("which package has killall")
    assert asking["packages"] > asking["pages"]
    editing = v.prior("how do I edit a file in place with sed")
    assert editing["pages"] > editing["packages"]


def test_no_prior_without_known_words_or_with_one_base() -> None:
    v = Vocabulary({"packages": PACKAGES, "pages": PAGES})
    assert v.prior("banana bread recipe") == {"packages": 0.0, "pages": 0.0}
    alone = Vocabulary({"packages": PACKAGES})
    assert abs(alone.prior("which package has killall")["packages"]) < 1e-9


def test_words_are_split_and_plurals_folded() -> None:
    assert index_words("getUserTweets of the snake_case files") == [
        "get",
        "user",
        "tweet",
        "snake",
        "case",
        "file",
    ]


def test_coverage_weighs_what_the_clause_names_by_its_rarity() -> None:
    v = Vocabulary({"packages": PACKAGES, "pages": PAGES}, broad=0)
    psmisc, curl = PACKAGES[1], PACKAGES[2]
    # "killall" is rare (one stanza, one page): a stanza naming it covers the clause ...
    assert v.coverage("the package with killall", psmisc) == 1.0
    # ... a stanza sharing only "package" (in every stanza: it weighs little) does not.
    assert v.coverage("the package with killall", curl) < 0.5
    assert v.weight("killall") > v.weight("package")
    # A word no base uses weighs most, and is found in no passage.
    assert v.unknown("the package with htop") == ["htop"]
    assert v.weight("htop") > v.weight("killall")
    assert v.coverage("the package with htop", curl) < 0.3
    assert v.unknown("the package with killall") == []
    # A word of the language is no name, though no base uses it.
    english = {"patent", "granted"}.__contains__
    assert v.unknown("the package with patent htop", english) == ["htop"]
    # Bases using few words lack most ordinary ones: what they lack says nothing then.
    narrow = Vocabulary({"packages": PACKAGES, "pages": PAGES})
    assert narrow.unknown("the package with htop") == []


def test_coverage_matches_word_forms_and_leaves_numbers_out() -> None:
    v = Vocabulary({"packages": PACKAGES, "pages": PAGES}, broad=0)
    page = PAGES[0]  # "killall sends a signal to all processes running ..."
    # "processing" and "processes" share their first five letters
    assert v.coverage("killall processing", page) == 1.0
    assert v.coverage("killall processing", PAGES[1]) == 0.0
    # a number is what is asked about, not a word to find: "1234" counts for nothing
    assert v.coverage("kill process 1234", page) == v.coverage("kill process", page)
    assert v.unknown("kill process 1234") == []
    assert v.coverage("the of and", page) == 1.0  # nothing to cover


def test_unheard_is_the_share_of_ordinary_words_no_base_uses() -> None:
    v = Vocabulary({"packages": PACKAGES, "pages": PAGES}, broad=0)
    english = {"uranium", "fish", "shell", "default"}.__contains__
    # "uranium" is a word of the language no base uses: all of "uranium", more than half
    # of "killall uranium" (a word no base uses weighs more than a rare one)
    assert v.unheard("uranium", english) == 1.0
    half = v.unheard("killall uranium", english)
    assert 0.5 < half < 1.0
    # words a base uses, in any form ("processing": "processes"), are heard
    assert v.unheard("killall processing", english) == 0.0
    # a name no base uses and no English either ("htop") is unknown, not unheard
    assert v.unheard("the package with htop", english) == 0.0
    assert v.unknown("the package with htop", english) == ["htop"]
    # without the language's words, or with bases too narrow to say, nothing is unheard
    assert v.unheard("uranium", None) == 0.0
    narrow = Vocabulary({"packages": PACKAGES, "pages": PAGES})
    assert narrow.unheard("uranium", english) == 0.0


def test_a_comparative_of_a_word_the_bases_use_and_a_unit_letter_are_heard() -> None:
    sizes = [*PAGES, "du(1) manual page. du estimates file space usage; a big file, an old one."]
    v = Vocabulary({"packages": PACKAGES, "pages": sizes}, broad=0)
    english = {"bigger", "older", "m", "uranium", "uraniumer"}.__contains__
    # "bigger" compares "big", "older" "old": the bases speak of sizes and ages
    assert v.unheard("find files bigger than 100M", english) == 0.0
    assert v.unheard("file older than a week", english) == 0.0
    # a word no base uses stays unheard, with its ending or without
    assert v.unheard("uraniumer files", english) > 0.5
