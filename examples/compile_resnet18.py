"""torchvision ResNet-18 through rcbc's Python API: import, compile for aie-ml on 28 compute
tiles, run on the reference executor, compare with PyTorch, print the modeled performance.

    python examples/compile_resnet18.py                                  # 224x224: ~3 minutes
    python examples/compile_resnet18.py --input-shape 1,3,64,64 --tiles 4

`make demo` does the same with the ``rcbc`` command. The weights are random from seed 0 (no model
hub is reachable here) and so is the input (seed 1). Times printed as *measured* are this
machine's; every performance figure is *modeled* by rcbc's timing model.
"""

import argparse
import time

import numpy as np
import torch

from rcbc.compiler import compile_model
from rcbc.frontend.models import torchvision_model
from rcbc.runtime import report
from rcbc.runtime.agreement import agreement
from rcbc.runtime.executor import execute


def compile_and_check(model, input_shape, target="aie-ml", tiles=28, name="resnet18"):
    """Compile `model` for inputs of `input_shape`, run it and compare with PyTorch."""
    x = np.random.default_rng(1).standard_normal(input_shape, dtype=np.float32)
    start = time.perf_counter()
    compiled = compile_model(model, (torch.from_numpy(x),), target=target, tiles=tiles)
    print(f"compile time (measured): {time.perf_counter() - start:.1f} s")

    result = execute(compiled.program, {"x": x}, timeline=True)  # the model's input is `x`
    with torch.no_grad():
        expected = model(torch.from_numpy(x)).numpy()
    print(f"against PyTorch: {agreement(result.outputs['output'], expected)}")
    print(report.table(report.performance(compiled.program, result, name)))
    return compiled, result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.partition("\n\n")[0])
    parser.add_argument("--input-shape", default="1,3,224,224", help="N,C,H,W (default 1,3,224,224)")
    parser.add_argument("--target", default="aie-ml")
    parser.add_argument("--tiles", type=int, default=28)
    args = parser.parse_args(argv)
    model = torchvision_model("resnet18", seed=0).eval()
    shape = tuple(int(n) for n in args.input_shape.split(","))
    compile_and_check(model, shape, args.target, args.tiles)


if __name__ == "__main__":
    main()
