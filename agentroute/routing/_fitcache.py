"""A fitted router kept on disk, keyed by the outcome files' contents.

Fitting reads every outcome, embeds every query, clusters unlabelled pools and tunes the graph
router's weights by internal cross-validation: seconds to tens of seconds on RouterBench. A
command such as ``agentroute route explain`` or an agent's start would redo all of it for the
same files each time, so the fitted router is pickled under the user's cache (never data: a
deleted file costs a refit). The key holds the files' bytes, the router kind and its keyword
arguments and the embedder's id; a changed file, kind or embedder refits. The knob and the
descriptors are not part of the fit: they are set on the loaded router.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from agentroute._log import get_logger
from agentroute.routing._base import BaseRouter
from agentroute.routing._features import QueryFeaturizer
from agentroute.routing._outcomes import RoutingConfig
from agentroute.types import TargetDescriptor

__all__ = ["fit_key", "fitted_cached"]

log = get_logger(__name__)

_VERSION = "fit-3"


def fit_key(
    files: Sequence[Path], kind: str, featurizer: QueryFeaturizer, kwargs: dict[str, Any]
) -> str:
    """Hash of what a fit depends on: the files' bytes, the kind, its arguments, the embedder."""
    h = hashlib.sha256(_VERSION.encode())
    for f in sorted(Path(p) for p in files):
        h.update(hashlib.sha256(f.read_bytes()).digest())
    h.update(kind.encode())
    h.update(repr(sorted(kwargs.items())).encode())
    h.update(featurizer.embedder.id.encode())
    return h.hexdigest()[:24]


def fitted_cached(
    files: Sequence[Path],
    kind: str,
    featurizer: QueryFeaturizer,
    fit: Callable[[], BaseRouter],
    cache_dir: Path,
    *,
    config: RoutingConfig | None = None,
    descriptors: Sequence[TargetDescriptor] = (),
    kwargs: dict[str, Any] | None = None,
) -> BaseRouter:
    """The router ``fit()`` returns for ``files``, loaded from ``cache_dir`` when an earlier
    fit of the same files, kind and embedder is there (then stored after fitting)."""
    path = cache_dir / f"router-{fit_key(files, kind, featurizer, kwargs or {})}.pkl"
    if path.exists():
        try:
            with path.open("rb") as fh:
                router = pickle.load(fh)  # our own cache file, keyed by content
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError) as exc:
            log.warning("routing.fit_cache_unreadable", path=str(path), error=str(exc))
        else:
            if isinstance(router, BaseRouter):
                router.featurizer._embedder = featurizer.embedder
                if config is not None:
                    router.config = config
                for d in descriptors:
                    router.add_model(d)
                log.info("routing.fit_cache_hit", path=str(path))
                return router
    router = fit()
    embedder = router.featurizer._embedder
    router.featurizer._embedder = None  # an embedding model is loaded again, not pickled
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with tmp.open("wb") as fh:
            pickle.dump(router, fh, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
    except OSError as exc:
        log.warning("routing.fit_cache_unwritable", path=str(path), error=str(exc))
    finally:
        router.featurizer._embedder = embedder
    return router
