"""The word read-out (tf-idf logistic regression per model) and its share in the blend router,
chosen by the router's own cross-validation."""

from __future__ import annotations

import numpy as np

from agentroute.embeddings import NgramHashingEmbedder
from agentroute.routing import OutcomeTable, QueryFeaturizer, make_router
from agentroute.routing._words import WordReadOut

MODELS = ["left", "right"]


def marker_table(n: int, seed: int) -> OutcomeTable:
    """Prompts of filler words; one word, 'alpha' or 'omega', decides which of two models
    answers ('right' costs twice as much). An embedding of the whole prompt barely sees it."""
    rng = np.random.default_rng(seed)
    filler = [f"w{k}" for k in range(2000)]
    queries, q = [], []
    for i in range(n):
        words = list(rng.choice(filler, size=15))
        marker = "alpha" if i % 2 == 0 else "omega"
        words.insert(int(rng.integers(0, 15)), marker)
        queries.append(" ".join(words))
        q.append([1.0, 0.0] if marker == "alpha" else [0.0, 1.0])
    cost = np.tile([0.001, 0.002], (n, 1))
    return OutcomeTable(queries, ["t"] * n, list(MODELS), np.array(q), cost)


def test_word_read_out_learns_the_deciding_word() -> None:
    train, test = marker_table(200, 0), marker_table(40, 1)
    p = WordReadOut().fit(train.queries, train.quality).predict(test.queries)
    assert p.shape == (40, 2)
    right = (p.argmax(axis=1) == test.quality.argmax(axis=1)).mean()
    assert right == 1.0, right


def test_word_read_out_fits_models_without_outcomes_on_some_rows() -> None:
    train = marker_table(100, 0)
    quality = train.quality.copy()
    quality[::3, 1] = np.nan  # 'right' has no outcome on a third of the prompts
    p = WordReadOut().fit(train.queries, quality).predict(["w1 w2 omega w3"])
    assert np.isfinite(p).all() and p[0, 1] > p[0, 0]


def _held_out_error(word_weight: float | None) -> tuple[float, float]:
    """Squared error of the blend's predicted quality on fresh prompts, and its word share.
    The embedding has 8 dimensions: every word's n-grams collide, so it cannot tell the
    deciding word apart, as a small sentence model blurs one word in a long prompt."""
    train, test = marker_table(300, 2), marker_table(60, 3)
    r = make_router(
        "blend", featurizer=QueryFeaturizer(NgramHashingEmbedder(8)), word_weight=word_weight
    )
    r.fit(train)
    pq, _ = r.predict(test.queries, test.models)
    return float(np.mean((pq - test.quality) ** 2)), r.word_share


def test_blend_takes_the_words_share_its_cross_validation_gives_it() -> None:
    on, share = _held_out_error(None)
    off, none = _held_out_error(0.0)
    assert share > 0 and none == 0
    assert on < 0.75 * off, (on, off)  # the words see what the embedding cannot


def test_blend_gives_the_words_no_share_where_they_do_not_help(make_table) -> None:
    r = make_router("blend", featurizer=QueryFeaturizer(NgramHashingEmbedder(256)))
    r.fit(make_table(200))
    # The synthetic tasks are read as well from the embedding: no share is needed.
    assert r.word_share in (0.0, 0.25, 0.5, 0.75)
    assert set(r.word_cv) == {0.0, 0.25, 0.5, 0.75}
