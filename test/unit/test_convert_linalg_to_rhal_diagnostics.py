"""Every diagnostic of convert-linalg-to-rhal has a chunk in its lit test.

A diagnostic is a ``raise Unsupported(...)`` statement in the pass or in `rcbc.linalg_idioms`,
or an entry of the pass's `REASONS`. The test runs the pass on each ``// -----`` chunk of
``test/Transforms/convert-linalg-to-rhal.mlir`` and records which statements raised and which
messages were reported; a statement no chunk reaches is a diagnostic without a test.
"""

import ast
import sys
from pathlib import Path

from rcbc import linalg_idioms
from rcbc.context import make_context
from rcbc.mlir import ir
from rcbc.passes import convert_linalg_to_rhal
from rcbc.pipeline import parse_pipeline, resolve

REPO = Path(__file__).resolve().parents[2]
TEST = REPO / "test" / "Transforms" / "convert-linalg-to-rhal.mlir"
SOURCES = [Path(linalg_idioms.__file__), Path(convert_linalg_to_rhal.__file__)]


def raise_sites() -> set[tuple[str, int]]:
    """(file, line) of every ``raise Unsupported(...)``."""
    sites = set()
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Raise)
                and isinstance(node.exc, ast.Call)
                and getattr(node.exc.func, "id", None) == "Unsupported"
            ):
                sites.add((path.name, node.lineno))
    return sites


def test_every_diagnostic_has_a_chunk(monkeypatch):
    raised = set()
    original_init = linalg_idioms.Unsupported.__init__

    def recording_init(self, *args):
        caller = sys._getframe(1)
        raised.add((Path(caller.f_code.co_filename).name, caller.f_lineno))
        original_init(self, *args)

    monkeypatch.setattr(linalg_idioms.Unsupported, "__init__", recording_init)
    messages = []
    pipeline = resolve(parse_pipeline("builtin.module(convert-linalg-to-rhal)"))
    for chunk in TEST.read_text().split("// -----\n"):
        context = make_context()
        with context:
            module = ir.Module.parse(chunk)
            try:
                pipeline.build(context).run(module.operation)
            except ir.MLIRError as e:
                messages += [d.message for d in e.error_diagnostics]

    missing = sorted(raise_sites() - raised)
    assert not missing, "diagnostics without a chunk:\n" + "\n".join(
        f"  {name}:{line}" for name, line in missing
    )
    for reason in convert_linalg_to_rhal.REASONS.values():
        assert any(reason in m for m in messages), f"no chunk reports '{reason}'"
