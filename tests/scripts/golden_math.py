"""Golden values for packages/core/src/math (numpy 1.24.2, scipy 1.10.1; Debian bookworm python3-numpy/python3-scipy).

Command: /usr/bin/python3 tests/scripts/golden_math.py   (or: npm run golden)
Writes:  tests/fixtures/golden/math.json
"""
import json
import pathlib

import numpy as np
from scipy.linalg import solve_triangular
from scipy.special import log_softmax, logsumexp, softmax
from scipy.stats import rankdata

OUT = pathlib.Path(__file__).resolve().parents[1] / "fixtures" / "golden" / "math.json"


def main() -> None:
    rng = np.random.default_rng(7)
    logits = np.vstack([rng.normal(size=(4, 3)) * 3, [[1000.0, 1001.0, 1002.0]], [[-1000.0, 0.0, 5.0]]])
    x = rng.normal(size=(40, 5)) @ rng.normal(size=(5, 5))
    cov0 = np.cov(x, rowvar=False, ddof=0)
    cov1 = np.cov(x, rowvar=False, ddof=1)
    L = np.linalg.cholesky(cov1)
    b = rng.normal(size=5)
    ranks_in = np.array([3.0, 1.0, 2.0, 3.0, 3.0, -1.0, 2.0])
    q_in = np.sort(rng.normal(size=11))
    out = {
        "logits": logits.tolist(),
        "logsumexp": logsumexp(logits, axis=1).tolist(),  # scipy.special.logsumexp(logits, axis=1)
        "softmax": softmax(logits, axis=1).tolist(),  # scipy.special.softmax(logits, axis=1)
        "log_softmax": log_softmax(logits, axis=1).tolist(),  # scipy.special.log_softmax(logits, axis=1)
        "x": x.tolist(),
        "means": x.mean(axis=0).tolist(),  # numpy.mean(x, axis=0)
        "cov_ddof0": cov0.tolist(),  # numpy.cov(x, rowvar=False, ddof=0)
        "cov_ddof1": cov1.tolist(),  # numpy.cov(x, rowvar=False, ddof=1)
        "cholesky": L.tolist(),  # numpy.linalg.cholesky(cov_ddof1)
        "b": b.tolist(),
        "solve_lower": solve_triangular(L, b, lower=True).tolist(),  # scipy.linalg.solve_triangular(L, b, lower=True)
        "solve_upper_t": solve_triangular(L, b, lower=True, trans="T").tolist(),  # trans='T'
        "inv_lower": np.linalg.inv(L).tolist(),  # numpy.linalg.inv(L)
        "ranks_in": ranks_in.tolist(),
        "rankdata_average": rankdata(ranks_in, method="average").tolist(),  # scipy.stats.rankdata(method='average')
        "argsort_stable": np.argsort(ranks_in, kind="stable").tolist(),  # numpy.argsort(kind='stable')
        "quantile_in": q_in.tolist(),
        "quantiles": {str(q): float(np.quantile(q_in, q)) for q in (0.0, 0.05, 0.5, 0.95, 1.0)},  # numpy.quantile(linear)
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
