"""Writes the initializers of an exported scorer graph as raw little-endian files plus index.json (name → dtype,
dims), so bench/graph-cost.ts can export the same model again with the current graph code (an A/B of graph
layouts on the real trained weights). Needs the `onnx` package (the models venv has it):

    .venv-models/bin/python tests/bench/graph_dump.py runs/default/bundle/model.onnx /tmp/scorer-dump
"""

import json
import os
import sys

import onnx
from onnx import numpy_helper


def main(model_path: str, out_dir: str) -> None:
    model = onnx.load(model_path)
    os.makedirs(out_dir, exist_ok=True)
    index = {}
    for tensor in model.graph.initializer:
        array = numpy_helper.to_array(tensor)
        dtype = {"float32": "float32", "int64": "int64"}[str(array.dtype)]
        tmp = os.path.join(out_dir, f"{tensor.name}.bin.tmp")
        array.astype(array.dtype.newbyteorder("<")).tofile(tmp)
        os.replace(tmp, os.path.join(out_dir, f"{tensor.name}.bin"))
        index[tensor.name] = {"dtype": dtype, "dims": list(array.shape)}
    metadata = {p.key: p.value for p in model.metadata_props}
    tmp = os.path.join(out_dir, "index.json.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump({"initializers": index, "metadata": metadata}, f)
    os.replace(tmp, os.path.join(out_dir, "index.json"))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: graph_dump.py <model.onnx> <out dir>")
    main(sys.argv[1], sys.argv[2])
