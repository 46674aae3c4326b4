"""Peer of `npm run bench -- transformer`: the same MiniLM ONNX model in Python onnxruntime with the Rust
`tokenizers`, on the same texts, batch size, truncation and thread count as the TypeScript side
(texts sorted by token count, batches of similar length, tokenization inside the timed loop).

    .venv-models/bin/python tests/bench/transformer_peer.py <work dir>   (work dir holds texts.json)

One warm-up pass, then one timed pass. Prints one JSON line: {"ms": <timed pass>, "versions": {...}};
writes embeddings.bin (float32, input order).
"""
import json
import os
import pathlib
import sys
import time

import numpy as np
import onnxruntime
import tokenizers


def main():
    work = pathlib.Path(sys.argv[1])
    job = json.loads((work / "texts.json").read_text())
    model = pathlib.Path(job["model"])
    tokenizer = tokenizers.Tokenizer.from_file(str(model / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(job["maxLength"])
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = job["threads"]
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    session = onnxruntime.InferenceSession(str(model / "model.onnx"), options, providers=["CPUExecutionProvider"])
    texts, batch = job["texts"], job["batchSize"]

    def embed():
        encodings = tokenizer.encode_batch(texts)
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        out = np.zeros((len(texts), 384), dtype=np.float32)
        for start in range(0, len(order), batch):
            rows = order[start:start + batch]
            width = max(len(encodings[i].ids) for i in rows)
            feeds = {name: np.zeros((len(rows), width), dtype=np.int64)
                     for name in ("input_ids", "attention_mask", "token_type_ids")}
            for k, i in enumerate(rows):
                e = encodings[i]
                n = len(e.ids)
                feeds["input_ids"][k, :n] = e.ids
                feeds["attention_mask"][k, :n] = e.attention_mask
                feeds["token_type_ids"][k, :n] = e.type_ids
            out[rows] = session.run(["sentence_embedding"], feeds)[0]
        return out

    embed()  # warm-up
    start = time.perf_counter()
    out = embed()
    ms = (time.perf_counter() - start) * 1000
    (work / "embeddings.bin").write_bytes(out.tobytes())
    print(json.dumps({"ms": ms, "versions": {"onnxruntime": onnxruntime.__version__,
                                                "tokenizers": tokenizers.__version__,
                                                "rayon_threads": os.environ.get("RAYON_NUM_THREADS")}}))


if __name__ == "__main__":
    main()
