"""Metamorphic rewrites of planning requests: the same request written another way, same gold.

Each rewrite type (``benchmarks/planning/rewrites.json``) turns a request into another that
keeps its gold plan exactly (targets, keys, dependencies), or returns None where its rule does
not apply (a single-part request has no connective to change, a request without a pointer to an
earlier part no referring word). Only the last turn of a conversation is rewritten. A planner
that plans the original right and the rewrite wrong is fitted to a phrasing, not to the request.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["RULES", "rewrite_all", "rewrites"]

RULES = json.loads(
    (Path(__file__).resolve().parent / "planning" / "rewrites.json").read_text(encoding="utf-8")
)

_QUOTED = re.compile(r"'[^']*'(?!\w)|\"[^\"]*\"")
_FILE = re.compile(r"\b[\w./-]*\w\.(?:txt|md|csv|json|py|toml|yaml|yml|log|cfg|ini)\b", re.I)
_END = re.compile(r"[.?!]+$")


def _protected(text: str) -> list[tuple[int, int]]:
    """Spans a rewrite must leave alone: quotes and file names (values, not words)."""
    return [m.span() for m in _QUOTED.finditer(text)] + [m.span() for m in _FILE.finditer(text)]


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


def _last(record: dict[str, Any]) -> str:
    request = record["request"]
    return request[-1] if isinstance(request, list) else request


def _with(record: dict[str, Any], text: str, kind: str) -> dict[str, Any] | None:
    if text == _last(record) or not text.strip():
        return None
    out = copy.deepcopy(record)
    if isinstance(out["request"], list):
        out["request"][-1] = text
    else:
        out["request"] = text
    out["rewrite"] = kind
    out["original"] = record["id"]
    out["id"] = f"{record['id']}~{kind}"
    return out


def _lower_first(text: str) -> str:
    """A part's first letter lowered to run on after a connective (not 'I', not a quote)."""
    word = text.split(" ", 1)[0]
    if word in {"I", "I'm", "I've", "I'd"} or not word[:1].isalpha() or word.isupper():
        return text
    return text[:1].lower() + text[1:]


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


# ---------------------------------------------------------------- parts and connectives


def _cut(text: str, patterns: list[str]) -> list[str]:
    """``text`` cut at every match of ``patterns`` outside quotes and file names."""
    spans = _protected(text)
    cuts: list[tuple[int, int]] = []
    for pattern in patterns:
        for m in re.finditer(pattern, text, re.I):
            if m.end() > m.start() and not _inside(m.start(), spans) and m.start() > 0:
                cuts.append(m.span())
    cuts.sort()
    parts, at = [], 0
    for a, b in cuts:
        if a < at:
            continue
        parts.append(text[at:a])
        at = b
    parts.append(text[at:])
    return [p.strip() for p in parts]


def _strip_lead(part: str) -> str:
    low = part.lower()
    for lead in sorted(RULES["split"]["leads"], key=len, reverse=True):
        if low.startswith(lead + " ") or low.startswith(lead + ", "):
            return part[len(lead) :].lstrip(" ,")
    return part


_BETWEEN_NUMBERS = re.compile(r"(?<=\d)(,\s+|\s+and\s+)(?=\d)")


def parts_of(record: dict[str, Any]) -> list[tuple[str, str]] | None:
    """The request's parts as (words, end mark), one per gold step, or None if unsure."""
    gold = record["steps"]
    if len(gold) < 2:
        return None
    text = _last(record).strip()
    levels = RULES["split"]["levels"]
    patterns: list[str] = []
    for at, level in enumerate(levels):
        patterns = patterns + level
        parts = [p for p in _cut(text, patterns) if p]
        if len(parts) > len(gold):
            return None
        if len(parts) < len(gold):
            continue
        later = [p for weaker in levels[at + 1 :] for p in weaker]
        if any(_cut(_BETWEEN_NUMBERS.sub(" ", part), later) != [part] for part in parts):
            return None  # a weaker seam inside a part: the cut may be the wrong one
        out = []
        for part, step in zip(parts, gold, strict=True):
            core = _strip_lead(part)
            end = _END.search(core)
            mark = end.group(0)[-1] if end else ""
            core = _END.sub("", core).rstrip(" ,")
            if not core or not all(k.lower() in core.lower() for k in step["keys"]):
                return None
            out.append((core, mark))
        return out
    return None


def _first_word(text: str) -> str:
    return text.strip().split(" ", 1)[0].lower().strip(",:")


def _is_question(text: str) -> bool:
    return _first_word(text) in RULES["wrappers"]["question_leads"]


def _is_command(text: str) -> bool:
    return _first_word(text) in RULES["wrappers"]["command_leads"]


_ITEM_MARK = re.compile(r"(?:^|\s)\(?\d[.)]\s")
_BARE_LEADS = frozenset({"in", "into", "to", "for", "of", "at", "on", "and"})


def _connective(kind: str, rule: dict[str, Any]) -> Callable[[dict[str, Any]], Any]:
    def apply(record: dict[str, Any]) -> dict[str, Any] | None:
        parts = parts_of(record)
        if parts is None:
            return None
        targets = [set(s["targets"]) for s in record["steps"]]
        if any(t & set(rule.get("not_between", [])) for t in targets):
            return None
        if rule.get("only_commands") and any(_is_question(p) or m == "?" for p, m in parts):
            return None
        style = rule["style"]
        if _ITEM_MARK.search(_last(record)):
            return None  # "(1) ..., (2) ...": already numbered, its marks would stay inside
        if style != "inline" and any(_first_word(p) in _BARE_LEADS for p, _ in parts[1:]):
            return None  # "2) in London": a part of a few words on its own line reads as none
        if style == "inline":
            words = [parts[0][0]] + [_lower_first(p) for p, _ in parts[1:]]
            text = rule["join"].join(words) + parts[-1][1]
        elif style == "sentences":
            text = rule["join"].join(
                (_upper_first(p) if i else p) + (m or ("?" if _is_question(p) else "."))
                for i, (p, m) in enumerate(parts)
            )
            if rule["join"].strip().endswith(","):  # "Next, what is ..." reads lowered
                head, *rest = text.split(rule["join"])
                text = rule["join"].join([head] + [_lower_first(r) for r in rest])
        elif style == "lines":
            text = "\n".join(rule["line"].format(part=p + m) for p, m in parts)
        else:
            text = rule["sep"].join(
                rule["item"].format(n=i + 1, part=p + m) for i, (p, m) in enumerate(parts)
            )
        return _with(record, text, f"conn:{kind}")

    return apply


# ---------------------------------------------------------------- referring words


def _reference(kind: str, rule: dict[str, Any]) -> Callable[[dict[str, Any]], Any]:
    refs = RULES["references"]
    follow = sorted(refs["follow"], key=len, reverse=True)

    def apply(record: dict[str, Any]) -> dict[str, Any] | None:
        gold = record["steps"]
        pointed = {d for s in gold for d in s["depends_on"]}
        if not pointed:
            return None
        if rule.get("only_numbers") and not all(
            set(gold[d]["targets"]) & set(refs["number_targets"]) for d in pointed
        ):
            return None
        text = _last(record)
        spans = _protected(text)
        finds = "|".join(re.escape(f) for f in sorted(refs["find"], key=len, reverse=True))
        for m in re.finditer(rf"\b(?:{finds})\b", text, re.I):
            if m.start() == 0 or _inside(m.start(), spans):
                continue
            before = text[: m.start()].split()
            if before and before[-1].lower().strip(",") in refs["not_after"]:
                continue
            after = text[m.end() :].lstrip()
            ok = (
                not after
                or after[0] in ".?!,;:"
                or any(re.match(rf"{re.escape(f)}\b", after, re.I) for f in follow)
            )
            if not ok:
                continue
            if m.group(0).lower() == rule["words"]:
                return None
            return _with(record, text[: m.start()] + rule["words"] + text[m.end() :], f"ref:{kind}")
        return None

    return apply


# ---------------------------------------------------------------- wrappers, case, marks


def _wrapper(kind: str, template: str, group: str) -> Callable[[dict[str, Any]], Any]:
    def apply(record: dict[str, Any]) -> dict[str, Any] | None:
        text = _last(record).strip()
        if isinstance(record["request"], list) and "{r}" not in template:
            return None  # a follow-up is not greeted anew ("hey, and in London?"); thanked, it is
        question = _is_question(text)
        if (group == "question" and not question) or (group == "command" and not _is_command(text)):
            return None
        bare = text
        if group == "command":
            bare = _END.sub("", text) + ("?" if kind in {"could_you", "can_you_please"} else ".")
        ended = text if _END.search(text) else f"{text}."  # "Hi! Japan currency. Thanks."
        wrapped = template.format(q=_lower_first(bare), r=text, R=_upper_first(ended))
        return _with(record, wrapped, f"wrap:{kind}")

    return apply


def _case(upper: bool) -> Callable[[dict[str, Any]], Any]:
    def apply(record: dict[str, Any]) -> dict[str, Any] | None:
        text = _last(record)
        spans = _protected(text)
        out = "".join(
            c if _inside(i, spans) else (c.upper() if upper else c.lower())
            for i, c in enumerate(text)
        )
        return _with(record, out, "case:upper" if upper else "case:lower")

    return apply


_NUMERIC_COMMA = re.compile(r"(?<=\d),(?=\s*-?\d)")


def _marks(kind: str) -> Callable[[dict[str, Any]], Any]:
    def apply(record: dict[str, Any]) -> dict[str, Any] | None:
        text = _last(record).rstrip()
        end = _END.search(text)
        if kind == "drop_end":
            out = text[: end.start()] if end else text
        elif kind == "double_end":
            out = text + end.group(0)[-1] if end else text
        elif kind == "question_marks":
            out = (text[: end.start()] if end else text) + "???" if _is_question(text) else text
        else:
            spans = _protected(text)
            keep = {m.start() for m in _NUMERIC_COMMA.finditer(text)}
            chars = []
            for i, c in enumerate(text):
                drop = c in ".?!,;" and not _inside(i, spans) and i not in keep
                if c == "." and 0 < i < len(text) - 1 and text[i + 1].isalnum():
                    drop = False  # inside a number or a name: 26.2, e.g
                chars.append("" if drop else c)
            out = re.sub(r" {2,}", " ", "".join(chars)).strip()
        return _with(record, out, f"punct:{kind}")

    return apply


# ---------------------------------------------------------------- numbers

_WHOLE = re.compile(r"(?<![\w.,/:$%^*+-])(\d{1,3}(?:,\d{3})+|\d+)(?![\w.,/:%]|\s*[*/^+-]|,\d)")


def _expression_near(text: str, a: int, b: int) -> bool:
    """A number in an expression ("17 * 23", "2 - 1") is written as digits."""
    left = text[max(0, a - 3) : a]
    return bool(re.search(r"[*/^+=-]\s*$", left))


_AMBIGUOUS = re.compile(r"\s+and\s+\d")
_YEAR = re.compile(r"\b(?:before|after|since|until|in|year)\s+$", re.I)


def _numbers(kind: str) -> Callable[[dict[str, Any]], Any]:
    words = RULES["numbers"]["words"]

    def form(digits: str) -> str | None:
        plain = digits.replace(",", "")
        value = int(plain)
        if kind == "thousands_commas":
            if "," in digits:
                return plain
            return f"{value:,}" if value >= 1000 else None
        if kind == "k_suffix":
            return f"{value // 1000}k" if 1000 <= value < 10**6 and value % 1000 == 0 else None
        return words.get(plain) if plain == str(value) else None

    def apply(record: dict[str, Any]) -> dict[str, Any] | None:
        text = _last(record)
        spans = _protected(text)
        out, at, changed = [], 0, False
        for m in _WHOLE.finditer(text):
            if _inside(m.start(), spans) or _expression_near(text, *m.span()):
                continue
            new = form(m.group(1))
            if new is None or _AMBIGUOUS.match(text, m.end()) or _YEAR.search(text[: m.start()]):
                continue  # "a hundred and 200", "before 2k": another number or a year
            out.append(text[at : m.start()] + new)
            at, changed = m.end(), True
        if not changed:
            return None
        return _with(record, "".join(out) + text[at:], f"num:{kind}")

    return apply


def rewrites() -> dict[str, Callable[[dict[str, Any]], dict[str, Any] | None]]:
    """Every rewrite type by name (``family:kind``), each a record -> record or None."""
    out: dict[str, Callable[[dict[str, Any]], dict[str, Any] | None]] = {}
    for kind, rule in RULES["connectives"].items():
        if not kind.startswith("_"):
            out[f"conn:{kind}"] = _connective(kind, rule)
    for kind, rule in RULES["references"]["replace_with"].items():
        out[f"ref:{kind}"] = _reference(kind, rule)
    for group in ("command", "question", "any"):
        for kind, template in RULES["wrappers"][group].items():
            out[f"wrap:{kind}"] = _wrapper(kind, template, group)
    out["case:lower"], out["case:upper"] = _case(False), _case(True)
    for kind in ("drop_end", "drop_all", "double_end", "question_marks"):
        out[f"punct:{kind}"] = _marks(kind)
    for kind in ("thousands_commas", "k_suffix", "words"):
        out[f"num:{kind}"] = _numbers(kind)
    return out


def rewrite_all(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every applicable rewrite of every record, in record then rule order."""
    rules = rewrites()
    out = []
    for record in records:
        for rule in rules.values():
            new = rule(record)
            if new is not None:
                out.append(new)
    return out
