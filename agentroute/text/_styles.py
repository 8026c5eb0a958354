"""The writing styles of a request read away: what the way it is written adds, it does not ask.

The same request arrives transcribed from speech ("um so what's 12 times 12 and then uh ..."),
padded with manners in its middle ("..., and then, if you don't mind, subtract 25"), with a
tag asking for agreement ("the capital of Australia is Sydney, right?"), with pictographs
("what's 45 times 12? 🧮"), with a value put in brackets or quotes ("convert (5) miles", "what
is "12.5%" of 80") or a file name said aloud ("notes dot txt"). Each of these changes where
clause splitting cuts and what a tool is given (a calculator cannot read "🧮"), none changes
what is asked; nor does a phrasing carried over from another language ("please to convert").
``unstyled`` reads them away; ``unwrapped_values`` takes a single value out of
its brackets or quotes. The words are data (``styles.json``).
"""

from __future__ import annotations

import re
import unicodedata

from agentroute.text._lexicon import alternation, cue_table

__all__ = ["unstyled", "unwrapped_values"]

_TABLE = cue_table("styles.json")
_APOSTROPHE = re.compile(r"[’‘]")


def _phrases(key: str) -> str:
    return alternation(_TABLE[key], any_space=True).replace("'", "['’]")


_PICTOGRAPH = re.compile(
    "[\U0001f000-\U0001faff\u2600-\u27bf\u2300-\u23ff\u2b00-\u2bff\ufe0f\u200d\u20e3]+"
)
"""Emoji and pictographs (with their joiners and variation selectors): they decorate, and a
tool reading the text cannot parse them. Degree, math and currency signs are outside these
ranges."""
_FILLER = re.compile(rf"(?<![\w'])(?:{_phrases('fillers')})(?![\w'])\s*,?", re.IGNORECASE)
_HEDGE_LIKE = re.compile(
    rf"(?<![\w'])({_phrases('hedge_like_after')})\s+like\b,?\s+(?!to\b|that\b|this\b)",
    re.IGNORECASE,
)
_STUTTER = re.compile(r"(?<![\w'])([A-Za-z][\w']*)(?:\s+\1)+(?![\w'])")
"""A word said twice running, the same way ("what's what's", "and and also"): said once;
"false False" names two things."""
_PADDING = re.compile(rf"(?<![\w'])(?:{_phrases('padding')})(?![\w'])\s*,?", re.IGNORECASE)
_SET_OFF = re.compile(rf"(?:{_phrases('set_off')})", re.IGNORECASE)
_CLOSER = re.compile(rf"(?<=\S)[\s,]+(?:{_phrases('closers')})([\s.!?]*)$", re.IGNORECASE)
_TAG = re.compile(rf"(?:{_phrases('tags')})", re.IGNORECASE)
_DELIMITER = re.compile(r"((?:(?<!\d),|,(?!\d)|[!?;\n]|\.(?!\w))+[ \t]*)")
"""Where a piece of a sentence ends: a comma not inside a number, an end mark, a full stop not
inside a number or a file name, a line break."""
_SPOKEN_DOT = re.compile(
    rf"(?<![\w.])([A-Za-z][\w-]*)\s+dot\s+({alternation(_TABLE['spoken_extensions'])})\b",
    re.IGNORECASE,
)
_WORD_PLUS = re.compile(r"(?<=[A-Za-z]{2})\s+\+\s+(?=[A-Za-z]{2})")
"""A plus sign between words ("git log + the branches"): "and", not arithmetic."""
_CALQUES: dict[str, str] = _TABLE["calques"]
_CALQUE = re.compile(rf"(?<![\w'])(?:{_phrases('calques')})(?![\w'])", re.IGNORECASE)
"""A phrasing carried over from another language ("please to convert"), read as English."""
_ACKNOWLEDGING = frozenset(_TABLE["acknowledgements"])
_SPACES = re.compile(r"[ \t]{2,}")
_LOOSE_MARK = re.compile(r"[ \t]+([,!?;]|\.(?!\w))")
"""A mark left loose by what was read away before it; ".csv" is an extension, not a mark."""
_DOUBLED_COMMA = re.compile(r",(?:[ \t]*,)+")
_COMMA_BEFORE_END = re.compile(r",[ \t]*([.!?])")
_MARK_THEN_COMMA = re.compile(r"([.!?])[ \t]*,")

_BRACKETED = re.compile(r"(?<![\w)\]])[(\[]\s*(-?\d[\d.,]*%?|[A-Za-z]+)\s*[)\]](?![\w(\[])")
"""One value in brackets, a number or a word ("(5)", "(km)", "[telephone]"); "sqrt(169)",
"(12 + 8)" and "(?P<name>...)" stay."""
_QUOTED_NUMBER = re.compile(
    r"(?<![\w'\"])([\"'“‘«])\s*(-?\d[\d.,]*\s*%?(?:\s*[A-Za-z°/]{1,12})?)\s*([\"'”’»])(?![\w'\"])"
)
"""A number, with its unit or percent sign, in quotes ("'2.5 kg'", '"12.5%"'): a value, not
text to be passed on as written."""


_OTHER_DIGIT = re.compile(r"(?![0-9])\d")
"""A decimal digit of another script (Arabic-Indic "٣", Devanagari "३", full-width "３"):
the same number, which no tool reads until written 0-9."""


def _ascii_digit(m: re.Match[str]) -> str:
    return str(unicodedata.decimal(m.group(0)))


def _pictograph(m: re.Match[str]) -> str:
    """A pictograph between words parts them as a comma would ("time in Tokyo ⏰ and ...",
    "the project 🙂 how do I ..."); at a line's end it is only dropped."""
    rest = m.string[m.end() :].split("\n", 1)[0]
    before = m.string[: m.start()].rsplit("\n", 1)[-1]
    return ", " if re.search(r"[^\W_]", rest) and re.search(r"[^\W_]", before) else " "


def _marks_item(token: str, text: str) -> bool:
    """Whether a bracketed token marks a list's item inside a line ("(a) 13 * 17 (b) ...",
    "(1) what's 144 / 12 and (2) ..."): a letter alone, or a number whose neighbour in the
    count is bracketed too."""
    if len(token) == 1 and token.isalpha():
        return True
    if not token.isdigit():
        return False
    n = int(token)
    return any(re.search(rf"[(\[]\s*{k}\s*[)\]]", text) for k in (n - 1, n + 1) if k > 0)


def unwrapped_values(text: str) -> str:
    """``text`` with a single value taken out of the brackets or quotes around it; a bracket
    opening a line is a list item's mark ("(3) ...") and stays."""

    def bracket(m: re.Match[str]) -> str:
        line_start = text.rfind("\n", 0, m.start()) + 1
        if not text[line_start : m.start()].strip() or _marks_item(m.group(1), text):
            return m.group(0)
        return m.group(1)

    out = _BRACKETED.sub(bracket, text)
    return _QUOTED_NUMBER.sub(lambda m: m.group(2), out)


def unstyled(text: str) -> str:
    """``text`` with its digits written 0-9, without pictographs, speech fillers and stutters, politeness padding, tag
    questions and thanks set off on their own, with file names said aloud written; ``text``
    itself when nothing of this is there or nothing would be left."""
    text = _OTHER_DIGIT.sub(_ascii_digit, text)
    out = _PICTOGRAPH.sub(_pictograph, text)
    out = _SPOKEN_DOT.sub(r"\1.\2", out)
    out = _WORD_PLUS.sub(" and ", out)
    out = _CALQUE.sub(lambda m: _CALQUES[" ".join(m.group(0).lower().split())], out)
    out = _HEDGE_LIKE.sub(r"\1 ", out)
    out = _FILLER.sub(" ", out)
    out = _PADDING.sub(" ", out)
    out = _STUTTER.sub(r"\1", _SPACES.sub(" ", out))
    out = _without_set_off(out)
    out = _CLOSER.sub(lambda m: "?" if "?" in m.group(1) else "", out)
    out = _SPACES.sub(" ", out)
    out = _LOOSE_MARK.sub(r"\1", out)
    out = _COMMA_BEFORE_END.sub(r"\1", _DOUBLED_COMMA.sub(",", out))
    out = _MARK_THEN_COMMA.sub(r"\1", out)
    out = re.sub(r"^[\s,;:.!]+", "", out)
    out = re.sub(r"(?m)^[ \t,;]+(?=\S)", "", out)
    words = re.findall(r"[^\W\d_][\w']*", out.lower())
    if out == text or all(w in _ACKNOWLEDGING for w in words):
        return text  # "ok thanks, that's all": nothing asked either way
    return out.strip(" \t,;") if out.strip(" \t,;") else text


def _without_set_off(text: str) -> str:
    """``text`` without its pieces that are only thanks or an aside ("..., thank you so
    much.", "Much appreciated.") or a tag question after a comma ("..., right?")."""
    pieces = _DELIMITER.split(text)  # text, delimiter, text, delimiter, ..., text
    keep = [True] * len(pieces)
    for i in range(0, len(pieces), 2):
        piece = _APOSTROPHE.sub("'", pieces[i].strip())
        if not piece:
            continue
        before = pieces[i - 1] if i > 0 else ""
        after = pieces[i + 1] if i + 1 < len(pieces) else ""
        tag = (
            before.strip() == ","
            and ("?" in after or not after.strip() or after.strip() == ".")
            and _TAG.fullmatch(piece) is not None
        )
        if not (tag or _SET_OFF.fullmatch(piece)):
            continue
        keep[i] = False
        if before.strip() == "," and i > 0:
            keep[i - 1] = False  # "X, thank you." -> "X."
        elif i + 1 < len(pieces) and "\n" not in after:
            keep[i + 1] = False  # "X? Much appreciated." -> "X? "
    return "".join(p for p, k in zip(pieces, keep, strict=True) if k)
