"""The pass registry: every rcbc pass, found by its command-line argument.

A pass is a frozen dataclass deriving from `ModulePass`. Its class attribute `argument` is the
kebab-case name used in pipelines, its docstring gives the summary (first line) and description
(with a before/after IR example), and its dataclass fields are its options::

    @dataclass(frozen=True)
    class SetTarget(ModulePass):
        \"\"\"Attach the target description and tile budget to the module. ...\"\"\"

        argument: ClassVar[str] = "rhal-set-target"
        target: str = option("aie-ml", "target name: aie-ml, aie, npu1 or npu2")
        tiles: int = option(28, "compute-tile budget")

        def run(self, module):
            ...

Passes live one per module in the ``rcbc.passes`` package, the module named after the argument
with dashes as underscores (``rhal-set-target`` -> ``rcbc/passes/rhal_set_target.py``), and are
imported only when a pipeline names them or the full list is asked for.

Python passes are not in MLIR's own registry (the bindings cannot register them), so pipelines
naming them are parsed by `rcbc.pipeline`, which asks this module for each name.
"""

from __future__ import annotations

import dataclasses
import difflib
import importlib
import pkgutil
import typing
from dataclasses import dataclass
from typing import Any, ClassVar

from rcbc.mlir import ir

PASS_PACKAGE = "rcbc.passes"


class PassFailed(Exception):
    """Raised inside a pass to stop it after its diagnostics have been emitted."""


def option(default: Any, help: str) -> Any:
    """Declare a pass option: a dataclass field with its default and one-line help."""
    return dataclasses.field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class OptionInfo:
    """One option of a pass as the command line sees it."""

    name: str  # kebab-case, as written in `pass{name=value}`
    field: str  # the dataclass field
    type: Any
    default: Any
    help: str

    @property
    def type_name(self) -> str:
        return type_name(self.type)


def type_name(tp: Any) -> str:
    """A short, user-facing name for an option type (`int`, `bool`, `string`, `int-list`, ...)."""
    origin = typing.get_origin(tp)
    if origin is typing.Literal:
        return "|".join(str(a) for a in typing.get_args(tp))
    if origin in (tuple, list):
        return f"{type_name(typing.get_args(tp)[0])}-list"
    return {int: "int", bool: "bool", str: "string", float: "float"}.get(tp, str(tp))


@dataclass(frozen=True)
class ModulePass:
    """Base of all rcbc passes: runs on the top-level `builtin.module` and walks to its targets.

    Subclasses implement `run(module)`. A user-caused problem is reported with `emit_error` at
    the offending op (any number of times) or with `fail`, which also stops the pass; either
    way the pipeline then fails with those diagnostics and no traceback.
    """

    argument: ClassVar[str]

    def run(self, module: ir.Operation) -> None:
        raise NotImplementedError

    # -- reporting ------------------------------------------------------------------------

    def emit_error(self, where: ir.Operation | ir.OpView | ir.Location, message: str) -> None:
        """Emit an error diagnostic at `where` and mark the pass as failed."""
        _location(where).emit_error(message)
        object.__setattr__(self, "_failed", True)

    def fail(self, where: ir.Operation | ir.OpView | ir.Location, message: str) -> typing.NoReturn:
        """Emit an error diagnostic at `where` and stop the pass."""
        self.emit_error(where, message)
        raise PassFailed(message)

    # -- the PassManager protocol ---------------------------------------------------------

    def __call__(self, op: ir.Operation, pass_: Any) -> None:
        object.__setattr__(self, "_failed", False)
        try:
            self.run(op)
        except PassFailed:
            pass
        if getattr(self, "_failed", False):
            pass_.signal_pass_failure()

    # -- introspection --------------------------------------------------------------------

    @classmethod
    def name(cls) -> str:
        """The CamelCase name shown in IR dumps (`IR Dump After SetTarget`)."""
        return cls.__name__

    @classmethod
    def summary(cls) -> str:
        return (cls.__doc__ or "").strip().splitlines()[0] if cls.__doc__ else ""

    @classmethod
    def options(cls) -> list[OptionInfo]:
        hints = typing.get_type_hints(cls)
        return [
            OptionInfo(
                name=f.name.replace("_", "-"),
                field=f.name,
                type=hints[f.name],
                default=f.default,
                help=f.metadata.get("help", ""),
            )
            for f in dataclasses.fields(cls)
        ]

    def option_string(self) -> str:
        """Options that differ from their defaults, as `{a=1 b=x}` (empty if none)."""
        parts = []
        for info in self.options():
            value = getattr(self, info.field)
            if value != info.default:
                parts.append(f"{info.name}={format_option_value(value)}")
        return "{" + " ".join(parts) + "}" if parts else ""

    def pipeline_element(self) -> str:
        return self.argument + self.option_string()


def format_option_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (tuple, list)):
        return ",".join(format_option_value(v) for v in value)
    return str(value)


def _location(where: ir.Operation | ir.OpView | ir.Location) -> ir.Location:
    if isinstance(where, ir.Location):
        return where
    return where.location


# -- lookup ---------------------------------------------------------------------------------


def module_name(argument: str) -> str:
    return f"{PASS_PACKAGE}.{argument.replace('-', '_')}"


def _pass_in_module(module: Any) -> type[ModulePass] | None:
    for value in vars(module).values():
        if (
            isinstance(value, type)
            and issubclass(value, ModulePass)
            and value is not ModulePass
            and value.__module__ == module.__name__
        ):
            return value
    return None


def lookup(argument: str) -> type[ModulePass] | None:
    """The pass class registered under `argument`, or None."""
    try:
        module = importlib.import_module(module_name(argument))
    except ModuleNotFoundError as e:
        if e.name == module_name(argument):
            return None
        raise
    cls = _pass_in_module(module)
    if cls is None or cls.argument != argument:
        return None
    return cls


def all_passes() -> dict[str, type[ModulePass]]:
    """Every registered pass, by argument, in sorted order."""
    package = importlib.import_module(PASS_PACKAGE)
    found = {}
    for info in pkgutil.iter_modules(package.__path__):
        cls = _pass_in_module(importlib.import_module(f"{PASS_PACKAGE}.{info.name}"))
        if cls is not None:
            found[cls.argument] = cls
    return dict(sorted(found.items()))


def suggest(argument: str, candidates: typing.Iterable[str]) -> list[str]:
    """The registered names closest to a misspelt `argument`, best first."""
    return difflib.get_close_matches(argument, list(candidates), n=3, cutoff=0.6)
