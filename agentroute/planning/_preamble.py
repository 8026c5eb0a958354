"""What frames an ask without asking: a leading "In rich," or a sentence about the user.

Why: a request that opens with the thing it is about ("In rich, what's the difference
between ...", "With git, how do I run ...") was cut at the comma, and the frame alone went to a
knowledge base as a question of its own (bench_kb_routing's dev7: four singles asked twice).
A first clause of a few words that opens with a preposition (``preambles.json``), names no
number and asks nothing is the next clause's preamble, read with it as one clause. Likewise a
sentence in which the user says what they are doing ("I need to step through a crashing C
program on Debian; which package ...") is the context of the question after it, not a question
asked one after the other: ``one_ask`` may join the two when the whole answers as well.
"""

from __future__ import annotations

import json
import re
from importlib import resources

from agentroute.text import Clause, opens_question, speaks_of_self, starts_request

__all__ = ["FRAME_WORDS", "framed", "states_context"]

_TABLE = json.loads(
    resources.files("agentroute.planning").joinpath("preambles.json").read_text("utf-8")
)
FRAME_WORDS = 4
"""A frame is this short at most ("in an agentroute policy"): a longer piece says more than
where the question is."""
_FRAME = re.compile(rf"^(?:{'|'.join(map(re.escape, _TABLE['frame_words']))})\s", re.I)


def _frame(text: str) -> bool:
    """Whether ``text`` only says where the question is: a preposition and a few words, no
    number, no question mark."""
    words = text.strip().rstrip(",").split()
    return (
        0 < len(words) <= FRAME_WORDS
        and _FRAME.match(text.strip()) is not None
        and not any(c.isdigit() or c == "?" for c in text)
    )


def framed(found: list[Clause]) -> list[Clause]:
    """``found`` with a leading frame ("In rich") read as the preamble of the clause after it,
    when that clause opens a question or a command of its own."""
    if len(found) < 2 or not _frame(found[0].text):
        return found
    first, second = found[0], found[1]
    if not (opens_question(second.text) or starts_request(second.text)):
        return found
    head = first.text.strip().rstrip(",")
    joined = Clause(f"{head}, {second.text}", second.group, len(head) + 2 + second.facts)
    return [joined, *found[2:]]


def states_context(sentence: str) -> bool:
    """Whether ``sentence`` is the user saying what they are doing ("I'm cleaning up a build
    server", "we need to ..."), not asking: no question mark, opened by the user's own
    pronoun (`agentroute.text.speaks_of_self`)."""
    return "?" not in sentence and speaks_of_self(sentence)
