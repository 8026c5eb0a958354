"""Regenerate agentroute/text/software/packaged.txt: the names of software Debian packages.

    python scripts/build_software_names.py

Why carried: the planner declines a question about software no one has ("the flarnish
command") and must not decline one about software it merely lacks here ("the fzf command"
on a machine without fzf). Which programs exist is a fact of the world, not of this machine,
so the list is carried: the package names of Debian 12's main archive (read with
``apt-cache pkgnames`` from the Packages index of deb.debian.org), each reduced to the name
people use ("python3-numpy" is "numpy", "node-lodash" is "lodash"), one word of letters and
digits. Names only: no description or other package data is copied.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "agentroute" / "text" / "software" / "packaged.txt"
_ECOSYSTEMS = ("python3-", "node-", "ruby-", "r-cran-", "php-", "lua-")
_NAME = re.compile(r"[a-z][a-z0-9]+")
_HEADER = """\
# The names of software packaged by Debian 12 (bookworm) main, from its Packages index on
# deb.debian.org (`apt-cache pkgnames`), the language ecosystems' prefixes dropped
# ("python3-numpy" is "numpy"); names only. Real software a machine may lack: asked about with a
# kind noun ("the fzf command") it is no made-up name (agentroute.text._unknown).
# Regenerate: python scripts/build_software_names.py
"""


def names(packages: list[str]) -> list[str]:
    out: set[str] = set()
    for package in packages:
        for prefix in _ECOSYSTEMS:
            if package.startswith(prefix):
                package = package[len(prefix) :]
                break
        if _NAME.fullmatch(package):
            out.add(package)
    return sorted(out)


def main() -> None:
    listed = subprocess.run(
        ["apt-cache", "pkgnames"], capture_output=True, text=True, check=True
    ).stdout.split()
    found = names(listed)
    OUT.write_text(_HEADER + "\n".join(found) + "\n", encoding="utf-8")
    print(f"{len(found)} names -> {OUT}")


if __name__ == "__main__":
    main()
