"""Test-only rcbc passes for the driver tests, loaded with ``--load-pass-plugin``.

They exercise what the driver does with a Python pass (options of every supported type, pass
failures, IR dumps) independently of the real compiler passes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from rcbc.mlir import ir
from rcbc.registry import ModulePass, format_option_value, option


@dataclass(frozen=True)
class TestOptions(ModulePass):
    """Record the pass options on the module as `test.options`.

    ``module attributes {test.options = "count=3 ratio=0.5 ..."} {}``
    """

    argument: ClassVar[str] = "test-options"
    count: int = option(1, "an int")
    ratio: float = option(0.5, "a float")
    verbose: bool = option(False, "a bool")
    label: str = option("none", "a string")
    mode: Literal["fast", "exact"] = option("fast", "a choice")
    sizes: tuple[int, ...] = option((), "a list of ints")

    def run(self, module: ir.Operation) -> None:
        text = " ".join(
            f"{info.name}={format_option_value(getattr(self, info.field))}"
            for info in self.options()
        )
        module.attributes["test.options"] = ir.StringAttr.get(text, module.context)


@dataclass(frozen=True)
class TestMarkFuncs(ModulePass):
    """Mark every function with the unit attribute `test.marked`."""

    argument: ClassVar[str] = "test-mark-funcs"

    def run(self, module: ir.Operation) -> None:
        for op in module.regions[0].blocks[0].operations:
            op.attributes["test.marked"] = ir.UnitAttr.get(module.context)


@dataclass(frozen=True)
class TestFailOnFuncs(ModulePass):
    """Emit an error at every top-level op, or once at an unknown location; then fail."""

    argument: ClassVar[str] = "test-fail-on-funcs"
    message: str = option("rejected", "the error message")
    unknown_location: bool = option(False, "emit one error at an unknown location instead")

    def run(self, module: ir.Operation) -> None:
        if self.unknown_location:
            self.fail(ir.Location.unknown(module.context), self.message)
        for op in module.regions[0].blocks[0].operations:
            self.emit_error(op, f"{self.message} '{op.operation.name}'")


@dataclass(frozen=True)
class TestBreakReturns(ModulePass):
    """Declare every function as returning an i32 its body does not return: invalid IR the
    pass itself does not notice."""

    argument: ClassVar[str] = "test-break-returns"

    def run(self, module: ir.Operation) -> None:
        with module.context:
            returning = ir.TypeAttr.get(ir.FunctionType.get([], [ir.IntegerType.get_signless(32)]))
        for op in module.regions[0].blocks[0].operations:
            op.attributes["function_type"] = returning
