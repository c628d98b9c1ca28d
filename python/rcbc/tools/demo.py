"""`make demo`: torchvision ResNet-18, compiled for aie-ml with 28 tiles, run on the reference
executor, checked against PyTorch and its modeled performance reported beside the baseline
schedule's, through the same commands a user types::

    rcbc compile resnet18 --target aie-ml --tiles 28 -o build/demo/resnet18.rcb --stats
    rcbc run build/demo/resnet18.rcb --input x=build/demo/x.npy --check --model resnet18
    rcbc compile resnet18 --target aie-ml --tiles 28 --baseline -o build/demo/baseline.rcb
    rcbc report build/demo/resnet18.rcb --baseline build/demo/baseline.rcb \
        --trace build/demo/resnet18.json --plot build/demo/resnet18.png

The weights are random from seed 0 (no model hub is reachable); the input is random from seed 1.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from rcbc.tools import rcbc

OUTPUT = Path("build") / "demo"


def main() -> int:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    program, baseline, x = OUTPUT / "resnet18.rcb", OUTPUT / "baseline.rcb", OUTPUT / "x.npy"
    np.save(x, np.random.default_rng(1).standard_normal((1, 3, 224, 224), dtype=np.float32))
    for argv in (
        ["compile", "resnet18", "--target", "aie-ml", "--tiles", "28", "-o", str(program), "--stats"],
        ["run", str(program), "--input", f"x={x}", "--check", "--model", "resnet18"],
        ["compile", "resnet18", "--target", "aie-ml", "--tiles", "28", "--baseline", "-o", str(baseline)],
        ["report", str(program), "--baseline", str(baseline), "--trace", str(OUTPUT / "resnet18.json"),
         "--plot", str(OUTPUT / "resnet18.png")],
    ):
        print("$ rcbc " + " ".join(argv), flush=True)
        status = rcbc.main(argv)
        if status:
            return status
    return 0


if __name__ == "__main__":
    sys.exit(main())
