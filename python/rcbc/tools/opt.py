"""rcbc-opt: the ``mlir-opt`` of rcbc.

Parses MLIR (rcbc and upstream dialects), runs a pass pipeline that mixes rcbc passes with
upstream ones, and prints the result, with ``mlir-opt``'s flags::

    rcbc-opt model.mlir --pass-pipeline='builtin.module(rhal-set-target{tiles=8},canonicalize)'
    rcbc-opt model.mlir --rhal-set-target=tiles=8 --canonicalize      # the same, one flag a pass
    rcbc-opt invalid.mlir --split-input-file --verify-diagnostics

Each ``// -----`` chunk gets its own context. Diagnostics from parsing, verification and passes
name the input as the user wrote it, with the line numbers of the whole file. A problem the user
can cause ends in one message and exit status 1.
"""

from __future__ import annotations

import argparse
import io
import shlex
import sys
from collections.abc import Callable
from typing import NoReturn

from rcbc import pipeline as pipelines
from rcbc import registry
from rcbc.context import make_context
from rcbc.diagnostics import Diagnostic, DiagnosticPrinter, DiagnosticVerifier, from_mlir
from rcbc.mlir import PassManager, ir
from rcbc.source import SPLIT_MARKER, Chunk, SourceFile, parse_chunk, read_source

PROG = "rcbc-opt"


class UserError(Exception):
    """A problem in what the user asked for; reported as one line, exit status 1."""


class _ArgumentParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UserError(message)


# The driver's own long options, with mlir-opt's names. Any other `--<pass>[=<options>]` flag
# adds a pass to the pipeline.
_SWITCHES = {
    "--split-input-file": f"process each chunk between '{SPLIT_MARKER}' lines on its own",
    "--verify-diagnostics": "check diagnostics against the expected-* designators in the input",
    "--mlir-print-ir-before-all": "print the IR before each pass",
    "--mlir-print-ir-after-all": "print the IR after each pass",
    "--mlir-print-ir-after-change": "with --mlir-print-ir-after-all, only if the pass changed it",
    "--mlir-print-ir-after-failure": "print the IR after a pass that failed",
    "--mlir-print-op-generic": "print operations in generic form",
    "--mlir-print-debuginfo": "print locations",
    "--mlir-timing": "report the wall time of each pass",
    "--mlir-disable-threading": "accepted for mlir-opt compatibility: rcbc-opt never threads",
    "--allow-unregistered-dialect": "allow operations of unregistered dialects",
    "--dump-pass-pipeline": "print the pipeline that will run",
    "--list-passes": "list the rcbc passes and their options, and exit",
}
_OPTIONS = {
    "--pass-pipeline": {"metavar": "PIPELINE", "help": "textual pipeline, 'builtin.module(...)'"},
    "--load-pass-plugin": {
        "action": "append",
        "default": [],
        "metavar": "FILE",
        "help": "load the rcbc passes a Python file defines",
    },
    "--verify-each": {
        "type": lambda text: _boolean(text, "--verify-each"),
        "nargs": "?",
        "const": True,
        "default": True,
        "metavar": "BOOL",
        "help": "verify the IR after each pass (default: true; --verify-each=false to skip, "
        "as in mlir-opt)",
    },
    "--mlir-elide-elementsattrs-if-larger": {
        "type": int,
        "metavar": "N",
        "help": "elide elements attributes with more than N elements",
    },
}


def argument_parser() -> argparse.ArgumentParser:
    parser = _ArgumentParser(
        prog=PROG,
        description="rcbc modular optimizer driver. Any other --<pass>[=<options>] flag adds "
        "that pass (rcbc or upstream) to the pipeline, in command-line order.",
        allow_abbrev=False,
    )
    parser.add_argument("input", nargs="?", default="-", help="input file; - is stdin (default)")
    parser.add_argument("-o", dest="output", default="-", metavar="FILE", help="output file")
    for flag, options in _OPTIONS.items():
        parser.add_argument(flag, **options)
    for flag, help in _SWITCHES.items():
        parser.add_argument(flag, action="store_true", help=help)
    return parser


def parse_command_line(argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    """The driver's options and the per-pass flags, in command-line order."""
    args, pass_flags = argument_parser().parse_known_args(map(_double_dashed, argv))
    for flag in pass_flags:
        if not flag.startswith("--"):
            raise UserError(f"unexpected argument '{flag}': {PROG} takes one input file")
    if args.pass_pipeline is not None and pass_flags:
        raise UserError("'--pass-pipeline' option can't be used with individual pass options")
    return args, pass_flags


def _double_dashed(argument: str) -> str:
    """`argument`, a long option spelled with one dash as LLVM tools allow, with two."""
    if argument.startswith("-") and argument[1:2].isalpha() and len(argument) > 2:
        return "-" + argument
    return argument


def main(argv: list[str] | None = None) -> int:
    try:
        return run(*parse_command_line(sys.argv[1:] if argv is None else argv))
    except UserError as e:
        print(f"{PROG}: error: {e}", file=sys.stderr)
        return 1


def run(args: argparse.Namespace, pass_flags: list[str]) -> int:
    for path in args.load_pass_plugin:
        _load_plugin(path)
    if args.list_passes:
        sys.stdout.write(list_passes())
        return 0
    pipeline = _pipeline(args, pass_flags)
    source = _read_input(args.input)
    outputs = []
    failed = False
    printer = DiagnosticPrinter(source, sys.stderr)
    for chunk in source.chunks(split=args.split_input_file):
        output, ok = process_chunk(chunk, pipeline, args, printer)
        outputs.append(output or "")
        failed |= not ok
    _write_output(args.output, (SPLIT_MARKER + "\n").join(outputs), keep_file=not failed)
    return 1 if failed else 0


def _context(args: argparse.Namespace) -> ir.Context:
    return make_context(allow_unregistered_dialects=args.allow_unregistered_dialect)


def _load_plugin(path: str) -> None:
    try:
        registry.load_plugin(path)
    except OSError as e:
        raise UserError(f"could not load pass plugin '{path}': {e.strerror}") from None
    except SyntaxError as e:
        raise UserError(f"could not load pass plugin '{path}': {e}") from None
    except LookupError as e:
        raise UserError(str(e)) from None


def _pipeline(args: argparse.Namespace, pass_flags: list[str]) -> pipelines.Pipeline:
    """The pipeline to run, checked by building it once."""
    context = _context(args)
    for flag in pass_flags:
        _check_pass_flag(flag, context)
    try:
        if args.pass_pipeline is not None:
            spec = pipelines.parse_pipeline(args.pass_pipeline)
        else:
            spec = pipelines.pipeline_from_flags(pass_flags)
        pipeline = pipelines.resolve(spec)
        pipeline.build(context)
    except pipelines.PipelineError as e:
        raise UserError(str(e)) from None
    return pipeline


def _check_pass_flag(flag: str, context: ir.Context) -> None:
    name = flag[2:].partition("=")[0]
    if pipelines.is_pass_name(name, context):
        return
    passes = ["--" + n for n in pipelines.close_pass_names(name, context)]
    raise UserError(
        f"unknown command line argument '{flag}'"
        + registry.did_you_mean(flag.partition("=")[0], [*_SWITCHES, *_OPTIONS, *passes])
    )


def _read_input(path: str) -> SourceFile:
    try:
        return read_source(path)
    except OSError as e:
        raise UserError(f"could not open input file '{path}': {e.strerror}") from None
    except UnicodeDecodeError:
        raise UserError(f"input file '{path}' is not UTF-8 text") from None


def _write_output(path: str, text: str, keep_file: bool) -> None:
    """Write the output; a file only if everything succeeded, as mlir-opt does."""
    if path == "-":
        sys.stdout.write(text)
        return
    if not keep_file:
        return
    try:
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    except OSError as e:
        raise UserError(f"could not open output file '{path}': {e.strerror}") from None


# -- one chunk ----------------------------------------------------------------------------------


def process_chunk(
    chunk: Chunk, pipeline: pipelines.Pipeline, args: argparse.Namespace, printer: DiagnosticPrinter
) -> tuple[str | None, bool]:
    """Parse, transform and print one chunk: its output (None if it failed) and success.

    With --verify-diagnostics, success means the diagnostics matched the designators.
    """
    context = _context(args)
    verifier = DiagnosticVerifier(chunk, printer) if args.verify_diagnostics else None
    consume = verifier.handle if verifier else printer.emit
    context.emit_error_diagnostics = True  # errors reach the handler too, not only MLIRError
    handler = context.attach_diagnostic_handler(_handler(consume, chunk.source))
    try:
        output = _transform(chunk, pipeline, context, args)
    finally:
        handler.detach()
    if verifier is not None:
        return output, verifier.finish()
    return output, output is not None


def _handler(consume: Callable[[Diagnostic], None], source: SourceFile) -> Callable:
    def handle(diagnostic: ir.Diagnostic) -> bool:
        consume(from_mlir(diagnostic, source))
        return True

    return handle


def _transform(
    chunk: Chunk, pipeline: pipelines.Pipeline, context: ir.Context, args: argparse.Namespace
) -> str | None:
    """The printed result of running the pipeline on `chunk`, or None after diagnostics."""
    try:
        module = parse_chunk(chunk, context)
    except ir.MLIRError:
        return None
    if not _run_pipeline(pipeline, module, context, args):
        if not args.verify_diagnostics:
            note = f"the pass pipeline failed; reproduce with: {_reproducer(pipeline, args)}"
            print(f"{PROG}: note: {note}", file=sys.stderr)
        return None
    text = io.StringIO()
    module.operation.print(file=text, assume_verified=True, **_print_options(args))
    return text.getvalue() + "\n"


def _run_pipeline(
    pipeline: pipelines.Pipeline, module: ir.Module, context: ir.Context, args: argparse.Namespace
) -> bool:
    pm = _pass_manager(pipeline, context, args)
    try:
        pm.run(module.operation)
    except ir.MLIRError:
        return False
    finally:
        del pm  # the timing report is printed when the pass manager goes away
    return True


def _pass_manager(
    pipeline: pipelines.Pipeline, context: ir.Context, args: argparse.Namespace
) -> PassManager:
    pm = pipeline.build(context)
    if args.dump_pass_pipeline:
        sys.stderr.write(pipelines.dump_pass_manager(pm) + "\n")
    print_after = args.mlir_print_ir_after_all or args.mlir_print_ir_after_failure
    if args.mlir_print_ir_before_all or print_after:
        pm.enable_ir_printing(
            print_before_all=args.mlir_print_ir_before_all,
            print_after_all=print_after,  # after-failure narrows it down, as in mlir-opt
            print_after_change=args.mlir_print_ir_after_change,
            print_after_failure=args.mlir_print_ir_after_failure,
            **_print_options(args),
        )
    if args.mlir_timing:
        pm.enable_timing()
    pm.enable_verifier(args.verify_each)
    return pm


def _boolean(text: str, option: str) -> bool:
    """A boolean option value as LLVM's command line takes it."""
    values = {"true": True, "1": True, "false": False, "0": False}
    if text.lower() not in values:
        raise argparse.ArgumentTypeError(f"'{text}' is not a value for {option}: use true or false")
    return values[text.lower()]


def _print_options(args: argparse.Namespace) -> dict:
    return {
        "print_generic_op_form": args.mlir_print_op_generic,
        "enable_debug_info": args.mlir_print_debuginfo,
        "large_elements_limit": args.mlir_elide_elementsattrs_if_larger,
    }


def _reproducer(pipeline: pipelines.Pipeline, args: argparse.Namespace) -> str:
    """The rcbc-opt command line that runs the same pipeline on the same input."""
    command = [PROG, args.input]
    command += [f"--load-pass-plugin={path}" for path in args.load_pass_plugin]
    if args.allow_unregistered_dialect:
        command.append("--allow-unregistered-dialect")
    if args.split_input_file:
        command.append("--split-input-file")
    command.append(f"--pass-pipeline={pipeline.source}")
    return shlex.join(command)


# -- --list-passes ------------------------------------------------------------------------------


def list_passes() -> str:
    """Every rcbc pass with its summary and options (type, default, help), mlir-opt style."""
    lines = ["Passes:"]
    for argument, cls in registry.all_passes().items():
        lines.append(_list_entry(f"  --{argument}", f"-   {cls.summary()}"))
        for info in cls.options():
            default = registry.format_option_value(info.default)
            text = f"- {info.help}" + (f" (default: {default})" if default else "")
            lines.append(_list_entry(f"    --{info.name}=<{info.type_name}>", text))
    if len(lines) == 1:
        lines.append("  (no rcbc pass is registered)")
    lines += [
        "",
        "Upstream MLIR passes (canonicalize, cse, inline, linalg-fuse-elementwise-ops, ...) are",
        "available by their names too, as in mlir-opt.",
    ]
    return "\n".join(lines) + "\n"


def _list_entry(flag: str, text: str) -> str:
    return f"{flag:<40} {text}"


if __name__ == "__main__":
    sys.exit(main())
