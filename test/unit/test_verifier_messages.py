"""Every verifier message of the rcbc dialects has a case in a dialect's ``invalid.mlir``.

A message is a ``raise Invalid(...)`` statement in ``dialects/*.py``. The test parses each
``// -----`` chunk of ``test/Dialect/*/invalid.mlir`` and records which statements raised; a
statement no chunk reaches is a message without a test.
"""

import ast
import sys
from pathlib import Path

from rcbc.dialects import common, load_all
from rcbc.mlir import ir

REPO = Path(__file__).resolve().parents[2]
DIALECTS = Path(common.__file__).parent
INVALID_TESTS = sorted((REPO / "test" / "Dialect").glob("*/invalid.mlir"))


def raise_sites() -> set[tuple[str, int]]:
    """(file, line) of every ``raise Invalid(...)`` in the dialect modules."""
    sites = set()
    for path in DIALECTS.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Raise)
                and isinstance(node.exc, ast.Call)
                and getattr(node.exc.func, "id", None) == "Invalid"
            ):
                sites.add((path.name, node.lineno))
    return sites


def chunks(path: Path) -> list[str]:
    text, current = [], []
    for line in path.read_text().splitlines():
        if line.strip() == "// -----":
            text.append("\n".join(current))
            current = []
        else:
            current.append(line)
    return [*text, "\n".join(current)]


def test_every_message_has_an_invalid_case(monkeypatch):
    raised = set()
    original_init = common.Invalid.__init__

    def recording_init(self, *args):
        caller = sys._getframe(1)
        raised.add((Path(caller.f_code.co_filename).name, caller.f_lineno))
        original_init(self, *args)

    monkeypatch.setattr(common.Invalid, "__init__", recording_init)
    assert INVALID_TESTS, "no test/Dialect/*/invalid.mlir found"
    for path in INVALID_TESTS:
        for chunk in chunks(path):
            with ir.Context() as ctx, ir.Location.unknown():
                load_all(ctx)
                try:
                    ir.Module.parse(chunk)
                except ir.MLIRError:
                    pass

    missing = sorted(raise_sites() - raised)
    lines = {name: (DIALECTS / name).read_text().splitlines() for name, _ in missing}
    assert not missing, "verifier messages without an invalid.mlir case:\n" + "\n".join(
        f"  dialects/{name}:{line}: {lines[name][line - 1].strip()}" for name, line in missing
    )
