"""A request as plainly written: the writing that says nothing of what is asked, read away.

The same request comes shouted ("WHAT IS 17 * 23"), wrapped in manners ("quick q: ...",
"could you tell me ...", "... thanks!") or with a slip in a small word ("multiply tht by 2",
"teh result"). None of it changes what is asked, yet each changes the words routing and
clause splitting see. ``plain_request`` reads it away before a request is split; quoted text
and file names are the user's values and stay as written. The words are data
(``surface.json``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from agentroute.text._files import FILE_NAME
from agentroute.text._lexicon import alternation, cue_table
from agentroute.text._styles import unstyled, unwrapped_values

__all__ = ["plain_request"]

_TABLE = cue_table("surface.json")
_SLIPS: dict[str, str] = _TABLE["slips"]
_SLIP = re.compile(rf"(?<![\w'-])(?:{alternation(_SLIPS)})(?![\w'-])", re.IGNORECASE)
_LEAD = re.compile(
    rf"^\s*(?:{alternation(_TABLE['leads'], any_space=True)})(?:\s*[,:!.–—-]+\s*|\s+)(?=[\w'\"])",
    re.IGNORECASE,
)
_SET_OFF = re.compile(
    rf"^\s*(?:{alternation(_TABLE['set_off_leads'], any_space=True)})\s*[,:!–—-]+\s*(?=[\w'\"])",
    re.IGNORECASE,
)
_OWN_LEAD_IN = re.compile(r"[^:,.!?\n]{0,40}:\s")
"""A lead-in set off by its own colon ("help: ...", "for my homework: ...")."""
_TAIL = re.compile(
    rf"(?<=\S)[\s,]+(?:{alternation(_TABLE['tails'], any_space=True)})[\s.!?]*$", re.IGNORECASE
)
_KEPT = re.compile(rf"\"[^\"]*\"|“[^”]*”|(?<!\w)'[^']+'(?!\w)|`[^`]*`|{FILE_NAME.pattern}")
"""Spans kept as written: quotations and file names."""
_SHARE = float(_TABLE["shouting"]["share"])
_MIN_LETTERS = int(_TABLE["shouting"]["min_letters"])
_MAX_FRAMES = 3


def plain_request(text: str) -> str:
    """``text`` in lower case if shouted, its small-word slips mended, doubled end marks
    single, its leading frames
    ("hey,", "could you tell me") and trailing thanks dropped; ``text`` itself when nothing
    of this is there. The writing styles of ``_styles`` are read away first."""
    text = _styles_off(text)
    out = _outside_kept(text, _unshout if _shouted(text) else _same)
    out = _outside_kept(out, lambda s: _SLIP.sub(lambda m: _cased(m.group(0)), s))
    out = _outside_kept(out, lambda s: _MARKS.sub(_one_mark, s))
    for _ in range(_MAX_FRAMES):  # "hey, could you tell me ..."
        lead = _LEAD.match(out) or _SET_OFF.match(out)
        rest = out[lead.end() :] if lead is not None else ""
        if lead is None or (_OWN_LEAD_IN.match(rest) and not _SET_OFF.match(rest)):
            break
        out = out[lead.end() :]
    for _ in range(_MAX_FRAMES):  # "..., thanks in advance!"
        tail = _TAIL.search(out)
        if tail is None or not out[: tail.start()].strip(" ,.!?"):
            break
        out = out[: tail.start()]
    return out if out.strip() else text


_HELD = re.compile(r"\x02(\d+)\x03")


def _styles_off(text: str) -> str:
    """``text`` with its values unwrapped and its writing styles read away (``_styles``),
    quotations and file names held as written."""
    held: list[str] = []

    def hold(m: re.Match[str]) -> str:
        held.append(m.group(0))
        return f"\x02{len(held) - 1}\x03"

    out = unstyled(_KEPT.sub(hold, unwrapped_values(text)))
    return _HELD.sub(lambda m: held[int(m.group(1))], out)


_MARKS = re.compile(r"[?!]{2,}|(?<!\.)\.\.(?!\.)")
"""End marks doubled for emphasis ("right now??", "thanks!!", "?!"): one says the same."""


def _one_mark(m: re.Match[str]) -> str:
    return "?" if "?" in m.group(0) else m.group(0)[0]


def _same(text: str) -> str:
    return text


def _unshout(text: str) -> str:
    return text.lower()


def _cased(slip: str) -> str:
    meant = _SLIPS[slip.lower()]
    return meant.capitalize() if slip[:1].isupper() else meant


def _shouted(text: str) -> bool:
    """Most letters outside quotes and file names are capitals."""
    letters = [c for c in _KEPT.sub(" ", text) if c.isalpha()]
    return len(letters) >= _MIN_LETTERS and sum(c.isupper() for c in letters) >= _SHARE * len(
        letters
    )


def _outside_kept(text: str, change: Callable[[str], str]) -> str:
    """``change`` applied to the text between kept spans."""
    out, at = [], 0
    for m in _KEPT.finditer(text):
        out += [change(text[at : m.start()]), m.group(0)]
        at = m.end()
    out.append(change(text[at:]))
    return "".join(out)
