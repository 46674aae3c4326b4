"""Golden values for the OOD detectors of @gradeshift/ood.

Versions: Python 3 (Debian), numpy 1.24.2, scipy 1.10.1, scikit-learn 1.2.1.
Command (from the repository root):
    /usr/bin/python3 tests/scripts/golden_detectors.py
Writes tests/fixtures/golden/detectors.json.

Data: seeded numpy Generator(PCG64(20240611)); 60 training rows x 5 features in 3 classes
(labels 0,1,2 repeated), 8 query rows (the last 3 shifted away from the training data),
and 8 rows of 3 logits (including very large ones).
"""
import json
import pathlib

import numpy as np
from scipy.special import logsumexp, softmax
from sklearn.covariance import EmpiricalCovariance, LedoitWolf
from sklearn.neighbors import NearestNeighbors

rng = np.random.Generator(np.random.PCG64(20240611))
N, D, K = 60, 5, 3
labels = np.arange(N) % K
class_offsets = rng.normal(0.0, 2.0, size=(K, D))
mixing = rng.normal(0.0, 1.0, size=(D, D))
train = rng.normal(0.0, 1.0, size=(N, D)) @ mixing + class_offsets[labels] + 0.5
queries = rng.normal(0.0, 1.0, size=(8, D)) @ mixing + 0.5
queries[5:] += np.array([6.0, -4.0, 3.0, 0.0, 5.0])
logits = rng.normal(0.0, 2.0, size=(8, 3))
logits[6] = [1000.0, 1001.0, 1002.0]
logits[7] = [-1000.0, 0.0, 5.0]


def l2_normalize(x):
    # As deeplearning-wisc/knn-ood: x / (||x|| + 1e-10)
    return x / (np.linalg.norm(x, ord=2, axis=-1, keepdims=True) + 1e-10)


def class_means(x):
    return np.stack([x[labels == c].mean(axis=0) for c in range(K)])


def class_distances(model, q, means):
    # EmpiricalCovariance.mahalanobis on q - mu_c with location_ = 0 (assume_centered=True): squared MD.
    return np.stack([model.mahalanobis(q - means[c]) for c in range(K)], axis=1)


def mahalanobis_case(shrinkage, normalize):
    x = l2_normalize(train) if normalize else train
    q = l2_normalize(queries) if normalize else queries
    means = class_means(x)
    centred = x - means[labels]
    if shrinkage == "ledoit-wolf":
        model = LedoitWolf(assume_centered=True).fit(centred)
        # LedoitWolf() without assume_centered re-centres data whose mean is already ~0: same fit.
        assert np.allclose(LedoitWolf().fit(centred).covariance_, model.covariance_, rtol=1e-12, atol=1e-14)
        coefficient = float(model.shrinkage_)
    else:
        model = EmpiricalCovariance(assume_centered=True).fit(centred)
        coefficient = None
    dists = class_distances(model, q, means)
    train_dists = class_distances(model, x, means)
    return {
        "shrinkage": shrinkage,
        "normalize": normalize,
        "ledoitWolfCoefficient": coefficient,
        "means": means.tolist(),
        "precision": model.precision_.tolist(),
        "classDistances": dists.tolist(),
        "scores": dists.min(axis=1).tolist(),
        "trainOwnClassMean": float(train_dists[np.arange(N), labels].mean()),
    }


def ridge_case(lam):
    means = class_means(train)
    centred = train - means[labels]
    cov = EmpiricalCovariance(assume_centered=True).fit(centred).covariance_ + lam * np.eye(D)
    dists = np.stack(
        [np.einsum("ij,ij->i", queries - means[c], np.linalg.solve(cov, (queries - means[c]).T).T) for c in range(K)],
        axis=1,
    )
    return {"lambda": lam, "classDistances": dists.tolist(), "scores": dists.min(axis=1).tolist()}


def relative_case(shrinkage):
    # google/uncertainty-baselines baselines/jft/ood_utils.py: min_c MD_c - MD_0, background = one Gaussian over all
    # training features (full MLE covariance), class part = tied covariance (compute_mean_and_cov).
    means = class_means(train)
    centred = train - means[labels]
    if shrinkage == "ledoit-wolf":
        cls = LedoitWolf(assume_centered=True).fit(centred)
        bg = LedoitWolf().fit(train)
    else:
        cls = EmpiricalCovariance(assume_centered=True).fit(centred)
        bg = EmpiricalCovariance().fit(train)
    md = class_distances(cls, queries, means)
    md0 = bg.mahalanobis(queries)
    return {
        "shrinkage": shrinkage,
        "backgroundMean": bg.location_.tolist(),
        "backgroundLedoitWolfCoefficient": float(bg.shrinkage_) if shrinkage == "ledoit-wolf" else None,
        "backgroundDistances": md0.tolist(),
        "scores": (md.min(axis=1) - md0).tolist(),
    }


def knn_case(k):
    bank = l2_normalize(train)
    nn = NearestNeighbors(n_neighbors=k).fit(bank)
    dist, _ = nn.kneighbors(l2_normalize(queries))
    return {"k": k, "scores": dist[:, -1].tolist()}


out = {
    "generator": "tests/scripts/golden_detectors.py (numpy 1.24.2, scipy 1.10.1, scikit-learn 1.2.1)",
    "train": train.tolist(),
    "labels": labels.tolist(),
    "queries": queries.tolist(),
    "logits": logits.tolist(),
    "mahalanobis": [
        mahalanobis_case("none", False),
        mahalanobis_case("ledoit-wolf", False),
        mahalanobis_case("ledoit-wolf", True),
    ],
    "mahalanobisRidge": ridge_case(0.25),
    "relativeMahalanobis": [relative_case("none"), relative_case("ledoit-wolf")],
    "energy": [
        {"temperature": t, "scores": (-t * logsumexp(logits / t, axis=1)).tolist()} for t in (1.0, 2.5)
    ],
    "msp": (-softmax(logits, axis=1).max(axis=1)).tolist(),
    "maxLogit": (-logits.max(axis=1)).tolist(),
    "knn": [knn_case(1), knn_case(5)],
}

path = pathlib.Path(__file__).resolve().parents[1] / "fixtures" / "golden" / "detectors.json"
path.write_text(json.dumps(out, indent=1) + "\n")
print(f"wrote {path}")
