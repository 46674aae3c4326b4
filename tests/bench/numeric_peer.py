"""NumPy / scikit-learn peer for `npm run bench` (numeric kernels).

Reads the data the TypeScript bench wrote (raw little-endian float32/int32 files described by meta.json)
and times the same work with the reference stack, printing one JSON object on stdout.

Versions: numpy 1.24.2, scipy 1.10.1, scikit-learn 1.2.1 (Debian bookworm). Threads: whatever OpenBLAS
uses by default on this machine (2 cores), the same machine the TypeScript side runs on.

Command (run by tests/bench/run.ts): /usr/bin/python3 tests/bench/numeric_peer.py <data-dir>
"""
import json
import pathlib
import sys
import time

import numpy as np
from sklearn.covariance import LedoitWolf
from sklearn.metrics import roc_auc_score
from sklearn.neighbors import NearestNeighbors


def load(d: pathlib.Path, meta: dict, name: str) -> np.ndarray:
    spec = meta[name]
    return np.fromfile(d / spec["file"], dtype=spec["dtype"]).reshape(spec["shape"])


def timed(fn, repeats: int) -> tuple[float, object]:
    fn()  # warm-up
    times = []
    out = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return float(np.median(times)), out


def main() -> None:
    d = pathlib.Path(sys.argv[1])
    meta = json.loads((d / "meta.json").read_text())
    repeats = int(meta.get("repeats", 3))
    results = {}

    fit_x = load(d, meta, "fit_x").astype(np.float64)
    fit_y = load(d, meta, "fit_y")

    def fit():
        # The same work as fitMahalanobis: L2-normalise, class means, pooled within-class centring,
        # Ledoit-Wolf shrunk tied covariance, Cholesky, whitening matrix W = L^-1.
        x = fit_x / (np.linalg.norm(fit_x, axis=1, keepdims=True) + 1e-10)
        means = np.stack([x[fit_y == c].mean(axis=0) for c in range(3)])
        xc = x - means[fit_y]
        cov = LedoitWolf(assume_centered=True).fit(xc).covariance_
        L = np.linalg.cholesky(cov)
        W = np.linalg.inv(L)
        return means, W

    results["mahalanobis_fit"], (means, W) = timed(fit, repeats)

    score_x = load(d, meta, "score_x")
    wmu = means @ W.T

    def score():
        x = score_x.astype(np.float32)
        x = x / (np.linalg.norm(x, axis=1, keepdims=True) + 1e-10)
        z = x @ W.T.astype(np.float32)
        best = None
        for c in range(3):
            dc = ((z - wmu[c].astype(np.float32)) ** 2).sum(axis=1)
            best = dc if best is None else np.minimum(best, dc)
        return best

    results["mahalanobis_score_1m"], _ = timed(score, repeats)

    auc_s = load(d, meta, "auroc_scores").astype(np.float64)
    auc_y = load(d, meta, "auroc_labels")
    results["auroc_1m"], auc = timed(lambda: roc_auc_score(auc_y, auc_s), repeats)
    results["auroc_value"] = float(auc)

    bank = load(d, meta, "knn_bank")
    queries = load(d, meta, "knn_queries")
    k = int(meta["knn_k"])

    def knn():
        b = bank / (np.linalg.norm(bank, axis=1, keepdims=True) + 1e-10)
        q = queries / (np.linalg.norm(queries, axis=1, keepdims=True) + 1e-10)
        nn = NearestNeighbors(n_neighbors=k, algorithm="brute").fit(b)
        dist, _ = nn.kneighbors(q)
        return dist[:, -1]

    results["knn_50k_10k"], kth = timed(knn, max(1, repeats - 1))
    results["knn_kth_mean"] = float(np.mean(kth))
    results["versions"] = {"numpy": np.__version__, "sklearn": __import__("sklearn").__version__}
    print(json.dumps(results))


if __name__ == "__main__":
    main()
