#!/usr/bin/env python3
"""ResNet-18 in int8 against PyTorch fp32: top-1 agreement on 64 seeded inputs (issue 8).

    .venv/bin/python bench/int8_agreement_bench.py [PROGRAM.rcb] [--inputs 64] [--check 4]

ResNet-18 (torchvision, random weights, seed 0) compiled int8 for aie-ml on 28 tiles, as
`rcbc compile resnet18 --precision int8 --tiles 28` does it (calibration on 8 standard-normal
inputs, seed 0, min/max), into build/bench/int8/; or PROGRAM, compiled so (`make bench` passes
its sweep's). The inputs are standard normal, seed 1, quantized with the model's input
parameters. Each runs through `rcbc.quantize.simulate`, the quantized layers on the reference
int8 kernels, which the compiled program's outputs equal byte for byte: one image costs a
fraction of a second there and seconds on an engine, so the simulation computes the figures
and the first `--check` inputs also run through rcb-run (the Python executor when rcb-run is not
built), whose outputs must be the simulation's exactly. PyTorch fp32 runs the same model on
the same real inputs.

Figures (measured on this machine): *top-1 agreement*, inputs whose int8 top-1 class is
PyTorch fp32's; *top-5 containment*, inputs whose fp32 top-1 class is among the int8 top 5
(ties in argmax order, as `rcbc eval` ranks); *top-5 overlap*, how many of fp32's top 5 are
among the int8 top 5, on average; how many distinct classes fp32's top-1 takes over the inputs
(with random weights, few: the agreement figures then say little); the largest difference of the
dequantized outputs; the wall time of one image on each path. `--json FILE` writes them
(`make bench` reads it).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from common import BUILD, MEASURED, rel

TARGET, TILES, MODEL = "aie-ml", 28, "resnet18"
INPUT_SEED = 1  # not the calibration's seed 0, so no input was a calibration sample


def compiled(path: Path | None):
    """The program, its file and the quantized model: `path` read, with the quantization
    `rcbc compile` makes, or ResNet-18 compiled int8 into build/bench/int8/."""
    import torch

    from rcbc.bytecode import decode
    from rcbc.compiler import compile_model, quantize
    from rcbc.frontend.models import torchvision_model

    model = torchvision_model(MODEL).eval()
    example = (torch.zeros(1, 3, 224, 224),)
    if path is not None:
        return decode(path.read_bytes(), str(path)), path, quantize(model, example), None
    start = time.perf_counter()
    result = compile_model(model, example, target=TARGET, tiles=TILES, precision="int8")
    seconds = time.perf_counter() - start
    path = BUILD / "int8" / f"{MODEL}-{TARGET}-{TILES}-int8.rcb"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(result.data)
    return result.program, path, result.quantized, seconds


def measure(program_path: Path | None, inputs: int, check: int, log=print) -> dict:
    import numpy as np
    import torch

    from rcbc.bytecode.program import IoDirection
    from rcbc.frontend.models import torchvision_model
    from rcbc.quantize import simulate
    from rcbc.quantize.scheme import dequantize, quantize
    from rcbc.runtime.agreement import agreement
    from rcbc.runtime.engines import engine, find_rcb_run
    from rcbc.runtime.evaluate import Tally

    program, path, qmodel, compile_s = compiled(program_path)
    log(f"{rel(path)}: {len(program.records):,} records"
        + (f", compiled in {compile_s:.1f} s ({MEASURED})" if compile_s else ""))
    x = np.random.default_rng(INPUT_SEED).standard_normal((inputs, 3, 224, 224), dtype=np.float32)

    model = torchvision_model(MODEL).eval()
    start = time.perf_counter()
    with torch.no_grad():
        fp32 = np.concatenate([model(torch.from_numpy(x[i : i + 16])).numpy()
                               for i in range(0, inputs, 16)])
    pytorch_s = (time.perf_counter() - start) / inputs

    quantized = [quantize(image[None], qmodel.input) for image in x]
    start = time.perf_counter()
    int8 = np.stack([simulate.run(qmodel, xq[0])[qmodel.network.output] for xq in quantized])
    simulate_s = (time.perf_counter() - start) / inputs

    name = "c" if find_rcb_run() else "python"
    run = engine(name, program, path)
    (x_name,), (y_name,) = ([b.name for b in program.io if b.direction is direction]
                            for direction in (IoDirection.INPUT, IoDirection.OUTPUT))
    identical, start = 0, time.perf_counter()
    for i in range(check):
        out = run({x_name: quantized[i]})[y_name]
        identical += bool(np.array_equal(out.ravel(), int8[i].ravel()))
    engine_s = (time.perf_counter() - start) / check if check else None

    tally, overlap = Tally(), Tally()
    tally.add(int8, fp32.argmax(axis=1))
    for column in np.argsort(-fp32, axis=1)[:, :5].T:  # each of PyTorch's top 5 in the int8 top 5?
        overlap.add(int8, column)
    close = agreement(dequantize(int8, qmodel.output), fp32)
    return {
        "ok": identical == check, "program": rel(path), "records": len(program.records),
        "compile_s": compile_s, "inputs": inputs, "input_seed": INPUT_SEED,
        "top1_agree": tally.top1, "top5_contain": tally.top5, "top5_overlap": overlap.top5 / inputs,
        "fp32_top1_classes": len(set(fp32.argmax(axis=1).tolist())),
        "max_difference": close.error, "max_reference": close.scale,
        "checked": check, "check_engine": "rcb-run" if name == "c" else "reference executor",
        "identical": identical,
        "seconds_per_image": {"int8 simulation": simulate_s, "PyTorch fp32 (batches of 16)": pytorch_s,
                              **({("rcb-run (whole process)" if name == "c" else "reference executor"):
                                  engine_s} if check else {})},
    }


def heading(f: dict) -> str:
    return (f"ResNet-18 (random weights, seed 0), int8, {TARGET}, {TILES} tiles, against PyTorch "
            f"fp32 on {f['inputs']} standard-normal inputs (seed {f['input_seed']}); {MEASURED}")


def rows(f: dict) -> list[tuple[str, str]]:
    """The figures, named."""
    n = f["inputs"]
    few = f["fp32_top1_classes"] < n / 4
    return [
        ("top-1 agreement", f"{f['top1_agree']} of {n} = {100 * f['top1_agree'] / n:.1f} %"),
        ("top-5 containment (PyTorch's top-1 among the int8 top 5)",
         f"{f['top5_contain']} of {n} = {100 * f['top5_contain'] / n:.1f} %"),
        ("top-5 overlap (PyTorch's top 5 among the int8 top 5, mean)", f"{f['top5_overlap']:.2f} of 5"),
        ("distinct classes of PyTorch's top-1", f"{f['fp32_top1_classes']} over {n} inputs"
         + (": random weights make the ranking barely depend on the input, so the agreement "
            "figures above say little; the difference below says more" if few else "")),
        ("max |difference|, dequantized int8 - fp32",
         f"{f['max_difference']:.3g} (max |fp32| {f['max_reference']:.3g})"),
        ("int8 outputs computed by", f"rcbc.quantize.simulate; the first {f['checked']} also on "
         f"{f['check_engine']}: {f['identical']} of {f['checked']} bit-identical"),
        ("one image, wall time", ", ".join(f"{k} {v:.2f} s" for k, v in f["seconds_per_image"].items())),
    ]


def markdown(f: dict) -> str:
    from common import markdown_table

    return markdown_table(["figure", "value"], rows(f), align="ll")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("program", nargs="?", type=Path,
                        help="the int8 ResNet-18 program (default: compile it)")
    parser.add_argument("--inputs", type=int, default=64, help="inputs compared (default: 64)")
    parser.add_argument("--check", type=int, default=4,
                        help="of them, how many also run on an engine (default: 4)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    if not 0 <= args.check <= args.inputs:
        parser.error(f"--check {args.check}: between 0 and --inputs ({args.inputs})")
    figures = measure(args.program, args.inputs, args.check)
    print(heading(figures) + ":")
    for name, value in rows(figures):
        print(f"  {name}: {value}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1) + "\n")
        print(f"wrote {args.json}")
    if not figures["ok"]:
        print(f"error: {figures['checked'] - figures['identical']} engine outputs differ from the "
              "int8 simulation", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
