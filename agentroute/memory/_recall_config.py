"""The knobs of recall, plan reuse and the write checks, shared by the bank and its vetting."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["RecallConfig"]


class RecallConfig(BaseModel):
    """The knobs of recall, reuse and the write checks (defaults tuned for MiniLM cosine)."""

    model_config = ConfigDict(extra="forbid")

    candidates: int = Field(default=16, ge=1)
    """Vector top-N fetched before the utility rerank."""
    min_similarity: float = 0.35
    """The similarity threshold: a case below this cosine similarity to the request is not
    recalled at all. MiniLM puts unrelated sentences mostly under 0.3 and paraphrases over 0.6."""
    reuse_similarity: float = 0.5
    """A positive case at or above this similarity may be reused as the plan outright — and
    only if its task aligns word by word with the request (same words but for a few swapped
    details). MiniLM scores "weather in Paris tomorrow" vs "... Berlin ..." at only 0.55: the
    alignment, not the similarity, is what makes a reuse safe."""
    utility_weight: float = 0.3
    """Rank = similarity + utility_weight · (utility − 0.5) + recency_weight · recency."""
    recency_weight: float = 0.05
    recency_half_life_days: float = 30.0
    max_substitution_words: int = 4
    """A reused plan may swap spans of at most this many words (a city, a number, a name)."""
    defences: bool = True
    """The write checks and reuse re-checks. Only the red-team benchmark turns them off."""
    flood_similarity: float = 0.97
    flood_limit: int = 3
    """This many active near-duplicates from the same session written within ``flood_window_s``
    quarantine the next one (repeats across sessions are a repeated workload, not a flood)."""
    flood_window_s: float = 3600.0
    target_min_similarity: float = 0.2
