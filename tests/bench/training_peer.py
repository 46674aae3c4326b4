"""PyTorch peer for `npm run bench -- training`: the same scorer network, trained on CPU on the same frozen inputs.

The TypeScript side writes, for the Home Depot ID training split, the inputs that do not depend on trainable
weights (dense query token vectors with a mask, each token's maxSim, the pooled item vector, the three frozen
match summaries, the lexical features, the grades). This script builds the identical network — term-control gate,
shared projection, interaction [qp*tp, |qp-tp|, meanMax, gMax, minMax, fracHigh, lexical], two ReLU layers, a
linear head — and trains it with the same loss (cross-entropy), optimiser (AdamW, lr 2e-3, weight decay 0.01 on
gateW/P/W1/W2/W3), clipping (global norm 1), batch size (256) and epochs, timing the epochs only.

Versions: python3-torch 1.13.1 (Debian bookworm), CPU. Threads: the optional second argument (torch.set_num_threads);
without it, torch's default (1 for Debian's build on this machine).
Command (run by tests/bench/training.ts): /usr/bin/python3 tests/bench/training_peer.py <data-dir> [threads]
"""
import json
import pathlib
import sys
import time

import numpy as np
import torch
from torch import nn


class Scorer(nn.Module):
    def __init__(self, d: int, dp: int, h1: int, h2: int, f: int, k: int) -> None:
        super().__init__()
        self.gate_w = nn.Parameter(torch.zeros(d))
        self.gate_match = nn.Parameter(torch.zeros(()))
        self.gate_bias = nn.Parameter(torch.zeros(()))
        self.P = nn.Linear(d, dp, bias=False)
        self.l1 = nn.Linear(2 * dp + 4 + f, h1)
        self.l2 = nn.Linear(h1, h2)
        self.l3 = nn.Linear(h2, k)

    def forward(self, qtok, qmask, maxsim, item, summaries, lexical):
        a = qtok @ self.gate_w + self.gate_match * maxsim + self.gate_bias
        g = torch.sigmoid(a) * qmask
        z = g.sum(dim=1, keepdim=True) + 1e-6
        q = (g.unsqueeze(-1) * qtok).sum(dim=1) / z
        gmax = (g * maxsim).sum(dim=1, keepdim=True) / z
        qp, tp = self.P(q), self.P(item)
        x = torch.cat([qp * tp, (qp - tp).abs(), summaries[:, :1], gmax, summaries[:, 1:], lexical], dim=1)
        return self.l3(torch.relu(self.l2(torch.relu(self.l1(x)))))


def main() -> None:
    d = pathlib.Path(sys.argv[1])
    meta = json.loads((d / "meta.json").read_text())
    n, lq, dim, f = meta["n"], meta["lq"], meta["d"], meta["f"]
    load = lambda name, dtype, shape: torch.from_numpy(np.fromfile(d / f"{name}.bin", dtype=dtype).reshape(shape))
    qtok = load("qtok", np.float32, (n, lq, dim))
    qmask = load("qmask", np.float32, (n, lq))
    maxsim = load("maxsim", np.float32, (n, lq))
    item = load("item", np.float32, (n, dim))
    summaries = load("summaries", np.float32, (n, 3))
    lexical = load("lexical", np.float32, (n, f))
    labels = load("labels", np.int64, (n,))
    if len(sys.argv) > 2:
        torch.set_num_threads(int(sys.argv[2]))
    torch.manual_seed(0)
    model = Scorer(dim, meta["dp"], meta["h1"], meta["h2"], f, 3)
    decayed = [model.gate_w, model.P.weight, model.l1.weight, model.l2.weight, model.l3.weight]
    ids = {id(p) for p in decayed}
    rest = [p for p in model.parameters() if id(p) not in ids]
    opt = torch.optim.AdamW([{"params": decayed, "weight_decay": 0.01}, {"params": rest, "weight_decay": 0.0}], lr=2e-3)
    loss_fn = nn.CrossEntropyLoss()
    times, losses = [], []
    for epoch in range(meta["epochs"]):
        t0 = time.perf_counter()
        perm = torch.randperm(n)
        total = 0.0
        for s in range(0, n, meta["batch"]):
            idx = perm[s : s + meta["batch"]]
            opt.zero_grad()
            loss = loss_fn(model(qtok[idx], qmask[idx], maxsim[idx], item[idx], summaries[idx], lexical[idx]), labels[idx])
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            total += float(loss) * len(idx)
        times.append(time.perf_counter() - t0)
        losses.append(total / n)
    print(json.dumps({"epoch_seconds": times, "losses": losses, "threads": torch.get_num_threads(), "torch": torch.__version__}))


if __name__ == "__main__":
    main()
