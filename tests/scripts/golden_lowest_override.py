"""Golden values for the ordinal cut points with a lowest-grade override (packages/core/src/decision/
lowest-override.ts): grade 0 when P(grade 0) >= tau, else the cut points on the expected grade; tau (none first,
then the grid from the highest down) and the cut points searched together for macro-F1, the cut points on the
quantile grid of the pairs tau leaves. Exhaustive search written out in numpy with
sklearn.metrics.f1_score(average='macro', zero_division=0) as the objective. scikit-learn 1.2.1, numpy 1.24.2
(Debian bookworm python3-sklearn / python3-numpy).

Command: /usr/bin/python3 tests/scripts/golden_lowest_override.py
Writes:  tests/fixtures/golden/lowest-override.json
"""
import json
from pathlib import Path

import numpy as np
from sklearn.metrics import f1_score

OUT = Path(__file__).resolve().parents[1] / "fixtures" / "golden" / "lowest-override.json"
GRID = [round(0.3 + 0.025 * i, 3) for i in range(21)]


def fit(probs, labels, candidates, cap):
    expected = probs @ np.arange(probs.shape[1])
    k = probs.shape[1]
    best, best_rule = -1.0, None
    for tau in [None] + sorted(GRID, reverse=True):
        forced = np.zeros(len(labels), bool) if tau is None else probs[:, 0] >= tau
        rest = np.sort(expected[~forced])
        n = len(rest)
        cand = []
        for i in range(1, candidates):
            if n == 0:
                break
            v = float(rest[(i * n) // candidates])
            if not cand or v != cand[-1]:
                cand.append(v)
        for a in range(len(cand)):
            for b in range(a, len(cand)):
                t = [cand[a], cand[b]]
                pred = np.searchsorted(np.array(t), expected, side="right")
                pred[forced] = 0
                irr = labels == 0
                if irr.sum() > 0 and (pred[irr] > 0).mean() > cap:
                    continue
                f = f1_score(labels, pred, average="macro", labels=list(range(k)), zero_division=0)
                if f > best + 1e-12:
                    best, best_rule = f, {"thresholds": t, "lowestAt": tau}
    return best_rule, best


def cases():
    rng = np.random.default_rng(5)
    out = []
    for n, candidates, cap in [(80, 12, 1.0), (150, 15, 1.0), (120, 10, 0.3)]:
        labels = rng.choice(3, size=n, p=[0.2, 0.4, 0.4])
        # An optimistic model: logits peak above the true grade, blurred; some irrelevant pairs split their mass
        # between the outer grades (the case cut points alone cannot tell from weak).
        centre = labels + 0.5 + rng.normal(0, 0.8, size=n)
        z = -((np.arange(3)[None, :] - centre[:, None]) ** 2)
        split = (labels == 0) & (rng.random(n) < 0.4)
        z[split] = np.log(np.array([0.45, 0.1, 0.45]))[None, :] + rng.normal(0, 0.3, size=(split.sum(), 3))
        p = np.exp(z - z.max(axis=1, keepdims=True))
        p = (p / p.sum(axis=1, keepdims=True)).round(4)
        p[:, 2] = 1 - p[:, 0] - p[:, 1]
        rule, f1 = fit(p, labels, candidates, cap)
        out.append({"candidates": candidates, "maxOverRecall": cap, "probs": p.tolist(),
                    "labels": labels.tolist(), "thresholds": rule["thresholds"],
                    "lowestAt": rule["lowestAt"], "macroF1": f1})
    return out


if __name__ == "__main__":
    OUT.write_text(json.dumps({"cases": cases()}) + "\n")
    print(f"wrote {OUT}")
