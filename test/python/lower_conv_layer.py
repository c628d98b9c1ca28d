# RUN: %PYTHON %s | FileCheck %s
"""A residual convolution layer lowered by every pass, emitted as bytecode and run on the
reference executor matches PyTorch on every target and budget: the schedule the passes build
(placement, addresses, locks, barriers) is what the executor follows, race-checked."""

import numpy as np
import torch
import torch.nn.functional as F

from rcbc import registry
from rcbc.bytecode import from_ir
from rcbc.context import make_context
from rcbc.mlir import PassManager, ir
from rcbc.runtime.executor import execute

LAYER = """
module {
  func.func @main(%x: tensor<1x32x20x20xf32> {rcbc.input = "x"}, %w: tensor<32x32x3x3xf32> {rcbc.weight = "w"},
                  %b: tensor<32xf32> {rcbc.weight = "b"}, %r: tensor<1x32x20x20xf32> {rcbc.input = "r"})
      -> (tensor<1x32x20x20xf32> {rcbc.output = "y"}) {
    %y = "rhal.conv2d"(%x, %w, %b, %r) {act_max = 0.0 : f32, act_min = 0.0 : f32, activation = "relu",
        dilations = array<i64: 1, 1>, groups = 1 : i64, layer = "conv",
        operandSegmentSizes = array<i32: 1, 1, 1, 1>, padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>}
        : (tensor<1x32x20x20xf32>, tensor<32x32x3x3xf32>, tensor<32xf32>, tensor<1x32x20x20xf32>) -> tensor<1x32x20x20xf32>
    return %y : tensor<1x32x20x20xf32>
  }
}
"""
PASSES = ("rhal-partition", "rhal-place", "rhal-allocate", "rhal-schedule-dma", "convert-rhal-to-rcb")

rng = np.random.default_rng(0)
x = rng.standard_normal((1, 32, 20, 20), dtype=np.float32)
r = rng.standard_normal((1, 32, 20, 20), dtype=np.float32)
w = rng.standard_normal((32, 32, 3, 3), dtype=np.float32) * 0.1
b = rng.standard_normal(32, dtype=np.float32)
expected = F.relu(
    F.conv2d(torch.from_numpy(x), torch.from_numpy(w), torch.from_numpy(b), padding=1) + torch.from_numpy(r)
).numpy()


def compile_layer(target: str, tiles: int):
    with make_context():
        module = ir.Module.parse(LAYER)
        pm = PassManager("builtin.module")
        for cls, options in [(registry.lookup("rhal-set-target"), {"target": target, "tiles": tiles})] + [
            (registry.lookup(name), {}) for name in PASSES
        ]:
            pm.add(cls(**options), name=cls.name(), argument=cls.argument)
        pm.run(module.operation)
        program, _ = from_ir.emit(from_ir.find_program(module), {"w": w, "b": b})
    return program


for target, tiles in [("aie-ml", 1), ("aie-ml", 4), ("aie-ml", 28), ("npu1", 16), ("npu2", 32)]:
    program = compile_layer(target, tiles)
    result = execute(program, {"x": x, "r": r})
    error = np.abs(result.outputs["y"] - expected).max() / np.abs(expected).max()
    print(f"{target} {tiles}: {'matches' if error <= 1e-5 else f'differs by {error:.2e}'}")

# CHECK: aie-ml 1: matches
# CHECK: aie-ml 4: matches
# CHECK: aie-ml 28: matches
# CHECK: npu1 16: matches
# CHECK: npu2 32: matches
