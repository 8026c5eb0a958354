"""Regenerate data/debian_packages/packages.jsonl: Debian package stanzas, trimmed.

    python scripts/build_debian_packages.py

Why carried, not read at run time: the multi-KB routing benchmark must build the same package
base on every machine (dpkg's database differs from one image to the next). Read from
/var/lib/dpkg/status (the packages installed where this ran): each package's Package, Section
and Description fields, the commands it installs (from /var/lib/dpkg/info/<package>.list:
what someone asking "which package gives me X?" names) and the licences its
/usr/share/doc/<package>/copyright declares. Programs first, then libraries, up to ``LIMIT``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "data" / "debian_packages" / "packages.jsonl"
STATUS = Path("/var/lib/dpkg/status")
INFO = Path("/var/lib/dpkg/info")
LIMIT = 650
_BIN = re.compile(r"^/(?:usr/)?s?bin/([^/]+)$")


def stanzas(text: str) -> list[dict[str, str]]:
    out = []
    for block in text.split("\n\n"):
        fields: dict[str, str] = {}
        key = ""
        for line in block.splitlines():
            if line.startswith((" ", "\t")) and key:
                fields[key] += "\n" + line[1:]
            elif ":" in line:
                key, value = line.split(":", 1)
                fields[key] = value.strip()
        if "Package" in fields and "installed" in fields.get("Status", ""):
            out.append(fields)
    return out


def commands(package: str, arch: str) -> list[str]:
    for name in (f"{package}.list", f"{package}:{arch}.list"):
        path = INFO / name
        if path.is_file():
            found = (_BIN.match(line.strip()) for line in path.read_text().splitlines())
            return sorted({m.group(1) for m in found if m})
    return []


def licences(package: str) -> str:
    path = Path("/usr/share/doc") / package / "copyright"
    if not path.is_file():
        return "unknown (no copyright file)"
    got: list[str] = []
    for line in path.read_text(errors="replace").splitlines():
        if line.startswith("License:"):
            value = line.split(":", 1)[1].strip()
            if value and value not in got:
                got.append(value)
    return "; ".join(got[:4]) or f"see /usr/share/doc/{package}/copyright"


def description(raw: str) -> str:
    """The synopsis line, then the long description with Debian's " ." paragraph marks."""
    lines = raw.splitlines()
    body = "\n".join("" if line.strip() == "." else line.strip() for line in lines[1:])
    return (lines[0] + "\n" + body).strip()


def main() -> None:
    rows = []
    seen: set[str] = set()
    for s in stanzas(STATUS.read_text(errors="replace")):
        name = s["Package"]
        if name in seen or "Description" not in s:
            continue
        seen.add(name)
        cmds = commands(name, s.get("Architecture", "amd64"))
        text = f"Package: {name}\nSection: {s.get('Section', 'unknown')}\n"
        text += f"Description: {description(s['Description'])}"
        if cmds:
            text += "\nCommands: " + ", ".join(cmds[:40])
        rows.append(
            {
                "id": f"pkg-{name}",
                "title": f"Debian package {name}",
                "package": name,
                "section": s.get("Section", "unknown"),
                "licence": licences(name),
                "text": text,
                "library": name.startswith("lib") and not cmds,
            }
        )
    rows.sort(key=lambda r: (r["library"], r["package"]))
    rows = sorted(rows[:LIMIT], key=lambda r: r["package"])
    for r in rows:
        del r["library"]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    print(f"{len(rows)} packages, {OUT.stat().st_size} bytes -> {OUT}")


if __name__ == "__main__":
    main()
