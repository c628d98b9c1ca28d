"""Every diagnostic of convert-linalg-to-rhal has a chunk in its lit test.

A diagnostic is a ``raise Unsupported(...)`` statement in the pass or in `rcbc.linalg_idioms`,
or the reason given for an op no idiom starts. The test runs the pass on each ``// -----`` chunk of
``test/Transforms/convert-linalg-to-rhal.mlir`` and records which statements raised and which
messages were reported; a statement no chunk reaches is a diagnostic without a test.
"""

from pathlib import Path

from rcbc import linalg_idioms
from rcbc.context import make_context
from rcbc.mlir import ir
from rcbc.passes import convert_linalg_to_rhal
from rcbc.pipeline import parse_pipeline, resolve
from raise_sites import raise_sites, record_raises

REPO = Path(__file__).resolve().parents[2]
TEST = REPO / "test" / "Transforms" / "convert-linalg-to-rhal.mlir"
SOURCES = [Path(linalg_idioms.__file__), Path(convert_linalg_to_rhal.__file__)]


def test_every_diagnostic_has_a_chunk(monkeypatch):
    raised = record_raises(monkeypatch, linalg_idioms.Unsupported)
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

    missing = sorted(raise_sites(SOURCES, "Unsupported") - raised)
    assert not missing, "diagnostics without a chunk:\n" + "\n".join(
        f"  {name}:{line}" for name, line in missing
    )
    assert any("(no rhal op computes it)" in m for m in messages), "no chunk reports an op no idiom starts"
