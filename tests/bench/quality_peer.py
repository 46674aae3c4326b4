"""Quality peer for `npm run bench -- quality`: the model a practitioner would build with scikit-learn.

scikit-learn HistGradientBoostingClassifier on lexical features of each (query, product title) pair: word and
character TF-IDF cosines, token overlap counts and fractions, lengths. Trained on the same query-disjoint ID train
split as gradeshift (split ids written by the TypeScript side), early-stopped on a 10% stratified hold-out of it, and
scored on the same ID and OOD test splits with the same metric definitions (argmax grade, macro-F1 over the three
grades; RMSE of the expected grade against the mean rating mapped to the grade axis).

Versions: scikit-learn 1.2.1, numpy 1.24.2, scipy 1.10.1 (Debian bookworm).
Command (run by tests/bench/quality.ts): /usr/bin/python3 tests/bench/quality_peer.py <splits.json> [<probs.json>]

<splits.json>: {"data": csv path, "edges": [1.75, 2.33], "splits": {"id_train": [ids], "id_test": [...], "ood_test": [...],
optionally "id_validation": [...]}, optionally "seeds": [0, 1, 2]}. The model is fitted once per seed (the seed of
HistGradientBoosting's early-stopping hold-out; default [0]); the printed figures are those of the first seed. With id_validation, a second ordinal rule is fitted the way gradeshift fits its own:
cut points on the full model's expected grade over id_validation (`*_thresholded_validation`). With <probs.json>, the
predicted probabilities of every split but id_train are written there ({split: [[p0, p1, p2], ...]}, split order, first
seed; and {"by_seed": {seed: {split: ...}}} for every seed), so the TypeScript side can compute the peer's metrics and intervals with the very code it uses for gradeshift.
"""
import csv
import json
import re
import sys
import time

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import f1_score
from sklearn.model_selection import GroupShuffleSplit

TOKEN = re.compile(r"[a-z0-9]+")


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text.lower())


def rows_cosine(a, b) -> np.ndarray:
    # Rows of TfidfVectorizer output are L2-normalised, so the cosine is the row-wise dot product.
    return np.asarray(a.multiply(b).sum(axis=1)).ravel()


def features(pairs, word, char) -> np.ndarray:
    q = [p[0] for p in pairs]
    t = [p[1] for p in pairs]
    cols = [rows_cosine(word.transform(q), word.transform(t)), rows_cosine(char.transform(q), char.transform(t))]
    overlap, frac, qlen, tlen, prefix = [], [], [], [], []
    for query, title, _rating in pairs:
        qt, tt = tokens(query), tokens(title)
        ts = set(tt)
        hit = sum(1 for w in qt if w in ts)
        overlap.append(hit)
        frac.append(hit / max(1, len(qt)))
        prefix.append(sum(1 for w in qt if any(v.startswith(w[:4]) for v in tt)) / max(1, len(qt)))
        qlen.append(len(qt))
        tlen.append(len(tt))
    cols += [np.array(overlap), np.array(frac), np.array(prefix), np.array(qlen), np.array(tlen)]
    return np.stack(cols, axis=1).astype(np.float64)


def fit_ordinal_thresholds(scores: np.ndarray, labels: np.ndarray, grades: int = 3, candidates: int = 100) -> list[float]:
    """Cut points t_1 <= ... <= t_{K-1} on the expected grade maximising macro-F1 (grade = #{t_c <= score}).

    Mirrors gradeshift's fitOrdinalThresholds: candidates are the order statistics sorted[floor(i*n/C)], i = 1..C-1
    (distinct), searched exhaustively; ties keep the first tuple met in lexicographic order.
    """
    order = np.sort(scores)
    n = len(order)
    cand = np.unique(order[[(i * n) // candidates for i in range(1, candidates)]])
    best, best_t = -1.0, None

    def rec(start: int, chosen: list[float]) -> None:
        nonlocal best, best_t
        if len(chosen) == grades - 1:
            pred = np.searchsorted(np.array(chosen), scores, side="right")
            f = f1_score(labels, pred, average="macro", zero_division=0)
            if f > best + 1e-12:
                best, best_t = f, list(chosen)
            return
        for j in range(start, len(cand)):
            rec(j, chosen + [float(cand[j])])

    rec(0, [])
    return best_t


def main() -> None:
    spec = json.loads(open(sys.argv[1]).read())
    by_id = {}
    with open(spec["data"], newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            by_id[row["id"]] = (row["search_term"], row["product_title"], float(row["relevance"]))
    split = {name: [by_id[i] for i in ids] for name, ids in spec["splits"].items()}
    edges = spec["edges"]

    def grade(r: float) -> int:
        return 0 if r <= edges[0] else 1 if r <= edges[1] else 2

    t0 = time.perf_counter()
    fit_texts = [p[0] for p in split["id_train"]] + [p[1] for p in split["id_train"]]
    word = TfidfVectorizer(analyzer="word", token_pattern=r"[a-z0-9]+", sublinear_tf=True).fit(fit_texts)
    char = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2).fit(fit_texts)
    xs = {name: features(pairs, word, char) for name, pairs in split.items()}
    ys = {name: np.array([grade(p[2]) for p in pairs]) for name, pairs in split.items()}
    seeds = [int(s) for s in spec.get("seeds", [0])]

    def fit(seed: int) -> HistGradientBoostingClassifier:
        return HistGradientBoostingClassifier(max_iter=500, learning_rate=0.05, early_stopping=True,
                                              validation_fraction=0.1, n_iter_no_change=20,
                                              random_state=seed).fit(xs["id_train"], ys["id_train"])

    clf = fit(seeds[0])
    seconds = time.perf_counter() - t0
    by_seed = {str(seeds[0]): clf}
    for seed in seeds[1:]:
        by_seed[str(seed)] = fit(seed)
    # Ordinal decision rule (extra output): cut points on the expected grade that maximise macro-F1, tuned on a
    # query-disjoint 10% hold-out of the peer's own training split (a second model with the same settings is fit on
    # the other 90% to score it), then applied to the full model's expected grade. The peer never sees id_validation.
    queries = np.array([p[0] for p in split["id_train"]])
    fit_idx, hold_idx = next(GroupShuffleSplit(n_splits=1, test_size=0.1, random_state=0)
                             .split(xs["id_train"], ys["id_train"], groups=queries))
    holdout_clf = HistGradientBoostingClassifier(**clf.get_params()).fit(xs["id_train"][fit_idx], ys["id_train"][fit_idx])
    thresholds = fit_ordinal_thresholds(holdout_clf.predict_proba(xs["id_train"][hold_idx]) @ np.arange(3),
                                        ys["id_train"][hold_idx])
    out = {"train_seconds": seconds, "iterations": int(clf.n_iter_), "thresholds": thresholds}
    validation_thresholds = None
    if "id_validation" in split:
        # The same rule gradeshift uses: cut points fitted on the full model's expected grade over id_validation.
        validation_thresholds = fit_ordinal_thresholds(clf.predict_proba(xs["id_validation"]) @ np.arange(3),
                                                       ys["id_validation"])
        out["thresholds_validation"] = validation_thresholds
    all_probs = {}
    for name in split:
        if name == "id_train":
            continue
        probs = clf.predict_proba(xs[name])
        all_probs[name] = probs.tolist()
        if name not in ("id_test", "ood_test"):
            continue
        pred = probs.argmax(axis=1)
        expected = probs @ np.arange(3)
        rating_axis = np.array([(p[2] - 1) for p in split[name]])
        cut = np.searchsorted(np.array(thresholds), expected, side="right")
        out[name] = {
            "macro_f1": float(f1_score(ys[name], pred, average="macro")),
            "accuracy": float((pred == ys[name]).mean()),
            "rmse": float(np.sqrt(np.mean((expected - rating_axis) ** 2))),
            "macro_f1_thresholded": float(f1_score(ys[name], cut, average="macro")),
            "accuracy_thresholded": float((cut == ys[name]).mean()),
        }
        if validation_thresholds is not None:
            cut_v = np.searchsorted(np.array(validation_thresholds), expected, side="right")
            out[name]["macro_f1_thresholded_validation"] = float(f1_score(ys[name], cut_v, average="macro"))
            out[name]["accuracy_thresholded_validation"] = float((cut_v == ys[name]).mean())
    all_probs["by_seed"] = {seed: {name: model.predict_proba(xs[name]).tolist() for name in split if name != "id_train"}
                            for seed, model in by_seed.items()}
    out["iterations_by_seed"] = {seed: int(model.n_iter_) for seed, model in by_seed.items()}
    if len(sys.argv) > 2:
        with open(sys.argv[2], "w") as f:
            json.dump(all_probs, f)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
