"""AgentPoison-style poisoning: ≤ 1% poisoned cases with a trigger phrase."""

from __future__ import annotations

from agentroute.embeddings import HashingEmbedder
from agentroute.eval import run_poisoning
from agentroute.memory import RecallConfig

# HashingEmbedder similarities run lower than MiniLM's: thresholds scaled to match.
CONFIG = RecallConfig(min_similarity=0.2, reuse_similarity=0.45)


def test_poisoning_hijacks_without_defences_and_never_with_them() -> None:
    emb = HashingEmbedder(dim=256)
    off = run_poisoning(emb, defences=False, config=CONFIG)
    on = run_poisoning(emb, defences=True, config=CONFIG)
    assert off.poisoned / off.bank_size <= 0.01
    # the attack is real: without the defences a large share of triggered requests is hijacked
    assert off.plan_hijacks > 0 and off.hijack_rate > 0.3
    # with them: every poisoned case quarantined, no hijack, no benign case lost, reuse intact
    assert on.poisoned_quarantined == on.poisoned
    assert on.plan_hijacks == 0 and on.recall_hijacks == 0 and on.hijack_rate == 0.0
    assert on.benign_quarantined == 0
    assert on.clean_reused == off.clean_reused > 0
