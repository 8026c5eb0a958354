"""A markdown file's citation names its title once: the title is its first heading, which
also heads every section path ('VPN setup › VPN setup › Troubleshooting' read as a glitch)."""

from __future__ import annotations

from pathlib import Path

from agentroute.embeddings import MiniLMEmbedder
from agentroute.knowledge import ChromaKnowledgeBase

VPN = """# VPN setup

## Install
Install the client with `apt install wireguard`. The config lives in /etc/wireguard/wg0.conf.

## Troubleshooting
If the tunnel drops, run `wg-quick down wg0` then `wg-quick up wg0`. The VPN gateway is
vpn.example.org on port 51820.
"""
HOLIDAYS = """# Holidays

Each employee gets 27 days of paid holiday a year, requested two weeks ahead.
"""


async def test_the_title_is_not_repeated_in_the_citation(
    tmp_path: Path, minilm: MiniLMEmbedder
) -> None:
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "vpn.md").write_text(VPN)
    (tmp_path / "notes" / "holidays.md").write_text(HOLIDAYS)
    base = ChromaKnowledgeBase("handbook", tmp_path / "kb", minilm, description="handbook")
    base.ingest([tmp_path / "notes"])
    port = await base.invoke("s1", "What port does the VPN gateway use?", None, timeout=30)
    assert port.ok, port.error
    assert port.data["claims"][0]["citation"] == "VPN setup › Troubleshooting"
    days = await base.invoke("s1", "How many days of holiday do I get?", None, timeout=30)
    assert days.ok, days.error
    assert days.data["claims"][0]["citation"] == "Holidays"
