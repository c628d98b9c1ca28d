#!/usr/bin/env python3
"""Measured speed of the Python reference executor (issue 6) next to PyTorch eager and rcb-run.

    .venv/bin/python bench/executor_bench.py [PROGRAM.rcb] [--model resnet18] [--runs 5]

Without a program it compiles the model (`rcbc compile resnet18 --target aie-ml --tiles 28`) into
build/bench/executor/ once and reuses that file (`--recompile` compiles it again).
On one seeded random input (normal, seed 0, as `rcbc run` makes it) it then times, each `--runs`
times, on this machine:

- the reference executor, `execute(program, inputs)` (the bytes already decoded), and its
  timing-only run, `execute(..., numerics=False)`, which `rcbc report` makes;
- its replay (`rcbc.runtime.replay`): `record(program)`, the checked run that records the
  program's data flow (once per program, so timed `--runs` // 2 times), and `replay.run(inputs)`,
  an inference through it, which is what the goal compares with PyTorch;
- PyTorch eager: the same model (torchvision, random weights of the same seed) on the same
  input, under torch.no_grad(), after one warm-up call, in a process of its own, with torch's
  default threads and with one. Its inferences with the default threads alternate with the
  replay's (3 of one, then 3 of the other, 0.3 s apart, `--runs` times), so that a change in
  the machine's speed, which is common on shared cores, affects both alike;
- `build/runtime/rcb-run PROGRAM --input x.npy` when it is built: the whole process (start, file
  validation, run), so an upper bound of the C engine's run;
- a batch of `--batch` inputs (16 unless given; 0: none), on the executor all at once (the
  checks and the timing once, the arithmetic of every run), replayed (one input after
  another), and in PyTorch eager as one batch (alternating with the replay): the wall time per
  inference of each.

It prints the median and the range of each (wall time, *measured*), the CPU time of this
process (for the replay, without its helper processes'),
the ratio of the replay's median to PyTorch's (the goal: at most 3x) and the executor's, and
how far the executor's output is from PyTorch's (the replay's is the executor's, bit for bit:
checked here too). The machine's load average is printed too: the cores may
be shared, and a busy machine stretches every wall time (PyTorch's threads most). `--json FILE`
also writes the figures, by key: reference_executor, reference_executor_timing-only,
record, replay, PyTorch_eager, PyTorch_eager_1_thread, rcb-run, and per inference of the batch
reference_executor_batch, replay_batch, PyTorch_eager_batch (`make bench` reads them).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import cpu_name

ROOT = Path(__file__).resolve().parents[1]
RCB_RUN = ROOT / "build" / "runtime" / "rcb-run"
GOAL = 3.0  # an inference on the reference executor (replayed) at most 3x PyTorch eager's wall time


def compiled(model: str, tiles: int, target: str, again: bool) -> Path:
    """The model's program, compiled once into build/bench/executor/ (again with `again`)."""
    path = ROOT / "build" / "bench" / "executor" / f"{model}-{target}-{tiles}.rcb"
    if again or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        print(f"compiling {model} for {target} on {tiles} tiles into {path} ...", flush=True)
        subprocess.run(
            [sys.executable, "-m", "rcbc.tools.rcbc", "compile", model, "--target", target,
             "--tiles", str(tiles), "-o", str(path)],
            check=True,
        )
    return path


def timed(function, runs: int) -> tuple[list[float], list[float], object]:
    """Wall and CPU seconds of `runs` calls of `function`, and its last result."""
    walls, cpus, result = [], [], None
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        result = function()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return walls, cpus, result


PYTORCH = """
import json, sys, time
import numpy as np, torch
from rcbc.frontend.models import torchvision_model
model, threads = sys.argv[1], int(sys.argv[2])
if threads:
    torch.set_num_threads(threads)
net = torchvision_model(model).eval()
print(json.dumps({"threads": torch.get_num_threads()}), flush=True)
for line in sys.stdin:  # "load X.npy" (and one warm-up call), "run N", "save Y.npy"
    command, argument = line[:-1].split(" ", 1)  # a path may hold spaces
    with torch.no_grad():
        if command == "load":
            x = torch.from_numpy(np.load(argument))
            y = net(x)
            print("{}", flush=True)
        elif command == "run":
            walls, cpus = [], []
            for _ in range(int(argument)):
                wall, cpu = time.perf_counter(), time.process_time()
                y = net(x)
                walls.append(time.perf_counter() - wall)
                cpus.append(time.process_time() - cpu)
            print(json.dumps({"walls": walls, "cpus": cpus}), flush=True)
        else:
            np.save(argument, y.numpy())
            print("{}", flush=True)
"""


class PyTorchEager:
    """PyTorch eager in a process of its own (numpy's BLAS threads of this one, still spinning
    after the executor's last product, would slow it down), with `threads` threads (0: torch's
    default), kept running so that its inferences can alternate with the replay's: a change in
    the machine's speed then affects both alike.

        with PyTorchEager("resnet18") as torch_eager:
            torch_eager.load(npy)                 # and one warm-up call
            walls, cpus = torch_eager.run(5)
    """

    def __init__(self, model: str, threads: int = 0):
        self.process = subprocess.Popen([sys.executable, "-c", PYTORCH, model, str(threads)],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        try:
            self.threads = self._reply()["threads"]
        except BaseException:
            self.__exit__()
            raise

    def _reply(self) -> dict:
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the PyTorch process ended (exit status {self.process.wait()})")
        return json.loads(line)

    def _ask(self, command: str, argument: object) -> dict:
        self.process.stdin.write(f"{command} {argument}\n")
        self.process.stdin.flush()
        return self._reply()

    def load(self, npy: Path) -> None:
        self._ask("load", npy)

    def run(self, count: int) -> tuple[list[float], list[float]]:
        """Wall and CPU seconds of `count` inferences on the loaded input."""
        figures = self._ask("run", count)
        return figures["walls"], figures["cpus"]

    def output(self, npy: Path):
        """The last output, through the file `npy`."""
        import numpy as np

        self._ask("save", npy)
        return np.load(npy)

    def __enter__(self) -> PyTorchEager:
        return self

    def __exit__(self, *exc) -> None:
        self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def alternated(replay, torch_eager: PyTorchEager, rounds: int, block: int = 3, pause: float = 0.3):
    """`rounds` times `block` inferences of the replay (a function), then as many of PyTorch,
    `pause` seconds apart (so that neither's idle threads still spin in the other's time: BLAS
    and OpenMP threads wait busily for a while): the replay's and PyTorch's wall and CPU seconds,
    `rounds` * `block` of each."""
    walls, cpus, torch_walls, torch_cpus = [], [], [], []
    for _ in range(rounds):
        wall, cpu, _ = timed(replay, block)
        walls += wall
        cpus += cpu
        time.sleep(pause)
        wall, cpu = torch_eager.run(block)
        torch_walls += wall
        torch_cpus += cpu
        time.sleep(pause)
    return walls, cpus, torch_walls, torch_cpus


def summary(walls: list[float]) -> str:
    return f"{statistics.median(walls):8.3f} s  (min {min(walls):.3f}, max {max(walls):.3f})"


def measure_batch(args: argparse.Namespace, program, replay, binding, figures: dict) -> list[list[float]]:
    """Wall time per inference of a batch of `args.batch` inputs on the executor, replayed and
    in PyTorch eager (the executor's median of `args.runs` // 2 runs, at least 1; the others' of
    `args.runs`, at least 3, as one of their runs is short enough for a passing load to double
    it): prints them, adds them to `figures`."""
    import numpy as np

    from rcbc.runtime.executor import execute

    shape = (args.batch * binding.shape[0], *binding.shape[1:])
    xs = np.random.default_rng(16).standard_normal(shape, dtype=np.float32)
    runs = max(1, args.runs // 2)
    walls, cpus, executed = timed(lambda: execute(program, {binding.name: xs}), runs)
    for name, value in executed.outputs.items():
        assert np.array_equal(replay.run({binding.name: xs})[name], value), f"the replay's {name} is not the executor's"
    with tempfile.TemporaryDirectory() as directory, PyTorchEager(args.model) as torch_eager:
        npy = Path(directory) / "x.npy"
        np.save(npy, xs)
        torch_eager.load(npy)
        re_walls, re_cpus, pt_walls, pt_cpus = alternated(lambda: replay.run({binding.name: xs}), torch_eager,
                                                          max(3, args.runs), block=1)
        threads = torch_eager.threads
    print(f"\nwall time per inference of a batch of {args.batch} (measured):")
    per = []
    rows = [
        ("reference_executor_batch", f"reference executor, all at once, median of {runs}", walls, cpus),
        ("replay_batch", f"replay, one input after another, median of {len(re_walls)}", re_walls, re_cpus),
        ("PyTorch_eager_batch", f"PyTorch eager ({threads} threads), median of {len(pt_walls)}", pt_walls, pt_cpus),
    ]
    for key, name, w, c in rows:
        w = [t / args.batch for t in w]
        print(f"  {name:<50}  {summary(w)}  cpu median {statistics.median(c) / args.batch:.3f} s")
        figures[key] = {"wall_median_s": statistics.median(w), "wall_s": w, "batch": args.batch,
                        "cpu_median_s": statistics.median(c) / args.batch}
        per.append(w)
    return per


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("program", nargs="?", type=Path, help="RCB file (default: compile --model)")
    parser.add_argument("--model", default="resnet18", help="torchvision model (default: resnet18)")
    parser.add_argument("--target", default="aie-ml")
    parser.add_argument("--tiles", type=int, default=28)
    parser.add_argument("--runs", type=int, default=5, help="runs of each (default: 5)")
    parser.add_argument("--batch", type=int, default=16, help="inputs of the batch (default: 16; 0: none)")
    parser.add_argument("--recompile", action="store_true", help="compile the model again")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)

    import numpy as np

    from rcbc.bytecode import decode
    from rcbc.bytecode.program import IoDirection
    from rcbc.runtime.agreement import agreement
    from rcbc.runtime.executor import execute
    from rcbc.runtime.replay import record

    path = args.program or compiled(args.model, args.tiles, args.target, args.recompile)
    started = time.perf_counter()
    program = decode(path.read_bytes(), str(path))
    decode_s = time.perf_counter() - started
    bindings = [b for b in program.io if b.direction is IoDirection.INPUT]
    if len(bindings) != 1:
        parser.error(f"{path} has {len(bindings)} inputs; this benchmark feeds one")
    binding = bindings[0]
    x = np.random.default_rng(0).standard_normal(binding.shape, dtype=np.float32)
    records = len(program.records)
    print(f"{path}: {records:,} records, target {program.target}")
    print(f"machine: {cpu_name()}, {os.cpu_count()} CPUs, load average "
          f"{' '.join(f'{v:.2f}' for v in os.getloadavg())} (measured figures below)")
    print(f"decode (rcbc.bytecode.decode, not in the executor's time): {decode_s:.3f} s")

    figures: dict[str, object] = {"program": str(path), "records": records, "runs": args.runs}
    ex_wall, ex_cpu, result = timed(lambda: execute(program, {binding.name: x}), args.runs)
    tm_wall, tm_cpu, timing = timed(lambda: execute(program, {binding.name: x}, numerics=False), args.runs)
    assert timing.cycles == result.cycles
    rec_wall, rec_cpu, replay = timed(lambda: record(program), max(1, args.runs // 2))
    for name, value in result.outputs.items():
        assert np.array_equal(replay.run({binding.name: x})[name], value), f"the replay's {name} is not the executor's"

    with tempfile.TemporaryDirectory() as directory:
        npy = Path(directory) / "x.npy"
        np.save(npy, x)
        with PyTorchEager(args.model) as torch_eager:
            torch_eager.load(npy)
            re_wall, re_cpu, pt_wall, pt_cpu = alternated(lambda: replay.run({binding.name: x}), torch_eager, args.runs)
            expected, threads = torch_eager.output(Path(directory) / "y.npy"), torch_eager.threads
        with PyTorchEager(args.model, threads=1) as torch_eager:
            torch_eager.load(npy)
            one_wall, one_cpu = torch_eager.run(args.runs)
    output = next(iter(result.outputs.values()))
    check = agreement(output, expected.reshape(output.shape))

    rows = [  # JSON key (make bench reads them), name, figures
        ("reference_executor", "reference executor", ex_wall, ex_cpu),
        ("reference_executor_timing-only", "reference executor, timing-only", tm_wall, tm_cpu),
        ("record", "recording for replays (once a program)", rec_wall, rec_cpu),
        ("replay", "replay of the recording", re_wall, re_cpu),
        ("PyTorch_eager", f"PyTorch eager ({threads} threads)", pt_wall, pt_cpu),
        ("PyTorch_eager_1_thread", "PyTorch eager (1 thread)", one_wall, one_cpu),
    ]
    if RCB_RUN.is_file():
        with tempfile.TemporaryDirectory() as directory:
            npy = Path(directory) / "x.npy"
            np.save(npy, x)
            argv_c = [str(RCB_RUN), str(path), "--input", f"{binding.name}={npy}"]
            rc_wall, rc_cpu, _ = timed(lambda: subprocess.run(argv_c, check=True, capture_output=True), args.runs)
        rows.append(("rcb-run", "rcb-run (whole process)", rc_wall, None))
    else:
        print(f"({RCB_RUN} is not built: cmake --build build, or make test)")

    print(f"\nwall time of one inference, median of its runs (measured; the replay's and PyTorch's "
          f"alternate, {args.runs} times 3 runs of each):")
    width = max(len(name) for _, name, _, _ in rows)
    for key, name, walls, cpus in rows:
        cpu = f"  cpu median {statistics.median(cpus):.3f} s" if cpus else ""
        print(f"  {name:<{width}}  {summary(walls)}  {len(walls):2d} runs{cpu}")
        figures[key] = {"wall_median_s": statistics.median(walls), "wall_s": walls,
                        **({"cpu_median_s": statistics.median(cpus)} if cpus else {})}
    torch_s = statistics.median(pt_wall)
    ratio = statistics.median(re_wall) / torch_s
    figures["ratio_to_pytorch"] = ratio
    figures["executor_ratio_to_pytorch"] = statistics.median(ex_wall) / torch_s
    verdict = "meets" if ratio <= GOAL else "misses"
    print(f"\nreplay / PyTorch eager: {ratio:.1f}x (goal: at most {GOAL:g}x; {verdict} it); on 1 thread: "
          f"{statistics.median(re_wall) / statistics.median(one_wall):.1f}x")
    print(f"executor / PyTorch eager: {statistics.median(ex_wall) / torch_s:.1f}x; timing-only: "
          f"{statistics.median(tm_wall) / torch_s:.1f}x; recording: {statistics.median(rec_wall) / torch_s:.1f}x")
    print("(PyTorch's threads suffer most from other load on the machine: compare on a quiet one;\n"
          " the replay's CPU time is this process's, without its helper processes')")
    print(f"executor vs PyTorch: {check}; the replay's output is the executor's, bit for bit")
    if args.batch:
        executor_s, replay_s, torch_s = map(statistics.median, measure_batch(args, program, replay, binding, figures))
        figures["batch_ratio_to_pytorch"] = replay_s / torch_s
        print(f"per inference of a batch of {args.batch}: replay / PyTorch eager {replay_s / torch_s:.1f}x, "
              f"executor / PyTorch eager {executor_s / torch_s:.1f}x")
    print(f"modeled latency (not measured): {result.seconds * 1e3:.2f} ms, {result.cycles:,.0f} cycles")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1) + "\n")
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
