"""Shift-detection peers for `npm run bench -- shift`: the two scores a practitioner would try first.

1. unseen_share: the share of a pair's tokens (query and item title, lower-cased [a-z0-9]+ runs) never seen in the
   ID-train texts.
2. char_tfidf_svd_knn: character TF-IDF (char_wb 3-5-grams, min_df 2, sublinear tf) of "query item" fitted on ID
   train, TruncatedSVD to 100 dimensions, L2-normalised; the score is 1 − cosine similarity to the 10th nearest of
   the ID-train rows (a seeded bank of at most 20,000 rows).
Both are fitted on ID train only, like gradeshift's detectors; the TypeScript side calibrates thresholds on ID
validation and computes every metric with the same code as for gradeshift's scores.

Versions: scikit-learn 1.2.1, numpy 1.24.2, scipy 1.10.1 (Debian bookworm).
Command (run by tests/bench/shift.ts): /usr/bin/python3 tests/bench/shift_peer.py <spec.json> <scores.json>
<spec.json>: {"sets": {"id_train": [[query, item], ...], "id_validation": [...], "id_test": [...], "near": [...],
"far": [...]}}; <scores.json> receives {"peer name": {"id_validation": [...], "id_test": [...], "near": [...],
"far": [...]}, "seconds": {...}}.
"""
import json
import re
import sys
import time

import numpy as np
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer

TOKEN = re.compile(r"[a-z0-9]+")
SCORED = ["id_validation", "id_test", "near", "far"]


def tokens(text):
    return TOKEN.findall(text.lower())


def unseen_share(sets):
    seen = set()
    for q, t in sets["id_train"]:
        seen.update(tokens(q))
        seen.update(tokens(t))
    out = {}
    for name in SCORED:
        scores = []
        for q, t in sets[name]:
            words = tokens(q) + tokens(t)
            scores.append(sum(w not in seen for w in words) / len(words) if words else 0.0)
        out[name] = scores
    return out


def char_knn(sets, k=10, bank_size=20000, dims=100):
    text = lambda pairs: [f"{q} {t}" for q, t in pairs]
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), min_df=2, sublinear_tf=True)
    train = vectorizer.fit_transform(text(sets["id_train"]))
    svd = TruncatedSVD(n_components=dims, random_state=0)
    reduced = svd.fit_transform(train)
    rng = np.random.default_rng(0)
    rows = rng.choice(reduced.shape[0], size=min(bank_size, reduced.shape[0]), replace=False)
    bank = reduced[rows]
    bank /= np.linalg.norm(bank, axis=1, keepdims=True) + 1e-12
    out = {}
    for name in SCORED:
        x = svd.transform(vectorizer.transform(text(sets[name])))
        x /= np.linalg.norm(x, axis=1, keepdims=True) + 1e-12
        scores = np.empty(x.shape[0])
        for start in range(0, x.shape[0], 2048):
            sims = x[start : start + 2048] @ bank.T
            # The k-th largest similarity: the k-th nearest neighbour.
            scores[start : start + 2048] = 1.0 - np.partition(sims, -k, axis=1)[:, -k]
        out[name] = scores.tolist()
    return out


def main():
    spec = json.load(open(sys.argv[1], encoding="utf-8"))
    sets = spec["sets"]
    result, seconds = {}, {}
    for name, fn in [("unseen_share", unseen_share), ("char_tfidf_svd_knn", char_knn)]:
        start = time.perf_counter()
        result[name] = fn(sets)
        seconds[name] = time.perf_counter() - start
    result["seconds"] = seconds
    json.dump(result, open(sys.argv[2], "w", encoding="utf-8"))


if __name__ == "__main__":
    main()
