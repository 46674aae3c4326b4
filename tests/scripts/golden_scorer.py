#!/usr/bin/python3
"""Golden values for packages/core/src/scorer and packages/core/src/train (tests/fixtures/golden/scorer.json).

Reference implementation: NumPy 1.24.2 (Debian's Python). There is no library version of gradeshift's scorer,
so this file is an independent, loop-free NumPy transcription of the forward formula documented in
packages/core/src/scorer/forward.ts (and the one a PyTorch or ONNX port must reproduce), plus
torch.optim.AdamW's documented update rule and clip_grad_norm_ (torch is not installed here).
Command (from the repository root):
    /usr/bin/python3 tests/scripts/golden_scorer.py

Inputs are stored as JSON floats (shortest round-trip repr). Embeddings, slot weights and lexical features are
float32 values, so the TypeScript test reads back exactly the same numbers into its Float32Arrays.
"""
import json
import pathlib

import numpy as np

OUT = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "golden" / "scorer.json"
rng = np.random.default_rng(20250101)

# Tiny config: D=6, S=3, Lq=3, Lt=4, Dp=4, H1=5, H2=4, F=2, K=3; V=12 (ids 7-11 are n-gram buckets).
D, S, LQ, LT, DP, H1, H2, F, K, V = 6, 3, 3, 4, 4, 5, 4, 2, 3, 12
NORM_EPS, GATE_EPS, HIGH = 1e-8, 1e-6, 0.9
IN = 2 * DP + 4 + F

# Pairs: per token its ids (unknown words are lists of buckets). Includes padding, truncation (4 query tokens
# for Lq=3), a repeated token, an empty query and an empty item.
PAIRS = [
    ([[1], [7, 8, 9]], [[1], [2], [10, 11], [3]]),
    ([[4], [5], [6]], [[4]]),
    ([[2]], [[0], [5]]),
    ([[3], [3], [8, 9]], [[7, 8], [3], [9], [6]]),
    ([], [[1]]),
    ([[1], [2], [0], [6]], []),
]
B = len(PAIRS)


def pack(tokens, max_tokens):
    ids = np.zeros((max_tokens, S), dtype=np.int64)
    w = np.zeros((max_tokens, S), dtype=np.float32)
    for i, tok in enumerate(tokens[:max_tokens]):
        kept = tok[:S]
        ids[i, : len(kept)] = kept
        w[i, : len(kept)] = np.float32(1.0 / len(kept))
    return ids, w


q_ids, q_w = zip(*(pack(q, LQ) for q, _ in PAIRS))
t_ids, t_w = zip(*(pack(t, LT) for _, t in PAIRS))
q_ids, q_w, t_ids, t_w = map(np.stack, (q_ids, q_w, t_ids, t_w))  # (B, L, S)
emb = rng.normal(size=(V, D)).astype(np.float32)
lexical = rng.uniform(size=(B, F)).astype(np.float32)

params = {
    "gateW": rng.normal(0, 0.5, size=D),
    "gateMatch": np.array(rng.normal(0, 0.5)),
    "gateBias": np.array(rng.normal(0, 0.5)),
    "P": rng.normal(0, 0.4, size=(DP, D)),
    "W1": rng.normal(0, np.sqrt(2 / IN), size=(H1, IN)),
    "b1": rng.normal(0, 0.3, size=H1),
    "W2": rng.normal(0, np.sqrt(2 / H1), size=(H2, H1)),
    "b2": rng.normal(0, 0.3, size=H2),
    "W3": rng.normal(0, 0.5, size=(K, H2)),
    "b3": rng.normal(0, 0.3, size=K),
}

# --- frozen part (float64 math; E_q and t are then stored in float32) ---------------------------------
E64 = emb.astype(np.float64)
Eq = np.einsum("bls,blsd->bld", q_w.astype(np.float64), E64[q_ids])  # (B, Lq, D)
Et = np.einsum("bls,blsd->bld", t_w.astype(np.float64), E64[t_ids])  # (B, Lt, D)
mq = (q_w.sum(-1) > 0).astype(np.float64)  # real query tokens
mt = (t_w.sum(-1) > 0).astype(np.float64)
uq = Eq / (np.linalg.norm(Eq, axis=-1, keepdims=True) + NORM_EPS)
ut = Et / (np.linalg.norm(Et, axis=-1, keepdims=True) + NORM_EPS)
cos = np.einsum("bid,bjd->bij", uq, ut)
cos = np.where(mt[:, None, :] > 0, cos, -np.inf)
has_item = mt.sum(-1) > 0
max_sim = np.where(has_item[:, None], cos.max(-1), 0.0) * mq  # (B, Lq); 0 for padding / empty item
nq = mq.sum(-1)
safe_nq = np.maximum(nq, 1)
mean_max = (max_sim * mq).sum(-1) / safe_nq
min_max = np.where(nq > 0, np.where(mq > 0, max_sim, np.inf).min(-1), 0.0)
frac_high = ((max_sim > HIGH) * mq).sum(-1) / safe_nq
Eq32 = Eq.astype(np.float32).astype(np.float64)
t32 = ((Et * mt[..., None]).sum(1) / np.maximum(mt.sum(-1), 1)[:, None]).astype(np.float32).astype(np.float64)

# --- trainable part (float64) ---------------------------------------------------------------------------
a = Eq32 @ params["gateW"] + params["gateMatch"] * max_sim + params["gateBias"]
g = mq / (1 + np.exp(-a))
Z = g.sum(-1) + GATE_EPS
q = (g[..., None] * Eq32).sum(1) / Z[:, None]
g_max = (g * max_sim).sum(-1) / Z
qp = q @ params["P"].T
tp = t32 @ params["P"].T
x = np.concatenate([qp * tp, np.abs(qp - tp), mean_max[:, None], g_max[:, None], min_max[:, None], frac_high[:, None], lexical.astype(np.float64)], axis=1)
h1 = np.maximum(x @ params["W1"].T + params["b1"], 0)
h2 = np.maximum(h1 @ params["W2"].T + params["b2"], 0)
logits = h2 @ params["W3"].T + params["b3"]


# --- AdamW (torch.optim.AdamW documented algorithm) and clip_grad_norm_ ---------------------------------
def adamw(theta, grads, lr=1e-2, betas=(0.9, 0.999), eps=1e-8, wd=0.1):
    theta = theta.copy()
    m = np.zeros_like(theta)
    v = np.zeros_like(theta)
    out = []
    for t, grad in enumerate(grads, start=1):
        theta = theta - lr * wd * theta
        m = betas[0] * m + (1 - betas[0]) * grad
        v = betas[1] * v + (1 - betas[1]) * grad**2
        m_hat = m / (1 - betas[0] ** t)
        v_hat = v / (1 - betas[1] ** t)
        theta = theta - lr * m_hat / (np.sqrt(v_hat) + eps)
        out.append(theta.copy())
    return out


adam_theta = rng.normal(size=5)
adam_grads = [rng.normal(size=5) for _ in range(4)]
adam_steps = adamw(adam_theta, adam_grads)
clip_grads = [rng.normal(0, 3, size=4), rng.normal(0, 3, size=3)]
clip_norm = float(np.sqrt(sum((gr**2).sum() for gr in clip_grads)))
clip_coef = min(1.0, 1.0 / (clip_norm + 1e-6))


def flat(a):
    return [float(v) for v in np.asarray(a, dtype=np.float64).ravel()]


real = mq.ravel() > 0
out = {
    "meta": {"numpy": np.__version__, "command": "/usr/bin/python3 tests/scripts/golden_scorer.py"},
    "scorer": {
        "call": "numpy transcription of forwardScorer (golden_scorer.py, frozen part then trainable part)",
        "config": {"embeddingDim": D, "slots": S, "maxQueryTokens": LQ, "maxItemTokens": LT, "projectionDim": DP, "hidden1": H1, "hidden2": H2, "lexicalDim": F, "grades": K},
        "vocab": V,
        "embeddings": flat(emb),
        "queryIds": [int(v) for v in q_ids.ravel()],
        "queryWeights": flat(q_w),
        "itemIds": [int(v) for v in t_ids.ravel()],
        "itemWeights": flat(t_w),
        "lexical": flat(lexical),
        "params": {k: flat(v) for k, v in params.items()},
        "tokenMaxSim": flat(max_sim.ravel()[real]),
        "matchSummaries": flat(np.stack([mean_max, min_max, frac_high], axis=1)),
        "gatedMatch": flat(g_max),
        "features": flat(h2),
        "logits": flat(logits),
    },
    "adamw": {
        "call": "torch.optim.AdamW algorithm (docs) in numpy: lr=1e-2, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.1",
        "theta": flat(adam_theta),
        "grads": [flat(gr) for gr in adam_grads],
        "steps": [flat(s) for s in adam_steps],
    },
    "clip": {
        "call": "torch.nn.utils.clip_grad_norm_(max_norm=1.0) in numpy: coef = min(1, 1 / (norm + 1e-6))",
        "grads": [flat(gr) for gr in clip_grads],
        "norm": clip_norm,
        "clipped": [flat(gr * clip_coef) for gr in clip_grads],
    },
}
OUT.write_text(json.dumps(out, separators=(",", ":")) + "\n")
print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")
