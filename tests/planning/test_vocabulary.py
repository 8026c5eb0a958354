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
