"""A name no one knows: what a clause asks about is no word of any vocabulary the agent has.

Why: "what's the capital of Zembria", "who is Baron Feltzmoor", "convert 5 blorps to metres"
went to the general expert or a tool, which would invent an answer or fail; nothing the agent
holds knows the name, so the honest answer is to decline. A name is unknown when each of its
words (titles and kinds of place aside: ``name_titles.txt``) is none of: a word of the
embedding model's vocabulary, of the targets' own texts or of an English word list
(``english/``: rare words too, "quokka"), that word inflected ("octopuses") or two of them
run together ("sourdough"), a one-slip typo of one ("inventer"), a name of the world the
vocabulary lacks (``world_names.txt``: countries, cities, lakes) or a time-zone place. A word
only the English list has counts for less, as the list holds names too: a name whose other
words are unknown ("Professor Alaric Fenwright"), a capitalised word that is two words run
together ("Port Ashgrove") and a unit ("12 quibbles") are still unknown. What is checked is
what the clause names: capitalised runs past its first word, the object of "who invented the
...", and a lower-case word right after a kind noun ("the river plovna", "the package
flumpdrive") or after a number ("5 blorps").
"""

from __future__ import annotations

import importlib
import mimetypes
import re
import shutil
import sys
import zoneinfo
from collections.abc import Callable
from functools import cache

from agentroute.text._entities import asked_object, named_entities
from agentroute.text._lexicon import STOP_WORDS, alternation, cue_table, english_words, word_list
from agentroute.text._shapes import KIND_NOUNS, shaped_names
from agentroute.text._spelling import _starting, _table_words, distance
from agentroute.text._std_members import missing_member
from agentroute.text._variables import undefined_variable

__all__ = ["UnknownNames", "code_attribute"]

_WORLD = word_list("agentroute.text", "world_names.txt")
_TITLES = word_list("agentroute.text", "name_titles.txt")
_COMPOSING = word_list("agentroute.text", "composing_leads.txt")
_PREFIXES = tuple(sorted(word_list("agentroute.text", "unit_prefixes.txt"), key=len, reverse=True))
_REAL = word_list("agentroute.text", "plain_word_places.txt")
_KNOWN_SOFTWARE = word_list("agentroute.text", "software_names.txt")
_UNITS = word_list("agentroute.text", "unit_names.txt")


@cache
def _packaged() -> frozenset[str]:
    """Software Debian packages (``software/packaged.txt``, 16,000 names): read only when a
    clause names software after its kind noun. Kept out of the package's own word tables,
    which count as English: "zorp" is a package, not a word that makes a place name real."""
    return word_list("agentroute.text", "software/packaged.txt")


def _english() -> frozenset[str]:
    """English words (``english_words``). Read only when a word is in no smaller vocabulary.
    Only a whole word counts: a slip of one or two run together make no name real, as most
    made-up names are."""
    return english_words()


_COUNTRY_WORDS = word_list("agentroute.text", "country_names.txt")
_TABLE = cue_table("unknown_names.json")
_COUNTRY_ASKS = alternation(_TABLE["country_attributes"])
_LEADS = frozenset(cue_table("effects.json")["request_lead_ins"])
"""Words that lead into a request ("please", "can you", "I need to"): the act comes after."""
_SPOKEN = r"(?:language|languages)\s+(?:do|does|is|are)\s+(?:\w+\s+){0,2}(?:speak|spoken|use|used)"
""""what language do people speak in ...": a country's language asked in more words."""
_KINDS = KIND_NOUNS | frozenset(_TABLE["place_kinds"])
_NAMED_KINDS = frozenset(_TABLE["named_kinds"])
_SOFTWARE = frozenset(_TABLE["software_kinds"])
_POLITIES = frozenset(w for p in _TABLE["polities"] for w in p.split())
_POLITY_OF = re.compile(rf"^(?:the\s+)?(?:{alternation(_TABLE['polities'])})\s+of\s+", re.I)
_REPUBLIC_AFTER = re.compile(r"^(?:the\s+)?[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)+\s+Republic$")
""""the Federation of Silver Pines", "Glass Mountain Republic": a state named by its title."""
_SOFTWARE_AFTER = re.compile(
    rf"\b(?:{alternation(_SOFTWARE)})\s+([a-z][a-z0-9_]{{3,}})\b(?![.\w-])", re.I
)
""""the module quantumyaml", "the pip package turbocsvx": a name after its kind noun."""
_INSTALLED = re.compile(
    rf"\b(?:(?:{alternation(_TABLE['install_commands'])})\s+install"
    r"|man(?:ual)?\s*pages?\s+(?:for|of|on))\s+(?:the\s+)?([a-z][a-z0-9_]{3,})\b(?![.\w-])",
    re.I,
)
""""pip install pyzorblex", "the man page for grepzilla": software named by how it is
installed or documented."""
_LETTERS = re.compile(r"[a-z]+")
_UPPER = re.compile(r"\b[A-Z][a-z]+\b")
_AFTER_ARTICLE = re.compile(r"(?<![\w'-])(?:a|an|the)\s+([a-z]{9,})\b(?![.\w'-])")
""""a snorfleback", "the zentrovic effect": a lower-case thing named after its article, nine
letters or more (shorter ones missing from the English list are often jargon: "segfault")."""
_LOWER_TERM = re.compile(r"(?<![\w'./:-])([a-z]+)(?![\w'./:(-])")
"""A lower-case word standing alone: not part of an identifier, path, call or hyphenation."""
_ALPHABET = "abcdefghijklmnopqrstuvwxyz"
_ENDINGS = ("'s", "es", "s", "ed", "ing", "ers", "er", "ies")
_AFTER_KIND = re.compile(r"\b([a-z]+)\s+(?=([a-z][a-z'-]{3,})\b)")
_CAPITALISED = re.compile(r"[A-Z][\w'-]*(?:\s+(?:of\s+(?:the\s+)?|the\s+)?[A-Z][\w'-]*)*")
"""A name written as one: every word capitalised ("Copperfield City", "Treaty of Greenhollow",
"Kingdom of the Silver Reach")."""
_TITLED = re.compile(
    r"(?<![\w'-])([A-Z][\w'-]*(?:\s+(?:of\s+(?:the\s+)?|the\s+)?[A-Z][\w'-]*)*)(?:\s+([a-z]+))?"
)
"""A capitalised name and the lower-case word after it ("the Glass Mountain treaty")."""
_OF_THE = re.compile(r"\s+of\s+(?:the\s+)?")
_NAME_WORDS = word_list("agentroute.text", "name_making_words.txt")
_REAL_NAMES = word_list("agentroute.text", "plain_word_names.txt")
_OBJECT = re.compile(r"\b(?:of|how\s+many)\s+(?:the\s+)?([a-z]{4,})\b")
_AFTER_NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?\s*([a-z]{4,})\s+(?:to|in|into|as)\b")
"""A quantity converted ("5 blorps to metres"): its unit is a name ("1,320 raffle tickets"
names no unit)."""
_MEASURE = r"(?:(?:cubic|square)\s+)?([a-z]{4,})"
_UNIT_SLOTS = re.compile(
    rf"(?<![\w.])\d+(?:\.\d+)?\s*{_MEASURE}(?=\s+(?:to|in|into|as|per)\b|\s*[?.!]*\s*$)"
    rf"|\bhow\s+many\s+{_MEASURE}\s+(?:are|is|make|fit|go)\b"
    rf"|(?<![\w.])\d+(?:\.\d+)?\s*[a-z]+\s+(?:to|in|into)\s+{_MEASURE}\s*[?.!]*\s*$"
)
"""Where a conversion writes its units: after a number ("5 florbs to metres", "2 dorvals"),
after "how many" ("how many snargs are in a gallon") and as the unit converted to."""


def _one_slip(word: str, words: frozenset[str]) -> bool:
    """Whether ``word`` is one letter dropped, added, changed or two swapped from a word of
    ``words`` (the edits of ``word`` looked up: a scan of 150,000 words would be slow)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    edits = {a + b[1:] for a, b in splits if b}
    edits |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    edits |= {a + c + b[1:] for a, b in splits if b for c in _ALPHABET}
    edits |= {a + c + b for a, b in splits for c in _ALPHABET}
    return not edits.isdisjoint(words)


@cache
def _installed() -> frozenset[str]:
    """Python's standard-library modules and the distributions installed here, normalised
    ("typing_extensions" and "typing-extensions" alike)."""
    from importlib import metadata

    names = {n.lower() for n in sys.stdlib_module_names}
    for dist in metadata.distributions():
        name = str(dist.name or "")
        names.add(re.sub(r"[-_.]+", "", name.lower()))
    return frozenset(names | {re.sub(r"[-_.]+", "", n) for n in names})


def real_software(name: str) -> bool:
    """Whether ``name`` is a module, distribution or command this machine has."""
    low = name.lower()
    return (
        low in _installed() or re.sub(r"[-_.]+", "", low) in _installed() or bool(shutil.which(low))
    )


_DOTTED = re.compile(r"(?<![\w./-])([A-Za-z_]\w*)((?:\.[A-Za-z_]\w*)+)(?![\w/-]|\.\w)")
"""A dotted name written as code: "str.partition", "os.path.join", "numpy.argsort"."""
_BUILTIN_TYPES = {t.__name__: t for t in (str, list, dict, set, tuple, int, float, bytes,
                  bytearray, frozenset, complex, range, object)}  # fmt: skip
_FILE_ENDINGS = frozenset(cue_table("styles.json")["spoken_extensions"]) | frozenset(
    e.lstrip(".") for e in mimetypes.types_map
)
"""Endings of files' names ("agentroute.toml", "report.pdf"): a file, no attribute."""
_NEVER_IMPORTED = frozenset(
    {"antigravity", "this", "idlelib", "tkinter", "turtle", "turtledemo", "readline", "rlcompleter"}
)
"""Standard modules whose import does something (opens a browser, prints, needs a display,
rebinds the terminal's line editing under a running chat)."""


def _module(head: str) -> object | None:
    """The module or builtin type ``head`` names: a builtin type, a standard module (imported
    if it is not yet), or a module already imported here (a distribution is never imported
    only to be asked of)."""
    if head in _BUILTIN_TYPES:
        return _BUILTIN_TYPES[head]
    if head in sys.modules:
        return sys.modules[head]
    if head not in sys.stdlib_module_names or head in _NEVER_IMPORTED or head.startswith("_"):
        return None
    try:
        return importlib.import_module(head)
    except Exception:  # a module this platform lacks ("winreg" on Linux)
        return None


def missing_attribute(clause: str) -> str | None:
    """A function or method ``clause`` names on a real Python module or type that it does not
    have ("str.unfurl()", "numpy.wobble", "os.path.flurbify"): made-up code, which a coding
    expert would explain as if it existed. A file's name ("notes.txt", "agentroute.toml")
    names no attribute: only a module or type found here is asked of."""
    foreign = missing_member(clause)  # "Array.prototype.scramble": no runtime here to ask
    if foreign is not None:
        return foreign
    for m in _DOTTED.finditer(clause):
        head, parts = m.group(1), m.group(2).strip(".").split(".")
        if parts[-1].lower() in _FILE_ENDINGS:
            continue
        found = _module(head)
        if found is None:
            continue
        for part in parts:
            if not hasattr(found, part):
                return m.group(0)
            found = getattr(found, part)
    return None


def code_attribute(clause: str) -> str | None:
    """A function or method ``clause`` names on a real Python module or type that has it
    ("str.strip", "os.path.join"): code asked about, not a file of that name."""
    for m in _DOTTED.finditer(clause):
        head, parts = m.group(1), m.group(2).strip(".").split(".")
        found = _module(head)
        if found is None or parts[-1].lower() in _FILE_ENDINGS:
            continue
        for part in parts:
            found = getattr(found, part, None)
            if found is None:
                break
        else:
            return m.group(0)
    return None


def _software(word: str) -> bool:
    """Whether ``word`` is widely used or packaged software, or software this machine has:
    "the fzf command" is real on a machine without fzf."""
    return word in _KNOWN_SOFTWARE or word in _packaged() or real_software(word)


def _unit_name(word: str) -> bool:
    """Whether ``word`` is a unit of ``unit_names.txt``, plural or with a prefix of measure
    ("fortnights", "kiloparsecs")."""
    stems = {word, word.removesuffix("s"), word.removesuffix("es"), word.removesuffix("ies") + "y"}
    stems |= {s[len(p) :] for s in stems for p in _PREFIXES if s.startswith(p)}
    return not stems.isdisjoint(_UNITS)


@cache
def _places() -> frozenset[str]:
    """The places of the time-zone database's names ("America/Argentina/Buenos_Aires")."""
    out: set[str] = set()
    for zone in zoneinfo.available_timezones():
        out.update(_LETTERS.findall(zone.lower()))
    return frozenset(out)


class UnknownNames:
    """Tells the names a clause asks about that no vocabulary knows."""

    def __init__(self, words: frozenset[str], vocabulary: frozenset[str]) -> None:
        """``words``: a general English vocabulary (the embedding model's); ``vocabulary``:
        every word of the targets' own texts."""
        self.words = words
        self.vocabulary = vocabulary | _table_words()
        self._seen: dict[str, bool] = {}
        self._by_start = _starting(words)  # shared with the speller's, built once per vocabulary
        self._own_by_start = _starting(self.vocabulary)

    def known(self, word: str) -> bool:
        return word in self.words

    def _is_known(self, word: str, *, rare: bool = True) -> bool:
        if self.plain_word(word, rare=rare) or self._two_words(word):  # "sourdough", "postcode"
            return True
        limit = 1 if len(word) < 9 else 2
        return any(distance(word, w, limit) <= limit for w in self._by_start.get(word[:1], ()))

    def plain_word(self, word: str, *, rare: bool = True) -> bool:
        """Whether ``word`` is itself a word or name some vocabulary has (a stem with an
        ending or a unit prefix too), not only two words run together or a slip of one:
        "Greenhollow", "Bellweather" read as "green hollow", "bell weather", which names
        nothing; "Sunderland", "Reykjavik" are names of their own. ``rare``: a word of the
        English list (``english/english_words.txt.gz``) counts too ("quokka")."""
        if len(word) < 4 or word in STOP_WORDS or word in _TITLES or word in _WORLD:
            return True
        if self.known(word) or word in self.vocabulary or word in _places():
            return True
        if rare and word in _english():  # "quokka", "theremin": in no smaller vocabulary
            return True
        for ending in _ENDINGS:  # "octopuses", "germanium"-like endings on a known stem
            stem = word.removesuffix(ending)
            if stem != word and len(stem) >= 3 and (self.known(stem) or self.known(stem + "e")):
                return True
        # "gigabytes", "milliseconds"
        return any(word.startswith(p) and self.known(word[len(p) :]) for p in _PREFIXES)

    def run_together(self, word: str) -> bool:
        """Whether ``word`` is no word or name of its own, only two known words run together
        ("brightwater", "bellweather"). The English list does not tell: it holds names too
        ("silverlake", "stonebridge"), and names made of two words are how they are made up."""
        return not self.plain_word(word, rare=False) and self._two_words(word)

    def _two_words(self, word: str) -> bool:
        """Whether ``word`` reads as two known words run together."""
        return any(self.known(word[:i]) and self.known(word[i:]) for i in range(4, len(word) - 3))

    def known_word(self, word: str) -> bool:
        """Whether ``word`` (lower case) is a word or name some vocabulary has."""
        if word not in self._seen:
            if len(self._seen) > 4096:
                self._seen.clear()
            self._seen[word] = self._is_known(word)
        return self._seen[word]

    def rare_only(self, word: str) -> bool:
        """Whether ``word`` is known only to the English list: a real word ("theremin"), or a
        given name ("Alaric"), which a made-up person has as well as a real one."""
        return not self._is_known(word, rare=False) and word in _english()

    def _made_name(self, word: str, of: int = 1) -> bool:
        """Whether ``word`` is known to the English list only and is two words run together
        ("ashgrove", "copperfield"): the list holds such names of real places and people,
        but a capitalised one is how names are made up ("Port Ashgrove"). In a name of ``of``
        words, two or more, a word that no list has at all, only as two words run together,
        is made too ("Halvard Emberline"), where a real one has its own entry ("Copperfield")."""
        split = any(self.known(word[:i]) and self.known(word[i:]) for i in range(3, len(word) - 2))
        if of > 1 and self.run_together(word) and word not in _english():
            return True
        return split and self.rare_only(word)

    def _unknown_words(self, words: list[str], capitalised: frozenset[str]) -> bool:
        """Whether a name of ``words`` is one no vocabulary knows: none of its words is known
        (a ``capitalised`` word the English list has only as two words run together is not),
        or those known are known to the English list only and another is not ("Professor
        Alaric Fenwright": a given name and a surname nothing has)."""
        known = [
            w
            for w in words
            if self.known_word(w) and not (w in capitalised and self._made_name(w, len(words)))
        ]
        if not known:
            return True
        return len(known) < len(words) and all(self.rare_only(w) for w in known)

    def names(self, clause: str) -> list[str]:
        """What ``clause`` names: capitalised runs, the object asked about, a word after a
        kind noun, a number, "of" or "how many"."""
        out = [n for n in named_entities(clause) if " " in n or n[:1].isupper()]
        asked = asked_object(clause)
        if asked:
            out.append(asked)
        low = clause.lower()
        out += [m.group(2) for m in _AFTER_KIND.finditer(low) if m.group(1) in _KINDS]
        out += [m.group(1) for m in _AFTER_NUMBER.finditer(low)]
        out += [m.group(1) for m in _OBJECT.finditer(low)]
        return out

    def unknown(
        self,
        clause: str,
        also: Callable[[str], bool] | None = None,
        writes: Callable[[str], bool] | None = None,
    ) -> str | None:
        """The first name ``clause`` asks about whose every word (titles aside) is unknown;
        ``also``: words known elsewhere (a knowledge base's passages); ``writes``: whether a
        name is written whole elsewhere (then a name made of plain words is not judged by
        its words apart). A request to compose something ("write a Dockerfile") asks about
        no name."""
        words = _LETTERS.findall(clause.lower())
        first = next((w for w in words if w not in _LEADS), "")
        if first in _COMPOSING:
            return None
        software = self.made_up_software(clause, also)  # "the <name> command": a name too
        if software is not None:
            return software
        unit = self.made_up_unit(clause, also)
        if unit is not None:
            return unit
        variable = undefined_variable(clause)  # "what's x plus 3": a value no one gave
        if variable is not None:
            return variable
        for name in self.names(clause):
            words = [w for w in _LETTERS.findall(name.lower()) if w not in _TITLES]
            if not words or (len(words) == 1 and (_software(words[0]) or _unit_name(words[0]))):
                continue  # "the python module itertools", "2 fathoms": no vocabulary has, real
            capitalised = frozenset(w.lower() for w in _UPPER.findall(name))
            if self._unknown_words(words, capitalised):
                if also is None or not any(also(w) for w in words):
                    return name
                continue
            # "Port Silverlake", "the Kingdom of Westmarch": a place named by one word, titles
            # and kinds of place aside, that is no word or name of its own, only known words
            # run together ("silver lake"), which is how names are made up (a person's
            # surname may be one: "David Copperfield" keeps its given name)
            made_up = len(words) == 1 and self.run_together(words[0])
            if made_up and _CAPITALISED.fullmatch(name) and (also is None or not also(words[0])):
                return name
            if self._no_country(clause, name, words, also):
                return name
            coined = self._coined_part(name, words)
            if coined is not None and (also is None or not also(coined)):
                return name
        word = self.made_up_word(clause, also) or self.made_up_term(clause, also)
        return word or self.made_up_state(clause, also) or self.made_up_title(clause, also, writes)

    def _coined_part(self, name: str, words: list[str]) -> str | None:
        """The word of a capitalised name of two words or more (titles aside) that is no word
        or name of any list, not even the English one, nor one slip from a word the targets
        write: "Ingrid Falkenmoor", "Quantaflux Industries", "Glimmerdeck Pro". A known given
        name or a kind ("Industries", "Pro") does not make the whole real; real people and
        firms a model knows are in the English list ("Noether", "Kahlo", "Nvidia"), and a
        base that writes the word keeps it (the caller asks). ``None``: no such word."""
        if len(words) < 2 or not _CAPITALISED.fullmatch(name.removeprefix("the ")):
            return None
        for word in words:
            if len(word) < 5 or self.plain_word(word):
                continue
            own = self._own_by_start.get(word[:1], ())
            if any(distance(word, w, 1) <= 1 for w in own):
                continue  # "Albert Einstien": a slip of a name the targets write
            return word
        return None

    def made_up_term(self, clause: str, also: Callable[[str], bool] | None = None) -> str | None:
        """A lower-case word of nine letters or more past the clause's first that is no word
        of any list, nor a slip of one, nor two words run together, nor software or a unit:
        a made-up thing asked about as a real one is ("the chemical symbol for zentronium",
        "is drakonium a metal"). Shorter unknown words are often jargon ("segfault")."""
        for m in _LOWER_TERM.finditer(clause):
            word = m.group(1)
            if (
                m.start() == 0
                or len(word) < 9
                or self.known_word(word)
                or _software(word)
                or _unit_name(word)
            ):
                continue
            if _one_slip(word, _english()) or (also is not None and also(word)):
                continue
            return word
        return None

    def made_up_word(self, clause: str, also: Callable[[str], bool] | None = None) -> str | None:
        """A lower-case thing ``clause`` names after an article that is no word at all ("what
        is a snorfleback used for", "explain the zentrovic effect"): in no vocabulary, not even
        the English list, nor one slip from a word of it ("pangoline"), nor two words run
        together, nor software or a unit. ``also``: words known elsewhere."""
        for m in _AFTER_ARTICLE.finditer(clause):
            word = m.group(1)
            if self.known_word(word) or _software(word) or _unit_name(word):
                continue
            if _one_slip(word, _english()):
                continue
            if also is None or not also(word):
                return word
        return None

    def made_up_place(self, clause: str, also: Callable[[str], bool] | None = None) -> str | None:
        """A name no vocabulary knows that ``clause`` asks what only a country has of ("what
        language do people speak in Kwendaria"): a specialist expert (a translator, for the
        language) does not know it either; its field's own names ("pytest") are no country."""
        if re.search(rf"\b(?:{_COUNTRY_ASKS}|{_SPOKEN})\b", clause, re.I) is None:
            return None
        return self.unknown(clause, also)

    def made_up_title(
        self,
        clause: str,
        also: Callable[[str], bool] | None = None,
        writes: Callable[[str], bool] | None = None,
    ) -> str | None:
        """A thing ``clause`` names by a kind and plain words only ("the Glass Mountain
        treaty", "the Order of the Crimson Lantern", "the Velvet Protocol", "Blue Harbor"):
        every word but the kind is one names are made from (``name_making_words.txt``), and
        no list of real names has it (``plain_word_places.txt``, ``plain_word_names.txt``).
        Every word is English, so no vocabulary tells it; a general expert would invent its
        terms. ``writes``: whether a base writes the name whole, which keeps it; without it,
        ``also``: words known elsewhere (a base that writes them all keeps it). A base that
        writes "order", "quiet" and "river" apart holds no "Order of the Quiet River"."""
        for m in _TITLED.finditer(clause):
            after = m.group(2) or ""
            # "Queen Rosalind of the Amber Coast": the place after "of" is a name too
            for run in {m.group(1), *_OF_THE.split(m.group(1))[1:]}:
                name = self._titled(run, after, m.start() == 0)
                if name is None:
                    continue
                if writes is not None:
                    if not writes(re.sub(r"^(?:the|The)\s+", "", name[0])):
                        return name[0]
                elif also is None or not all(also(w) for w in name[1]):
                    return name[0]  # a base writing its kind and every plain word keeps it
        return None

    @staticmethod
    def _titled(run: str, after: str, first: bool) -> tuple[str, list[str]] | None:
        """``run`` (and the lower-case word after it) as a name of a kind made of plain
        words only, with those words; ``None`` when it is not one or is a real one."""
        words = _LETTERS.findall(run.lower())
        if first and len(words) > 1 and words[0] in STOP_WORDS:
            words = words[1:]  # "Where is ...": the clause's first word
        if after in _NAMED_KINDS or after in _POLITIES:
            name, said = [*words, after], f"{run} {after}"
        elif (len(words) > 2 and words[0] in _NAMED_KINDS and words[1] == "of") or (
            len(words) > 1 and (words[-1] in _NAMED_KINDS or words[-1] in _POLITIES)
        ):
            name, said = words, run
        else:
            return None
        if " ".join(name) in _REAL or " ".join(name) in _REAL_NAMES or " ".join(name) in _WORLD:
            return None
        kinds = _NAMED_KINDS | _POLITIES
        plain = [w for w in name if w not in kinds and w not in STOP_WORDS]
        if not plain or not all(w in _NAME_WORDS for w in plain):
            return None
        return said, [*plain, *(w for w in name if w in kinds)]

    def made_up_unit(self, clause: str, also: Callable[[str], bool] | None = None) -> str | None:
        """A unit ``clause`` converts that is no word of its own: "5 florbs", "how many
        trunkfeet make a yard". A slip is forgiven only of a word the targets write ("5
        kilometrs": the converter's own "kilometres"), not of any English word ("florbs" is
        one letter from "floors", which measures nothing); known words run together are no
        unit ("trunkfeet"). ``also``: words known elsewhere (a knowledge base's passages)."""
        for m in _UNIT_SLOTS.finditer(clause.lower()):
            word = next(g for g in m.groups() if g)
            # a rare English word is no unit either ("12 quibbles in kilograms")
            if self.plain_word(word, rare=False) or _unit_name(word) or _software(word):
                continue
            limit = 1 if len(word) < 9 else 2
            own = self._own_by_start.get(word[:1], ())
            if any(distance(word, w, limit) <= limit for w in own):
                continue
            if also is None or not also(word):
                return word
        return None

    def made_up_state(self, clause: str, also: Callable[[str], bool] | None = None) -> str | None:
        """A state ``clause`` names by its title and plain words only ("the Republic of
        Oakland Hills"), which no list of the world has: no specialist knows it either."""
        for run in _CAPITALISED.finditer(clause):  # the name whole, title and all
            name = run.group(0)
            plain = [
                w
                for w in _LETTERS.findall(name.lower())
                if w not in _TITLES and w not in STOP_WORDS and w not in _POLITIES
            ]
            if self._plain_polity(name, plain, also):
                return name
        return None

    def _plain_polity(
        self, name: str, words: list[str], also: Callable[[str], bool] | None
    ) -> bool:
        """Whether ``name`` is a state named by its title and plain words only ("the
        Republic of Oakland Hills", "Glass Mountain Republic"), which the world does not
        list: a made-up state, whatever is asked of it (its founder, its population)."""
        if not (_POLITY_OF.match(name) or _REPUBLIC_AFTER.fullmatch(name)):
            return False
        said = " ".join(_LETTERS.findall(name.lower())).removeprefix("the ")
        if said in _REAL or said in _WORLD or not words:
            return False
        if any(w in _WORLD or w in _COUNTRY_WORDS for w in words) or " ".join(words) in _places():
            return False  # "the Republic of Korea", "the Kingdom of Hawaii"
        return also is None or not all(also(w) for w in words)

    def made_up_software(
        self, clause: str, also: Callable[[str], bool] | None = None
    ) -> str | None:
        """The name of software ``clause`` asks about ("the flarnish command", "the python
        module quantumyaml") that nothing knows: it is no word of any vocabulary (a slip or
        two words run together are not enough: "quibbleworks" names nothing), no widely used
        software of ``software_names.txt``, and no standard module, installed distribution or
        command here. ``also``: words known elsewhere (a knowledge base's passages)."""
        marked = [
            n.text for n in shaped_names(clause) if n.shape == "marked" and n.noun in _SOFTWARE
        ]
        marked += [m.group(1) for m in _SOFTWARE_AFTER.finditer(clause)]
        marked += [m.group(1) for m in _INSTALLED.finditer(clause)]
        for name in marked:
            low = name.lower()
            if low in STOP_WORDS or low in _SOFTWARE or _software(low):
                continue
            if also is not None and also(low):
                continue
            if not self.known(low) and low not in self.vocabulary:
                return name
        return missing_attribute(clause)

    def _no_country(
        self, clause: str, name: str, words: list[str], also: Callable[[str], bool] | None
    ) -> bool:
        """Whether ``clause`` asks what only a country has ("the capital of", "the currency
        of") of a capitalised name of several words that is no country, capital or place
        the world lists nor a base holds: "the Maple Isles", "Thunder Bay Republic". The
        world's countries are a closed list; a name made of plain words is made up."""
        if not _CAPITALISED.fullmatch(name):
            return False
        bare = re.escape(re.sub(r"^(?:the|The)\s+", "", name))
        asked = rf"\b(?:{_COUNTRY_ASKS})\b(?:\s+[\w']+){{0,3}}?\s+(?:of|in)\s+(?:the\s+)?{bare}\b"
        if re.search(asked, clause, re.I) is None:
            return False  # "the currency the Federal Reserve issues": not what it is of
        said = " ".join(_LETTERS.findall(name.lower())).removeprefix("the ")
        if " " not in said or said in _REAL or said in _WORLD:
            return False
        if any(w in _WORLD or w in _places() for w in words):
            return False
        return also is None or not all(also(w) for w in words)
