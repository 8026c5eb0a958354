"""Regenerate agentroute/text/english/english_words.txt.gz: English words, rare ones included.

    pip install --target /tmp/wordfreq wordfreq
    PYTHONPATH=/tmp/wordfreq python scripts/make_english_words.py [--zipf 1.5]

Why carried: the planner declines a question about a name no vocabulary knows ("the capital
of Zembria"); the embedding model's WordPiece vocabulary (~22,000 whole words) lacks real rare
words ("quokka", "petrichor", "theremin"), which were declined as made up. Which words English
has is a fact of the language, so the list is carried as data: the words of wordfreq's large
English list (CC-BY-SA 4.0, see agentroute/text/english/README.md) whose Zipf frequency is
at least the cut, lower-case letters only, four letters or more (shorter words are never taken for names).
Gzipped (~420 KB, 1.3 MB of text): read once, only when a word is in no smaller vocabulary.
wordfreq is needed only to regenerate the list, never at run time.
"""

from __future__ import annotations

import argparse
import gzip
import re
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "agentroute/text/english/english_words.txt.gz"
_WORD = re.compile(r"[a-z]{4,}")
_HEADER = """\
# English words (lower-case letters, four or more) whose Zipf frequency in wordfreq's large
# English list is at least {cut}: wordfreq {version} by Robyn Speer, data CC-BY-SA 4.0
# (README.md beside it). A word here is a real word, however rare ("quokka"), not a
# made-up name (agentroute.text._unknown). Regenerate: python scripts/make_english_words.py
"""


def english_words(cut: float) -> list[str]:
    """The words of wordfreq's large English list at or above Zipf frequency ``cut``."""
    import wordfreq

    out = []
    for word in wordfreq.iter_wordlist("en", "large"):
        if wordfreq.zipf_frequency(word, "en", "large") < cut:
            break  # the list runs from the most frequent word down
        if _WORD.fullmatch(word):
            out.append(word)
    return sorted(out)


def main() -> None:
    from importlib import metadata

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--zipf", type=float, default=1.5, help="lowest Zipf frequency kept")
    parser.add_argument("--out", type=Path, default=OUT)
    options = parser.parse_args()
    words = english_words(options.zipf)
    header = _HEADER.format(cut=options.zipf, version=metadata.version("wordfreq"))
    text = header + "\n".join(words) + "\n"
    options.out.write_bytes(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0))


if __name__ == "__main__":
    main()
