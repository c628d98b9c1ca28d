"""``rcbc``: the compiler's command line, one subcommand per step of the flow.

    rcbc import resnet18 -o r18.mlir                     # torchvision model, random weights
    rcbc import resnet18 --weights resnet18.pth -o r18.mlir
    rcbc import --module my_pkg.my_mod:build_model --input-shape 1,3,32,32 -o my.mlir
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
import sys
import time
from pathlib import Path
from typing import ClassVar

from rcbc.bytecode import BytecodeError, ListingError, assemble, disassemble
from rcbc.frontend.errors import FrontendError


class FileError(Exception):
    """A file named on the command line that cannot be read or written."""


USER_ERRORS = (FrontendError, BytecodeError, ListingError, FileError)
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
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("model", nargs="?", help="torchvision model name, e.g. resnet18")
        source.add_argument(
            "--module",
            metavar="MODULE:ATTR",
            help="your model: a function or nn.Module class (built with no arguments) or an "
            "nn.Module instance, in a module importable from the current directory or a .py "
            "file, e.g. my_pkg.my_mod:build_model or models/tiny.py:TinyNet",
        )
        parser.add_argument(
            "-o",
            "--output",
            type=Path,
            help="IR file to write (default: <model>.mlir); the weight store is written beside "
            "it with the suffix .rcbw",
        )
        parser.add_argument(
            "--weights", type=Path, help="state_dict (.pth) to load, e.g. pretrained weights"
        )
        parser.add_argument(
            "--input-shape",
            type=_shape,
            default=(1, 3, 224, 224),
            metavar="N,C,H,W",
            help="shape of the float32 model input (default: 1,3,224,224)",
        )
        parser.add_argument(
            "--seed", type=int, default=0, help="seed of the random weights (default: 0)"
        )

    def run(self, args: argparse.Namespace) -> None:
        start = time.perf_counter()
        with _progress("load PyTorch"):
            import torch

            from rcbc.frontend import interface, models
            from rcbc.frontend.importer import import_model

        with _progress(f"build {args.model or args.module}"):
            if args.model:
                model = models.torchvision_model(args.model, args.seed)
            else:
                model = models.user_model(args.module, args.seed)
            if args.weights:
                models.load_weights(model, args.weights)

        imported = import_model(model, (torch.zeros(args.input_shape),), step=_progress)

        label, stem = self._names(args)
        source = args.weights.name if args.weights else f"random init (seed {args.seed})"
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

    @staticmethod
    def _names(args: argparse.Namespace) -> tuple[str, str]:
        """The model's name for the IR (no directories) and the default file stem."""
        if args.model:
            return args.model, args.model
        path, _, attribute = args.module.rpartition(":")
        stem = Path(path).stem if path.endswith(".py") else path.rpartition(".")[2]
        return f"{Path(path).name}:{attribute}", stem


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


COMMANDS: list[Command] = [Import(), Disasm(), Asm()]


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


@contextlib.contextmanager
def _progress(name: str):
    """Show a step on stderr as it starts, and its time when it ends."""
    print(f"  {name} ...", end="", file=sys.stderr, flush=True)
    start = time.perf_counter()
    try:
        yield
    finally:
        print(f" {time.perf_counter() - start:.2f} s", file=sys.stderr, flush=True)


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
