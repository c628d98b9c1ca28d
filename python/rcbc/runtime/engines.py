"""The two engines a program runs on, behind one call: the Python reference executor and the C
engine's host tool, ``rcb-run`` (a process per run, its inputs and outputs in ``.npy`` files)::

    run = engine("c", program, Path("r18.rcb"))     # or "python"
    outputs = run({"x": x})                          # {"output": array}, by binding name

Both compute the same bytes (test/unit/test_rcb_run.py); a program the C engine refuses is an
`ExecutionError` with rcb-run's message. rcb-run is found by `find_rcb_run`. The executor's
first run records the program's data flow (`rcbc.runtime.replay.record`: one checked run, the
executor's every check) and every run replays it, which gives the executor's outputs bit for
bit in a fraction of its time (a program a replay cannot record runs on the executor). Inputs
may hold a batch of runs (`rcbc.runtime.executor.runs_of`); rcb-run makes one at a time.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np

from rcbc.bytecode import program as rcb
from rcbc.runtime.executor import ExecutionError, execute, join_runs, runs_of, split_runs
from rcbc.runtime.replay import NotRecordable, record

ENGINES = ("python", "c")

Run = Callable[[dict[str, np.ndarray]], dict[str, np.ndarray]]
"""Inputs by binding name to outputs by binding name (a batch of runs: theirs, in order)."""


def find_rcb_run() -> Path | None:
    """rcb-run: $RCB_RUN, else ``rcb-run`` on the PATH, else the CMake build of this source
    tree (``build/runtime/rcb-run``, for an editable install); None if none exists."""
    if os.environ.get("RCB_RUN"):
        return Path(os.environ["RCB_RUN"])
    found = shutil.which("rcb-run")
    if found:
        return Path(found)
    built = Path(__file__).resolve().parents[3] / "build" / "runtime" / "rcb-run"
    return built if built.is_file() else None


def engine(name: str, program: rcb.Program, path: Path) -> Run:
    """The run of `program` (decoded from the file `path`) on the engine `name`."""
    if name == "python":
        recorded: list[Run] = []

        def replay(inputs: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
            runs_of(program, inputs)  # an input the program does not take is refused first
            if not recorded:
                try:
                    recorded.append(record(program).run)
                except NotRecordable:  # the executor runs it, every time
                    recorded.append(lambda inputs: execute(program, inputs).outputs)
            return recorded[0](inputs)

        return replay
    if name != "c":
        raise ValueError(f"no engine '{name}' ({', '.join(ENGINES)})")
    binary = find_rcb_run()
    if binary is None or not binary.is_file():
        raise ExecutionError(
            f"rcb-run is not built{f' at {binary}' if binary else ''}: build it with "
            "`make build-c` (or cmake), put it on the PATH or name it in $RCB_RUN"
        )
    outputs = [b.name for b in program.io if b.direction is rcb.IoDirection.OUTPUT]

    def run(inputs: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        runs = runs_of(program, inputs)
        parts = [run_c(binary, path, one, outputs) for _, one in split_runs(program, inputs, runs, 1)]
        return join_runs(program, parts, runs)

    return run


def run_c(
    binary: Path, path: Path, inputs: dict[str, np.ndarray], outputs: list[str]
) -> dict[str, np.ndarray]:
    """`outputs` of the program in `path` run by the rcb-run `binary` on `inputs`."""
    with tempfile.TemporaryDirectory(prefix="rcbc-") as scratch:
        argv = [str(binary), str(path)]
        for name, value in inputs.items():
            np.save(file := Path(scratch) / f"in-{name}.npy", value)
            argv += ["--input", f"{name}={file}"]
        for name in outputs:
            argv += ["--output", f"{name}={Path(scratch) / f'out-{name}.npy'}"]
        done = subprocess.run(argv, capture_output=True, text=True)
        if done.returncode:
            message = done.stderr.strip().splitlines()[-1:] or [f"exit status {done.returncode}"]
            raise ExecutionError(message[0])
        return {name: np.load(Path(scratch) / f"out-{name}.npy") for name in outputs}
