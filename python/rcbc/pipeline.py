"""Textual pass pipelines: the grammar, resolution of pass names, and PassManager building.

rcbc passes are Python callables that MLIR's own pipeline parser does not know, so pipelines
are parsed here, with MLIR's grammar::

    pipeline      ::= anchor '(' (element (',' element)*)? ')'
    element       ::= pipeline | pass-name ('{' options '}')?
    options       ::= (name ('=' value)?)*     value: word, 'quoted', "quoted" or {braced}

For example ``builtin.module(rhal-set-target{tiles=8},canonicalize,func.func(cse))``.
`parse_pipeline` gives the syntax tree, `resolve` checks it against the registries and gives a
`Pipeline`, and `Pipeline.build` adds it to a `PassManager`: each rcbc pass as a Python pass,
each run of upstream elements as pipeline text, which MLIR parses and checks itself.

A Python pass can only run on the top-level ``builtin.module``: the bindings cannot anchor one
on a nested op, so nesting it under another anchor is an error.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass

from rcbc import registry
from rcbc.mlir import PassManager, ir

TOP_LEVEL_ANCHOR = "builtin.module"

# Upstream passes offered as "did you mean" suggestions (MLIR cannot list its registry from
# Python); each is checked against the bindings before it is suggested.
UPSTREAM_PASSES = (
    "affine-loop-fusion", "affine-loop-unroll", "buffer-deallocation-simplification",
    "buffer-results-to-out-params", "canonicalize", "control-flow-sink",
    "convert-elementwise-to-linalg", "convert-linalg-to-affine-loops", "convert-linalg-to-loops",
    "convert-linalg-to-parallel-loops", "convert-scf-to-cf", "convert-tensor-to-linalg", "cse",
    "eliminate-empty-tensors", "expand-strided-metadata", "fold-memref-alias-ops",
    "fold-tensor-subset-ops", "inline", "linalg-fold-unit-extent-dims",
    "linalg-fuse-elementwise-ops", "linalg-generalize-named-ops", "linalg-inline-scalar-operands",
    "linalg-specialize-generic-ops", "loop-invariant-code-motion", "lower-affine", "mem2reg",
    "one-shot-bufferize", "print-ir", "print-op-stats", "remove-dead-values", "sccp",
    "snapshot-op-locations", "sroa", "strip-debuginfo", "symbol-dce", "symbol-privatize",
    "topological-sort", "transform-interpreter",
)  # fmt: skip

_NAME = re.compile(r"[A-Za-z0-9_.$-]+")
_OPTION_NAME = re.compile(r"[^\s=]+")
_UNREGISTERED = re.compile(r"'([^']*)' does not refer to a registered pass or pass pipeline")
_FAILED_TO_ADD = re.compile(r"failed to add `([^`]*)` with options `[^`]*`")


class PipelineError(ValueError):
    """A pipeline a user wrote is malformed or names something unknown.

    `text` and `position` locate the problem; str() shows the line with a caret under it.
    """

    def __init__(self, message: str, text: str = "", position: int = 0):
        super().__init__(message)
        self.message = message
        self.text = text
        self.position = position

    def __str__(self) -> str:
        if not self.text:
            return self.message
        start = self.text.rfind("\n", 0, self.position) + 1
        end = self.text.find("\n", self.position)
        line = self.text[start : end if end >= 0 else len(self.text)]
        return f"{self.message}\n  {line}\n  {' ' * (self.position - start)}^"


# -- syntax -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PassSpec:
    """A pass as written: its name and the text between its braces (None without braces)."""

    name: str
    options: str | None
    text: str  # the text this was parsed from, for error messages
    position: int

    @property
    def source(self) -> str:
        return self.name if self.options is None else f"{self.name}{{{self.options}}}"

    def passes(self) -> Iterator[PassSpec]:
        yield self


@dataclass(frozen=True)
class PipelineSpec:
    """A nested pipeline as written: `anchor(element, ...)`."""

    anchor: str
    elements: tuple[PassSpec | PipelineSpec, ...]
    text: str
    position: int

    @property
    def source(self) -> str:
        return f"{self.anchor}({','.join(e.source for e in self.elements)})"

    def passes(self) -> Iterator[PassSpec]:
        """Every pass in this pipeline, nested ones included, in order."""
        for element in self.elements:
            yield from element.passes()


class _Parser:
    """A recursive-descent parser over one pipeline text."""

    def __init__(self, text: str):
        self.text = text
        self.pos = 0

    def error(self, message: str, position: int | None = None) -> PipelineError:
        return PipelineError(message, self.text, self.pos if position is None else position)

    def skip_space(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def peek(self) -> str:
        self.skip_space()
        return self.text[self.pos : self.pos + 1]

    def name(self, what: str) -> str:
        self.skip_space()
        match = _NAME.match(self.text, self.pos)
        if not match:
            raise self.error(f"expected {what}")
        self.pos = match.end()
        return match.group()

    def top_level(self) -> PipelineSpec:
        start = self.pos
        anchor = self.name("a pass pipeline")
        if self.peek() != "(":
            raise self.error(
                "expected pass pipeline to be wrapped with the anchor operation type, "
                "e.g. 'builtin.module(...)'",
                start,
            )
        pipeline = self.nested(anchor, start)
        if self.peek():
            raise self.error("unexpected text after the pass pipeline")
        return pipeline

    def nested(self, anchor: str, start: int) -> PipelineSpec:
        self.pos += 1  # '('
        elements: list[PassSpec | PipelineSpec] = []
        if self.peek() == ")":
            self.pos += 1
            return PipelineSpec(anchor, (), self.text, start)
        while True:
            elements.append(self.element())
            token = self.peek()
            self.pos += 1
            if token == ")":
                return PipelineSpec(anchor, tuple(elements), self.text, start)
            if token != ",":
                raise self.error(
                    "encountered unbalanced parentheses while parsing pipeline"
                    if not token
                    else f"expected ',' or ')' in the pipeline of '{anchor}'",
                    self.pos - 1,
                )

    def element(self) -> PassSpec | PipelineSpec:
        self.skip_space()
        start = self.pos
        name = self.name("a pass or pipeline name")
        token = self.peek()
        if token == "(":
            return self.nested(name, start)
        if token != "{":
            return PassSpec(name, None, self.text, start)
        end = _closing_brace(self.text, self.pos)
        if end < 0:
            raise self.error(f"missing '}}' to close the options of '{name}'", self.pos)
        options = self.text[self.pos + 1 : end]
        self.pos = end + 1
        return PassSpec(name, options, self.text, start)


def _closing_brace(text: str, open_at: int) -> int:
    """The index of the '}' matching the '{' at `open_at` (quotes respected), or -1."""
    depth = 0
    quote = ""
    for i in range(open_at, len(text)):
        char = text[i]
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return i
    return -1


def parse_pipeline(text: str) -> PipelineSpec:
    """The syntax tree of `text`, a full pipeline such as ``builtin.module(cse)``.

    Blank text is the empty pipeline.
    """
    if not text.strip():
        return PipelineSpec(TOP_LEVEL_ANCHOR, (), text, 0)
    return _Parser(text).top_level()


def parse_pass_flag(flag: str) -> PassSpec:
    """The pass named by a per-pass command-line flag: ``--cse`` or ``--canonicalize=a=1 b=2``."""
    name, equals, options = flag.lstrip("-").partition("=")
    position = len(flag) - len(flag.lstrip("-"))
    if not _NAME.fullmatch(name):
        raise PipelineError(f"'{flag}' is not a pass name", flag, position)
    return PassSpec(name, options if equals else None, flag, position)


def parse_options(spec: PassSpec) -> dict[str, str | None]:
    """The options of `spec` as name -> value text (None for a name given without a value)."""
    text = spec.options or ""
    options: dict[str, str | None] = {}
    pos = 0
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos == len(text):
            return options
        match = _OPTION_NAME.match(text, pos)
        pos = match.end()
        name = match.group()
        value = None
        if text.startswith("=", pos):
            value, pos = _option_value(spec, text, pos + 1)
        if name in options:
            message = f"option '{name}' of '{spec.name}' is given twice"
            raise PipelineError(message, spec.text, spec.position)
        options[name] = value


def _option_value(spec: PassSpec, text: str, pos: int) -> tuple[str, int]:
    """The value starting at `pos` (quotes and braces stripped) and the position after it."""
    if text.startswith(("'", '"'), pos):
        end = text.find(text[pos], pos + 1)
    elif text.startswith("{", pos):
        end = _closing_brace(text, pos)
    else:
        end = pos
        while end < len(text) and not text[end].isspace():
            end += 1
        return text[pos:end], end
    if end < 0:
        raise PipelineError(
            f"unterminated {text[pos]} in the options of '{spec.name}'", spec.text, spec.position
        )
    return text[pos + 1 : end], end + 1


def pipeline_from_flags(flags: list[str]) -> PipelineSpec:
    """The top-level pipeline that per-pass flags (``--cse --canonicalize=...``) spell, in order."""
    return PipelineSpec(TOP_LEVEL_ANCHOR, tuple(parse_pass_flag(f) for f in flags), "", 0)


def format_pipeline(spec: PipelineSpec, indent: str = "") -> str:
    """`spec` one element per line, nested pipelines indented, as ``mlir-opt`` dumps it."""
    inner = indent + "  "
    lines = [
        format_pipeline(e, inner) if isinstance(e, PipelineSpec) else inner + e.source
        for e in spec.elements
    ]
    return f"{indent}{spec.anchor}(\n" + ",\n".join(lines) + f"\n{indent})"


def dump_pass_manager(pm: PassManager) -> str:
    """What ``--dump-pass-pipeline`` prints: the pass count and the pipeline, all options shown."""
    spec = parse_pipeline(str(pm))
    return f"Pass Manager with {len(spec.elements)} passes:\n{format_pipeline(spec)}\n"


# -- resolution -------------------------------------------------------------------------------


@dataclass(frozen=True)
class UpstreamRun:
    """Consecutive upstream elements, handed to MLIR as one piece of pipeline text."""

    elements: tuple[PassSpec | PipelineSpec, ...]

    @property
    def source(self) -> str:
        return ",".join(e.source for e in self.elements)

    def passes(self) -> Iterator[PassSpec]:
        for element in self.elements:
            yield from element.passes()


@dataclass(frozen=True)
class Pipeline:
    """A checked pipeline for the top-level module: configured rcbc passes and upstream runs."""

    steps: tuple[registry.ModulePass | UpstreamRun, ...]

    @property
    def source(self) -> str:
        """The pipeline as ``--pass-pipeline`` text."""
        parts = [
            s.source if isinstance(s, UpstreamRun) else s.pipeline_element() for s in self.steps
        ]
        return f"{TOP_LEVEL_ANCHOR}({','.join(parts)})"

    def build(self, context: ir.Context) -> PassManager:
        """A new PassManager on `context` running this pipeline.

        Raises PipelineError if MLIR rejects an upstream element (unknown pass, bad option).
        """
        pm = PassManager(TOP_LEVEL_ANCHOR, context=context)
        for step in self.steps:
            if isinstance(step, UpstreamRun):
                _add_upstream(pm, step, context)
            else:
                pm.add(
                    step,
                    name=step.name(),
                    argument=step.pipeline_element(),
                    description=step.summary(),
                )
        return pm


def resolve(spec: PipelineSpec) -> Pipeline:
    """The pipeline `spec` describes, with its rcbc passes looked up and configured.

    Raises PipelineError for a top-level anchor other than ``builtin.module``, for an rcbc pass
    nested under another anchor, and for an unknown or badly typed option of an rcbc pass.
    Upstream names are checked later, by MLIR, in `Pipeline.build`.
    """
    if spec.anchor != TOP_LEVEL_ANCHOR:
        raise PipelineError(
            f"the pass pipeline must be anchored on '{TOP_LEVEL_ANCHOR}', not '{spec.anchor}'",
            spec.text,
            spec.position,
        )
    steps: list[registry.ModulePass | UpstreamRun] = []
    run: list[PassSpec | PipelineSpec] = []
    for element in spec.elements:
        python_pass = _python_pass(element)
        if python_pass is None:
            run.append(element)
            continue
        if run:
            steps.append(UpstreamRun(tuple(run)))
            run = []
        steps.append(python_pass)
    if run:
        steps.append(UpstreamRun(tuple(run)))
    return Pipeline(tuple(steps))


def _python_pass(element: PassSpec | PipelineSpec) -> registry.ModulePass | None:
    """The configured rcbc pass `element` names, or None for an upstream element."""
    if isinstance(element, PipelineSpec):
        for nested in element.passes():
            if registry.lookup(nested.name):
                raise PipelineError(
                    f"'{nested.name}' is an rcbc pass: it can only run on the top-level "
                    f"'{TOP_LEVEL_ANCHOR}', not nested under '{element.anchor}'",
                    nested.text,
                    nested.position,
                )
        return None
    cls = registry.lookup(element.name)
    if cls is None:
        return None
    try:
        return cls.from_options(parse_options(element))
    except registry.OptionError as e:
        raise PipelineError(str(e), element.text, element.position) from None


# -- upstream elements ------------------------------------------------------------------------


def _add_upstream(pm: PassManager, run: UpstreamRun, context: ir.Context) -> None:
    with _native_stderr() as captured:
        try:
            pm.add(run.source)
            return
        except ValueError as e:
            error = str(e)
    unknown = _UNREGISTERED.search(error)
    if unknown:
        name = unknown.group(1)
        spec = _find_pass(run, name)
        suggestion = registry.did_you_mean(name, close_pass_names(name, context))
        raise PipelineError(unknown.group() + suggestion, spec.text, spec.position)
    failed = _FAILED_TO_ADD.search(error)
    spec = _find_pass(run, failed.group(1) if failed else "")
    details = [
        line.strip(" :")
        for line in (captured[0] + error).splitlines()
        if line.strip(" :") and not _FAILED_TO_ADD.search(line)
    ]
    headline = failed.group() if failed else f"MLIR rejected '{run.source}'"
    raise PipelineError(": ".join([headline, *details]), spec.text, spec.position)


def _find_pass(run: UpstreamRun, name: str) -> PassSpec | PipelineSpec:
    """The pass called `name` in `run`, or else its first element."""
    return next((p for p in run.passes() if p.name == name), run.elements[0])


def is_pass_name(name: str, context: ir.Context) -> bool:
    """Whether `name` is an rcbc pass or an upstream pass the bindings know."""
    return registry.lookup(name) is not None or _is_upstream(name, context)


def close_pass_names(name: str, context: ir.Context) -> list[str]:
    """The rcbc and upstream pass names closest to a misspelt `name`, best first."""
    upstream = [n for n in registry.suggest(name, UPSTREAM_PASSES) if _is_upstream(n, context)]
    return registry.suggest(name, [*registry.all_passes(), *upstream])


def _is_upstream(name: str, context: ir.Context) -> bool:
    """Whether the bindings know an upstream pass called `name`."""
    try:
        PassManager("any", context=context).add(name)
    except ValueError as e:
        return not _UNREGISTERED.search(str(e))
    return True


@contextlib.contextmanager
def _native_stderr() -> Iterator[list[str]]:
    """Capture what MLIR's C++ code writes straight to file descriptor 2 (some option errors).

    The captured text is the single item of the yielded list once the block has exited.
    """
    captured: list[str] = []
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile("w+") as sink:
        os.dup2(sink.fileno(), 2)
        try:
            yield captured
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            sink.seek(0)
            captured.append(sink.read())
