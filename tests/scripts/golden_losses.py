#!/usr/bin/python3
"""Golden values for packages/core/src/losses (tests/fixtures/golden/losses.json).

Reference implementations: scikit-learn 1.2.1, SciPy 1.10.1, NumPy 1.24.2 (Debian's Python).
Command (from the repository root):
    /usr/bin/python3 tests/scripts/golden_losses.py

Each case records the call that produced its number in "call". Inputs are stored as JSON floats
(shortest round-trip repr), so the TypeScript tests read back the exact same doubles.
"""
import json
import pathlib

import numpy as np
import scipy
import sklearn
from scipy.special import log_softmax, rel_entr, softmax
from scipy.stats import entropy
from sklearn.metrics import log_loss

OUT = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "golden" / "losses.json"
rng = np.random.default_rng(20240607)


def batch(n, k, scale=3.0):
    return np.round(rng.normal(0.0, scale, size=(n, k)), 6)


def extreme(n, k):
    # ±50 logits: probabilities saturate to exactly 0/1 in float64 unless log-space is used.
    return rng.choice([-50.0, 50.0, 0.0, 7.5], size=(n, k))


def rows(a):
    return [[float(v) for v in r] for r in np.atleast_2d(a)]


def ints(a):
    return [int(v) for v in a]


def floats(a):
    return [float(v) for v in a]


def sord(labels, k, alpha, distance):
    d = np.arange(k)[None, :] - np.asarray(labels, dtype=float)[:, None]
    phi = d**2 if distance == "squared" else np.abs(d)
    return softmax(-alpha * phi, axis=1)


cases = {"ce": [], "sord_targets": [], "sord_loss": [], "focal": [], "kl": [], "dpo": [], "confidence": [], "margin": [], "graded": []}

# --- softmax cross-entropy: sklearn.metrics.log_loss on softmax probabilities ------------------------
for n, k in [(6, 2), (7, 3), (8, 5)]:
    z = batch(n, k)
    y = rng.integers(0, k, n)
    p = softmax(z, axis=1)
    cases["ce"].append({"name": f"plain K={k}", "logits": rows(z), "labels": ints(y),
                        "value": float(log_loss(y, p, labels=list(range(k)))),
                        "call": "sklearn.metrics.log_loss(y, scipy.special.softmax(z, axis=1), labels=range(K))"})
    cw = np.round(rng.uniform(0.2, 3.0, k), 3)
    sw = np.round(rng.uniform(0.0, 2.0, n), 3)
    cases["ce"].append({"name": f"class+sample weights K={k}", "logits": rows(z), "labels": ints(y),
                        "classWeights": floats(cw), "sampleWeights": floats(sw),
                        "value": float(log_loss(y, p, labels=list(range(k)), sample_weight=sw * cw[y])),
                        "call": "sklearn.metrics.log_loss(y, softmax(z), labels=range(K), sample_weight=s * w[y])"})
z = extreme(5, 3)
y = rng.integers(0, 3, 5)
cases["ce"].append({"name": "extreme logits (log-space; log_loss would clip)", "logits": rows(z), "labels": ints(y),
                    "value": float(np.mean(-log_softmax(z, axis=1)[np.arange(5), y])),
                    "call": "numpy.mean(-scipy.special.log_softmax(z, axis=1)[arange(n), y])"})

# --- SORD targets and loss -------------------------------------------------------------------------
for labels, k, alpha, distance in [([0, 1, 2], 3, 2.0, "squared"), ([0, 1.5, 2.5, 4, 3.33], 5, 1.0, "absolute"),
                                   ([0, 1], 2, 3.0, "squared"), ([0.0, 1.33, 2.0], 3, 2.0, "squared")]:
    cases["sord_targets"].append({"labels": floats(labels), "k": k, "alpha": alpha, "distance": distance,
                                  "targets": rows(sord(labels, k, alpha, distance)),
                                  "call": "scipy.special.softmax(-alpha * phi(arange(K) - y), axis=1)"})
for n, k, alpha, distance, cont in [(6, 3, 2.0, "squared", False), (5, 5, 1.5, "absolute", True), (4, 2, 2.0, "squared", True)]:
    z = batch(n, k)
    y = np.round(rng.uniform(0, k - 1, n), 2) if cont else rng.integers(0, k, n).astype(float)
    sw = np.round(rng.uniform(0.1, 2.0, n), 3)
    q = sord(y, k, alpha, distance)
    per = -(q * log_softmax(z, axis=1)).sum(axis=1)
    cases["sord_loss"].append({"logits": rows(z), "labels": floats(y), "alpha": alpha, "distance": distance,
                               "sampleWeights": floats(sw), "value": float(per.mean()),
                               "weightedValue": float(np.average(per, weights=sw)),
                               "call": "-(q * scipy.special.log_softmax(z, axis=1)).sum(1) -> mean / numpy.average(weights=s)"})

# --- focal loss (numpy, Lin et al. 2017 multi-class form) -------------------------------------------
for n, k, gamma, with_alpha in [(6, 2, 2.0, False), (7, 3, 2.0, True), (8, 5, 0.5, True), (5, 3, 0.0, False)]:
    z = batch(n, k)
    y = rng.integers(0, k, n)
    a = np.round(rng.uniform(0.25, 1.0, k), 3) if with_alpha else np.ones(k)
    lp = log_softmax(z, axis=1)[np.arange(n), y]
    per = -a[y] * (-np.expm1(lp)) ** gamma * lp
    case = {"logits": rows(z), "labels": ints(y), "gamma": gamma, "value": float(per.mean()),
            "call": "numpy.mean(-alpha[y] * (1 - p_y)**gamma * log p_y), log p_y = scipy.special.log_softmax"}
    if with_alpha:
        case["alpha"] = floats(a)
    cases["focal"].append(case)

# --- distillation KL: scipy.special.rel_entr ------------------------------------------------------
for n, k, t, kind in [(5, 3, 1.0, "logits"), (6, 5, 2.0, "logits"), (4, 3, 4.0, "probs"), (5, 2, 0.5, "logits")]:
    zs = batch(n, k)
    if kind == "logits":
        zt = batch(n, k)
        q = softmax(zt / t, axis=1)
    else:
        q = softmax(batch(n, k), axis=1)
        q[0] = [0.0] * (k - 1) + [1.0]  # a hard teacher row: rel_entr(0, p) = 0
    p = softmax(zs / t, axis=1)
    value = float(t * t * rel_entr(q, p).sum(axis=1).mean())
    case = {"student": rows(zs), "temperature": t, "value": value,
            "call": "T**2 * scipy.special.rel_entr(q, scipy.special.softmax(zs / T, axis=1)).sum(1).mean()"}
    if kind == "logits":
        case["teacherLogits"] = rows(zt)
    else:
        case["teacherProbs"] = rows(q)
    cases["kl"].append(case)

# --- DPO (numpy): -mean log sigmoid(beta * margin), log sigmoid(u) = -logaddexp(0, -u) ------------
for n, k, beta, ext in [(6, 3, 0.1, False), (5, 5, 0.5, False), (4, 2, 1.0, False), (5, 3, 2.0, True)]:
    zp = extreme(n, k) if ext else batch(n, k)
    zr = zp + batch(n, k, 1.0)
    yc = rng.integers(0, k, n)
    yr = (yc + rng.integers(1, k, n)) % k
    lp, lr = log_softmax(zp, axis=1), log_softmax(zr, axis=1)
    idx = np.arange(n)
    u = beta * ((lp[idx, yc] - lr[idx, yc]) - (lp[idx, yr] - lr[idx, yr]))
    cases["dpo"].append({"policy": rows(zp), "reference": rows(zr), "chosen": ints(yc), "rejected": ints(yr), "beta": beta,
                         "value": float(np.mean(np.logaddexp(0.0, -u))),
                         "call": "numpy.mean(numpy.logaddexp(0, -beta * ((lp[y+] - lr[y+]) - (lp[y-] - lr[y-]))))"})

# --- confidence penalty: -scipy.stats.entropy --------------------------------------------------------
for n, k in [(5, 2), (6, 3), (4, 5)]:
    z = batch(n, k)
    cases["confidence"].append({"logits": rows(z), "value": float(np.mean(-entropy(softmax(z, axis=1), axis=1))),
                                "call": "numpy.mean(-scipy.stats.entropy(scipy.special.softmax(z, axis=1), axis=1))"})


# --- pairwise margin and graded loss (numpy loops over pairs) -------------------------------------
def margin(z, y, delta, groups=None):
    s = softmax(z, axis=1) @ np.arange(z.shape[1])
    total, count = 0.0, 0
    for i in range(len(y)):
        for j in range(len(y)):
            if y[i] > y[j] and (groups is None or groups[i] == groups[j]):
                count += 1
                total += max(0.0, delta * (y[i] - y[j]) - (s[i] - s[j]))
    return total / count if count else 0.0


for n, k, delta, grouped in [(6, 3, 0.3, False), (8, 5, 0.2, True), (5, 2, 0.5, False)]:
    z = batch(n, k, 1.5)
    y = rng.integers(0, k, n)
    g = rng.integers(0, 2, n) if grouped else None
    case = {"logits": rows(z), "labels": ints(y), "delta": delta, "value": margin(z, y, delta, g),
            "call": "mean over y_i > y_j (same group) of max(0, delta*(y_i-y_j) - (s_i-s_j)), s = softmax(z) @ arange(K)"}
    if grouped:
        case["groups"] = ints(g)
    cases["margin"].append(case)

for n, k, lm, lh in [(6, 3, 0.5, 0.0), (7, 5, 1.0, 0.1)]:
    z = batch(n, k)
    y = rng.integers(0, k, n)
    soft = float(np.mean(-(sord(y, k, 2.0, "squared") * log_softmax(z, axis=1)).sum(axis=1)))
    mar = margin(z, y, 0.3)
    conf = float(np.mean(-entropy(softmax(z, axis=1), axis=1)))
    cases["graded"].append({"logits": rows(z), "labels": ints(y), "lambdaMargin": lm, "lambdaConfidence": lh,
                            "soft": soft, "margin": mar, "confidence": conf, "value": soft + lm * mar + lh * conf,
                            "call": "soft + lm * margin + lh * (-entropy), alpha = 2 squared, delta = 0.3"})

meta = {"generator": "tests/scripts/golden_losses.py", "sklearn": sklearn.__version__, "scipy": scipy.__version__, "numpy": np.__version__}
OUT.write_text(json.dumps({"meta": meta, **cases}, separators=(",", ":")) + "\n")
print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")
