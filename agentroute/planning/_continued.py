"""A part that goes on with a declined part: declined with it, not the catch-all's.

"look at this photo and tell me what breed my dog is", "dm Priya on Slack and ask for the
slides": the first part needs what no target offers (a sense, an act, the user's own data,
not live data: "show it to me" after a meeting of yesterday may be a file's) and is
declined; the second, alone, reads as a question or a message anyone could answer, so the
general expert took it and would invent what it never saw. It asks of the same photo, or says what the
message is: it goes with the part before it. Which openings and words carry on is data
(``needs.json``: ``continuing_leads``, ``continuing_refs``).
"""

from __future__ import annotations

import json
import re
from importlib import resources

__all__ = ["continues_declined"]

_TABLES = json.loads(resources.files("agentroute.text").joinpath("needs.json").read_text("utf-8"))
_LEADS = sorted(_TABLES["continuing_leads"], key=len, reverse=True)
_REFS = re.compile(
    r"\b(?:" + "|".join(re.escape(w) for w in _TABLES["continuing_refs"]) + r")\b", re.I
)
_AND = re.compile(r"^\W*(?:and|then|also|and then)\s+", re.I)


def continues_declined(clause: str) -> bool:
    """Whether ``clause``, coming right after a part declined for an act, the user's own
    data or a sense, goes on with it: it opens with a word of saying or asking on ("say
    yes", "ask for the slides", "tell me what breed it is") or refers back ("its name")."""
    text = _AND.sub("", clause.strip()).lower()
    if any(text == lead or text.startswith(lead + " ") for lead in _LEADS):
        return True
    return _REFS.search(text) is not None
