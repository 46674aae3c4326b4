"""Golden tokenizations from Python `tokenizers` (0.23.3, pinned in scripts/models/requirements-minilm.txt).

Run in the models environment (npm run models:minilm creates it):

    .venv-models/bin/python tests/scripts/generate_tokenizer_golden.py invented
        builds tests/fixtures/tokenizer/tiny-wordpiece.json (a BERT-shaped WordPiece tokenizer trained
        on invented product titles) and writes tests/fixtures/golden/tokenizer-invented.json: invented
        texts (unicode, accents, numbers with units, a long text) through that tokenizer and, when
        models/minilm is installed, through the MiniLM tokenizer. Committed.

    .venv-models/bin/python tests/scripts/generate_tokenizer_golden.py data   (npm run golden:tokenizer)
        writes tests/artifacts/tokenizer-golden.json (git-ignored): at least 1,000 texts drawn with a fixed
        seed from ../shared/data/homedepot/train.csv and ../shared/data/crowdflower/judged.csv, singly and
        as query + item pairs, through models/minilm/tokenizer.json at max lengths 128 and 256, plus
        1,000-character titles made by joining data titles. Token ids decode back to the text, so this
        file holds data rows and is never committed; CI generates it after installing the model.

Each case records ids, type ids and attention masks with truncation (longest first) and no padding;
`batches` record padded batches (padding to the longest, right side, pad id 0).
"""
import csv
import hashlib
import json
import pathlib
import random
import sys

from tokenizers import Tokenizer, __version__ as TOKENIZERS_VERSION

ROOT = pathlib.Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "data"
TINY = ROOT / "tests" / "fixtures" / "tokenizer" / "tiny-wordpiece.json"
MINILM = ROOT / "models" / "minilm" / "tokenizer.json"

INVENTED_TITLES = [
    "Acme 18 V cordless drill with 2 Ah battery",
    "Brightline 60 W LED bulb, warm white (2700 K)",
    "Café crème satin wall paint 1 gal. / 3.78 L",
    "Señor Jardín garden hose 50 ft. x 5/8 in.",
    "Ölfilter für Rasenmäher, 4-Takt",
    "Ünïcödé çhäïr — beige, 45×60 cm",
    "日本製 ステンレス 包丁 (21 cm)",
    "Steel angle bracket 12-gauge, 2-pack",
    "Porcelain floor tile 12 in. x 24 in. matte grey",
    "Outdoor solar path light 8-pack 1.2V NiMH",
    "Copper pipe fitting 3/4\" elbow 90°",
    "Smart thermostat Wi-Fi 24VAC – white",
    "naïve résumé coöperate façade",
    "emoji 🔨 hammer 🪛 screwdriver set",
    "Tab\tseparated\ttitle and  double  spaces",
    "UPPER CASE TITLE WITH NUMBERS 1234567890",
]
INVENTED_QUERIES = ["cordless drill", "led bulb 60w", "wall paint", "garden hose 50ft", "tile 12x24",
                    "café", "3/4 copper elbow", "thermostat", "hammer", "ölfilter"]
LONG = ("Heavy-duty galvanised steel shelving unit, 5 tiers, 72 in. H x 48 in. W x 24 in. D, "
        "holds 4,000 lb., résistant à la rouille, ") * 12


def configured(path, max_length):
    tokenizer = Tokenizer.from_file(str(path))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=max_length, strategy="longest_first")
    return tokenizer


def case(tokenizer, text, pair=None):
    encoding = tokenizer.encode(text, pair) if pair is not None else tokenizer.encode(text)
    return {"ids": encoding.ids, "typeIds": encoding.type_ids, "attentionMask": encoding.attention_mask}


def batch(path, max_length, pairs):
    tokenizer = configured(path, max_length)
    tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
    rows = tokenizer.encode_batch(pairs)
    return {"maxLength": max_length, "pairs": [list(p) for p in pairs],
            "ids": [r.ids for r in rows], "typeIds": [r.type_ids for r in rows],
            "attentionMask": [r.attention_mask for r in rows]}


def build_tiny():
    from tokenizers import decoders, models, normalizers, pre_tokenizers, processors, trainers

    tokenizer = Tokenizer(models.WordPiece(unk_token="[UNK]", max_input_chars_per_word=100))
    tokenizer.normalizer = normalizers.BertNormalizer(lowercase=True)
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    trainer = trainers.WordPieceTrainer(vocab_size=400, special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"])
    corpus = INVENTED_TITLES[:12] + INVENTED_QUERIES[:8]
    tokenizer.train_from_iterator(corpus * 3, trainer=trainer)
    cls, sep = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    tokenizer.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1", special_tokens=[("[CLS]", cls), ("[SEP]", sep)])
    tokenizer.decoder = decoders.WordPiece()
    TINY.parent.mkdir(parents=True, exist_ok=True)
    TINY.write_text(tokenizer.to_str(pretty=True) + "\n")


def cases_for(path, texts, pairs, max_lengths):
    out = []
    for max_length in max_lengths:
        tokenizer = configured(path, max_length)
        out += [{"maxLength": max_length, "text": t, **case(tokenizer, t)} for t in texts]
        out += [{"maxLength": max_length, "text": q, "pair": i, **case(tokenizer, q, i)} for q, i in pairs]
    return out


def invented():
    build_tiny()
    texts = INVENTED_TITLES + INVENTED_QUERIES + [LONG, ""]
    pairs = [(INVENTED_QUERIES[i % len(INVENTED_QUERIES)], t) for i, t in enumerate(INVENTED_TITLES)]
    pairs += [(LONG, "short item"), ("short query", LONG), (LONG, LONG[::-1])]
    golden = {"generator": "tests/scripts/generate_tokenizer_golden.py invented", "tokenizers": TOKENIZERS_VERSION,
              "sources": {}}
    sources = {"tiny-wordpiece": TINY}
    if MINILM.exists():
        sources["minilm"] = MINILM
    for name, path in sources.items():
        golden["sources"][name] = {
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            "cases": cases_for(path, texts, pairs, [8, 16, 128]),
            "batches": [batch(path, 16, pairs[:5]), batch(path, 128, pairs[-4:])],
        }
    write(ROOT / "tests" / "fixtures" / "golden" / "tokenizer-invented.json", golden)


def read_column(path, columns, limit):
    with open(path, newline="", encoding="utf-8", errors="replace") as handle:
        rows = list(csv.DictReader(handle))
    return [tuple(row[c] for c in columns) for row in rows[:limit]]


def data():
    if not MINILM.exists():
        sys.exit(f"{MINILM} is missing: run npm run models:minilm first")
    rng = random.Random(11)
    homedepot = read_column(SHARED / "homedepot" / "train.csv", ["search_term", "product_title"], 10**6)
    crowdflower = read_column(SHARED / "crowdflower" / "judged.csv", ["query", "product_title"], 10**6)
    picked = rng.sample(homedepot, 350) + rng.sample(crowdflower, 250)
    unusual = [p for p in homedepot + crowdflower if any(ord(ch) > 127 for ch in p[0] + p[1])]
    picked += rng.sample(unusual, min(100, len(unusual)))
    titles = [p[1] for p in homedepot]
    long_titles = [" ".join(rng.sample(titles, 40))[:1000] for _ in range(50)]
    texts = [t for pair in picked for t in pair] + long_titles
    pairs = picked + [(picked[i][0], long_titles[i]) for i in range(len(long_titles))]
    cases = cases_for(MINILM, texts, pairs, [128, 256])
    golden = {"generator": "tests/scripts/generate_tokenizer_golden.py data", "tokenizers": TOKENIZERS_VERSION,
              "sha256": hashlib.sha256(MINILM.read_bytes()).hexdigest(),
              "texts": len(set(texts)), "cases": cases, "batches": [batch(MINILM, 128, pairs[:64])]}
    out = ROOT / "tests" / "artifacts" / "tokenizer-golden.json"
    write(out, golden)


def write(path, value):
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(value, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)
    print(f"wrote {path}")


if __name__ == "__main__":
    {"invented": invented, "data": data}[sys.argv[1] if len(sys.argv) > 1 else "invented"]()
