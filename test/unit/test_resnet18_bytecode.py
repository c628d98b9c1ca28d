"""ResNet-18's bytecode is deterministic and round-trips: two compiles in separate processes
(each with its own hash seed) write identical files, decode(encode(p)) == p, and
asm(disasm(f)) == f. About a minute on these machines (measured)."""

import os
import subprocess
import sys

import pytest

from rcbc.bytecode import decode, encode
from rcbc.bytecode.listing import assemble, disassemble


@pytest.fixture(scope="module")
def compiled(tmp_path_factory):
    """ResNet-18 (random weights, seed 0) imported once, compiled by two `rcbc compile`
    processes with different hash seeds."""
    directory = tmp_path_factory.mktemp("resnet18")
    rcbc = [sys.executable, "-m", "rcbc.tools.rcbc"]
    subprocess.run([*rcbc, "import", "resnet18", "-o", str(directory / "r18.mlir")],
                   check=True, capture_output=True)
    files = []
    for seed in ("1", "2"):
        out = directory / f"r18-{seed}.rcb"
        env = dict(os.environ, PYTHONHASHSEED=seed)
        subprocess.run([*rcbc, "compile", str(directory / "r18.mlir"), "-o", str(out)],
                       check=True, capture_output=True, env=env)
        files.append(out.read_bytes())
    return files


def test_two_processes_write_identical_files(compiled):
    first, second = compiled
    assert len(first) > 40_000_000 and first == second


def test_decode_encode_round_trip(compiled):
    program = decode(compiled[0])
    assert encode(program) == compiled[0]
    assert decode(encode(program)) == program


def test_disassembly_assembles_to_the_same_bytes(compiled):
    assert assemble(disassemble(compiled[0])) == compiled[0]
