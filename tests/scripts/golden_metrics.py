"""Golden values for packages/core/src/metrics (scikit-learn 1.2.1, scipy 1.10.1, numpy 1.24.2, mpmath 1.2.1;
Debian bookworm python3-sklearn / python3-scipy / python3-numpy / python3-mpmath).

Command: /usr/bin/python3 tests/scripts/golden_metrics.py   (or: npm run golden)
Writes:  tests/fixtures/golden/metrics.json

Where no library function exists (ECE bins, classwise ECE, multi-class Brier, clipped NLL, adjacent/far
errors, over-recall, NDCG with stable tie-breaking, the query bootstrap) the numpy reference is written out
below. The bootstrap reference re-implements mulberry32 (packages/core/src/math/prng.ts) so both sides draw
the same queries. The special functions also get 40-digit mpmath values: scipy 1.10's betaln and betainc
lose ~1e-10 relative for a large shape parameter (e.g. betaln(0.5, 1e6)), so the tight checks use mpmath.
"""
import json
import pathlib

import mpmath as mp
import numpy as np
from scipy import special, stats
from sklearn import metrics as skm

OUT = pathlib.Path(__file__).resolve().parents[1] / "fixtures" / "golden" / "metrics.json"
M32 = 0xFFFFFFFF


def classification_case(y, yhat, k):
    y = np.asarray(y)
    yhat = np.asarray(yhat)
    labels = list(range(k))
    p, r, f, s = skm.precision_recall_fscore_support(y, yhat, labels=labels, zero_division=0)
    cm = skm.confusion_matrix(y, yhat, labels=labels)
    dist = np.abs(yhat - y)
    irrelevant = y == 0
    errors = yhat != y
    return {
        "k": k,
        "labels": y.tolist(),
        "predictions": yhat.tolist(),
        "confusion": cm.tolist(),  # sklearn.metrics.confusion_matrix(y, yhat, labels=range(k))
        "accuracy": skm.accuracy_score(y, yhat),  # sklearn.metrics.accuracy_score
        # sklearn.metrics.precision_recall_fscore_support(y, yhat, labels=range(k), zero_division=0)
        "precision": p.tolist(),
        "recall": r.tolist(),
        "f1": f.tolist(),
        "support": s.tolist(),
        # sklearn.metrics.f1_score(..., average='macro', zero_division=0): default labels (present) and labels=range(k)
        "macro_f1_present": skm.f1_score(y, yhat, average="macro", zero_division=0),
        "macro_f1_all": skm.f1_score(y, yhat, labels=labels, average="macro", zero_division=0),
        "macro_precision_present": skm.precision_score(y, yhat, average="macro", zero_division=0),
        "macro_recall_present": skm.recall_score(y, yhat, average="macro", zero_division=0),
        "weighted_f1": skm.f1_score(y, yhat, average="weighted", zero_division=0),
        # sklearn.metrics.cohen_kappa_score(y, yhat, labels=range(k), weights=...)
        "kappa_quadratic": skm.cohen_kappa_score(y, yhat, labels=labels, weights="quadratic"),
        "kappa_linear": skm.cohen_kappa_score(y, yhat, labels=labels, weights="linear"),
        "kappa_none": skm.cohen_kappa_score(y, yhat, labels=labels),
        # numpy: shares of |yhat - y| == 0, == 1, >= 2 and its mean
        "exact": float(np.mean(dist == 0)),
        "adjacent": float(np.mean(dist == 1)),
        "far": float(np.mean(dist >= 2)),
        "mae": float(np.mean(dist)),
        # numpy: over-recall = mean(yhat >= 1 | y == 0); optimistic share = mean(yhat > y | yhat != y)
        "over_recall": float(np.mean(yhat[irrelevant] >= 1)) if irrelevant.any() else 0.0,
        "optimistic_share": float(np.mean(yhat[errors] > y[errors])) if errors.any() else 0.0,
    }


def classification_cases(rng):
    cases = []
    y = rng.integers(0, 3, 40)
    yhat = np.where(rng.random(40) < 0.6, y, rng.integers(0, 3, 40))
    cases.append(classification_case(y, yhat, 3))
    # K = 5, grade 3 never occurs (an empty class in both labels and predictions).
    y = rng.choice([0, 1, 2, 4], 60)
    yhat = np.clip(y + rng.choice([-2, -1, 0, 0, 0, 1], 60), 0, 4)
    yhat[yhat == 3] = 2
    cases.append(classification_case(y, yhat, 5))
    # K = 5, grade 4 is never predicted (precision 0/0) and grade 2 never occurs in the labels (recall 0/0).
    y = rng.choice([0, 1, 3, 4], 50)
    yhat = rng.choice([0, 1, 2, 3], 50)
    cases.append(classification_case(y, yhat, 5))
    # K = 3, skewed towards irrelevant, optimistic model.
    y = rng.choice([0, 0, 0, 0, 1, 2], 80)
    yhat = np.clip(y + rng.choice([0, 0, 0, 1, 1, 2], 80), 0, 2)
    cases.append(classification_case(y, yhat, 3))
    return cases


def random_probs(rng, n, k):
    return rng.dirichlet(np.ones(k) * 0.7, n)


def regression_case(rng):
    probs = random_probs(rng, 30, 3)
    expected = probs @ np.arange(3)
    ratings = rng.integers(1, 6, 30) + rng.choice([0, 0.5], 30)
    ratings = np.clip(ratings, 1, 5)
    targets = (ratings - 1) / 4 * 2
    return {
        "probs": probs.tolist(),
        "ratings": ratings.tolist(),
        "targets": targets.tolist(),  # numpy: (r - 1) / (5 - 1) * (3 - 1)
        "expected": expected.tolist(),  # numpy: probs @ arange(3)
        "rmse": float(np.sqrt(skm.mean_squared_error(targets, expected))),  # sqrt(sklearn mean_squared_error)
        "mae": skm.mean_absolute_error(targets, expected),  # sklearn.metrics.mean_absolute_error
        "bias": float(np.mean(expected - targets)),  # numpy
    }


def stable_ndcg(gains, scores, k):
    """numpy reference: ties broken by input order (argsort(-s, kind='stable'))."""
    order = np.argsort(-scores, kind="stable")
    n = len(scores)
    k = n if k is None else min(k, n)
    disc = 1 / np.log2(np.arange(k) + 2)
    dcg = float(np.sum(gains[order][:k] * disc))
    idcg = float(np.sum(np.sort(gains)[::-1][:k] * disc))
    return dcg / idcg if idcg > 0 else 0.0


def ndcg_cases(rng):
    sizes = [6, 9, 4, 12, 5, 7]
    queries = []
    for q, m in enumerate(sizes):
        labels = rng.choice([0, 0, 1, 2, 3, 4], m)
        scores = np.round(rng.normal(size=m), 1)  # rounding to 0.1 makes ties
        if q == 1:
            scores[:4] = 0.5  # a four-way tie
        if q == 4:
            labels[:] = 0  # ideal DCG = 0
        if q == 5:
            scores[:] = 1.0  # every item tied
        queries.append((f"q{q}", labels, scores))
    # Interleave the queries in the flat input so grouping by id is exercised.
    flat = [(qid, int(l), float(s)) for qid, ls, ss in queries for l, s in zip(ls, ss)]
    perm = rng.permutation(len(flat))
    flat = [flat[i] for i in perm]
    first_seen = list(dict.fromkeys(f[0] for f in flat))
    out = {
        "query_ids": [f[0] for f in flat],
        "labels": [f[1] for f in flat],
        "scores": [f[2] for f in flat],
        "query_order": first_seen,
        "expected": [],
    }
    for k in (None, 1, 3, 5):
        for gain in ("linear", "exponential"):
            per_avg, per_stable = [], []
            for qid in first_seen:
                ls = np.array([f[1] for f in flat if f[0] == qid], dtype=float)
                ss = np.array([f[2] for f in flat if f[0] == qid])
                g = ls if gain == "linear" else 2.0**ls - 1
                # sklearn.metrics.ndcg_score([gains], [scores], k=k) (ignore_ties=False: tie-averaged)
                per_avg.append(float(skm.ndcg_score([g], [ss], k=k)))
                per_stable.append(stable_ndcg(g, ss, k))
            out["expected"].append(
                {"k": k, "gain": gain, "average": per_avg, "stable": per_stable}
            )
    return out


def auroc_case(rng, k, n):
    probs = random_probs(rng, n, k)
    # Labels correlated with the probabilities so the AUROCs are informative.
    labels = np.array([rng.choice(k, p=0.5 * p + 0.5 / k) for p in probs])
    top = labels == k - 1
    rel = labels >= 1
    eg = probs @ np.arange(k)
    return {
        "k": k,
        "probs": probs.tolist(),
        "labels": labels.tolist(),
        # sklearn.metrics.roc_auc_score(y == K-1, p[:, K-1]) and (y == K-1, expected grade)
        "strong_prob": skm.roc_auc_score(top, probs[:, k - 1]),
        "strong_expected": skm.roc_auc_score(top, eg),
        # sklearn.metrics.roc_auc_score(y >= 1, p[:, 1:].sum(1)) and (y >= 1, expected grade)
        "relevant_prob": skm.roc_auc_score(rel, probs[:, 1:].sum(axis=1)),
        "relevant_expected": skm.roc_auc_score(rel, eg),
        # sklearn.metrics.roc_auc_score(y >= 2, p[:, 2:].sum(1))
        "at_least_2_prob": skm.roc_auc_score(labels >= 2, probs[:, 2:].sum(axis=1)),
    }


def bin_index(conf, edges):
    """numpy reference of the binning: bin m holds conf in (edges[m], edges[m+1]]; conf = 0 goes to bin 0."""
    m = len(edges) - 1
    idx = np.searchsorted(edges, conf, side="left") - 1  # first edge >= conf, minus one
    return np.clip(idx, 0, m - 1)


def reference_ece(conf, hit, m):
    edges = np.linspace(0, 1, m + 1)
    idx = bin_index(conf, edges)
    bins, ece, mce = [], 0.0, 0.0
    for b in range(m):
        sel = idx == b
        cnt = int(sel.sum())
        mc = float(conf[sel].mean()) if cnt else 0.0
        acc = float(hit[sel].mean()) if cnt else 0.0
        if cnt:
            ece += cnt / len(conf) * abs(acc - mc)
            mce = max(mce, abs(acc - mc))
        bins.append({"lower": float(edges[b]), "upper": float(edges[b + 1]), "count": cnt, "meanConfidence": mc, "accuracy": acc})
    return ece, mce, bins


def calibration_case(rng, k, n, m):
    probs = random_probs(rng, n, k)
    if k == 3:
        # Confidences exactly on bin edges of M = 5 and M = 10 (0.4, 0.6, 0.8, 0.5, 1.0) and a zero probability.
        probs[:6] = [[0.6, 0.3, 0.1], [0.4, 0.35, 0.25], [0.1, 0.1, 0.8], [0.5, 0.5, 0.0], [0.0, 1.0, 0.0], [0.2, 0.2, 0.6]]
    labels = np.array([rng.choice(k, p=p) for p in probs])
    conf = probs.max(axis=1)
    hit = (probs.argmax(axis=1) == labels).astype(float)
    ece, mce, bins = reference_ece(conf, hit, m)
    per_class = [reference_ece(probs[:, c], (labels == c).astype(float), m)[0] for c in range(k)]
    onehot = np.eye(k)[labels]
    p_true = probs[np.arange(n), labels]
    return {
        "k": k,
        "bins": m,
        "probs": probs.tolist(),
        "labels": labels.tolist(),
        "ece": ece,  # numpy reference above: sum_m |B_m|/n |acc - conf| over max-prob confidences
        "mce": mce,
        "bin_table": bins,
        "classwise": per_class,  # numpy reference: ECE of p[:, c] vs 1[y = c], per class
        "classwise_mean": float(np.mean(per_class)),
        "brier": float(np.mean(np.sum((probs - onehot) ** 2, axis=1))),  # numpy: mean sum_c (p_c - 1[y=c])^2
        "nll": float(-np.mean(np.log(np.maximum(p_true, 1e-15)))),  # numpy: -mean log max(p_y, 1e-15)
        # sklearn.metrics.log_loss(y, probs, labels=range(k)): equal to nll when no p < eps
        "sklearn_log_loss": skm.log_loss(labels, probs, labels=list(range(k))) if p_true.min() > 1e-12 else None,
    }


def mulberry32(seed):
    """Exact port of createRng(seed).next() from packages/core/src/math/prng.ts."""
    a = seed & M32

    def imul(x, y):
        return (x * y) & M32

    while True:
        a = (a + 0x6D2B79F5) & M32
        t = a
        t = imul(t ^ (t >> 15), t | 1)
        t ^= (t + imul(t ^ (t >> 7), t | 61)) & M32
        yield ((t ^ (t >> 14)) & M32) / 4294967296


def bootstrap_case(rng):
    q = 23
    values = rng.random(q)
    weights = rng.integers(1, 9, q).astype(float)
    b, level, seed = 200, 0.9, 7
    gen = mulberry32(seed)
    dist = []
    for _ in range(b):
        draws = [int(next(gen) * q) for _ in range(q)]  # rng.int(q) = floor(next() * q)
        dist.append(float(np.sum(weights[draws] * values[draws]) / np.sum(weights[draws])))
    dist = np.array(dist)
    return {
        "values": values.tolist(),
        "weights": weights.tolist(),
        "resamples": b,
        "level": level,
        "seed": seed,
        "estimate": float(np.sum(weights * values) / np.sum(weights)),
        "first_draws": dist[:5].tolist(),
        "lower": float(np.percentile(dist, 5)),  # numpy.percentile(dist, 5), linear interpolation
        "upper": float(np.percentile(dist, 95)),
        "standard_error": float(np.std(dist, ddof=1)),  # numpy.std(dist, ddof=1)
    }


def special_cases():
    grid_x = [1e-300, 1e-8, 0.1, 0.5, 1.0, 1.5, 2.0, 2.5, 3.7, 9.99, 10.0, 10.5, 123.4, 1e5, 1e10]
    beta_args = [(0.5, 0.5, 0.3), (2.0, 3.0, 0.3), (0.5, 0.5, 0.999), (10.0, 0.5, 0.9), (0.5, 10.0, 0.01),
                 (50.0, 50.0, 0.5), (1.5, 2.5, 0.7), (500.0, 0.5, 0.999), (3.0, 4.0, 1e-5), (25.0, 30.0, 0.45)]
    beta_pairs = [(1.0, 1.0), (0.5, 0.5), (10.0, 0.5), (0.5, 1e6), (12.0, 15.0), (1e6, 3e6), (3.0, 7.5)]
    t_args = [(0.0, 1.0), (0.5, 1.0), (2.0, 1.0), (1.5, 2.5), (3.0, 10.0), (-2.0, 7.0), (40.0, 3.0), (1000.0, 5.0),
              (8.0, 30.0), (-0.3, 12.0), (2.1, 1e4), (6.0, 1e5), (2.1, 1e6), (25.0, 2.0), (12.0, 200.0)]
    mp.mp.dps = 40

    def mp_t_sf(t, df):
        # P(T > t) = I_x(df/2, 1/2) / 2 with x = df / (df + t^2), for t >= 0
        x = mp.mpf(df) / (df + mp.mpf(t) ** 2)
        tail = mp.betainc(mp.mpf(df) / 2, mp.mpf(1) / 2, 0, x, regularized=True) / 2
        return tail if t >= 0 else 1 - tail

    return {
        # [x, scipy.special.gammaln(x), mpmath.loggamma(x)]
        "gammaln": [[x, float(special.gammaln(x)), float(mp.loggamma(x))] for x in grid_x],
        # [a, b, scipy.special.betaln(a, b), mpmath.log(mpmath.beta(a, b))]
        "betaln": [[a, b, float(special.betaln(a, b)), float(mp.log(mp.beta(a, b)))] for a, b in beta_pairs],
        # [x, a, b, scipy.special.betainc(a, b, x), mpmath.betainc(a, b, 0, x, regularized=True)]
        "betainc": [[x, a, b, float(special.betainc(a, b, x)), float(mp.betainc(a, b, 0, x, regularized=True))] for a, b, x in beta_args],
        # [t, df, scipy.stats.t.sf(t, df), scipy.stats.t.cdf(t, df), 2 * scipy.stats.t.sf(|t|, df), mpmath sf, mpmath cdf, mpmath two-sided]
        "t": [[t, df, float(stats.t.sf(t, df)), float(stats.t.cdf(t, df)), float(2 * stats.t.sf(abs(t), df)),
               float(mp_t_sf(t, df)), float(1 - mp_t_sf(t, df)), float(2 * mp_t_sf(abs(t), df))] for t, df in t_args],
    }


def paired_cases(rng):
    cases = []
    for n, shift in ((8, 0.1), (15, 0.02), (40, 0.0), (12, -0.05)):
        a = np.round(rng.random(n), 3)
        b = np.round(np.clip(a - shift + rng.normal(scale=0.1, size=n), 0, 1), 3)
        if n == 15:
            b[:4] = a[:4]  # zero differences
        res = stats.ttest_rel(a, b)  # scipy.stats.ttest_rel(a, b)
        case = {"a": a.tolist(), "b": b.tolist(), "t": float(res.statistic), "p": float(res.pvalue), "df": n - 1}
        if n <= 15:
            # scipy.stats.permutation_test((a - b,), np.mean, permutation_type='samples', n_resamples=inf): exact sign flips
            perm = stats.permutation_test((a - b,), lambda d, axis: np.mean(d, axis=axis), vectorized=True,
                                          permutation_type="samples", alternative="two-sided", n_resamples=np.inf)
            case["sign_flip_p"] = float(perm.pvalue)
        cases.append(case)
    return cases


def main() -> None:
    rng = np.random.default_rng(20240611)
    out = {
        "classification": classification_cases(rng),
        "regression": regression_case(rng),
        "ndcg": ndcg_cases(rng),
        "auroc": [auroc_case(rng, 3, 40), auroc_case(rng, 5, 60)],
        "calibration": [calibration_case(rng, 3, 50, 5), calibration_case(rng, 3, 50, 15), calibration_case(rng, 5, 80, 10)],
        "bootstrap": bootstrap_case(rng),
        "special": special_cases(),
        "paired": paired_cases(rng),
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(out, separators=(",", ":")) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
