"""The compile flow: imported linalg IR to RCB bytes, the pipeline declared once.

`PIPELINE` lists the passes from linalg-on-tensors to the `rcb.program`; `compile_module` runs
them on a module, one pass at a time so that each is timed and a failure names its pass, then
encodes the program (`rcbc.bytecode.from_ir`). ``rcbc compile`` is this plus the frontend::

    compiled = compile_module(module, weights, target="aie-ml", tiles=28)
    Path("model.rcb").write_bytes(compiled.data)

Diagnostics go to the module's context, as the passes emit them; the caller attaches a handler
to show them (``rcbc compile`` prints them as ``rcbc-opt`` does). `compile_model` starts from a
PyTorch model instead::

    compiled = compile_model(model, (torch.zeros(1, 3, 224, 224),), target="aie-ml", tiles=28)
"""

from __future__ import annotations

import io
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np

from rcbc import pipeline, targets
from rcbc.bytecode.from_ir import EmitError, emit, find_program
from rcbc.bytecode.program import Program
from rcbc.lowering.layer_stats import LayerStats, layer_plans, layer_traffic
from rcbc.mlir import ir

PIPELINE = (
    "rhal-set-target{{target={target} tiles={tiles}}}",
    "convert-linalg-to-rhal",
    "rhal-partition",
    "rhal-place",
    "rhal-allocate",
    "rhal-schedule-dma",
    "rhal-verify",
    "convert-rhal-to-rcb",
)
"""The passes from imported linalg IR to one `rcb.program`; `{target}` and `{tiles}` are the
options of ``rcbc compile``."""

PRECISIONS = ("fp32", "int8")
QUANTIZE_AFTER = "convert-linalg-to-rhal"
"""An int8 compilation runs rhal-quantize after this pass: every layer then says on its op that
it computes in int8, with its quantization fields, read from the quantized weight store."""

BASELINE_OPTIONS = {"convert-linalg-to-rhal": "fuse=false", "convert-rhal-to-rcb": "host-dispatch=true"}
"""The baseline schedule the reports compare against (``rcbc compile --baseline``): the
driver-managed flow, layer by layer through DDR. Activations and residual adds are layers of
their own instead of fusing into the convolution before them (no on-chip reuse between layers),
and every layer is a dispatch from the host, a round trip modeled per barrier
(`rcbc.runtime.timing.HOST_ROUND_TRIP_SECONDS`). Block shapes, placement and the weight reuse
within a layer are rcbc's own, so that the comparison measures what the two flows differ in."""

STAGE_OPTIONS = {"weights": "stage-weights=true", "inputs": "stage-inputs=true"}
"""``rcbc compile --stage-weights`` and ``--stage-inputs`` (the default; ``--no-stage-inputs``),
options of rhal-partition: the weight chunks (input windows) several tiles load read from DDR
once into a memory tile, where the cost model finds that faster (`rcbc.lowering.blocking`).
Staging input windows is the default: on every target and budget of ``make bench`` the model
finds it faster or within 1 % (docs/benchmarks.md); staging weights trades DDR traffic for time
on the memory tiles' channels, which the cost model misjudges on some shapes."""

VERIFIED_AFTER = frozenset({"rhal-verify", "convert-rhal-to-rcb"})
"""The passes after which `compile_module` verifies the module even without `verify_each`: the
end of the rhal stage (whose ops the next pass replaces) and the finished program. Verifying
after every pass, as ``rcbc-opt`` does, is for work on the passes; on ResNet-18 it takes a third
of the compile time (clang, likewise, does not run the verifier between its passes)."""


class CompileError(Exception):
    """Compilation stopped: a pass failed (its diagnostics went to the context), the pipeline
    could not be built, or the program could not be encoded."""


def pipeline_text(target: str = targets.DEFAULT_TARGET, tiles: int = targets.DEFAULT_TILES,
                  precision: str = "fp32", baseline: bool = False, stage_weights: bool = False,
                  stage_inputs: bool = True) -> str:
    """`PIPELINE` for `target`, `tiles` and `precision` as ``--pass-pipeline`` text; with
    `baseline`, the baseline schedule's (`BASELINE_OPTIONS`); with `stage_weights` and
    `stage_inputs`, weights and input windows staged in memory tiles where the cost model finds
    it faster (`STAGE_OPTIONS`)."""
    steps = list(PIPELINE)
    staged = [STAGE_OPTIONS[what] for what, asked in (("weights", stage_weights), ("inputs", stage_inputs))
              if asked]
    if staged:
        steps[steps.index("rhal-partition")] = "rhal-partition{{" + " ".join(staged) + "}}"
    if precision == "int8":
        steps.insert(steps.index(QUANTIZE_AFTER) + 1, "rhal-quantize")
    elif precision != "fp32":
        raise CompileError(f"unknown precision '{precision}': {', '.join(PRECISIONS)}")
    if baseline:
        if precision != "fp32":
            raise CompileError(
                f"the baseline schedule is fp32 only: {precision} quantizes the model with its "
                "activations and residual adds fused into the layers before them, which the "
                "baseline keeps apart")
        steps = [p + "{{" + BASELINE_OPTIONS[p] + "}}" if p in BASELINE_OPTIONS else p for p in steps]
    passes = ",".join(p.format(target=target, tiles=tiles) for p in steps)
    return f"{pipeline.TOP_LEVEL_ANCHOR}({passes})"


@dataclass(frozen=True)
class Compiled:
    program: Program
    data: bytes
    seconds: dict[str, float]  # measured wall time of each pass, and of the emission
    layers: LayerStats | None = None  # if asked for
    quantized: object = None  # an int8 compilation's rcbc.quantize.quantizer.QuantizedModel


def compile_module(
    module: ir.Module,
    weights: Mapping[str, np.ndarray] | None,
    *,
    target: str = targets.DEFAULT_TARGET,
    tiles: int = targets.DEFAULT_TILES,
    print_ir_after_all: bool = False,
    verify_each: bool = False,
    layer_stats: bool = False,
    precision: str = "fp32",
    baseline: bool = False,
    stage_weights: bool = False,
    stage_inputs: bool = True,
) -> Compiled:
    """Run `PIPELINE` on `module` (in place) and encode the program, weights from `weights`;
    with `baseline`, the baseline schedule (`BASELINE_OPTIONS`); with `stage_weights` and
    `stage_inputs`, `STAGE_OPTIONS`.
    With `precision` ``int8``, `weights` is the quantized model's store (`QuantizedModel.weights`),
    which rhal-quantize reads the layers' quantization fields from.
    The module is verified after the passes of `VERIFIED_AFTER`, or after each if `verify_each`.
    With `layer_stats`, the result has each layer's plan and traffic (`rcbc.lowering.layer_stats`)."""
    context = module.context
    try:
        steps = pipeline.resolve(pipeline.parse_pipeline(pipeline_text(target, tiles, precision, baseline, stage_weights, stage_inputs))).steps
        managers = [(step, pipeline.Pipeline((step,)).build(context)) for step in steps]
    except pipeline.PipelineError as e:
        raise CompileError(e.message) from None
    seconds = {}
    for step, pm in managers:
        name = step.source if isinstance(step, pipeline.UpstreamRun) else step.argument
        pm.enable_verifier(verify_each or name in VERIFIED_AFTER)
        if print_ir_after_all:
            pm.enable_ir_printing(print_after_all=True)
        start = time.perf_counter()
        try:
            if name == "rhal-quantize":  # the store is in memory, not a file the pass could read
                _quantize(module, weights)
            else:
                pm.run(module.operation)
        except ir.MLIRError:
            raise CompileError(f"{name} failed; the errors above say why") from None
        seconds[name] = time.perf_counter() - start
        if layer_stats and name == "rhal-partition":
            plans = layer_plans(module.operation)
        if layer_stats and name == "rhal-schedule-dma":
            stats = LayerStats(plans, *layer_traffic(module.operation))
    start = time.perf_counter()
    try:
        program, data = emit(find_program(module), weights)
    except EmitError as e:
        e.op.location.emit_error(e.message)
        raise CompileError("the program cannot be encoded; the error above says why") from None
    seconds["emission"] = time.perf_counter() - start
    return Compiled(program, data, seconds, stats if layer_stats else None)


def _quantize(module: ir.Module, weights) -> None:
    from rcbc.passes.rhal_quantize import QuantizeError, quantize_layers

    try:
        quantize_layers(module.operation, weights or {})
    except QuantizeError as e:
        e.op.location.emit_error(e.message) if hasattr(e.op, "location") else None
        raise CompileError(f"rhal-quantize failed: {e.message}") from None


def quantize(model, example_inputs: tuple, samples=None, observer: str = "minmax"):
    """The int8 quantization of `model` (`rcbc.quantize.quantizer.quantize_model`) calibrated
    on `samples` `[N, *input]` (default: 8 standard-normal samples, seed 0)."""
    from rcbc.quantize.calibration import random_samples
    from rcbc.quantize.quantizer import quantize_model

    if samples is None:
        samples = random_samples(tuple(example_inputs[0].shape[1:]), 8, seed=0)
    return quantize_model(model, samples, observer=observer)


def compile_model(
    model,
    example_inputs: tuple,
    *,
    target: str = targets.DEFAULT_TARGET,
    tiles: int = targets.DEFAULT_TILES,
    precision: str = "fp32",
    samples=None,
    observer: str = "minmax",
    **options: bool,
) -> Compiled:
    """Import the PyTorch `model` as it runs on inputs shaped like `example_inputs`
    (`rcbc.frontend.importer.import_model`, which raises `FrontendError`) and compile it;
    `options` are those of `compile_module` (`verify_each`, `layer_stats`, ...).

    The imported module is read into a context with rcbc's dialects (`rcbc.context`), with the
    locations that point into the model's Python code, which the passes' diagnostics show.
    """
    from rcbc.context import make_context
    from rcbc.frontend.importer import import_model

    imported = import_model(model, example_inputs)
    module = ir.Module.parse(ir_text(imported.module), make_context())
    if precision == "int8":
        qmodel = quantize(model, example_inputs, samples, observer)
        compiled = compile_module(module, qmodel.weights(), target=target, tiles=tiles,
                                  precision=precision, **options)
        return replace(compiled, quantized=qmodel)
    return compile_module(module, imported.weights, target=target, tiles=tiles, **options)


def ir_text(module: ir.Module) -> str:
    """The text of `module` with its locations, which point into the model's code once
    imported: parsed again in another context, it keeps them."""
    text = io.StringIO()
    module.operation.print(file=text, enable_debug_info=True)
    return text.getvalue()
