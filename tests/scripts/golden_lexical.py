"""Golden values for the IDF-weighted lexical features (packages/core/src/features) and the ordinal decision
rule (packages/core/src/decision). scikit-learn 1.2.1, numpy 1.24.2 (Debian bookworm python3-sklearn /
python3-numpy).

Command: /usr/bin/python3 tests/scripts/golden_lexical.py
Writes:  tests/fixtures/golden/lexical.json

Texts are given as already-prepared token lists joined by single spaces, so scikit-learn's whitespace split
sees the same tokens as gradeshift's prepareText. Word TF-IDF uses every corpus token (the query and item
tokens of the pairs all occur in the corpus: scikit-learn drops unseen words at transform time, gradeshift
keeps them at the largest IDF). The ordinal thresholds are an exhaustive search written out in numpy with
sklearn.metrics.f1_score(average='macro') as the objective, the same search as tests/bench/quality_peer.py.
The grade offsets (argmax of log p + b) are an exhaustive search over one grid of b_1, b_2 (b_0 = 0), written
out in numpy with the same objective.
"""
import json
import pathlib

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import f1_score

OUT = pathlib.Path(__file__).resolve().parents[1] / "fixtures" / "golden" / "lexical.json"

CORPUS = [
    "angle bracket",
    "simpson strong tie 12 gauge angle",
    "deck over",
    "behr premium textured deckover 1 gal tugboat wood concrete coating",
    "rain shower head",
    "delta vero 1 handle shower faucet trim kit chrome valve",
    "shower head",
    "angle brackets steel",
    "wood deck screws",
    "chrome shower faucet",
]
PAIRS = [
    ("angle bracket", "simpson strong tie 12 gauge angle"),
    ("shower head", "delta vero 1 handle shower faucet trim kit chrome valve"),
    ("deck over", "behr premium textured deckover 1 gal tugboat wood concrete coating"),
    ("wood deck screws", "angle brackets steel"),
    ("chrome shower faucet", "chrome shower faucet"),
]


def split(text):
    return text.split()


def cosines(vectorizer):
    q = vectorizer.transform([p[0] for p in PAIRS])
    t = vectorizer.transform([p[1] for p in PAIRS])
    # Rows are L2-normalised, so the cosine is the row-wise dot product.
    return np.asarray(q.multiply(t).sum(axis=1)).ravel().tolist()


def tfidf_case():
    analyzer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5)).build_analyzer()
    word = TfidfVectorizer(analyzer=split, sublinear_tf=True).fit(CORPUS)
    char = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2).fit(CORPUS)
    return {
        "corpus": [c.split() for c in CORPUS],
        "pairs": [[q.split(), t.split()] for q, t in PAIRS],
        # TfidfVectorizer(analyzer='char_wb', ngram_range=(3, 5)).build_analyzer()(text)
        "charWb": {text: analyzer(text) for text in ["a", "ab", "abc", "shower head", "12 gauge"]},
        # TfidfVectorizer(analyzer=str.split, sublinear_tf=True).fit(CORPUS).idf_ per vocabulary term
        "wordIdf": {term: float(word.idf_[i]) for term, i in sorted(word.vocabulary_.items())},
        # ... .transform(queries).multiply(.transform(items)).sum(axis=1)
        "wordCosine": cosines(word),
        # TfidfVectorizer(analyzer='char_wb', ngram_range=(3, 5), sublinear_tf=True, min_df=2): the same
        "charVocabularySize": len(char.vocabulary_),
        "charCosine": cosines(char),
    }


def fit_thresholds(scores, labels, grades, candidates):
    order = np.sort(scores)
    n = len(order)
    cand = []
    for i in range(1, candidates):
        v = float(order[(i * n) // candidates])
        if not cand or v != cand[-1]:
            cand.append(v)
    best, best_t = -1.0, None

    def rec(start, chosen):
        nonlocal best, best_t
        if len(chosen) == grades - 1:
            pred = np.searchsorted(np.array(chosen), scores, side="right")
            f = f1_score(labels, pred, average="macro", zero_division=0)
            if f > best + 1e-12:
                best, best_t = f, list(chosen)
            return
        for j in range(start, len(cand)):
            rec(j, chosen + [cand[j]])

    rec(0, [])
    return best_t, best


def threshold_cases():
    rng = np.random.default_rng(7)
    cases = []
    for n, grades, candidates in [(60, 3, 20), (200, 3, 50), (90, 4, 12), (40, 2, 40)]:
        labels = rng.choice(grades, size=n, p=np.r_[0.2, np.full(grades - 1, 0.8 / (grades - 1))])
        scores = np.clip(labels * 0.5 + rng.normal(0, 0.45, size=n) + 0.3, 0, grades - 1).round(3)
        thresholds, f1 = fit_thresholds(scores, labels, grades, candidates)
        cases.append({"grades": grades, "candidates": candidates, "scores": scores.tolist(),
                      "labels": labels.tolist(), "thresholds": thresholds, "macroF1": f1})
    return cases


def offset_cases():
    rng = np.random.default_rng(11)
    cases = []
    for n, step, span in [(80, 0.25, 2.0), (300, 0.1, 1.5)]:
        labels = rng.choice(3, size=n, p=[0.2, 0.35, 0.45])
        # Logits that lean towards the true grade but rarely make grade 0 the arg-max.
        logits = rng.normal(0, 1, size=(n, 3)) + np.eye(3)[labels] * 0.8 + np.array([-0.7, 0.3, 0.2])
        probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
        probs = probs.round(6)
        probs[:, 2] = 1 - probs[:, 0] - probs[:, 1]
        logs = np.log(np.maximum(probs, 1e-12))
        grid = np.round(np.arange(-round(span / step), round(span / step) + 1) * step, 9)
        best, best_b = -1.0, None
        for b1 in grid:
            for b2 in grid:
                pred = np.argmax(logs + np.array([0.0, b1, b2]), axis=1)
                f = f1_score(labels, pred, average="macro", zero_division=0)
                if f > best + 1e-12:
                    best, best_b = f, [0.0, float(b1), float(b2)]
        argmax_f1 = f1_score(labels, np.argmax(logs, axis=1), average="macro", zero_division=0)
        cases.append({"step": step, "range": span, "probs": probs.tolist(), "labels": labels.tolist(),
                      "offsets": best_b, "macroF1": best, "argmaxMacroF1": argmax_f1,
                      "predicted": np.argmax(logs + np.array(best_b), axis=1).tolist()})
    return cases


def main():
    OUT.write_text(json.dumps({"tfidf": tfidf_case(), "thresholds": threshold_cases(),
                               "offsets": offset_cases()}, indent=1) + "\n")


if __name__ == "__main__":
    main()
