#!/usr/bin/env python3
"""Write the fuzz seed corpus: the real programs of the conformance tests, encoded.

    .venv/bin/python runtime/fuzz/make_seeds.py      # rewrites runtime/fuzz/seeds/*.rcb

The programs of test/unit/test_rcb_run.py (the executor tests' convolution, a launch of every
kernel, the double-buffered pipeline) reach the engine and the host backend far deeper than the
malformed corpus does; the fuzz test (runtime/cmake/fuzz-smoke.cmake) seeds from both. The
output is deterministic.
"""

import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "test" / "unit"))

import test_rcb_run as t  # noqa: E402

from rcbc.bytecode import BytecodeError, encode  # noqa: E402


def main() -> None:
    out = HERE / "seeds"
    out.mkdir(exist_ok=True)
    for old in out.glob("*.rcb"):
        old.unlink()
    programs = {f"executor-{k}": p for k, p in t.executor_cases().items()}
    programs.update({f"kernel-{k}": build() for k, build in t.KERNEL_CASES.items()})
    programs["pipeline"] = t.pipeline_program()
    for name, program in programs.items():
        try:
            data = encode(program)
        except BytecodeError:
            continue  # the malformed corpus covers refusals
        (out / (re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") + ".rcb")).write_bytes(data)


if __name__ == "__main__":
    main()
