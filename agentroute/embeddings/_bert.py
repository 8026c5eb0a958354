"""A BERT encoder forward pass in plain numpy (no torch), for sentence-transformers models.

Only inference is needed, so the whole model is a dozen matrix products per layer; numpy's
BLAS does the heavy lifting. Everything stays float32.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

__all__ = ["BertConfig", "BertEncoder", "WeightGetter", "gelu_erf", "load_weights"]

F32 = npt.NDArray[np.float32]

# Abramowitz & Stegun 7.1.26: |error| <= 1.5e-7 on the whole real line, i.e. at float32
# precision. Exact-erf GELU is what BERT was trained with; the tanh variant differs by ~1e-3.
_P = np.float32(0.3275911)
_A1 = np.float32(0.254829592)
_A2 = np.float32(-0.284496736)
_A3 = np.float32(1.421413741)
_A4 = np.float32(-1.453152027)
_A5 = np.float32(1.061405429)
_INV_SQRT2 = np.float32(1.0 / np.sqrt(2.0))
_MASKED = np.float32(-1e9)


def erf(x: F32) -> F32:
    """Vectorised erf, within 6e-7 of ``math.erf`` in float32 (numpy has no erf and scipy is
    not a dependency). In-place arithmetic: this runs on the largest activations."""
    a = np.abs(x)
    e = np.square(a)
    np.negative(e, out=e)
    np.exp(e, out=e)
    t = a
    t *= _P
    t += np.float32(1.0)
    np.reciprocal(t, out=t)
    poly = t * _A5
    for coef in (_A4, _A3, _A2, _A1):
        poly += coef
        poly *= t
    poly *= e
    np.subtract(np.float32(1.0), poly, out=poly)
    np.copysign(poly, x, out=poly)
    return poly


def gelu_erf(x: F32) -> F32:
    """GELU, exact (erf) form: ``x * Φ(x)``."""
    y = erf(x * _INV_SQRT2)
    y += np.float32(1.0)
    y *= np.float32(0.5)
    y *= x
    return y


@dataclass(frozen=True)
class BertConfig:
    hidden_size: int
    num_attention_heads: int
    num_hidden_layers: int
    intermediate_size: int
    layer_norm_eps: float
    max_position_embeddings: int

    @classmethod
    def from_json(cls, path: Path) -> BertConfig:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if raw.get("hidden_act", "gelu") != "gelu":
            raise ValueError(f"{path}: hidden_act {raw['hidden_act']!r} is not supported")
        if raw.get("position_embedding_type", "absolute") != "absolute":
            raise ValueError(f"{path}: only absolute position embeddings are supported")
        return cls(
            hidden_size=int(raw["hidden_size"]),
            num_attention_heads=int(raw["num_attention_heads"]),
            num_hidden_layers=int(raw["num_hidden_layers"]),
            intermediate_size=int(raw["intermediate_size"]),
            layer_norm_eps=float(raw["layer_norm_eps"]),
            max_position_embeddings=int(raw["max_position_embeddings"]),
        )


@dataclass(frozen=True)
class _Layer:
    qkv_w: F32  # (hidden, 3*hidden), pre-transposed so activations multiply on the left
    qkv_b: F32
    out_w: F32
    out_b: F32
    ln1_g: F32
    ln1_b: F32
    ff1_w: F32
    ff1_b: F32
    ff2_w: F32
    ff2_b: F32
    ln2_g: F32
    ln2_b: F32


def _layer_norm(x: F32, gamma: F32, beta: F32, eps: np.float32) -> F32:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    var = np.mean(centred * centred, axis=-1, keepdims=True)
    out: F32 = centred / np.sqrt(var + eps) * gamma + beta
    return out


WeightGetter = Callable[[str], F32]
"""A weight by its name without the ``bert.`` prefix (float32, contiguous)."""


def load_weights(weights_path: Path) -> WeightGetter:
    """The safetensors file's weights by name, whether or not they carry the ``bert.`` prefix
    (sentence-transformers exports vary); a missing one names the file and the weight."""
    from safetensors.numpy import load_file  # only a cold start reads the weights

    w = load_file(str(weights_path))

    def get(name: str) -> F32:
        for key in (name, f"bert.{name}"):
            if key in w:
                return np.ascontiguousarray(w[key], dtype=np.float32)
        raise KeyError(f"{weights_path}: weight {name!r} is missing")

    return get


class BertEncoder:
    """``last_hidden_state`` of a BERT model whose weights are in a safetensors file."""

    def __init__(self, weights_path: Path, config: BertConfig) -> None:
        get = load_weights(weights_path)
        self.config = config
        self._eps = np.float32(config.layer_norm_eps)

        self._word = get("embeddings.word_embeddings.weight")
        self._pos = get("embeddings.position_embeddings.weight")
        self._type0 = get("embeddings.token_type_embeddings.weight")[0]
        self._emb_ln_g = get("embeddings.LayerNorm.weight")
        self._emb_ln_b = get("embeddings.LayerNorm.bias")
        self._layers: list[_Layer] = []
        for i in range(config.num_hidden_layers):
            p = f"encoder.layer.{i}."
            q, k, v = (get(f"{p}attention.self.{n}.weight") for n in ("query", "key", "value"))
            qb, kb, vb = (get(f"{p}attention.self.{n}.bias") for n in ("query", "key", "value"))
            self._layers.append(
                _Layer(
                    qkv_w=np.ascontiguousarray(np.concatenate([q, k, v], axis=0).T),
                    qkv_b=np.concatenate([qb, kb, vb]),
                    out_w=np.ascontiguousarray(get(f"{p}attention.output.dense.weight").T),
                    out_b=get(f"{p}attention.output.dense.bias"),
                    ln1_g=get(f"{p}attention.output.LayerNorm.weight"),
                    ln1_b=get(f"{p}attention.output.LayerNorm.bias"),
                    ff1_w=np.ascontiguousarray(get(f"{p}intermediate.dense.weight").T),
                    ff1_b=get(f"{p}intermediate.dense.bias"),
                    ff2_w=np.ascontiguousarray(get(f"{p}output.dense.weight").T),
                    ff2_b=get(f"{p}output.dense.bias"),
                    ln2_g=get(f"{p}output.LayerNorm.weight"),
                    ln2_b=get(f"{p}output.LayerNorm.bias"),
                )
            )

    def forward(self, ids: npt.NDArray[np.int64], mask: F32, *, keep_scratch: bool = False) -> F32:
        """``ids`` and ``mask`` are ``(batch, seq)``; returns ``(batch, seq, hidden)``.
        ``keep_scratch`` is the ONNX encoder's; numpy keeps no scratch between passes."""
        cfg = self.config
        b, t = ids.shape
        if t > cfg.max_position_embeddings:
            raise ValueError(f"sequence of {t} tokens exceeds {cfg.max_position_embeddings}")
        h, nh = cfg.hidden_size, cfg.num_attention_heads
        hd = h // nh
        scale = np.float32(1.0 / np.sqrt(hd))
        x = self._word[ids] + self._pos[:t] + self._type0
        x = _layer_norm(x, self._emb_ln_g, self._emb_ln_b, self._eps).reshape(b * t, h)
        # Additive mask: padded keys get -1e9, whose exp underflows to exactly 0.
        bias = ((np.float32(1.0) - mask) * _MASKED)[:, None, None, :]
        for layer in self._layers:
            qkv = (x @ layer.qkv_w + layer.qkv_b).reshape(b, t, 3, nh, hd)
            # Contiguous operands keep the batched matmuls on BLAS.
            q = np.ascontiguousarray(qkv[:, :, 0].transpose(0, 2, 1, 3))
            k = np.ascontiguousarray(qkv[:, :, 1].transpose(0, 2, 3, 1))
            v = np.ascontiguousarray(qkv[:, :, 2].transpose(0, 2, 1, 3))
            scores = (q @ k) * scale + bias
            scores -= scores.max(axis=-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(axis=-1, keepdims=True)
            ctx = (scores @ v).transpose(0, 2, 1, 3).reshape(b * t, h)
            x = _layer_norm(
                ctx @ layer.out_w + layer.out_b + x, layer.ln1_g, layer.ln1_b, self._eps
            )
            ff = gelu_erf(x @ layer.ff1_w + layer.ff1_b)
            x = _layer_norm(ff @ layer.ff2_w + layer.ff2_b + x, layer.ln2_g, layer.ln2_b, self._eps)
        out: F32 = x.reshape(b, t, h)
        return out

    def release_scratch(self) -> None:
        """Nothing to give back (the ONNX encoder's arena has something)."""
