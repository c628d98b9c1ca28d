#!/usr/bin/env python3
"""Measured host figures of the C engine (issue 7): dispatch overhead per record, and the
coefficient of variation of end-to-end time over 100 runs.

    .venv/bin/python bench/engine_bench.py [--runs 100] [--rcb-bench build/runtime/rcb-bench]

For each program it runs `rcb-bench` (runtime/tools/rcb-bench.c), which measures

- dispatch: rcb_run over a null RHAL whose operations only count calls - the engine's own cost
  per record (decode, descriptor fill, call), with no kernel, DMA or simulation work;
- load: rcb_load, the validation of the whole file;
- end to end: N runs on the host backend (reset, inputs, run, outputs), wall time of each,
  their mean and coefficient of variation.

Programs: the executor tests' convolution, the conformance tests' double-buffered pipeline, and
the same pipeline over 1024 blocks (a long record stream). Every figure is *measured* on the
machine that runs this script; the modeled cycle count is printed for reference and is modeled.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

from common import cpu_name

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "test" / "unit"))
sys.path.insert(0, str(ROOT / "bench"))


def programs():
    import test_executor as ex
    import test_rcb_run as t

    return {
        "convolution (executor test)": ex.program(),
        "pipeline, 6 blocks": t.pipeline_program(6),
        "pipeline, 1024 blocks": t.pipeline_program(1024),
    }


def measure(rcb_bench: Path, path: Path, runs: int = 100, dispatch_runs: int | None = None) -> dict:
    """`rcb-bench` on the program file `path`: its key: value figures, as numbers."""
    argv = [str(rcb_bench), str(path), "--runs", str(runs)]
    if dispatch_runs is not None:
        argv += ["--dispatch-runs", str(dispatch_runs)]
    done = subprocess.run(argv, capture_output=True, text=True, check=True)
    return {key: float(value) for key, value in (line.split(": ", 1) for line in done.stdout.splitlines())}


def measure_programs(rcb_bench: Path, runs: int = 100) -> dict[str, dict]:
    """`measure` on each of `programs()`, encoded into a temporary file."""
    from rcbc.bytecode import encode

    figures = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, program in programs().items():
            path = Path(tmp) / "prog.rcb"
            path.write_bytes(encode(program))
            figures[name] = measure(rcb_bench, path, runs)
    return figures


def markdown(figures: dict[str, dict]) -> str:
    """The figures of `measure` per program as a markdown table (all measured but the last
    column, which is modeled)."""
    from common import markdown_table

    rows = [[name, f"{f['records']:,.0f}", f"{f['load_us']:,.2f}", f"{f['dispatch_ns']:.1f}",
             f"{f['e2e_runs']:.0f}", f"{f['e2e_mean_ms']:,.4g}", f"{f['e2e_cv_percent']:.2f} %",
             f"{f['modeled_cycles']:,.0f}"]
            for name, f in figures.items()]
    return markdown_table(["program", "records", "load (us)", "dispatch (ns / record)", "runs",
                           "end to end, mean (ms)", "end to end, CV", "modeled cycles"], rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--rcb-bench", type=Path, default=ROOT / "build" / "runtime" / "rcb-bench")
    args = parser.parse_args()
    if not args.rcb_bench.is_file():
        print(f"engine_bench: {args.rcb_bench} is not built; run `make build-c` first", file=sys.stderr)
        return 2

    print(f"measured on this machine: {cpu_name()}, {os.cpu_count()} CPUs, {platform.system()}")
    print(f"{'program':28} {'records':>8} {'load us':>9} {'dispatch ns/rec':>16} "
          f"{'e2e mean ms':>12} {'e2e CV %':>9} {'modeled cycles':>15}")
    for name, f in measure_programs(args.rcb_bench, args.runs).items():
        print(f"{name:28} {f['records']:>8.0f} {f['load_us']:>9.2f} "
              f"{f['dispatch_ns']:>16.2f} {f['e2e_mean_ms']:>12.4f} "
              f"{f['e2e_cv_percent']:>9.2f} {f['modeled_cycles']:>15.1f}")
    print(f"e2e: {args.runs} runs each; dispatch: the engine over a null RHAL (no kernel or DMA "
          "work); modeled cycles are modeled, not measured")
    return 0


if __name__ == "__main__":
    sys.exit(main())
