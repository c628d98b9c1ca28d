# RUN: %PYTHON %s | FileCheck %s
"""Imported IR and its weight store compute what the PyTorch model computes.

The IR is read back from its text and each argument bound by name to the weight store file, as a
later compile step does; upstream MLIR passes lower it to LLVM and the ExecutionEngine runs it.
The models' BatchNorm statistics are random, so folding is exercised for real.
"""

import ctypes
import sys
import tempfile
from pathlib import Path

import numpy as np
import torch
import torchvision
from torch import nn

from rcbc.frontend import interface
from rcbc.frontend.importer import import_model
from rcbc.frontend.weights import WeightStore
from rcbc.mlir import ExecutionEngine, PassManager, ir, runtime

sys.path.insert(0, str(Path(__file__).parent / "Inputs"))
from tiny_cnn import TinyCNN  # noqa: E402

TO_LLVM = (
    "builtin.module(one-shot-bufferize{bufferize-function-boundaries "
    "function-boundary-type-conversion=identity-layout-map}, func.func(convert-linalg-to-loops), "
    "buffer-deallocation-pipeline, lower-affine, convert-scf-to-cf, expand-strided-metadata, "
    "finalize-memref-to-llvm, convert-math-to-llvm, convert-math-to-libm, convert-arith-to-llvm, "
    "convert-func-to-llvm, convert-cf-to-llvm, reconcile-unrealized-casts)"
)


@ctypes.CFUNCTYPE(
    None,
    ctypes.c_int64,
    ctypes.POINTER(runtime.UnrankedMemRefDescriptor),
    ctypes.POINTER(runtime.UnrankedMemRefDescriptor),
)
def memref_copy(element_size, source, target):
    """The strided copy of MLIR's C runner utilities, which the wheel does not ship (f32 only)."""
    assert element_size == 4
    runtime.unranked_memref_to_numpy(target, np.float32)[...] = (
        runtime.unranked_memref_to_numpy(source, np.float32)
    )


def run(ir_text: str, store: WeightStore, x: np.ndarray, output_shape) -> np.ndarray:
    """Run @main of `ir_text` on input `x`, each weight argument bound by its name."""
    with ir.Context():
        module = ir.Module.parse(ir_text)
        interface.check_weights(module, store)
        arguments = [
            x if argument.kind == interface.INPUT else np.ascontiguousarray(store[argument.name])
            for argument in interface.entry_arguments(module)
        ]
        interface.entry_function(module).attributes["llvm.emit_c_interface"] = ir.UnitAttr.get()
        PassManager.parse(TO_LLVM).run(module.operation)
        engine = ExecutionEngine(module, opt_level=2)
        engine.raw_register_runtime("memrefCopy", ctypes.cast(memref_copy, ctypes.c_void_p))
        output = runtime.make_nd_memref_descriptor(len(output_shape), ctypes.c_float)()
        pointers = [output] + [runtime.get_ranked_memref_descriptor(a) for a in arguments]
        engine.invoke("main", *(ctypes.pointer(ctypes.pointer(p)) for p in pointers))
        return runtime.ranked_memref_to_numpy(ctypes.pointer(output)).copy()


def randomize_batch_norms(model: nn.Module) -> nn.Module:
    for module in model.modules():
        if isinstance(module, nn.BatchNorm2d):
            channels = module.num_features
            module.running_mean.copy_(torch.randn(channels))
            module.running_var.copy_(torch.rand(channels) + 0.5)
            module.weight.data.copy_(torch.randn(channels))
            module.bias.data.copy_(torch.randn(channels))
    return model.eval()


def check(name: str, model: nn.Module, shape) -> None:
    x = torch.randn(*shape)
    with torch.no_grad():
        expected = model(x).numpy()
    imported = import_model(model, (x,))
    with tempfile.TemporaryDirectory() as directory:
        imported.weights.save(Path(directory) / "weights.rcbw")
        store = WeightStore.load(Path(directory) / "weights.rcbw")
        actual = run(str(imported.module), store, x.numpy(), expected.shape)
    difference = np.abs(actual - expected).max() / np.abs(expected).max()
    print(f"{name}: max |difference| {'<=' if difference <= 1e-5 else '>'} 1e-5 of max |output|")


torch.manual_seed(0)
# CHECK: tiny_cnn: max |difference| <= 1e-5 of max |output|
check("tiny_cnn", randomize_batch_norms(TinyCNN()), (1, 3, 32, 32))
# CHECK: resnet18: max |difference| <= 1e-5 of max |output|
check("resnet18", randomize_batch_norms(torchvision.models.resnet18()), (1, 3, 32, 32))
