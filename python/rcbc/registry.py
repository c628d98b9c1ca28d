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
imported only when a pipeline names them or the full list is asked for. A pass plugin, a Python
file given to ``rcbc-opt --load-pass-plugin``, adds the passes it defines.

Option types are ``int``, ``bool``, ``str``, ``float``, ``Literal[...]`` and ``tuple[T, ...]`` of
those. On the command line an option is written as MLIR writes it: ``tiles=8``, ``flag`` or
``flag=false``, ``sizes=1,2,3``; `ModulePass.from_options` parses and checks the text.

Python passes are not in MLIR's own registry (the bindings cannot register them), so pipelines
naming them are parsed by `rcbc.pipeline`, which asks this module for each name.
"""

from __future__ import annotations

import dataclasses
import difflib
import importlib
import importlib.machinery
import importlib.util
import itertools
import pkgutil
import re
import sys
import typing
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from rcbc.mlir import ir

PASS_PACKAGE = "rcbc.passes"

_ARGUMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
_TRUE = ("true", "True", "TRUE", "1")
_FALSE = ("false", "False", "FALSE", "0")


class PassFailed(Exception):
    """Raised inside a pass to stop it after its diagnostics have been emitted."""


class OptionError(ValueError):
    """A pass option written in a pipeline is unknown, repeated, or has a bad value."""


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


def parse_option_value(tp: Any, text: str) -> Any:
    """The value of type `tp` written as `text`; the inverse of `format_option_value`.

    Raises ValueError whose message says what was expected (``an int``, ``one of 'a', 'b'``).
    """
    origin = typing.get_origin(tp)
    if origin is typing.Literal:
        return _parse_choice(tp, text)
    if origin is tuple:
        element, *rest = typing.get_args(tp)
        if rest != [Ellipsis]:
            raise TypeError(f"unsupported option type {tp}: use tuple[T, ...]")
        return _parse_list(element, text)
    if tp is bool:
        if text in _TRUE or text in _FALSE:
            return text in _TRUE
        raise ValueError("a bool (true or false)")
    if tp is int:
        return _parse_number(lambda t: int(t, 0), "an int", text)
    if tp is float:
        return _parse_number(float, "a float", text)
    if tp is str:
        return text
    raise TypeError(f"unsupported option type {tp}")


def _parse_number(parse: Callable[[str], Any], expected: str, text: str) -> Any:
    try:
        return parse(text)
    except ValueError:
        raise ValueError(expected) from None


def _parse_choice(tp: Any, text: str) -> Any:
    for choice in typing.get_args(tp):
        if format_option_value(choice) == text:
            return choice
    raise ValueError("one of " + ", ".join(f"'{c}'" for c in _choices(tp)))


def _choices(tp: Any) -> list[str]:
    """The values of a ``Literal`` type as written on the command line; [] for other types."""
    if typing.get_origin(tp) is not typing.Literal:
        return []
    return [format_option_value(c) for c in typing.get_args(tp)]


def _parse_list(element: Any, text: str) -> tuple[Any, ...]:
    if not text:
        return ()
    try:
        return tuple(parse_option_value(element, item) for item in text.split(","))
    except ValueError:
        raise ValueError(f"a comma-separated list of {type_name(element)}") from None


def format_option_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (tuple, list)):
        return ",".join(format_option_value(v) for v in value)
    return str(value)


def suggest(argument: str, candidates: Iterable[str]) -> list[str]:
    """The registered names closest to a misspelt `argument`, best first."""
    return difflib.get_close_matches(argument, list(candidates), n=3, cutoff=0.6)


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for the candidate closest to `word`, or ``""``."""
    close = suggest(word, candidates)
    return f"; did you mean '{close[0]}'?" if close else ""


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
        """Run the pass with the module's context and location as the defaults for builders."""
        object.__setattr__(self, "_failed", False)
        try:
            with op.context, op.location:
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

    @classmethod
    def from_options(cls, options: Mapping[str, str | None]) -> ModulePass:
        """The pass configured by `options`, option name -> text as written in a pipeline.

        A name given without a value (`None`) sets a bool option to true. Raises OptionError
        naming the pass, the option, the value and what was expected.
        """
        known = {info.name: info for info in cls.options()}
        values = {}
        for name, text in options.items():
            info = known.get(name)
            if info is None:
                raise OptionError(
                    f"pass '{cls.argument}' has no option '{name}'"
                    + did_you_mean(name, known)
                    + f" (options: {', '.join(known) or 'none'})"
                )
            values[info.field] = _option_value(cls, info, text)
        return cls(**values)

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


def _option_value(cls: type[ModulePass], info: OptionInfo, text: str | None) -> Any:
    if text is None:
        if info.type is bool:
            return True
        text = ""
    try:
        return parse_option_value(info.type, text)
    except ValueError as e:
        raise OptionError(
            f"option '{info.name}' of pass '{cls.argument}' expects {e}, got '{text}'"
            + did_you_mean(text, _choices(info.type))
        ) from None


def _location(where: ir.Operation | ir.OpView | ir.Location) -> ir.Location:
    if isinstance(where, ir.Location):
        return where
    return where.location


# -- lookup ---------------------------------------------------------------------------------

_plugin_passes: dict[str, type[ModulePass]] = {}
_plugin_ids = itertools.count()


def module_name(argument: str) -> str:
    return f"{PASS_PACKAGE}.{argument.replace('-', '_')}"


def _passes_in_module(module: Any) -> list[type[ModulePass]]:
    return [
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, ModulePass)
        and value.__module__ == module.__name__
        and "argument" in vars(value)
    ]


def _builtin_pass(argument: str) -> type[ModulePass] | None:
    if not _ARGUMENT.fullmatch(argument):
        return None
    try:
        module = importlib.import_module(module_name(argument))
    except ModuleNotFoundError as e:
        if e.name == module_name(argument):
            return None
        raise
    for cls in _passes_in_module(module):
        if cls.argument == argument:
            return cls
    return None


def lookup(argument: str) -> type[ModulePass] | None:
    """The pass class registered under `argument`, or None."""
    return _plugin_passes.get(argument) or _builtin_pass(argument)


def all_passes() -> dict[str, type[ModulePass]]:
    """Every registered pass, by argument, in sorted order."""
    package = importlib.import_module(PASS_PACKAGE)
    found = {}
    for info in pkgutil.iter_modules(package.__path__):
        for cls in _passes_in_module(importlib.import_module(f"{PASS_PACKAGE}.{info.name}")):
            found[cls.argument] = cls
    found.update(_plugin_passes)
    return dict(sorted(found.items()))


def load_plugin(path: str | Path) -> list[type[ModulePass]]:
    """Import the Python file at `path` and register the passes it defines.

    Raises OSError if the file cannot be read and LookupError if it defines no pass.
    """
    name = f"rcbc_pass_plugin_{next(_plugin_ids)}"
    loader = importlib.machinery.SourceFileLoader(name, str(path))
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader(name, loader))
    sys.modules[name] = module  # dataclasses and get_type_hints look the module up by name
    try:
        loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    passes = _passes_in_module(module)
    if not passes:
        raise LookupError(f"pass plugin '{path}' defines no rcbc pass (no ModulePass subclass)")
    for cls in passes:
        _plugin_passes[cls.argument] = cls
    return passes
