"""Write the IRDL of the rcbc dialects beside their Python definitions.

``dialects/<name>.irdl.mlir`` holds the IRDL that `mlir.dialects.ext` generates and loads for
dialect <name>, so that MLIR tools parse rcbc IR without Python (structural constraints only;
the Python verifiers do not run there)::

    torch-mlir-opt --irdl-file=dialects/rhal.irdl.mlir input.mlir

Regenerate the files after changing a dialect, and check that they are current::

    python -m rcbc.dialects.irdl_dump            # rewrite the stale files
    python -m rcbc.dialects.irdl_dump --check    # exit 1 if a file is stale

Each file holds one top-level ``irdl.dialect``, so files can be concatenated into one
``--irdl-file`` for IR that uses several dialects.
"""

import argparse
import sys
from pathlib import Path

from rcbc.dialects import ALL_DIALECTS
from rcbc.mlir import ext, ir

COMMAND = "python -m rcbc.dialects.irdl_dump"


def irdl_path(dialect: type[ext.Dialect]) -> Path:
    return Path(__file__).with_name(f"{dialect.name}.irdl.mlir")


def irdl_text(dialect: type[ext.Dialect]) -> str:
    """The IRDL of `dialect` exactly as `load()` registers it, with a header."""
    with ir.Context(), ir.Location.unknown():
        dialect.load()
        (irdl_dialect,) = dialect._mlir_module.body.operations
        body = "\n".join(line.rstrip() for line in str(irdl_dialect).splitlines())
    header = (
        f"// IRDL of the '{dialect.name}' dialect, generated from dialects/{dialect.name}.py by\n"
        f"// `{COMMAND}`. Do not edit.\n"
    )
    return f"{header}\n{body}\n"


def stale(dialects=ALL_DIALECTS) -> list[tuple[type[ext.Dialect], str]]:
    """The dialects whose checked-in IRDL differs from their definition, with the fresh text."""
    found = []
    for dialect in dialects:
        text = irdl_text(dialect)
        path = irdl_path(dialect)
        if not path.exists() or path.read_text() != text:
            found.append((dialect, text))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=COMMAND, description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="only report stale files; exit 1 if there are any"
    )
    args = parser.parse_args(argv)
    found = stale()
    for dialect, text in found:
        path = irdl_path(dialect)
        if args.check:
            print(f"{path.name} is stale; run `{COMMAND}`", file=sys.stderr)
        else:
            path.write_text(text)
            print(f"wrote {path.name}")
    return 1 if args.check and found else 0


if __name__ == "__main__":
    sys.exit(main())
