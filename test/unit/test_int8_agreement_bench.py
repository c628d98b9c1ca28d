"""bench/int8_agreement_bench.py's writers and its section of docs/benchmarks.md, on made-up
figures: `make bench` does not rot between runs. The measurement itself (ResNet-18, a minute
or two) runs in `make bench` only."""

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import int8_agreement_bench as bench  # noqa: E402
import run_all  # noqa: E402
import test_bench  # noqa: E402

FIGURES = {
    "ok": True, "program": "build/bench/resnet18-aie-ml-28-int8.rcb", "records": 16301,
    "compile_s": None, "inputs": 64, "input_seed": 1, "top1_agree": 63, "top5_contain": 64,
    "top5_overlap": 4.5, "fp32_top1_classes": 1, "max_difference": 0.116, "max_reference": 6.0,
    "checked": 4, "check_engine": "rcb-run", "identical": 4,
    "seconds_per_image": {"int8 simulation": 0.3, "rcb-run (whole process)": 4.0},
}


def test_rows_say_what_was_measured_and_how():
    rows = dict(bench.rows(FIGURES))
    assert rows["top-1 agreement"] == "63 of 64 = 98.4 %"
    assert rows["top-5 containment (PyTorch's top-1 among the int8 top 5)"] == "64 of 64 = 100.0 %"
    assert "the agreement figures above say little" in rows["distinct classes of PyTorch's top-1"]
    assert rows["int8 outputs computed by"] == (
        "rcbc.quantize.simulate; the first 4 also on rcb-run: 4 of 4 bit-identical")
    assert rows["one image, wall time"] == "int8 simulation 0.30 s, rcb-run (whole process) 4.00 s"
    assert "measured on this machine" in bench.heading(FIGURES)
    assert bench.markdown(FIGURES).splitlines()[2] == "| top-1 agreement | 63 of 64 = 98.4 % |"


def test_the_section_of_the_document():
    results = test_bench.results()
    assert "int8 against PyTorch" not in run_all.document(results)  # a run before the section
    results["int8_agreement"] = {"status": "ok", "figures": FIGURES, "output": ""}
    document = run_all.document(results)
    assert "## ResNet-18 int8 against PyTorch fp32 (measured on this machine)" in document
    assert "| top-5 overlap (PyTorch's top 5 among the int8 top 5, mean) | 4.50 of 5 |" in document
    assert "bench/int8_agreement_bench.py build/bench/resnet18-aie-ml-28-int8.rcb" in document
    results["int8_agreement"] = {"status": "error", "error": "timed out after 60 s"}
    assert "Not measured: timed out after 60 s" in run_all.document(results)
