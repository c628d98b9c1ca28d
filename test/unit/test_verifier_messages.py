"""Every verifier message of the rcbc dialects has a case in a dialect's ``invalid.mlir``.

A message is a ``raise Invalid(...)`` statement in ``dialects/*.py``. The test parses each
``// -----`` chunk of ``test/Dialect/*/invalid.mlir`` and records which statements raised; a
statement no chunk reaches is a message without a test.
"""

from pathlib import Path

from rcbc.dialects import common, load_all
from rcbc.mlir import ir
from raise_sites import raise_sites, record_raises

REPO = Path(__file__).resolve().parents[2]
DIALECTS = Path(common.__file__).parent
INVALID_TESTS = sorted((REPO / "test" / "Dialect").glob("*/invalid.mlir"))


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
    raised = record_raises(monkeypatch, common.Invalid)
    assert INVALID_TESTS, "no test/Dialect/*/invalid.mlir found"
    for path in INVALID_TESTS:
        for chunk in chunks(path):
            with ir.Context() as ctx, ir.Location.unknown():
                load_all(ctx)
                try:
                    ir.Module.parse(chunk)
                except ir.MLIRError:
                    pass

    missing = sorted(raise_sites(DIALECTS.glob("*.py"), "Invalid") - raised)
    lines = {name: (DIALECTS / name).read_text().splitlines() for name, _ in missing}
    assert not missing, "verifier messages without an invalid.mlir case:\n" + "\n".join(
        f"  dialects/{name}:{line}: {lines[name][line - 1].strip()}" for name, line in missing
    )
