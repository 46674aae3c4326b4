"""Golden values for the binary ranking metrics (packages/core/src/metrics: auroc, average-precision,
roc-curve) and the OOD metrics, calibration and thresholds (packages/ood/src/metrics, calibration).

Versions: scikit-learn 1.2.1, numpy 1.24.2 (Debian bookworm python3-sklearn / python3-numpy).
Command:  /usr/bin/python3 tests/scripts/golden_ood_metrics.py
Writes:   tests/fixtures/golden/ood-metrics.json

Conventions (see packages/ood/src/metrics/evaluate-ood.ts):
- OOD scores: higher = more OOD. ID is the positive class for AUROC / AUPR-In / FPR@95TPR, with
  confidence = -score; AUPR-Out uses OOD as positive with the raw score.
- Rank threshold at TPR t: keep = ceil(t * n_id) ID samples; threshold = the keep-th smallest ID score;
  a sample is kept as ID iff score <= threshold; FPR = fraction of OOD samples kept.
"""
import json
import math
import pathlib

import numpy as np
from sklearn.metrics import average_precision_score, roc_auc_score, roc_curve

OUT = pathlib.Path(__file__).resolve().parents[1] / "fixtures" / "golden" / "ood-metrics.json"


def ranking_case(name, scores, labels):
    scores = np.asarray(scores, dtype=float)
    labels = np.asarray(labels, dtype=int)
    fpr, tpr, thr = roc_curve(labels, scores, drop_intermediate=False)
    fpr_d, tpr_d, thr_d = roc_curve(labels, scores, drop_intermediate=True)
    return {
        "name": name,
        "scores": scores.tolist(),
        "labels": labels.tolist(),
        "roc_auc": float(roc_auc_score(labels, scores)),  # sklearn.metrics.roc_auc_score(labels, scores)
        "ap": float(average_precision_score(labels, scores)),  # sklearn.metrics.average_precision_score(labels, scores)
        # sklearn.metrics.roc_curve(labels, scores, drop_intermediate=False)
        "roc": {"fpr": fpr.tolist(), "tpr": tpr.tolist(), "thresholds": thr.tolist()},
        # sklearn.metrics.roc_curve(labels, scores, drop_intermediate=True)
        "roc_drop": {"fpr": fpr_d.tolist(), "tpr": tpr_d.tolist(), "thresholds": thr_d.tolist()},
    }


def keep_count(tpr, n):
    x = tpr * n
    r = round(x)
    return int(r if abs(x - r) < 1e-9 else math.ceil(x))


def ood_case(name, id_scores, ood_scores, tpr=0.95):
    id_s = np.asarray(id_scores, dtype=float)
    ood_s = np.asarray(ood_scores, dtype=float)
    is_id = np.r_[np.ones(len(id_s), dtype=int), np.zeros(len(ood_s), dtype=int)]
    all_s = np.r_[id_s, ood_s]
    keep = keep_count(tpr, len(id_s))
    thr = float(np.sort(id_s)[keep - 1])
    fpr_c, tpr_c, _ = roc_curve(is_id, -all_s, drop_intermediate=False)
    out = {
        "name": name,
        "id_scores": id_s.tolist(),
        "ood_scores": ood_s.tolist(),
        "tpr": tpr,
        "auroc": float(roc_auc_score(is_id, -all_s)),  # roc_auc_score(is_id, -scores)
        "aupr_in": float(average_precision_score(is_id, -all_s)),  # average_precision_score(is_id, -scores)
        "aupr_out": float(average_precision_score(1 - is_id, all_s)),  # average_precision_score(is_ood, scores)
        "threshold": thr,  # np.sort(id)[ceil(tpr*n) - 1]
        "tpr_achieved": float(np.mean(id_s <= thr)),  # np.mean(id <= threshold)
        "fpr_at_tpr": float(np.mean(ood_s <= thr)),  # np.mean(ood <= threshold)
        # min over roc_curve(is_id, -scores) points of 0.5*(1 - tpr) + 0.5*fpr
        "detection_error": float(np.min(0.5 * (1 - tpr_c) + 0.5 * fpr_c)),
    }
    if tpr == 0.95 and len(id_s) % 20 == 0:
        # deeplearning-wisc/knn-ood util/metrics.py: known = sorted confidences,
        # threshold = known[round(0.05 * num_k)], fpr = sum(novel > threshold) / num_n
        known = np.sort(-id_s)
        knn_thr = known[round(0.05 * len(known))]
        out["knn_code_fpr"] = float(np.sum(-ood_s > knn_thr) / len(ood_s))
    return out


def percentile_case(held_out, queries):
    ref = np.sort(np.asarray(held_out, dtype=float))
    q = np.asarray(queries, dtype=float)
    return {
        "held_out": np.asarray(held_out, dtype=float).tolist(),
        "queries": q.tolist(),
        # fraction of held-out scores <= q: np.searchsorted(sorted, q, side='right') / n
        "percentiles": (np.searchsorted(ref, q, side="right") / len(ref)).tolist(),
    }


def main() -> None:
    rng = np.random.default_rng(20240611)
    r4 = lambda a: np.round(a, 4)  # noqa: E731  (short, exactly representable-ish inputs)
    ranking = [
        ranking_case("tied-one-decimal", np.round(rng.normal(size=30), 1), rng.integers(0, 2, size=30)),
        ranking_case("all-tied", np.full(8, 0.5), [0, 1, 1, 0, 1, 0, 0, 1]),
        ranking_case("integer-heavy-ties", rng.integers(0, 5, size=60), rng.integers(0, 2, size=60)),
        ranking_case("continuous", r4(rng.normal(size=50)), rng.integers(0, 2, size=50)),
        ranking_case("separated", [0.1, 0.2, 0.3, 0.7, 0.8, 0.9], [0, 0, 0, 1, 1, 1]),
        ranking_case("reversed-with-ties", [3, 3, 2, 2, 1, 1, 0], [0, 0, 0, 1, 0, 1, 1]),
    ]
    ood = [
        ood_case("gaussian-n200", r4(rng.normal(size=200)), r4(rng.normal(loc=1.5, size=150))),
        ood_case("ties-n137", np.round(rng.normal(size=137), 1), np.round(rng.normal(loc=1.0, size=90), 1)),
        ood_case("integer-scores", rng.integers(0, 6, size=80), rng.integers(3, 9, size=40)),
        ood_case("energy-like", r4(-rng.gamma(5.0, size=100) - 3), r4(-rng.gamma(2.0, size=60) - 1)),
        ood_case("gaussian-tpr90", r4(rng.normal(size=61)), r4(rng.normal(loc=2.0, size=33)), tpr=0.9),
    ]
    calibration = percentile_case(
        [0.3, 0.1, 0.7, 0.5, 0.5, 0.9, 0.2, 0.5, 0.8, 0.4],
        [-1.0, 0.1, 0.15, 0.5, 0.55, 0.9, 2.0],
    )
    out = {"ranking": ranking, "ood": ood, "calibration": calibration}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(out) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
