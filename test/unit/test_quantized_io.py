"""Quantized I/O (docs/rcb-bytecode.md, section 5): an int8 binding's scale and zero point as two
data entries, read by `rcbc.bytecode.quantization`, and what `rcbc run` does with them: a float32
input is quantized with them, a file without them or with malformed ones is one clear error."""

from __future__ import annotations

import re

import numpy as np
import pytest

from rcbc.bytecode import encode
from rcbc.bytecode import program as rcb
from rcbc.bytecode.quantization import QuantizationError, binding_qparams, entry_names
from rcbc.quantize.scheme import QParams, quantize
from rcbc.tools.rcbc import main

X = rcb.IoBinding("x", rcb.IoDirection.INPUT, rcb.DType.I8, (1, 8), 256)
Y = rcb.IoBinding("y", rcb.IoDirection.OUTPUT, rcb.DType.I8, (1, 8), 320)


def entry(name, dtype, values, offset):
    array = np.asarray(values, {rcb.DType.F32: "<f4", rcb.DType.I32: "<i4", rcb.DType.I8: "i1"}[dtype])
    return rcb.DataEntry(name, offset, dtype, array.shape, array.tobytes())


def program(*entries, records=(rcb.End(),)):
    return rcb.Program("aie-ml", 384, records, tuple(entries), (X, Y))


SCALE = entry("x.scale", rcb.DType.F32, [0.25], 0)
ZERO_POINT = entry("x.zero_point", rcb.DType.I32, [-3], 64)


def test_the_entries_give_the_parameters():
    assert entry_names("x") == ("x.scale", "x.zero_point")
    assert binding_qparams(program(SCALE, ZERO_POINT), X) == QParams(0.25, -3)
    assert binding_qparams(program(SCALE, ZERO_POINT), Y) is None  # y has none
    f32 = rcb.IoBinding("x", rcb.IoDirection.INPUT, rcb.DType.F32, (1, 8), 256)
    assert binding_qparams(program(SCALE, ZERO_POINT), f32) is None  # a float binding has none


@pytest.mark.parametrize("entries, message", [
    ((SCALE,), "int8 input 'x' has the data entry 'x.scale' but not 'x.zero_point'"),
    ((ZERO_POINT,), "int8 input 'x' has the data entry 'x.zero_point' but not 'x.scale'"),
    ((entry("x.scale", rcb.DType.I32, [1], 0), ZERO_POINT),
     "data entry 'x.scale' of int8 input 'x' is i32 [1]; it must hold one f32"),
    ((entry("x.scale", rcb.DType.F32, [0.25, 0.5], 0), ZERO_POINT),
     "data entry 'x.scale' of int8 input 'x' is f32 [2]; it must hold one f32"),
    ((entry("x.scale", rcb.DType.F32, [0.0], 0), ZERO_POINT),
     "int8 input 'x': the scale 0.0 is not positive and finite (data entries 'x.scale' and "
     "'x.zero_point')"),
    ((entry("x.scale", rcb.DType.F32, [np.inf], 0), ZERO_POINT),
     "int8 input 'x': the scale inf is not positive and finite (data entries"),
    ((SCALE, entry("x.zero_point", rcb.DType.I32, [128], 64)),
     "int8 input 'x': the zero point 128 is outside the int8 range [-128, 127] (data entries"),
])
def test_malformed_entries_are_named(entries, message):
    with pytest.raises(QuantizationError, match=re.escape(message)):
        binding_qparams(program(*entries), X)


def run(tmp_path, capsys, prog, x) -> tuple[int, str, str]:
    (path := tmp_path / "prog.rcb").write_bytes(encode(prog))
    np.save(image := tmp_path / "x.npy", x)
    status = main(["run", str(path), "--input", str(image), "--output", f"y={tmp_path / 'y.npy'}"])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return status, out, err


def test_run_quantizes_a_float_input_with_the_programs_parameters(tmp_path, capsys):
    """A program that copies x to y through a compute tile: y is x quantized by the program's
    scale and zero point, and rcbc run says which it used."""
    tile, shim = rcb.Tile(2, 3), rcb.Tile(2, 0)
    copy = (
        rcb.ConfigureTile(tile),
        rcb.DmaStart(shim, 0, 256, rcb.Pattern.contiguous(8), tile, 0, 1024, rcb.Pattern.contiguous(8)),
        rcb.Wait(tile, rcb.Direction.S2MM, 0),
        rcb.DmaStart(tile, 0, 1024, rcb.Pattern.contiguous(8), shim, 0, 320, rcb.Pattern.contiguous(8)),
        rcb.Barrier(),
        rcb.End(),
    )
    x = np.array([[-1.0, -0.3, 0.0, 0.1, 0.125, 1.0, 40.0, -40.0]], np.float32)
    status, out, _ = run(tmp_path, capsys, program(SCALE, ZERO_POINT, records=copy), x)
    assert status == 0
    assert "input 'x': quantized to int8 with the program's scale 0.25 and zero point -3" in out
    y = np.load(tmp_path / "y.npy")
    assert y.tolist() == quantize(x, QParams(0.25, -3)).tolist() == [[-7, -4, -3, -3, -2, 1, 127, -128]]
    # With y's parameters too, rcbc run says what its values stand for.
    y_entries = (entry("y.scale", rcb.DType.F32, [0.5], 128),
                 entry("y.zero_point", rcb.DType.I32, [1], 192))
    status, out, _ = run(tmp_path, capsys, program(SCALE, ZERO_POINT, *y_entries, records=copy), x)
    assert status == 0
    assert ("output 'y': int8 [1, 8], min -128, max 127, top-1 class 6; dequantized (scale 0.5, "
            "zero point 1): min -64.5, max 63") in out


def test_run_refuses_a_float_input_without_parameters(tmp_path, capsys):
    status, _, err = run(tmp_path, capsys, program(), np.zeros((1, 8), np.float32))
    assert status == 1
    assert err.splitlines()[-1] == (
        "rcbc run: error: the program takes int8 input 'x' but holds no scale and zero point for "
        "it (data entries 'x.scale' and 'x.zero_point'): give an int8 .npy, or compile the model "
        "again with rcbc compile --precision int8")


def test_run_refuses_malformed_parameters(tmp_path, capsys):
    status, _, err = run(tmp_path, capsys, program(SCALE), np.zeros((1, 8), np.float32))
    assert status == 1
    assert err.splitlines()[-1] == (
        "rcbc run: error: int8 input 'x' has the data entry 'x.scale' but not 'x.zero_point'")
    # Every binding's entries are checked, an output's too, whatever the input.
    bad = entry("y.zero_point", rcb.DType.I32, [-200], 128)
    status, _, err = run(tmp_path, capsys, program(SCALE, ZERO_POINT, bad), np.zeros((1, 8), np.int8))
    assert status == 1
    assert err.splitlines()[-1] == (
        "rcbc run: error: int8 output 'y' has the data entry 'y.zero_point' but not 'y.scale'")
