"""``rcbc``: the compiler's command line, one subcommand per step of the flow.

    rcbc import resnet18 -o r18.mlir                     # torchvision model, random weights
    rcbc import resnet18 --weights resnet18.pth -o r18.mlir
    rcbc import --module my_pkg.my_mod:build_model --input-shape 1,3,32,32 -o my.mlir
    rcbc compile resnet18 -o r18.rcb --tiles 28          # model (or imported IR) to bytecode
    rcbc run r18.rcb --input x=image.npy --output y.npy  # the reference executor, modeled time
    rcbc run r18.rcb --check --model resnet18            # and compare with PyTorch
    rcbc run r18.rcb --trace r18.json                    # the modeled timeline, for Perfetto
    rcbc report r18.rcb --plot r18.png                   # modeled performance against floors
    rcbc compile resnet18 --baseline -o base.rcb         # the driver-managed baseline
    rcbc report r18.rcb --baseline base.rcb              # beside another compilation's
    rcbc eval r18.rcb --images val/ --labels val.txt     # top-1 and top-5 accuracy
    rcbc disasm prog.rcb -o prog.lst                     # the readable listing of a program
    rcbc asm prog.lst -o prog.rcb                        # and back, byte for byte

A subcommand is a `Command` subclass in `COMMANDS`: its docstring is the help, `add_arguments`
declares its options and `run` does the work. Errors the user can cause (a bad model, file or
option) print one message, ``rcbc <command>: error: ...``, and exit with status 1; tracebacks
are for rcbc's own bugs only. Progress goes to stderr, results to stdout. PyTorch is imported
only by the subcommands that need it, so ``rcbc --help`` is instant.
"""

from __future__ import annotations

import argparse
import contextlib
import inspect
import os
import sys
import time
from pathlib import Path
from typing import ClassVar

from rcbc import targets
from rcbc.bytecode import BytecodeError, ListingError, assemble, disassemble
from rcbc.bytecode.quantization import QuantizationError
from rcbc.compiler import CompileError
from rcbc.frontend.errors import FrontendError
from rcbc.runtime.engines import ENGINES
from rcbc.runtime.evaluate import IMAGENET_MEAN, IMAGENET_STD, EvalError
from rcbc.runtime.executor import ExecutionError
from rcbc.runtime.plot import PlotError
from rcbc.runtime.report import ReportError


class FileError(Exception):
    """A file named on the command line that cannot be read or written."""


class CheckFailed(Exception):
    """``rcbc run --check``: the program's outputs differ from the model's."""


USER_ERRORS = (
    FrontendError, BytecodeError, ListingError, FileError, CompileError, ExecutionError, CheckFailed,
    ReportError, PlotError, EvalError, QuantizationError,
)
"""Exceptions that carry a message for the user, and no traceback."""


class Command:
    """A subcommand; the first line of a subclass's docstring is its help."""

    name: ClassVar[str]

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        raise NotImplementedError

    def run(self, args: argparse.Namespace) -> None:
        raise NotImplementedError


class Import(Command):
    """Import a PyTorch model into linalg-on-tensors IR and a weight store.

    The model is a torchvision classification model by name, or --module for your own. BatchNorm
    is folded into the convolutions; the IR refers to each weight by name
    (rcbc.weight = "layer1.0.conv1.weight") and the weights go to a store file beside the IR
    (r18.mlir -> r18.rcbw). Weights are random from --seed unless --weights gives a state_dict.
    """

    name = "import"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        _add_model_source(parser, "model", "torchvision model name, e.g. resnet18")
        parser.add_argument(
            "-o",
            "--output",
            type=Path,
            help="IR file to write (default: <model>.mlir); the weight store is written beside "
            "it with the suffix .rcbw",
        )
        _add_model_options(parser)

    def run(self, args: argparse.Namespace) -> None:
        from rcbc.frontend import interface

        start = time.perf_counter()
        imported = _import_model(args)
        label, stem = _model_names(args)
        source = _weight_source(args)
        ir_path = args.output or Path(f"{stem}.mlir")
        store_path = ir_path.with_suffix(".rcbw")
        interface.set_module_info(
            imported.module,
            {
                interface.MODEL: label,
                interface.WEIGHT_SOURCE: source,
                interface.WEIGHT_STORE: store_path.name,
            },
        )
        with _progress(f"write {ir_path} and {store_path}"):
            try:
                ir_path.write_text(str(imported.module))
                imported.weights.save(store_path)
            except OSError as e:
                raise FrontendError(f"cannot write {e.filename}: {e.strerror}") from None

        folding = imported.folding
        print(f"{label}: {source}" + ("" if args.weights else "; --weights loads trained weights"))
        print(
            f"batch norm: {len(folding.convolutions)} folded into convolutions, "
            f"{len(folding.affine)} kept as per-channel scale and shift"
        )
        print(f"wrote {ir_path} ({_size(ir_path)})")
        print(f"wrote {store_path} ({_size(store_path)}, {len(imported.weights)} weights)")
        print(f"import time: {time.perf_counter() - start:.1f} s")


class Compile(Command):
    """Compile a model, or IR that rcbc import wrote, into an RCB program.

    A torchvision model name or --module is imported first, as rcbc import does; a .mlir file is
    read with the weight store its rcbc.weight_store attribute names, beside it. The pipeline
    (rcbc.compiler.PIPELINE) lowers linalg to rhal, partitions, places, allocates and schedules
    the layers on --tiles compute tiles of --target, and flattens the schedule into RCB records;
    the program is written to -o (default: <model>.rcb) and its size shown per section.
    --baseline compiles the baseline schedule instead, to give rcbc report --baseline.
    Compile times are measured.
    """

    name = "compile"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        _add_model_source(
            parser,
            "model_or_ir",
            "torchvision model name (e.g. resnet18), or a .mlir file rcbc import wrote",
        )
        parser.add_argument(
            "-o", "--output", type=Path, help="RCB file to write (default: <model>.rcb)"
        )
        parser.add_argument(
            "--target",
            choices=targets.names(),
            default=targets.DEFAULT_TARGET,
            help=f"target device (default: {targets.DEFAULT_TARGET})",
        )
        parser.add_argument(
            "--tiles",
            type=int,
            default=targets.DEFAULT_TILES,
            help=f"compute-tile budget (default: {targets.DEFAULT_TILES})",
        )
        _add_model_options(parser)
        parser.add_argument(
            "--mlir-print-ir-after-all",
            action="store_true",
            help="print the IR after each pass (to stderr)",
        )
        parser.add_argument(
            "--verify-each",
            action="store_true",
            help="verify the IR after each pass, not only at the end of each dialect's stage",
        )
        parser.add_argument(
            "--stats",
            action="store_true",
            help="also show the program's figures and each pass's measured time",
        )
        parser.add_argument(
            "--precision",
            choices=("fp32", "int8"),
            default="fp32",
            help="fp32 kernels, or int8 after post-training quantization of the model (default: fp32)",
        )
        _add_calibration_options(parser)
        parser.add_argument(
            "--baseline",
            action="store_true",
            help="compile the baseline schedule reports compare against: the driver-managed "
            "flow, each activation and residual add a layer of its own through DDR and each "
            "layer a host round trip (see rcbc.compiler.BASELINE_OPTIONS)",
        )
        parser.add_argument(
            "--stage-weights",
            action="store_true",
            help="read weight chunks several tiles load from DDR once into a memory tile, in "
            "the layers where the cost model finds that faster (less DDR traffic)",
        )
        parser.add_argument(
            "--stage-inputs",
            action=argparse.BooleanOptionalAction,
            default=True,
            help="read input windows several tiles load from DDR once into a memory tile, in "
            "the layers where the cost model finds that faster (less DDR traffic; the default)",
        )

    def run(self, args: argparse.Namespace) -> None:
        from rcbc.bytecode import summary
        from rcbc.compiler import compile_module, ir_text
        from rcbc.context import make_context
        from rcbc.diagnostics import DiagnosticPrinter, from_mlir
        from rcbc.source import SourceFile

        start = time.perf_counter()
        ir_file = _ir_file(args)
        if ir_file is not None and args.precision == "int8":
            raise CheckFailed(
                "--precision int8 quantizes the PyTorch model: give a model name or --module, "
                "not IR"
            )
        if ir_file is not None:
            text, source = _read(ir_file).decode(errors="replace"), str(ir_file)
            weights = None  # read from the module's weight store, once it has been parsed
            stem = ir_file.stem
        else:
            imported = _import_model(args)
            text, source = ir_text(imported.module), "<imported model>"
            weights = imported.weights
            stem = _model_names(args)[1]
            if args.precision == "int8":  # the quantized model travels in the weight store
                qmodel = _quantize(args)
                weights = qmodel.weights()
        output = args.output or Path(f"{stem}.rcb")

        source_file = SourceFile(source, text)
        printer = DiagnosticPrinter(source_file, sys.stderr)
        with make_context() as context:
            context.emit_error_diagnostics = True  # errors reach the handler, not only MLIRError
            def show(diagnostic) -> bool:
                _end_progress_line()
                printer.emit(from_mlir(diagnostic, source_file))
                return True

            handler = context.attach_diagnostic_handler(show)
            try:
                with _progress(f"parse {source}"):
                    module = _parse(source_file, ir_file)
                if weights is None:
                    weights = _weight_store(module, ir_file)
                with _progress(f"compile for {args.target}, {args.tiles} tiles"):
                    if args.mlir_print_ir_after_all:
                        _end_progress_line()  # the dumps follow
                    compiled = compile_module(
                        module,
                        weights,
                        target=args.target,
                        tiles=args.tiles,
                        print_ir_after_all=args.mlir_print_ir_after_all,
                        verify_each=args.verify_each,
                        layer_stats=args.stats,
                        precision=args.precision,
                        baseline=args.baseline,
                        stage_weights=args.stage_weights,
                        stage_inputs=args.stage_inputs,
                    )
            finally:
                handler.detach()
        _write(output, compiled.data)

        size = summary.size(len(compiled.data))
        print(f"wrote {output} ({size}): {summary.sections(compiled.program)}")
        if args.stats:
            for line in summary.statistics(compiled.program):
                print(line)
            for line in compiled.layers.table(compiled.program.machine.clock_hz):
                print(line)
            times = ", ".join(f"{name} {t:.2f} s" for name, t in compiled.seconds.items())
            print(f"pass times (measured): {times}")
        print(f"compile time (measured): {time.perf_counter() - start:.1f} s")
        if args.precision == "int8":
            from rcbc.bytecode.quantization import binding_qparams

            held = ", ".join(f"{b.direction.name.lower()} '{b.name}' scale {qp.scale:.6g} zero "
                             f"point {qp.zero_point}" for b in compiled.program.io
                             if (qp := binding_qparams(compiled.program, b)) is not None)
            print(f"int8 I/O (stored in the program, which rcbc run and eval quantize with): {held}")


class Run(Command):
    """Run an RCB program on the reference executor and report its modeled time.

    Inputs are .npy files by binding name (--input x=image.npy; the name may be left out when
    the program has one input); without --input, each input is drawn from a standard normal
    distribution (seed 0). An input may hold a batch of N inputs of the program's shape along
    its first dimension: the executor makes the N runs at once, 16 at a time (the checks and
    the timing once, the arithmetic of each run) and the outputs hold the N runs'. The
    executor checks every rule of the machine model (races, undefined reads, deadlocks,
    capacities) while it runs; the latency and data movement it reports come from the timing
    model, not from hardware. --check rebuilds the model the program was compiled from (the
    same --model or --module, --weights and --seed as rcbc compile) and compares its output
    with PyTorch's. --trace writes the run's modeled timeline as a Chrome
    trace (open it in ui.perfetto.dev): a track per core, per DMA channel and the controller.
    """

    name = "run"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("program", type=Path, help="RCB file")
        parser.add_argument(
            "--input",
            action="append",
            default=[],
            metavar="[NAME=]FILE",
            help="input tensor, a .npy file; repeat for several inputs",
        )
        parser.add_argument(
            "--output",
            action="append",
            default=[],
            metavar="[NAME=]FILE",
            help="write an output tensor to a .npy file",
        )
        parser.add_argument(
            "--check", action="store_true", help="compare the outputs with the PyTorch model's"
        )
        _add_trace_option(parser)
        model = parser.add_argument_group("the model for --check")
        source = model.add_mutually_exclusive_group()
        source.add_argument("--model", help="torchvision model name, e.g. resnet18")
        source.add_argument("--module", metavar="MODULE:ATTR", help="your model, as for import")
        model.add_argument(
            "--weights", type=Path, help="state_dict (.pth) the program was compiled with"
        )
        model.add_argument(
            "--seed", type=int, help=f"seed of the random weights (default: {DEFAULT_SEED})"
        )
        _add_calibration_options(model)
        model.add_argument(
            "--tolerance",
            type=float,
            default=1e-4,
            help="largest accepted max |difference| / max |reference| (default: 1e-4)",
        )

    def run(self, args: argparse.Namespace) -> None:
        import numpy as np

        from rcbc.bytecode import decode
        from rcbc.bytecode.program import IoDirection
        from rcbc.bytecode.quantization import binding_qparams
        from rcbc.bytecode.summary import size
        from rcbc.runtime.executor import execute, runs_of
        from rcbc.runtime.report import duration

        if args.check and not (args.model or args.module):
            raise CheckFailed("--check needs the model: give --model NAME or --module MODULE:ATTR")
        program = decode(_read(args.program), str(args.program))
        bindings = [b for b in program.io if b.direction is IoDirection.INPUT]
        outputs = [b for b in program.io if b.direction is IoDirection.OUTPUT]
        int8 = any(b.dtype.name == "I8" for b in bindings)
        inputs = {}
        for binding, path in _named_files(args.input, bindings, "--input", "input").items():
            inputs[binding.name] = _load_npy(path)
        for binding in bindings:
            if binding.name not in inputs:
                rng = np.random.default_rng(0)
                inputs[binding.name] = rng.standard_normal(binding.shape, dtype=np.float32)
                print(f"input '{binding.name}': random normal {list(binding.shape)}, seed 0")
        # An int8 binding's scale and zero point, which the file may hold (checked here, all).
        qparams = {b.name: binding_qparams(program, b) for b in program.io}
        real_inputs = dict(inputs)
        if int8:  # the host quantizes real inputs with the program's own parameters
            for binding in bindings:
                if np.asarray(inputs[binding.name]).dtype.kind == "f":
                    x = inputs[binding.name]
                    inputs[binding.name] = _quantize_input(binding, qparams[binding.name], x)
        destinations = _named_files(args.output, outputs, "--output", "output")
        _check_writable(args.trace)
        runs = runs_of(program, inputs)

        start = time.perf_counter()
        with _progress(f"execute {args.program}" + (f" ({runs} runs)" if runs > 1 else "")):
            result = execute(program, inputs, timeline=args.trace is not None)
        executor_seconds = time.perf_counter() - start
        batch = result.outputs

        for binding in outputs:
            line = f"output '{binding.name}': {_describe(batch[binding.name])}"
            if qparams[binding.name] is not None:
                line += _describe_dequantized(batch[binding.name], qparams[binding.name])
            print(line)
        for binding, path in destinations.items():
            try:
                np.save(path, batch[binding.name])
            except OSError as e:
                raise FileError(f"cannot write {path}: {e.strerror}") from None
            print(f"wrote {path}")
        moved = ", ".join(f"{level} {size(n)}" for level, n in result.bytes_moved.items())
        print(
            f"modeled latency: {duration(result.seconds)} ({result.cycles:,.0f} cycles at "
            f"{program.machine.clock_hz / 1e9:g} GHz on {program.target})"
        )
        if runs > 1:
            print(f"on the hardware the batch is {runs} runs, one after another: "
                  f"{duration(runs * result.seconds)} modeled in all")
        print(f"modeled data movement: {moved}")
        print(f"executor time (measured): {executor_seconds:.2f} s" + (f" for {runs} runs" if runs > 1 else ""))
        if args.trace:
            _write_trace(args.trace, program, result, args.program.name)
        if args.check and int8:
            (held,) = [qparams[b.name] for b in bindings]
            _check_int8(args, held, inputs, real_inputs, batch, outputs)
        elif args.check:
            _check(args, program, inputs, batch, outputs)


class Disasm(Command):
    """Print the listing of an RCB file.

    The listing shows the header, the section table, one line per record with its index and
    byte offset, the pattern table, the data directory with each entry's bytes in hex, the I/O
    bindings and the string table; `rcbc asm` turns it back into the identical file. The file is
    checked against every rule of docs/rcb-bytecode.md first; --no-verify lists a file whose
    records break a rule, as long as its structure (header, sections, tables) is sound.
    """

    name = "disasm"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("input", type=Path, help="RCB file")
        parser.add_argument("-o", "--output", type=Path, help="listing to write (default: stdout)")
        parser.add_argument(
            "--no-verify", action="store_true", help="list a file whose records break a rule"
        )

    def run(self, args: argparse.Namespace) -> None:
        try:
            listing = disassemble(_read(args.input), verify=not args.no_verify)
        except BytecodeError as e:
            e.path = str(args.input)
            raise
        _write(args.output, listing)


class Asm(Command):
    """Assemble a listing, as `rcbc disasm` prints it, into an RCB file.

    Every value of the file is written as the listing gives it; the file's size, CRC and section
    sizes are computed. The result is checked against every rule of docs/rcb-bytecode.md unless
    --no-verify is given (to make malformed files for tests).
    """

    name = "asm"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("input", type=Path, help="listing")
        parser.add_argument("-o", "--output", type=Path, required=True, help="RCB file to write")
        parser.add_argument(
            "--no-verify", action="store_true", help="write a file that breaks a rule"
        )

    def run(self, args: argparse.Namespace) -> None:
        text = _read(args.input).decode(errors="replace")
        _write(args.output, assemble(text, verify=not args.no_verify, path=str(args.input)))




class Report(Command):
    """Show a program's modeled performance against its compute and DDR floors.

    The program runs once on the reference executor, every input zero (the modeled time does
    not depend on the input values), and the timing model (rcbc.runtime.timing, the target's
    documented numbers) gives its latency, throughput, the MAC utilization of each compute tile
    and the bytes moved per level. The compute floor is every MAC at the peak rate of the
    program's compute tiles; the DDR floor is its weights, inputs and outputs crossing DDR
    once. Every figure is modeled, none measured. --baseline shows another compilation of the
    same model (for the same target) beside it, with the ratios; --trace writes the timeline as
    a Chrome trace; --plot draws the tile array's utilization and the cores' timeline.
    """

    name = "report"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("program", type=Path, help="RCB file")
        parser.add_argument(
            "--baseline", type=Path, metavar="FILE", help="RCB file to compare with, side by side"
        )
        _add_trace_option(parser)
        parser.add_argument(
            "--plot",
            type=Path,
            metavar="FILE",
            help="draw the utilization heat map and the timeline (PNG; needs matplotlib)",
        )

    def run(self, args: argparse.Namespace) -> None:
        from rcbc.bytecode import decode
        from rcbc.runtime import report
        from rcbc.runtime.plot import save_plot

        programs = [args.program] + ([args.baseline] if args.baseline else [])
        decoded = [decode(_read(path), str(path)) for path in programs]
        if args.baseline:
            report.check_comparable(*decoded, (args.program.name, args.baseline.name))
        _check_writable(args.trace)
        _check_writable(args.plot)
        results, reports = [], []
        for path, program in zip(programs, decoded):
            with _progress(f"execute {path}"):
                results.append(report.zero_run(program))
            reports.append(report.performance(program, results[-1], path.name))
        print(report.table(*reports))
        if args.trace:
            _write_trace(args.trace, decoded[0], results[0], args.program.name)
        if args.plot:
            with _progress(f"draw {args.plot}"):
                save_plot(reports[0], args.plot)
            print(f"wrote {args.plot}")


class Eval(Command):
    """Measure a program's top-1 and top-5 accuracy on a folder of labelled images.

    The labels file gives each image's class, one a line: '<file name> <class index>' (the
    val.txt of Caffe and Vitis AI; names relative to --images), or the class index alone, for
    the images of --images (.jpeg, .jpg, .png) in sorted name order. Indices are 0-based in the
    order of the model's outputs (torchvision's ImageNet models: the WordNet ids, sorted); the
    ImageNet devkit's ILSVRC2012_validation_ground_truth.txt is 1-based in another order, so map
    it through the devkit's meta.mat first. Each image is preprocessed as torchvision's ImageNet
    eval transform does: RGB, the shorter side resized to --resize (bilinear, antialiased), the
    center crop of the program's input height and width, scaled to [0, 1], normalized by --mean
    and --std. The program runs on the reference executor, 16 of its input batches at once, or
    on the C engine, one at a time (--engine c: rcb-run, from $RCB_RUN, the PATH or this tree's
    build/). An int8 program's images are quantized with the scale and zero point it holds
    for its input (rcbc compile --precision int8 stores them). Only the program and the images
    are read; the accuracy is measured, on whatever weights the program was compiled
    with (rcbc compile --weights FILE for trained ones).
    """

    name = "eval"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("program", type=Path, help="RCB file of an image classifier")
        parser.add_argument("--images", type=Path, required=True, metavar="DIR",
                            help="the directory of the images")
        parser.add_argument("--labels", type=Path, required=True, metavar="FILE",
                            help="each image's class, one a line")
        parser.add_argument("--limit", type=int, metavar="N",
                            help="the first N images of the labels file only")
        parser.add_argument("--engine", choices=ENGINES, default="python",
                            help="the reference executor, or the C engine rcb-run "
                            "(default: python)")
        parser.add_argument("--resize", type=int, metavar="PIXELS",
                            help="the shorter side before the crop (default: 256/224 of the "
                            "input's larger side, 256 for 224)")
        parser.add_argument("--mean", type=_floats, default=IMAGENET_MEAN, metavar="R,G,B",
                            help="subtracted after scaling to [0, 1] (default: ImageNet's, "
                            + ",".join(map(str, IMAGENET_MEAN)) + ")")
        parser.add_argument("--std", type=_floats, default=IMAGENET_STD, metavar="R,G,B",
                            help="divided by then (default: ImageNet's, "
                            + ",".join(map(str, IMAGENET_STD)) + ")")

    def run(self, args: argparse.Namespace) -> None:
        from rcbc.bytecode import decode
        from rcbc.runtime import evaluate
        from rcbc.runtime.engines import engine

        program = decode(_read(args.program), str(args.program))
        classifier = evaluate.Classifier.of(program)
        preprocess = evaluate.Preprocess.imagenet(
            *classifier.image_size, resize=args.resize, mean=args.mean, std=args.std
        )
        items = evaluate.read_labels(args.labels, args.images)
        if args.limit is not None:
            if args.limit < 1:
                raise EvalError(f"--limit {args.limit}: give at least 1 image")
            items = items[: args.limit]
        evaluate.check_labels(items, classifier.classes)
        run = engine(args.engine, program, args.program)

        print(f"{args.program.name}: {len(items)} images of {args.images}, labels {args.labels}, "
              f"{classifier.classes} classes, {args.engine} engine")
        print(f"preprocessing: {preprocess}")
        start, shown = time.perf_counter(), 0

        def progress(tally: evaluate.Tally) -> None:  # about every 5 %, on stderr
            nonlocal shown
            if 20 * (tally.count - shown) >= len(items) or tally.count == len(items):
                shown = tally.count
                per_image = (time.perf_counter() - start) / tally.count
                print(f"  {tally.count}/{len(items)}: {tally} ({per_image:.2f} s per image)",
                      file=sys.stderr, flush=True)

        tally = evaluate.evaluate(classifier, run, items, preprocess, progress)
        seconds = time.perf_counter() - start
        print(f"top-1: {tally.top1} of {tally.count} = {tally.percent(tally.top1):.2f} %")
        print(f"top-5: {tally.top5} of {tally.count} = {tally.percent(tally.top5):.2f} %")
        print(f"time (measured): {seconds:.1f} s, {seconds / tally.count:.2f} s per image")


COMMANDS: list[Command] = [Import(), Compile(), Run(), Report(), Eval(), Disasm(), Asm()]


class _Parser(argparse.ArgumentParser):
    """Exits with status 1, as every user error of rcbc does (argparse's default is 2)."""

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(1, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="rcbc", description="rcbc: PyTorch CNNs to flat RCB bytecode.")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        summary, _, description = inspect.cleandoc(command.__doc__).partition("\n")
        sub = subparsers.add_parser(
            command.name,
            help=summary,
            description=summary + "\n" + description,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        command.add_arguments(sub)
        sub.set_defaults(command_object=command)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        args.command_object.run(args)
    except USER_ERRORS as e:
        print(f"rcbc {args.command}: error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


# -- models: shared by import, compile and run --check -------------------------------------


def _add_model_source(parser: argparse.ArgumentParser, positional: str, help: str) -> None:
    """The model to start from: a positional name, or --module."""
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument(positional, nargs="?", metavar=positional.upper(), help=help)
    source.add_argument(
        "--module",
        metavar="MODULE:ATTR",
        help="your model: a function or nn.Module class (built with no arguments) or an "
        "nn.Module instance, in a module importable from the current directory or a .py "
        "file, e.g. my_pkg.my_mod:build_model or models/tiny.py:TinyNet",
    )


def _add_model_options(parser: argparse.ArgumentParser) -> None:
    """The options that say how a model is built and traced."""
    parser.add_argument(
        "--weights", type=Path, help="state_dict (.pth) to load, e.g. pretrained weights"
    )
    parser.add_argument(
        "--input-shape",
        type=_shape,
        metavar="N,C,H,W",
        help="shape of the float32 model input (default: "
        + ",".join(map(str, DEFAULT_INPUT_SHAPE))
        + ")",
    )
    parser.add_argument(
        "--seed", type=int, help=f"seed of the random weights (default: {DEFAULT_SEED})"
    )


def _add_calibration_options(parser) -> None:
    """How an int8 compilation calibrates (rcbc run --check repeats it to rebuild the model)."""
    parser.add_argument(
        "--calibrate", type=int, default=8, metavar="N",
        help="int8: calibrate on N random standard-normal inputs, seed 0 (default: 8)",
    )
    parser.add_argument(
        "--calibration-data", type=Path, metavar="DIR",
        help="int8: calibrate on the .npy files and images of DIR instead",
    )
    parser.add_argument(
        "--observer", choices=("minmax", "percentile"), default="minmax",
        help="int8: how a value's range is taken from the calibration (default: minmax)",
    )


def _quantize(args: argparse.Namespace, shape: tuple[int, ...] | None = None):
    """The model `args` name, quantized as their calibration options say; `shape`: its input's
    (batch 1; default: --input-shape's)."""
    model = _build_model(args)
    shape = tuple((shape or getattr(args, "input_shape", None) or DEFAULT_INPUT_SHAPE)[1:])
    with _progress("quantize"):
        from rcbc.quantize.calibration import random_samples, samples_from_directory
        from rcbc.quantize.quantizer import quantize_model

        if args.calibration_data:
            samples = samples_from_directory(args.calibration_data, shape)
        else:
            if args.calibrate < 1:
                raise CheckFailed(f"--calibrate {args.calibrate}: calibration needs at least one input")
            samples = random_samples(shape, args.calibrate, seed=0)
        return quantize_model(model, samples, observer=args.observer)


def _quantize_input(binding, qp, x):
    """`x`, real values, as the int8 input `binding`: quantized with `qp`, the scale and zero
    point the program holds for it (rcbc.bytecode.quantization), which must be there."""
    from rcbc.bytecode.quantization import missing_qparams
    from rcbc.quantize.scheme import quantize

    if qp is None:
        raise CheckFailed(f"{missing_qparams(binding)}: give an int8 .npy, or compile the model "
                          "again with rcbc compile --precision int8")
    print(f"input '{binding.name}': quantized to int8 with the program's scale {qp.scale:.6g} "
          f"and zero point {qp.zero_point}")
    return quantize(x, qp)


def _check_int8(args, held, inputs: dict, real_inputs: dict, outputs: dict, bindings: list) -> None:
    """An int8 program's output must be exactly the numpy simulation's (rcbc.quantize.simulate)
    of the model quantized again as rcbc compile did (the same calibration options; `held`: the
    input's parameters the program holds, if any); its dequantized top-1 is compared with
    PyTorch fp32's on the real input."""
    import numpy as np
    import torch

    from rcbc.quantize import simulate
    from rcbc.quantize.scheme import dequantize

    (name, x), = inputs.items()
    qmodel = _quantize(args, tuple(np.shape(x)))
    if held is not None and (held.scale, held.zero_point) != (float(np.float32(qmodel.input.scale)),
                                                              qmodel.input.zero_point):
        raise CheckFailed(
            f"the program quantizes input '{name}' with scale {held.scale:.6g} and zero point "
            f"{held.zero_point}, the model quantized again here with scale "
            f"{qmodel.input.scale:.6g} and zero point {qmodel.input.zero_point}: give --check the "
            "calibration options (--calibrate, --calibration-data, --observer), --weights and "
            "--seed rcbc compile was given")
    expected = simulate.run(qmodel, x)[qmodel.network.output]
    (binding,) = bindings
    actual = outputs[binding.name]
    differ = int(np.count_nonzero(actual.ravel() != expected.ravel()))
    print(f"check '{binding.name}': {differ} of {actual.size} int8 values differ from the int8 simulation")
    real = real_inputs[name]
    if np.asarray(real).dtype.kind == "f":
        model = _build_model(args).eval()
        with torch.no_grad():
            reference = model(torch.from_numpy(np.asarray(real, np.float32))).numpy()
        ours = dequantize(actual, qmodel.output).reshape(reference.shape)
        agree = int(np.sum(ours.reshape(len(ours), -1).argmax(1) == reference.reshape(len(reference), -1).argmax(1)))
        print(f"check '{binding.name}': top-1 agrees with PyTorch fp32 on {agree} of {len(reference)}")
    if differ:
        raise CheckFailed(f"the int8 program does not compute what the int8 simulation does: "
                          f"'{binding.name}': {differ} values differ")
    print("check: OK")


DEFAULT_INPUT_SHAPE = (1, 3, 224, 224)
DEFAULT_SEED = 0  # rcbc.frontend.models.DEFAULT_SEED, which needs PyTorch to import


def _seed(args: argparse.Namespace) -> int:
    return DEFAULT_SEED if args.seed is None else args.seed


def _model_name(args: argparse.Namespace) -> str | None:
    """The torchvision model name the arguments give, if any."""
    return getattr(args, "model", None) or getattr(args, "model_or_ir", None)


def _build_model(args: argparse.Namespace):
    """The nn.Module `args` name (--model or a name, --module), with its weights."""
    with _progress("load PyTorch"):
        from rcbc.frontend import models
    name = _model_name(args)
    with _progress(f"build {name or args.module}"):
        if name:
            model = models.torchvision_model(name, _seed(args))
        else:
            model = models.user_model(args.module, _seed(args))
        if args.weights:
            models.load_weights(model, args.weights)
    return model


def _import_model(args: argparse.Namespace):
    """The model `args` name, imported (`rcbc.frontend.importer.ImportedModel`)."""
    model = _build_model(args)
    import torch

    from rcbc.frontend.importer import import_model

    shape = args.input_shape or DEFAULT_INPUT_SHAPE
    return import_model(model, (torch.zeros(shape),), step=_progress)


def _model_names(args: argparse.Namespace) -> tuple[str, str]:
    """The model's name for the IR (no directories) and the default file stem."""
    name = _model_name(args)
    if name:
        return name, name
    path, _, attribute = args.module.rpartition(":")
    stem = Path(path).stem if path.endswith(".py") else path.rpartition(".")[2]
    return f"{Path(path).name}:{attribute}", stem


def _weight_source(args: argparse.Namespace) -> str:
    return args.weights.name if args.weights else f"random init (seed {_seed(args)})"


# -- compile ----------------------------------------------------------------------------------


def _ir_file(args: argparse.Namespace) -> Path | None:
    """The IR file `rcbc compile` was given instead of a model, if it was."""
    name = args.model_or_ir
    if name is None or not name.endswith(".mlir"):
        return None
    for option in ("weights", "seed", "input_shape"):
        if getattr(args, option) is not None:
            flag = "--" + option.replace("_", "-")
            raise FileError(f"{flag} is for a model, but {name} is IR, imported already")
    return Path(name)


def _parse(source, ir_file: Path | None):
    """The module in `source`, or a `CompileError` after the parser's diagnostics."""
    from rcbc.mlir import ir
    from rcbc.source import parse_chunk

    try:
        return parse_chunk(source.chunks(split=False)[0], ir.Context.current)
    except ir.MLIRError:
        raise CompileError(f"{ir_file or 'the imported IR'} does not parse; see above") from None


def _weight_store(module, ir_file: Path):
    """The weight store of an IR file's module: rcbc.weight_store, beside the file."""
    from rcbc.bytecode.from_ir import WEIGHT_STORE
    from rcbc.frontend.weights import WeightStore
    from rcbc.mlir import ir

    attributes = module.operation.attributes
    if WEIGHT_STORE not in attributes:
        return None  # the emitter says so if the program needs weights
    return WeightStore.load(ir_file.parent / ir.StringAttr(attributes[WEIGHT_STORE]).value)


# -- run and report -----------------------------------------------------------------------------


def _add_trace_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--trace",
        type=Path,
        metavar="FILE",
        help="write the modeled timeline as a Chrome trace (JSON; open it in ui.perfetto.dev)",
    )


def _check_writable(path: Path | None) -> None:
    """Fail before a long run if the output file `path` cannot be created."""
    if path is None:
        return
    if path.is_dir():
        raise FileError(f"cannot write {path}: Is a directory")
    directory = path.parent
    if not directory.is_dir():
        raise FileError(f"cannot write {path}: No such directory {directory}")
    if not os.access(directory, os.W_OK):
        raise FileError(f"cannot write {path}: Permission denied")


def _write_trace(path: Path, program, result, name: str) -> None:
    import json

    from rcbc.runtime.trace import chrome_trace

    trace = chrome_trace(program, result, name)
    _write(path, json.dumps(trace, separators=(",", ":")))
    print(f"wrote {path} ({len(trace['traceEvents']):,} trace events)")


def _named_files(specs: list[str], bindings: list, option: str, noun: str) -> dict:
    """The binding each ``[NAME=]FILE`` of `option` names, with its file. The name may be
    left out when the program has one binding of the kind (`noun`)."""
    names = {b.name: b for b in bindings}
    listed = ", ".join(names) or "none"
    found = {}
    for spec in specs:
        name, equals, path = spec.partition("=")
        if not equals or (name not in names and Path(spec).exists()):  # a file named a=b.npy
            if len(bindings) != 1:
                raise FileError(
                    f"{option} {spec}: the program has {len(bindings)} {noun}s ({listed}); "
                    f"write {option} NAME=FILE"
                )
            name, path = bindings[0].name, spec
        if name not in names:
            raise FileError(f"{option} {spec}: the program has no {noun} '{name}' ({listed})")
        if names[name] in found:
            raise FileError(f"{option}: {noun} '{name}' is given twice")
        found[names[name]] = Path(path)
    return found


def _load_npy(path: Path):
    import numpy as np

    try:
        return np.load(path, allow_pickle=False)
    except (OSError, ValueError) as e:
        raise FileError(f"cannot read {path}: {getattr(e, 'strerror', None) or e}") from None


def _describe(value) -> str:
    """A tensor in one line: dtype, shape, range, and its top class if it is a batch of one."""
    text = f"{value.dtype} {list(value.shape)}, min {value.min():.4g}, max {value.max():.4g}"
    if value.ndim == 2 and value.shape[0] == 1:
        text += f", top-1 class {int(value.argmax())}"
    return text


def _describe_dequantized(value, qp) -> str:
    """What an int8 output stands for, by the program's `qp`."""
    from rcbc.quantize.scheme import dequantize

    real = dequantize(value, qp)
    return (f"; dequantized (scale {qp.scale:.6g}, zero point {qp.zero_point}): min "
            f"{real.min():.4g}, max {real.max():.4g}")


def _check(args: argparse.Namespace, program, inputs: dict, outputs: dict, bindings: list) -> None:
    """Compare the program's outputs with the model's on the same inputs."""
    import numpy as np
    import torch

    from rcbc.bytecode.program import IoDirection
    from rcbc.runtime.agreement import agreement

    model = _build_model(args).eval()
    ordered = [inputs[b.name] for b in program.io if b.direction is IoDirection.INPUT]
    try:
        with torch.no_grad():
            expected = model(*(torch.from_numpy(np.asarray(x, np.float32)) for x in ordered))
    except Exception as e:  # the model's own code, on inputs of the program's shapes
        shapes = ", ".join(str(list(x.shape)) for x in ordered)
        raise CheckFailed(
            f"the model cannot run on the program's inputs ({shapes}): {type(e).__name__}: "
            f"{str(e).splitlines()[0] if str(e) else ''}; is this the model the program was "
            f"compiled from?"
        ) from None
    expected = expected if isinstance(expected, (tuple, list)) else (expected,)
    if len(expected) != len(bindings):
        raise CheckFailed(f"the model has {len(expected)} outputs, the program {len(bindings)}")
    failures = []
    for binding, reference in zip(bindings, expected):
        reference = reference.numpy()
        actual = outputs[binding.name]
        if actual.shape != reference.shape:
            raise CheckFailed(
                f"output '{binding.name}' has shape {list(actual.shape)}, the model's "
                f"{list(reference.shape)}: is this the model the program was compiled from?"
            )
        found = agreement(actual, reference)
        failures += [f"'{binding.name}': {failure}" for failure in found.failures(args.tolerance)]
        print(f"check '{binding.name}': {found}")
    if failures:
        raise CheckFailed(
            "the program does not compute what the model does: " + "; ".join(failures)
        )
    print("check: OK")


@contextlib.contextmanager
def _progress(name: str):
    """Show a step on stderr as it starts, and its time when it ends."""
    print(f"  {name} ...", end="", file=sys.stderr, flush=True)
    _open_progress[:] = [name]
    start = time.perf_counter()
    try:
        yield
    finally:
        seconds = f"{time.perf_counter() - start:.2f} s"
        if _open_progress:
            print(f" {seconds}", file=sys.stderr, flush=True)
        else:  # something was printed since; say again which step this was
            print(f"  {name} ... {seconds}", file=sys.stderr, flush=True)
        _open_progress.clear()


_open_progress: list[str] = []  # the step whose line _progress has begun and not ended


def _end_progress_line() -> None:
    """End the line of the step in progress, so that a message can follow on its own line."""
    if _open_progress:
        print(file=sys.stderr, flush=True)
        _open_progress.clear()


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as e:
        raise FileError(f"cannot read {path}: {e.strerror}") from None


def _write(path: Path | None, content: str | bytes) -> None:
    """Write `content` to `path`, or to stdout when `path` is None."""
    if path is None:
        sys.stdout.write(content)
        return
    try:
        path.write_bytes(content.encode() if isinstance(content, str) else content)
    except OSError as e:
        raise FileError(f"cannot write {path}: {e.strerror}") from None


def _size(path: Path) -> str:
    size = path.stat().st_size
    return f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{size / 1e3:.1f} kB"


def _floats(text: str) -> tuple[float, ...]:
    try:
        return tuple(float(value) for value in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a list of numbers: give them separated by commas, e.g. 0.5,0.5,0.5"
        ) from None


def _shape(text: str) -> tuple[int, ...]:
    try:
        shape = tuple(int(size) for size in text.split(","))
    except ValueError:
        shape = ()
    if not shape or min(shape) < 1:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a shape: give positive sizes separated by commas, e.g. 1,3,224,224"
        )
    return shape


if __name__ == "__main__":
    sys.exit(main())
