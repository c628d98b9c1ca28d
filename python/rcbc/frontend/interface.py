"""How imported IR names its inputs, weights and outputs: the contract with later stages.

An imported model is one function, ``@main``. Each argument carries exactly one of two
attributes: ``rcbc.input`` (a model input, named after the ``forward`` parameter) or
``rcbc.weight`` (a tensor of the weight store, named by its module path). Each result carries
``rcbc.output``. The module records where the model and its weights came from, and the weight
store file, as a path relative to the IR file::

    module attributes {rcbc.model = "resnet18", rcbc.weight_source = "random init (seed 0)",
                       rcbc.weight_store = "r18.rcbw"} {
      func.func @main(%arg0: tensor<64x3x7x7xf32> {rcbc.weight = "conv1.weight"},
                      %arg1: tensor<64xf32> {rcbc.weight = "conv1.bias"},
                      ...
                      %arg42: tensor<1x3x224x224xf32> {rcbc.input = "x"})
          -> (tensor<1x1000xf32> {rcbc.output = "output"}) {

The IR and the store file are all a later step needs: `entry_arguments` reads the arguments back
and `check_weights` checks that the store holds each weight with the argument's shape and element
type.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rcbc.frontend.errors import FrontendError
from rcbc.frontend.weights import WeightStore
from rcbc.mlir import func, ir

ENTRY_FUNCTION = "main"

INPUT = "rcbc.input"
WEIGHT = "rcbc.weight"
OUTPUT = "rcbc.output"

MODEL = "rcbc.model"
WEIGHT_SOURCE = "rcbc.weight_source"
WEIGHT_STORE = "rcbc.weight_store"

ELEMENT_TYPES: dict[np.dtype, str] = {
    np.dtype(dtype): element
    for dtype, element in [
        ("float32", "f32"),
        ("float16", "f16"),
        ("float64", "f64"),
        ("int8", "i8"),
        ("uint8", "i8"),  # torch-mlir's linalg types are signless
        ("int16", "i16"),
        ("int32", "i32"),
        ("int64", "i64"),
        ("bool", "i1"),
    ]
}
"""The MLIR element type of a tensor argument holding each weight-store dtype."""


@dataclass(frozen=True)
class Argument:
    """One argument of ``@main``: `kind` is `INPUT` or `WEIGHT`."""

    kind: str
    name: str
    type: ir.RankedTensorType


def output_names(count: int) -> list[str]:
    """The names of `count` results of ``@main``: ``output``, or ``output0``, ``output1``, ..."""
    return ["output"] if count == 1 else [f"output{i}" for i in range(count)]


def annotate(module: ir.Module, arguments: list[tuple[str, str]], outputs: list[str]) -> None:
    """Name each argument of ``@main`` as (`INPUT` or `WEIGHT`, name), and each result."""
    function = entry_function(module)
    with module.context:
        function.arg_attrs = ir.ArrayAttr.get(
            [ir.DictAttr.get({kind: ir.StringAttr.get(name)}) for kind, name in arguments]
        )
        function.result_attrs = ir.ArrayAttr.get(
            [ir.DictAttr.get({OUTPUT: ir.StringAttr.get(name)}) for name in outputs]
        )


def set_module_info(module: ir.Module, info: dict[str, str]) -> None:
    """Record `MODEL`, `WEIGHT_SOURCE` and `WEIGHT_STORE` (any of them) on the module."""
    with module.context:
        for key, value in info.items():
            module.operation.attributes[key] = ir.StringAttr.get(value)


def entry_function(module: ir.Module) -> func.FuncOp:
    """The ``@main`` function of an imported module."""
    for op in module.body.operations:
        if isinstance(op, func.FuncOp) and op.name.value == ENTRY_FUNCTION:
            return op
    raise FrontendError(f"the module has no function @{ENTRY_FUNCTION}")


def entry_arguments(module: ir.Module) -> list[Argument]:
    """The arguments of ``@main`` with their kind and name."""
    function = entry_function(module)
    arguments = []
    for index, (value, attrs) in enumerate(zip(function.arguments, function.arg_attrs)):
        kinds = [kind for kind in (INPUT, WEIGHT) if kind in attrs]
        if len(kinds) != 1:
            raise FrontendError(
                f"argument {index} of @{ENTRY_FUNCTION} needs exactly one of {INPUT} and {WEIGHT}"
            )
        name = ir.StringAttr(attrs[kinds[0]]).value
        arguments.append(Argument(kinds[0], name, ir.RankedTensorType(value.type)))
    return arguments


def check_weights(module: ir.Module, store: WeightStore) -> None:
    """Raise `FrontendError` unless `store` holds every weight of `module` with its type."""
    problems = []
    for argument in entry_arguments(module):
        if argument.kind != WEIGHT:
            continue
        if argument.name not in store:
            problems.append(f"{argument.name}: not in the store")
            continue
        array = store[argument.name]
        expected = (tuple(argument.type.shape), str(argument.type.element_type))
        found = (array.shape, ELEMENT_TYPES.get(array.dtype.newbyteorder("="), str(array.dtype)))
        if found != expected:
            problems.append(
                f"{argument.name}: the IR expects {_describe(*expected)}, "
                f"the store has {_describe(*found)}"
            )
    if problems:
        raise FrontendError(
            f"the weight store does not match the IR ({len(problems)} weights):\n  "
            + "\n  ".join(problems)
        )


def _describe(shape: tuple[int, ...], element_type: str) -> str:
    return "x".join(map(str, shape + (element_type,)))
