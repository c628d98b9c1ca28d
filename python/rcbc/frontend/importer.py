"""Import a PyTorch model into linalg-on-tensors IR, with its weights in a `WeightStore`.

The steps, each reported through `step` so a command line can show progress:

1. ``torch.export`` the eval-mode model with the example inputs;
2. check that every operator is supported (`rcbc.frontend.coverage`), naming the line of Python
   of each one that is not;
3. fold BatchNorm (`rcbc.frontend.bn_folding`) and export the folded model;
4. lower to linalg-on-tensors with torch-mlir (``torch_mlir.fx.stateless_fx_import``). The
   exported graph is imported as it is, so each of its inputs (parameters, buffers, tensor
   constants and the model inputs) becomes an argument of ``@main``, named by the export
   signature (``layer1.0.conv1.weight``); weights no operator uses are dropped. No tensor is in
   the IR, hence no ``dense_resource``: ResNet-18 is about 27 kB of IR. (``export_and_import``
   imports the program frozen, which inlines every weight.)
5. name the arguments and results (`rcbc.frontend.interface`) and put each weight, as a numpy
   array, in the store under the same name.

Example::

    >>> imported = import_model(torchvision.models.resnet18(), (torch.zeros(1, 3, 224, 224),))
    >>> imported.weights["layer1.0.conv1.bias"].shape   # the folded BatchNorm's shift
    (64,)
    >>> print(imported.module)   # func.func @main(%arg0: tensor<64x3x7x7xf32> {rcbc.weight = ...
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn
from torch.export import ExportedProgram
from torch.export.graph_signature import InputKind
from torch_mlir.extras.fx_decomp_util import get_decomposition_table
from torch_mlir.fx import stateless_fx_import

from rcbc.frontend import interface
from rcbc.frontend.bn_folding import FoldedModel, fold_batch_norm
from rcbc.frontend.coverage import check_coverage
from rcbc.frontend.errors import FrontendError
from rcbc.frontend.weights import WeightStore
from rcbc.mlir import ir

Step = Callable[[str], AbstractContextManager]
"""Called with the name of each step; the step runs inside the context it returns."""

WEIGHT_KINDS = {InputKind.PARAMETER, InputKind.BUFFER, InputKind.CONSTANT_TENSOR}


@dataclass
class ImportedModel:
    """The linalg-on-tensors module, its weights, and the BatchNorm folding that was done."""

    module: ir.Module
    weights: WeightStore
    folding: FoldedModel


def import_model(
    model: nn.Module,
    example_inputs: tuple[torch.Tensor, ...],
    *,
    step: Step = lambda name: contextlib.nullcontext(),
) -> ImportedModel:
    """Import `model` (put in eval mode) as it runs on inputs shaped like `example_inputs`."""
    program, folding = export_folded(model, example_inputs, step=step)
    with step("lower to linalg-on-tensors"):
        module, weights = _lower(program)
    return ImportedModel(module, weights, folding)


def export_folded(
    model: nn.Module,
    example_inputs: tuple[torch.Tensor, ...],
    *,
    step: Step = lambda name: contextlib.nullcontext(),
) -> tuple[ExportedProgram, FoldedModel]:
    """Steps 1 to 3: the export of eval-mode `model` with its BatchNorms folded, and the folding.

    The graph of the program is the one the IR is lowered from (`rcbc.quantize` reads it too).
    """
    model.eval()
    with step("export with torch.export"):
        program = _export(model, example_inputs)
    with step("check operator coverage"):
        check_coverage(program)
    with step("fold batch norm"):
        folding = fold_batch_norm(model, program)
    if folding.changed:
        with step("export the folded model"):
            program = _export(folding.model, example_inputs)
    return program, folding


def _export(model: nn.Module, example_inputs: tuple[torch.Tensor, ...]) -> ExportedProgram:
    try:
        return torch.export.export(model, example_inputs)
    except Exception as e:  # torch.export reports a model it cannot trace in many ways
        message = str(e).strip().splitlines()
        excerpt = "\n".join(message[:20] + ["..."] * (len(message) > 20))
        raise FrontendError(f"torch.export cannot export the model: {excerpt}") from None


def _lower(program: ExportedProgram) -> tuple[ir.Module, WeightStore]:
    """Import `program` with every input an argument; return the module and the weights."""
    program = program.run_decompositions(get_decomposition_table())
    specs = {spec.arg.name: spec for spec in program.graph_signature.input_specs}
    graph = program.graph_module.graph
    arguments, weights = [], WeightStore()
    for node in list(graph.find_nodes(op="placeholder")):
        spec = specs[node.name]
        if spec.kind == InputKind.USER_INPUT:
            arguments.append((interface.INPUT, node.name))
        elif spec.kind not in WEIGHT_KINDS:
            raise FrontendError(f"model input {node.name} is a {spec.kind.name}, not a tensor")
        elif not node.users:
            graph.erase_node(node)
        else:
            arguments.append((interface.WEIGHT, spec.target))
            weights.add(spec.target, _numpy(spec.target, _state(program, spec.target)))
    try:
        module = stateless_fx_import(
            program.graph_module,
            output_type="linalg-on-tensors",
            model_name=interface.ENTRY_FUNCTION,
        )
    except Exception as e:  # the torch-mlir pipeline reports failures as one long message
        raise FrontendError(f"torch-mlir cannot lower the model to linalg: {e}") from None
    results = len(interface.entry_function(module).type.results)
    interface.annotate(module, arguments, interface.output_names(results))
    return module, weights


def _state(program: ExportedProgram, name: str) -> torch.Tensor:
    """A parameter, buffer or constant of `program` by name."""
    if name in program.state_dict:
        return program.state_dict[name]
    return program.constants[name]


def _numpy(name: str, tensor: torch.Tensor) -> np.ndarray:
    try:
        return tensor.detach().cpu().numpy()
    except TypeError as e:  # numpy has no bfloat16
        raise FrontendError(f"weight {name}: {e}; convert the model to float32") from None
