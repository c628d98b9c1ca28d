#!/usr/bin/env python3
"""Compile time of a model by stage, median of several runs, and its bytecode size by section.

    .venv/bin/python bench/compile_bench.py [--model resnet18] [--tiles 28] [--runs 3]

Each run starts from the PyTorch model (torchvision, random weights, seed 0) and times, on this
machine's wall clock:

- import: ``torch.export``, the operator check, BatchNorm folding and the lowering to
  linalg-on-tensors (`rcbc.frontend.importer.import_model`);
- parse: the imported IR read into a context with rcbc's dialects (as `compile_model` does);
- each pass of `rcbc.compiler.PIPELINE`, as `compile_module` times it;
- emission: the program encoded as RCB bytes (`rcbc.bytecode.from_ir`).

Building the torchvision module itself is not timed. The first run writes the IR, its weight
store and the program to ``build/bench`` (as ``rcbc import`` and ``rcbc compile`` would), so the
other benchmarks of a run reuse them. The size of each section comes from the program
(`rcbc.bytecode.rcbfile.RcbFile.section_sizes`): read from the file, neither measured nor
modeled.
"""

from __future__ import annotations

import argparse
import collections
import sys
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BUILD, MEASURED, markdown_table, median, seconds  # noqa: E402

IMPORT, PARSE, EMISSION, TOTAL = "import (torch.export + import)", "parse IR", "emission", "total"


def measure(model: str = "resnet18", *, target: str = "aie-ml", tiles: int = 28, runs: int = 3,
            input_shape: Sequence[int] = (1, 3, 224, 224), ir_path: Path | None = None,
            rcb_path: Path | None = None, log=print) -> dict:
    """Compile `model` `runs` times; each run's seconds by stage, and the program's sections.
    The first run writes `ir_path` (and its weight store) and `rcb_path` when given."""
    import torch

    from rcbc.bytecode.codec import build
    from rcbc.bytecode.layout import BY_CLASS
    from rcbc.compiler import compile_module, ir_text
    from rcbc.context import make_context
    from rcbc.frontend.importer import import_model
    from rcbc.frontend.models import torchvision_model
    from rcbc.mlir import ir
    from sweep_bench import write_ir

    timings, compiled = [], None
    for run in range(runs):
        network = torchvision_model(model, 0).eval()
        stages = {}
        start = time.perf_counter()
        imported = import_model(network, (torch.zeros(tuple(input_shape)),))
        stages[IMPORT] = time.perf_counter() - start
        if run == 0 and ir_path is not None:
            write_ir(imported, model, ir_path)
        with make_context() as context:
            start = time.perf_counter()
            module = ir.Module.parse(ir_text(imported.module), context)
            stages[PARSE] = time.perf_counter() - start
            compiled = compile_module(module, imported.weights, target=target, tiles=tiles)
        stages.update(compiled.seconds)  # each pass, then "emission"
        stages[TOTAL] = sum(stages.values())
        timings.append(stages)
        log(f"  compile {model} run {run + 1}/{runs}: {stages[TOTAL]:.1f} s")
        if run == 0 and rcb_path is not None:
            rcb_path.parent.mkdir(parents=True, exist_ok=True)
            rcb_path.write_bytes(compiled.data)

    sections = {kind.name.lower(): list(v) for kind, v in build(compiled.program).section_sizes().items()}
    record_size = sections["code"][0] // max(1, sections["code"][1])
    kinds = collections.Counter(BY_CLASS[type(r)].name for r in compiled.program.records)
    return {
        "model": model, "target": target, "tiles": tiles, "runs": timings,
        "size": len(compiled.data), "sections": sections, "record_size": record_size,
        "record_kinds": dict(kinds.most_common()),
    }


def stage_medians(result: dict) -> dict[str, float]:
    """The median seconds of each stage over the runs, in pipeline order."""
    return {stage: median([run[stage] for run in result["runs"]]) for stage in result["runs"][0]}


def stage_table(result: dict) -> str:
    """Markdown: each stage's median, min and max seconds and its share of the total median."""
    medians = stage_medians(result)
    total = medians[TOTAL]
    rows = []
    for stage, value in medians.items():
        values = [run[stage] for run in result["runs"]]
        share = "" if stage == TOTAL else f"{100 * value / total:.1f} %"
        name = f"**{stage}**" if stage == TOTAL else stage
        rows.append([name, seconds(value), seconds(min(values)), seconds(max(values)), share])
    return markdown_table(["stage", "median", "min", "max", "share"], rows)


def section_table(result: dict) -> str:
    """Markdown: each section's bytes and entries, and the file's header and alignment."""
    names = {"code": "code (records)", "patterns": "patterns (n-d DMA)", "directory": "data directory",
             "bindings": "I/O bindings", "strings": "string table", "image": "data image (weights, parameter blocks)"}
    total = result["size"]
    rows = [[names.get(kind, kind), f"{nbytes:,}", f"{100 * nbytes / total:.1f} %",
             f"{count:,}" if kind != "image" else ""]
            for kind, (nbytes, count) in result["sections"].items()]
    rest = total - sum(nbytes for nbytes, _ in result["sections"].values())
    rows.append(["header, section table, alignment", f"{rest:,}", f"{100 * rest / total:.1f} %", ""])
    rows.append(["**file**", f"{total:,}", "100 %", ""])
    return markdown_table(["section", "bytes", "share", "entries"], rows)


def record_table(result: dict) -> str:
    """Markdown: the code section by record kind (records are fixed-size)."""
    size = result["record_size"]
    count = sum(result["record_kinds"].values())
    rows = [[kind, f"{n:,}", f"{n * size:,}", f"{100 * n / count:.1f} %"]
            for kind, n in result["record_kinds"].items()]
    return markdown_table(["record", "count", "bytes", "share"], rows)


def plot_stages(result: dict, path: Path, command: str) -> None:
    """A horizontal bar per stage: its median seconds, the min-max range as an error bar."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    medians = stage_medians(result)
    stages = [s for s in medians if s != TOTAL]
    low = [medians[s] - min(run[s] for run in result["runs"]) for s in stages]
    high = [max(run[s] for run in result["runs"]) - medians[s] for s in stages]
    figure, axis = pyplot.subplots(figsize=(9, 0.45 * len(stages) + 1.8))
    axis.barh(stages, [medians[s] for s in stages], xerr=[low, high], color="tab:orange", capsize=3)
    for y, s in enumerate(stages):  # beyond the error bar's end
        axis.text(medians[s] + high[y], y, f"  {medians[s]:.2f} s", va="center", fontsize="small")
    axis.set_xlim(0, max(medians[s] + high[y] for y, s in enumerate(stages)) * 1.18 or 1)
    axis.invert_yaxis()
    axis.set_xlabel("seconds (median of %d runs; bars: min-max)" % len(result["runs"]))
    axis.set_title(f"compile time of {result['model']} for {result['target']}, {result['tiles']} tiles, "
                   f"by stage: total {medians[TOTAL]:.1f} s — {MEASURED}", fontsize="medium")
    figure.text(0.01, 0.01, f"command: {command}", fontsize="x-small")
    figure.tight_layout(rect=(0, 0.04, 1, 1))
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=100)
    pyplot.close(figure)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="resnet18")
    parser.add_argument("--target", default="aie-ml")
    parser.add_argument("--tiles", type=int, default=28)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--input-shape", default="1,3,224,224")
    args = parser.parse_args(argv)
    shape = tuple(int(n) for n in args.input_shape.split(","))
    result = measure(args.model, target=args.target, tiles=args.tiles, runs=args.runs,
                     input_shape=shape, ir_path=BUILD / f"{args.model}.mlir",
                     rcb_path=BUILD / f"{args.model}-{args.target}-{args.tiles}.rcb")
    print(f"\ncompile time by stage ({MEASURED}, median of {args.runs} runs)")
    print(stage_table(result))
    print("\nbytecode size by section")
    print(section_table(result))
    print("\ncode section by record kind")
    print(record_table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
