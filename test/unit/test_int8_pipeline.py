"""`--precision int8` through the whole pipeline: the small CNN of the end-to-end tests (its int8
variant: ReLU for hardswish) compiled in int8 runs on the Python executor and on rcb-run, and
both give exactly the bytes of the numpy int8 simulation (`rcbc.quantize.simulate`) and the same
modeled cycles. Also: the IR says each layer's dtype, working sets and the timing model use int8
sizes and the int8 MAC rate, a layer missing from the quantized model is a clear error, and fp32
stays the default."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest
import torch

from rcbc import targets
from rcbc.bytecode.program import DmaStart, Launch
from rcbc.compiler import CompileError, compile_model, compile_module
from rcbc.kernels import library
from rcbc.lowering import blocking
from rcbc.lowering.layers import Layer
from rcbc.quantize import simulate
from rcbc.quantize.scheme import quantize
from rcbc.runtime import executor
from rcbc.runtime.timing import TimingModel

ROOT = Path(__file__).resolve().parents[2]
RCB_RUN = Path(os.environ.get("RCB_RUN") or ROOT / "build" / "runtime" / "rcb-run")


def small_cnn():
    spec = importlib.util.spec_from_file_location(
        "small_cnn", ROOT / "test" / "EndToEnd" / "Inputs" / "small_cnn.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    torch.manual_seed(0)
    return module.build_int8()


@pytest.fixture(scope="module")
def compiled():
    model = small_cnn()
    x = torch.from_numpy(np.random.default_rng(3).uniform(-2, 2, (1, 3, 32, 32)).astype(np.float32))
    result = compile_model(model, (x,), tiles=4, precision="int8")
    return model, x.numpy(), result


def test_bindings_and_kernels_are_int8(compiled):
    _, _, result = compiled
    program = result.program
    assert [b.dtype.name for b in program.io] == ["I8", "I8"]
    kernels = {library.by_id(r.kernel).name for r in program.records if hasattr(r, "kernel")}
    assert kernels and all(k.endswith("_i8") for k in kernels), kernels
    weights = {e.name: e for e in program.data if e.name.endswith(".weight")}
    assert weights and all(e.dtype.name == "I8" for e in weights.values())


def test_python_executor_matches_simulation_exactly(compiled):
    _, x, result = compiled
    qmodel = result.quantized
    xq = quantize(x, qmodel.input)
    (out,) = executor.execute(result.program, {"x": xq}).outputs.values()
    expected = simulate.run(qmodel, xq[0])[qmodel.network.output]
    assert out.dtype == np.int8
    np.testing.assert_array_equal(out.ravel(), expected.ravel())


def test_a_batch_matches_the_simulation_of_each_input_exactly(compiled):
    _, _, result = compiled
    qmodel = result.quantized
    xs = quantize(np.random.default_rng(4).uniform(-2, 2, (3, 3, 32, 32)).astype(np.float32), qmodel.input)
    (out,) = executor.execute(result.program, {"x": xs}).outputs.values()
    expected = [simulate.run(qmodel, image)[qmodel.network.output] for image in xs]
    np.testing.assert_array_equal(out.reshape(3, -1), np.stack([e.ravel() for e in expected]))


@pytest.mark.skipif(not RCB_RUN.is_file(), reason=f"rcb-run is not built at {RCB_RUN}")
def test_rcb_run_matches_python_bit_for_bit(compiled, tmp_path):
    _, x, result = compiled
    qmodel = result.quantized
    xq = quantize(x, qmodel.input)
    py = executor.execute(result.program, {"x": xq})
    (path := tmp_path / "p.rcb").write_bytes(result.data)
    np.save(tmp_path / "x.npy", xq)
    done = subprocess.run([str(RCB_RUN), str(path), "--input", f"x={tmp_path / 'x.npy'}",
                           "--output", f"output={tmp_path / 'y.npy'}", "--stats"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    c_out = np.load(tmp_path / "y.npy")
    (py_out,) = py.outputs.values()
    assert c_out.dtype == np.int8
    np.testing.assert_array_equal(c_out, py_out)
    np.testing.assert_array_equal(c_out.ravel(), simulate.run(qmodel, xq[0])[qmodel.network.output].ravel())
    cycles = float(re.search(r"^modeled cycles: (\S+)$", done.stdout, re.M).group(1))
    assert cycles == pytest.approx(py.cycles, rel=1e-9)


def test_timing_uses_the_int8_rate_and_the_kinds_efficiency():
    model = TimingModel(targets.get("aie-ml"))
    rate = targets.get("aie-ml").macs_per_cycle
    assert model.kernel_cycles("conv2d_i8", 10**6) == pytest.approx(
        10**6 / (rate["i8"] * 0.85) + 200)
    assert model.kernel_cycles("conv2d", 10**6) == pytest.approx(10**6 / (rate["f32"] * 0.85) + 200)
    assert model.kernel_cycles("pool2d", 1000, "i8") == model.kernel_cycles("pool2d_i8", 1000)


def test_int8_working_sets():
    conv = Layer("c", "conv2d", (64, 56, 56), (64, 56, 56), kernel=(3, 3), padding=(1, 1),
                 has_bias=True, has_residual=True, dtype="i8")
    one = blocking.buffers(conv, (16, 8, 56), 64)  # one chunk: int8 output
    two = blocking.buffers(conv, (16, 8, 56), 32)  # two chunks: int32 accumulator
    assert one.output == 16 * 8 * 56 and two.output == 4 * 16 * 8 * 56
    assert one.input == 64 * 10 * 56 and one.weights == 16 * 64 * 9
    assert one.bias == 16 * 4 and one.requant == 16 * 8
    assert one.second == 16 * 8 * 56  # the residual, a buffer of its own
    assert one.params == library.by_name("conv2d_i8").block_size
    f32 = blocking.buffers(Layer("c", "conv2d", (64, 56, 56), (64, 56, 56), kernel=(3, 3),
                                 padding=(1, 1), has_bias=True, has_residual=True), (16, 8, 56), 64)
    assert f32.output == 4 * 16 * 8 * 56 and f32.second == 0 and f32.requant == 0


def test_a_layer_missing_from_the_quantized_model_is_named(compiled):
    from rcbc.context import make_context
    from rcbc.compiler import ir_text
    from rcbc.frontend.importer import import_model
    from rcbc.mlir import ir

    model, x, result = compiled
    imported = import_model(model, (torch.from_numpy(x),))
    store = {k: v for k, v in result.quantized.weights().items() if not k.startswith("head.2.")}
    module = ir.Module.parse(ir_text(imported.module), make_context())
    with pytest.raises(CompileError, match=r"layer head\.2 \(matmul\) is not in the quantized model"):
        compile_module(module, store, tiles=4, precision="int8")


def test_report_compares_int8_with_fp32(compiled):
    """`rcbc report --baseline`: an int8 and an fp32 compilation of one model compare; the int8
    program's compute floor is at the int8 peak."""
    from rcbc.runtime import report as R

    model, x, result = compiled
    fp32 = compile_model(model, (torch.from_numpy(x),), tiles=4)
    R.check_comparable(result.program, fp32.program, ("int8.rcb", "fp32.rcb"))
    ours = R.performance(result.program, R.zero_run(result.program), "int8.rcb")
    base = R.performance(fp32.program, R.zero_run(fp32.program), "fp32.rcb")
    assert (ours.dtype, base.dtype) == ("i8", "f32")
    assert ours.peak_macs_per_cycle == targets.get("aie-ml").macs_per_cycle["i8"]
    text = R.table(ours, base)
    assert "256 i8 MACs/cycle" in text and "f32 MACs/cycle" in text


@pytest.mark.parametrize("stage_inputs", [False, True])
def test_input_stationary_and_staged_input_windows_compute_what_the_simulation_does(stage_inputs):
    """int8 ResNet-18's layer1 convolution on 28 tiles: without staging, its blocks run
    spatial-major, each tile keeping an input window for several channel ranges (fewer window
    loads than launches); with it (the default), each window is read from DDR once into a memory
    tile. Both compute exactly what the simulation does."""
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Conv2d(64, 64, 3, padding=1), torch.nn.ReLU()).eval()
    x = np.random.default_rng(5).standard_normal((1, 64, 56, 56)).astype(np.float32)
    result = compile_model(model, (torch.from_numpy(x),), tiles=28, precision="int8",
                           stage_inputs=stage_inputs)
    program = result.program
    binding, output = program.io
    dmas = [r for r in program.records if isinstance(r, DmaStart)]
    window_loads = [r for r in dmas if r.src.row == 0
                    and binding.offset <= r.src_offset < binding.offset + binding.size]
    launches = sum(isinstance(r, Launch) for r in program.records)
    memtile_rows = program.machine.memtile_rows
    assert any(1 <= r.src.row <= memtile_rows for r in dmas) == stage_inputs
    assert len(window_loads) < launches
    qmodel = result.quantized
    x8 = quantize(x, qmodel.input)
    expected = simulate.run(qmodel, x8)[qmodel.network.output]
    actual = executor.execute(program, {binding.name: x8}).outputs[output.name]
    assert np.array_equal(actual.ravel(), expected.ravel())
