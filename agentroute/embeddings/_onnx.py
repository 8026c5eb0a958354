"""The BERT forward pass of `_bert.BertEncoder`, as an ONNX graph run by ONNX Runtime.

numpy spends a short query's forward pass in ~200 separately dispatched ops and a generic
BLAS; ORT runs the same float32 arithmetic as ~60 kernels (fused attention, bias + GELU, the
residual's adds and a standard layer norm) on prepacked weights, about twice as fast. The graph is built from the
safetensors weights once (~1.3 s, most of it importing ``onnx``) and kept in the per-user disk
cache (`agentroute.embeddings._cache`) with the embedding tables beside it; a warm start loads
the graph with ONNX Runtime alone and memory-maps the tables (~0.1 s): nothing is downloaded.

The floor: a 15-token query is ~320 MFLOP of matrix products, 3.7 ms at this machine's
single-core float32 peak (~86 GFLOP/s, AVX2 FMA); ORT's kernels reach ~75 % of it.

Same inputs and outputs as ``BertEncoder.forward``: GELU is the exact erf form, padded keys
are masked additively. Thread-safe (``InferenceSession.run`` is, and releases the GIL).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from agentroute._log import get_logger
from agentroute._runtime import release_memory
from agentroute.embeddings._bert import BertConfig, WeightGetter, load_weights
from agentroute.embeddings._cache import DiskCache
from agentroute.embeddings._cache_dir import user_cache_dir

if TYPE_CHECKING:
    import onnxruntime as ort

__all__ = ["BUILDER_VERSION", "OnnxBertEncoder", "build_bert_graph"]

BUILDER_VERSION = 2
"""Part of every cached graph's key: bump it whenever `build_bert_graph`'s output changes, and
no process loads a graph an older builder wrote."""

F32 = npt.NDArray[np.float32]

_OPSET = 17  # LayerNormalization
_MS = "com.microsoft"
_MASKED = -1e9  # as in _bert.py: exp() of it underflows to exactly 0
_UNFUSED = ["SkipLayerNormFusion"]
"""ORT graph optimisers every session leaves out: the residual's two adds and the layer norm
stay three kernels (see `build_bert_graph`)."""
_TABLES = ("word", "pos", "type0")
"""The embedding rows looked up in numpy before the graph runs, each cached as ``<name>.npy``."""

log = get_logger(__name__)


def build_bert_graph(get: WeightGetter, config: BertConfig, *, fused: bool = True) -> Any:
    """An ``onnx.ModelProto`` from the summed input ``embeddings`` (float32, ``(batch, seq,
    hidden)``) and ``attention_mask`` (float32 ``(batch, seq)``, 1 = token, 0 = padding) to
    ``last_hidden_state`` (``(batch, seq, hidden)``).

    ``fused`` uses ORT's CPU contrib kernels: ``Attention`` (QKV projection, masked softmax and
    context in one) and ``BiasGelu`` (exact erf GELU; ``FastGelu`` would be the tanh
    approximation). Otherwise everything is spelled in standard opset-17 ops.

    The residual is bias add, residual add and ``LayerNormalization``, not ORT's fused
    ``SkipLayerNormalization``: that CPU kernel took 22% of the int8 graph's CPU time on the
    ingestion benchmark's chunks and 15% of the float one's, the three standard kernels 5%
    (sessions are opened without the optimiser that would fuse them back, `_UNFUSED`).
    """
    from onnx import TensorProto, helper, numpy_helper

    h, nh = config.hidden_size, config.num_attention_heads
    hd = h // nh
    eps = float(config.layer_norm_eps)
    inits: list[Any] = []
    nodes: list[Any] = []

    def const(name: str, value: npt.ArrayLike, dtype: Any = np.float32) -> str:
        inits.append(numpy_helper.from_array(np.asarray(value, dtype=dtype), name))
        return name

    def node(op: str, inputs: list[str], out: str, domain: str = "", **attrs: Any) -> str:
        nodes.append(helper.make_node(op, inputs, [out], name=out, domain=domain, **attrs))
        return out

    def linear(x: str, prefix: str, w: F32, b: F32) -> str:
        y = node("MatMul", [x, const(f"{prefix}.w", w)], f"{prefix}.mm")
        return node("Add", [y, const(f"{prefix}.b", b)], f"{prefix}.out")

    def layer_norm(x: str, prefix: str, g: F32, b: F32) -> str:
        gn, bn = const(f"{prefix}.g", g), const(f"{prefix}.beta", b)
        return node("LayerNormalization", [x, gn, bn], prefix, axis=-1, epsilon=eps)

    # The embedding lookup (word + position + type 0) happens in numpy: it is a few rows of a
    # 47 MB table, which would otherwise double the graph's size and build time.
    x = layer_norm(
        "embeddings", "emb.ln", get("embeddings.LayerNorm.weight"), get("embeddings.LayerNorm.bias")
    )

    if fused:
        mask_in = node("Cast", ["attention_mask"], "mask_i32", to=TensorProto.INT32)
    else:
        # (1 - mask) * -1e9, broadcast over heads and queries: (b, 1, 1, t).
        inv = node("Sub", [const("one", 1.0), "attention_mask"], "mask_inv")
        bias = node("Mul", [inv, const("masked", _MASKED)], "mask_bias2d")
        mask_in = node("Unsqueeze", [bias, const("axes12", [1, 2], np.int64)], "mask_bias")
        split_shape = const("qkv_shape", [0, 0, 3, nh, hd], np.int64)
        merge_shape = const("ctx_shape", [0, 0, h], np.int64)
        scale = const("scale", 1.0 / np.sqrt(hd))
        inv_sqrt2 = const("inv_sqrt2", 1.0 / np.sqrt(2.0))
        one, half = const("gelu_one", 1.0), const("gelu_half", 0.5)

    for i in range(config.num_hidden_layers):
        p = f"encoder.layer.{i}."
        L = f"l{i}"
        names = ("query", "key", "value")
        qkv_w = np.concatenate([get(f"{p}attention.self.{n}.weight") for n in names], axis=0).T
        qkv_b = np.concatenate([get(f"{p}attention.self.{n}.bias") for n in names])
        if fused:
            ctx = node(
                "Attention",
                [
                    x,
                    const(f"{L}.qkv.w", np.ascontiguousarray(qkv_w)),
                    const(f"{L}.qkv.b", qkv_b),
                    mask_in,
                ],
                f"{L}.ctx",
                domain=_MS,
                num_heads=nh,
                mask_filter_value=_MASKED,
            )
        else:
            qkv = node("MatMul", [x, const(f"{L}.qkv.w", np.ascontiguousarray(qkv_w))], f"{L}.qkv")
            qkv = node("Add", [qkv, const(f"{L}.qkv.b", qkv_b)], f"{L}.qkvb")
            qkv = node("Reshape", [qkv, split_shape], f"{L}.qkv5")
            q = node("Transpose", [qkv], f"{L}.q", perm=[2, 0, 3, 1, 4])
            parts = [f"{L}.{n}" for n in "QKV"]
            nodes.append(helper.make_node("Split", [q], parts, name=f"{L}.split", axis=0))
            sq = const(f"{L}.axes0", [0], np.int64)
            qh, kh, vh = (node("Squeeze", [t, sq], f"{t}4") for t in parts)
            kt = node("Transpose", [kh], f"{L}.kt", perm=[0, 1, 3, 2])
            s = node("MatMul", [qh, kt], f"{L}.scores")
            s = node("Mul", [s, scale], f"{L}.scaled")
            s = node("Add", [s, mask_in], f"{L}.masked")
            s = node("Softmax", [s], f"{L}.probs", axis=-1)
            c = node("MatMul", [s, vh], f"{L}.ctx4")
            c = node("Transpose", [c], f"{L}.ctxt", perm=[0, 2, 1, 3])
            ctx = node("Reshape", [c, merge_shape], f"{L}.ctx")
        att_w = np.ascontiguousarray(get(f"{p}attention.output.dense.weight").T)
        ff1_w = np.ascontiguousarray(get(f"{p}intermediate.dense.weight").T)
        ff2_w = np.ascontiguousarray(get(f"{p}output.dense.weight").T)
        att_b, ff1_b = get(f"{p}attention.output.dense.bias"), get(f"{p}intermediate.dense.bias")
        ff2_b = get(f"{p}output.dense.bias")
        ln1 = (
            get(f"{p}attention.output.LayerNorm.weight"),
            get(f"{p}attention.output.LayerNorm.bias"),
        )
        ln2 = (get(f"{p}output.LayerNorm.weight"), get(f"{p}output.LayerNorm.bias"))
        att = linear(ctx, f"{L}.att_out", att_w, att_b)
        x = layer_norm(node("Add", [att, x], f"{L}.res1"), f"{L}.ln1", *ln1)
        if fused:
            # GELU(matmul + bias) in one kernel; com.microsoft BiasGelu is the exact erf GELU
            # (FastGelu would be the tanh approximation).
            ff = node("MatMul", [x, const(f"{L}.ff1.w", ff1_w)], f"{L}.ff1")
            ff = node("BiasGelu", [ff, const(f"{L}.ff1.b", ff1_b)], f"{L}.gelu", domain=_MS)
            ff = linear(ff, f"{L}.ff2", ff2_w, ff2_b)
            x = layer_norm(node("Add", [ff, x], f"{L}.res2"), f"{L}.ln2", *ln2)
            continue
        ff = linear(x, f"{L}.ff1", ff1_w, ff1_b)
        # Exact GELU, x * 0.5 * (1 + erf(x / sqrt 2)).
        e = node("Erf", [node("Mul", [ff, inv_sqrt2], f"{L}.g0")], f"{L}.g1")
        e = node("Mul", [node("Add", [e, one], f"{L}.g2"), half], f"{L}.g3")
        ff = node("Mul", [ff, e], f"{L}.gelu")
        ff = linear(ff, f"{L}.ff2", ff2_w, ff2_b)
        x = layer_norm(node("Add", [ff, x], f"{L}.res2"), f"{L}.ln2", *ln2)
    nodes.append(helper.make_node("Identity", [x], ["last_hidden_state"], name="output"))

    graph = helper.make_graph(
        nodes,
        "bert",
        [
            helper.make_tensor_value_info("embeddings", TensorProto.FLOAT, ["batch", "seq", h]),
            helper.make_tensor_value_info("attention_mask", TensorProto.FLOAT, ["batch", "seq"]),
        ],
        [
            helper.make_tensor_value_info(
                "last_hidden_state", TensorProto.FLOAT, ["batch", "seq", h]
            )
        ],
        initializer=inits,
    )
    opsets = [helper.make_opsetid("", _OPSET)]
    if fused:
        opsets.append(helper.make_opsetid(_MS, 1))
    model = helper.make_model(graph, opset_imports=opsets, producer_name="agentroute")
    model.ir_version = 8
    return model


class OnnxBertEncoder:
    """``last_hidden_state`` of a BERT model, run by ONNX Runtime from a graph built once and
    cached on disk (``cache``: ``True`` for the user's cache folder, a folder, or ``False`` to
    build in memory every time, as when ``$AGENTROUTE_CACHE_DIR`` is set empty).

    ``threads`` is ORT's intra-op thread count; ``spin`` lets its pool threads busy-wait
    between kernels. A 15-token query on 2 shared cores, p50/p95 ms (benchmarks/results):

    ============================  ==========  ===========================
    threads, spin                 core free   other processes on the cores
    ============================  ==========  ===========================
    1                             7.2 / 7.7   6.6-10 / 8-16
    2, no spin (default)          5.7 / 6.9   6.0-7.1 / 8
    2, spin                       4.6 / 5.3   8.7-9.2 / 16
    ============================  ==========  ===========================

    Spinning wins only on an idle machine: when a core is taken, the forward pass waits at
    every kernel for a pool thread the scheduler has parked. ``fused=False`` builds the
    standard-ops graph (slower; a reference).

    The cached graph keeps its weights in a separate file (ONNX external data), which ORT maps
    instead of parsing: session creation took 0.12 s instead of 0.27 s and peaked 28 MB lower.
    The graph is cached as built, not as ORT optimised it: a saved optimised graph loaded no
    faster and would tie the entry to one ORT version and CPU.
    """

    def __init__(
        self,
        weights_path: Path,
        config: BertConfig,
        *,
        threads: int = 2,
        spin: bool = False,
        fused: bool = True,
        int8: bool = False,
        cache: Path | bool = True,
    ) -> None:
        """``int8``: the graph with its matrix products' weights quantised to int8 per
        output channel and activations per batch (ONNX Runtime's dynamic quantisation, done
        once and cached like the float graph): about twice the throughput, vectors within
        ~0.02 cosine of the float ones; a different model (see `MiniLMEmbedder.precision`)."""
        import onnxruntime as ort

        if threads < 1:
            raise ValueError(f"threads must be >= 1, got {threads}")
        self.config = config
        opts = ort.SessionOptions()
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        opts.add_session_config_entry("session.intra_op.allow_spinning", "1" if spin else "0")
        opts.log_severity_level = 3
        root = user_cache_dir() if cache is True else None if cache is False else cache
        store = DiskCache(root / "onnx-bert") if root is not None else None
        self._session, (self._word, self._pos, self._type0) = _open(
            weights_path, config, (fused, int8), opts, store
        )
        # ORT's memory arena keeps the peak of any run: after indexing a few hundred texts in
        # batches an idle chat held ~60 MB more (446 vs 382 MB). A run gives its scratch back
        # when it ends (a short query did not get measurably slower: 5.3-5.7 ms both), unless
        # more passes follow (``keep_scratch``): handing it back after each of a bulk input's
        # batches cost 12% more CPU (benchmarks/bench_ingest.py), the pages faulted in again.
        self._shrink = ort.RunOptions()
        self._shrink.add_run_config_entry("memory.enable_memory_arena_shrinkage", "cpu:0")

    def forward(self, ids: npt.NDArray[np.int64], mask: F32, *, keep_scratch: bool = False) -> F32:
        """``ids`` and ``mask`` are ``(batch, seq)``; returns ``(batch, seq, hidden)``.
        ``keep_scratch``: leave the run's memory in the arena for the passes that follow
        (then `release_scratch` when they are done)."""
        t = ids.shape[1]
        if t > self.config.max_position_embeddings:
            raise ValueError(
                f"sequence of {t} tokens exceeds {self.config.max_position_embeddings}"
            )
        emb = self._word[ids] + self._pos[:t] + self._type0
        (out,) = self._session.run(
            ["last_hidden_state"],
            {"embeddings": emb, "attention_mask": np.ascontiguousarray(mask, dtype=np.float32)},
            None if keep_scratch else self._shrink,
        )
        result: F32 = out
        return result

    def release_scratch(self) -> None:
        """Give the arena's idle memory back, after passes that kept it: a one-token pass
        that shrinks the arena when it ends (~1 ms)."""
        self.forward(np.zeros((1, 1), dtype=np.int64), np.ones((1, 1), dtype=np.float32))


_Tables = tuple[F32, F32, F32]
_Mode = tuple[bool, bool]
"""How the graph is built: fused kernels, int8 matrix products."""


def _open(
    weights_path: Path,
    config: BertConfig,
    mode: _Mode,
    opts: ort.SessionOptions,
    store: DiskCache | None,
) -> tuple[ort.InferenceSession, _Tables]:
    """The session and embedding tables: from the cache entry when there is a readable one,
    else built (and cached when the cache is writable)."""
    key = ""
    if store is not None:
        key = _cache_key(store, weights_path, config, *mode)
        entry = store.entry(key)
        if entry is not None:
            try:
                return _load(entry, config, opts)
            except Exception as exc:
                log.warning(
                    "embeddings.cache_unreadable",
                    entry=str(entry),
                    reason=f"{type(exc).__name__}: {str(exc)[:200]}",
                    action="rebuilding it",
                )
                store.discard(key)
    if store is not None:
        try:
            entry = store.put(key, lambda d: _write(d, weights_path, config, mode))
        except OSError as exc:
            log.warning(
                "embeddings.cache_unwritable",
                root=str(store.root),
                reason=str(exc)[:200],
                fallback="graph built in memory at every start (~1 s slower)",
            )
        else:
            # The graph protobuf and the weights (~200 MB of scratch) stay in glibc's arenas
            # unless handed back.
            release_memory()
            return _load(entry, config, opts)
    import onnxruntime as ort

    get = load_weights(weights_path)
    graph = build_bert_graph(get, config, fused=mode[0]).SerializeToString()
    if mode[1]:
        graph = _quantized(graph)
    session = ort.InferenceSession(
        graph, opts, providers=["CPUExecutionProvider"], disabled_optimizers=_UNFUSED
    )
    tables = _tables(get)
    del graph, get
    release_memory()
    return session, tables


def _cache_key(
    store: DiskCache, weights_path: Path, config: BertConfig, fused: bool, int8: bool = False
) -> str:
    """What the entry is made from: the weights' bytes, the config, the builder and its mode."""
    parts = {
        "builder": BUILDER_VERSION,
        "fused": fused,
        **({"int8": "dynamic-per-channel-1"} if int8 else {}),
        "config": dataclasses.asdict(config),
        "weights": store.file_hash(weights_path),
    }
    digest = hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()
    return f"bert-{digest[:32]}"


def _tables(get: WeightGetter) -> _Tables:
    return (
        get("embeddings.word_embeddings.weight"),
        get("embeddings.position_embeddings.weight"),
        get("embeddings.token_type_embeddings.weight")[0],
    )


def _quantized(graph: bytes) -> bytes:
    """``graph`` with int8 matrix products: weights per output channel, activations per
    batch (per-tensor weights moved retrieval vectors ~0.05 cosine, per-channel ~0.006)."""
    import tempfile

    from onnx import TensorProto
    from onnxruntime.quantization import QuantType, quantize_dynamic

    with tempfile.TemporaryDirectory() as tmp:
        src, dst = Path(tmp) / "float.onnx", Path(tmp) / "int8.onnx"
        src.write_bytes(graph)
        quantize_dynamic(
            src,
            dst,
            weight_type=QuantType.QInt8,
            per_channel=True,
            # the contrib ops (Attention, BiasGelu) have no inferred types
            extra_options={"DefaultTensorType": TensorProto.FLOAT},
        )
        return dst.read_bytes()


def _write(entry: Path, weights_path: Path, config: BertConfig, mode: _Mode) -> None:
    """The graph with its weights in ``graph.data`` (which ORT maps), and the tables as
    ``.npy`` files (which numpy maps: only the rows a query touches are read)."""
    import onnx

    get = load_weights(weights_path)
    if mode[1]:  # ~11 MB: one file
        graph = build_bert_graph(get, config, fused=mode[0]).SerializeToString()
        (entry / "graph.onnx").write_bytes(_quantized(graph))
        del graph
    else:
        onnx.save_model(
            build_bert_graph(get, config, fused=mode[0]),
            str(entry / "graph.onnx"),
            save_as_external_data=True,
            all_tensors_to_one_file=True,
            location="graph.data",
            size_threshold=1024,
        )
    for name, table in zip(_TABLES, _tables(get), strict=True):
        np.save(entry / f"{name}.npy", table, allow_pickle=False)


def _load(
    entry: Path, config: BertConfig, opts: ort.SessionOptions
) -> tuple[ort.InferenceSession, _Tables]:
    import onnxruntime as ort

    session = ort.InferenceSession(
        str(entry / "graph.onnx"),
        opts,
        providers=["CPUExecutionProvider"],
        disabled_optimizers=_UNFUSED,
    )
    word, pos, type0 = (
        np.asarray(np.load(entry / f"{name}.npy", mmap_mode="r", allow_pickle=False))
        for name in _TABLES
    )
    h = config.hidden_size
    shapes = (word.shape[1:], pos.shape, type0.shape)
    if shapes != ((h,), (config.max_position_embeddings, h), (h,)) or not all(
        t.dtype == np.float32 for t in (word, pos, type0)
    ):
        raise ValueError(f"embedding tables of shapes {shapes} do not fit the config")
    return session, (word, pos, type0)
