"""Wait (bounded) until the Chroma server at URL answers its heartbeat: exit 0, else 1."""

from __future__ import annotations

import sys
import time
import urllib.request


def main(url: str, seconds: float) -> int:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=2) as response:
                if response.status == 200:
                    return 0
        except OSError:
            pass
        time.sleep(0.5)
    print(f"no Chroma server answered at {url} within {seconds:g} s", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], float(sys.argv[2])))
