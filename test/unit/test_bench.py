"""The benchmark scripts (bench/) import, and their table, plot and document writers work on a
tiny input, so `make bench` does not rot between runs. No model is compiled here: the figures
come from the executor tests' one-kernel program or are made up."""

import cProfile
import pstats
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import common  # noqa: E402
import compile_bench  # noqa: E402
import engine_bench  # noqa: E402
import profile_compile  # noqa: E402
import run_all  # noqa: E402
import sweep_bench  # noqa: E402


def point(tiles, ok=True, model="tiny", **extra):
    base = {"kind": "point", "model": model, "target": "aie-ml", "tiles": tiles, "variant": "fp32"}
    if not ok:
        return {**base, "ok": False, "error": "compile: rhal-place failed: loc(x): 3 tiles\nmore", **extra}
    return {
        **base, "ok": True, "tiles_used": tiles, "latency_s": 2e-3 / tiles, "fps": 500.0 * tiles,
        "fps_per_tile": 500.0, "util_mean": 0.4, "util_min": 0.2, "util_max": 0.6, "busy_mean": 0.5,
        "total_macs": 10**6, "peak_macs_per_cycle": 21, "compute_floor_s": 1e-3 / tiles,
        "bytes_moved": {"ddr": 3_000_000, "memtile": 0, "tile": 0}, "ddr_bytes": 3_000_000,
        "ddr_floor_bytes": 1_000_000, "ddr_floor_s": 2.2e-5, "compile_s": 1.5, "report_s": 0.5,
        "records": 100, "size": 10_000, **extra,
    }


COMPILE = {
    "model": "tiny", "target": "aie-ml", "tiles": 4,
    "runs": [{compile_bench.IMPORT: 1.0, compile_bench.PARSE: 0.01, "rhal-place": 2.0,
              "emission": 0.5, compile_bench.TOTAL: 3.51},
             {compile_bench.IMPORT: 1.2, compile_bench.PARSE: 0.02, "rhal-place": 1.0,
              "emission": 0.7, compile_bench.TOTAL: 2.92}],
    "size": 1000, "sections": {"code": [320, 10], "image": [600, 0], "strings": [40, 3]},
    "record_size": 32, "record_kinds": {"dma_start": 6, "launch": 3, "end": 1},
}

ENGINE = {"records": 8.0, "load_us": 8.5, "dispatch_ns": 18.7, "e2e_runs": 100.0,
          "e2e_mean_ms": 0.04, "e2e_stdev_ms": 0.01, "e2e_cv_percent": 23.4, "modeled_cycles": 1315.2}


def results():
    return {
        "date": "2026-01-01 00:00 UTC", "commit": "abc1234", "dirty": ["README.md"],
        "machine": "a CPU, 2 CPUs", "load_before": (1.0, 1.0, 1.0), "load_after": None, "jobs": 2,
        "target": "aie-ml", "tiles": [8, 28], "models": ["resnet18", "other"],
        "compile": COMPILE,
        "imports": {"resnet18": {"ok": True, "import_s": 1.0},
                    "other": {"ok": False, "error": "import: 1 operator is not supported"}},
        "sweep": [point(8, model="resnet18"), point(28, model="resnet18"),
                  point(16, ok=False, model="resnet18")],
        "probes": [{"kind": "probe", "model": "squeezenet1_1", "ok": False, "stage": "compile",
                    "error": "compile: convert-linalg-to-rhal failed: concat"},
                   {"kind": "probe", "model": "regnet", "ok": True, "stage": "compiled",
                    "records": 20_000, "compile_s": 14.0}],
        "variants": ["fp32"],
        "profile": {"ok": True, "profiled_s": 30.0, "passes": {"rhal-place": 3.0},
                    "areas": "| a |\n|---|", "highlights": "| h |\n|---|", "top": "| t |\n|---|"},
        "engine": {"figures": {"convolution": ENGINE}},
        "executor": {"status": "missing"},
        "phases": {"compile time (sequential)": 70.0}, "total_s": 600.0,
    }


def test_markdown_table():
    text = common.markdown_table(["a", "b"], [["x|y", 1], ["z", 2.5]])
    assert text.splitlines() == ["| a | b |", "|---|---:|", "| x\\|y | 1 |", "| z | 2.5 |"]
    with pytest.raises(ValueError):
        common.markdown_table(["a", "b"], [["only one"]])
    assert common.short_error("\nfirst line\nsecond") == "first line"
    assert common.short_error("x" * 200, 20) == "x" * 17 + "..."


def test_compile_tables_and_plot(tmp_path):
    medians = compile_bench.stage_medians(COMPILE)
    assert medians["rhal-place"] == 1.5 and list(medians)[-1] == compile_bench.TOTAL
    table = compile_bench.stage_table(COMPILE)
    assert "| rhal-place | 1.50 s | 1.00 s | 2.00 s |" in table
    assert "**total**" in table
    sections = compile_bench.section_table(COMPILE)
    assert "| code (records) | 320 | 32.0 % | 10 |" in sections
    assert "| header, section table, alignment | 40 |" in sections
    assert "| dma_start | 6 | 192 | 60.0 % |" in compile_bench.record_table(COMPILE)
    compile_bench.plot_stages(COMPILE, tmp_path / "c.png", "make bench")
    assert (tmp_path / "c.png").stat().st_size > 1000


def test_figures_of_a_real_report():
    """`figures` reads the report API as it is (a renamed field fails here, not in make bench)."""
    sys.path.insert(0, str(Path(__file__).parent))
    import test_executor

    from rcbc.runtime import report

    program = test_executor.program()
    found = sweep_bench.figures(report.performance(program, report.zero_run(program), "p"))
    assert found["tiles_used"] == 1 and found["latency_s"] > 0 and 0 < found["util_mean"] <= 1
    assert found["ddr_bytes"] == found["bytes_moved"]["ddr"] > 0
    assert set(found) >= set(point(1)) - {"kind", "model", "target", "tiles", "variant", "ok",
                                          "compile_s", "report_s", "records", "size"}


def test_sweep_table_shows_errors_and_plots(tmp_path):
    baseline = {**point(28), "latency_s": 4e-3, "fps_per_tile": 9.0, "ddr_bytes": 5_000_000}
    points = [point(8), point(16, ok=False), point(28, baseline=baseline)]
    table = sweep_bench.sweep_table(points)
    rows = table.splitlines()[2:]
    assert len(rows) == 3
    assert "**error**: compile: rhal-place failed: loc(x): 3 tiles" in rows[1]
    assert "more" not in rows[1]  # the first line only
    assert "| - |" in rows[0] and "| 4 ms, 9 fps/tile, 5.0 MB |" in rows[2]
    assert "| 250 us |" in rows[0] and "40.0 % (20.0-60.0)" in rows[0]
    sweep_bench.plot_sweep(points, tmp_path / "s.png", "tiny", "make bench")
    sweep_bench.plot_models(points, tmp_path / "m.png", "make bench")
    assert (tmp_path / "s.png").stat().st_size > 1000 and (tmp_path / "m.png").stat().st_size > 1000


def test_sweep_commands_and_options():
    assert sweep_bench.rcb_name("resnet18", "aie-ml", 28) == "resnet18-aie-ml-28.rcb"
    assert "rcbc compile build/bench/resnet18.mlir --target aie-ml --tiles 8" in \
        sweep_bench.command("resnet18", "aie-ml", 8)
    assert "--baseline -o build/bench/resnet18-aie-ml-8-baseline.rcb" in \
        sweep_bench.command("resnet18", "aie-ml", 8, "baseline")
    tasks = sweep_bench.point_tasks(["m", "n"], [8, 28], reuse={("m", 28): Path("m.rcb")})
    fp32 = [t for t in tasks if t["info"]["variant"] == "fp32"]
    assert [(t["info"]["model"], t["info"]["tiles"]) for t in fp32] == [("m", 8), ("m", 28), ("n", 8), ("n", 28)]
    assert "--program" not in fp32[0]["argv"] and fp32[1]["argv"][-3:] == ["--program", "m.rcb", "--baseline"]
    # The first model's points also compile the baseline schedule, and only its get int8 rows.
    assert ["--baseline" in t["argv"] for t in fp32] == [True, True, False, False]
    assert {t["info"]["model"] for t in tasks if t["info"]["variant"] == "int8"} == {"m"}


def test_run_tasks_reports_a_crash(tmp_path):
    ok = tmp_path / "ok.json"
    tasks = [
        {"argv": [sys.executable, "-c", f"open({str(ok)!r}, 'w').write('{{\"ok\": true}}')"],
         "json": ok, "label": "ok", "info": {"n": 1}},
        {"argv": [sys.executable, "-c", "import sys; sys.exit('boom')"], "json": tmp_path / "no.json",
         "label": "crash", "info": {"n": 2}},
    ]
    found = sweep_bench.run_tasks(tasks, jobs=2, log=lambda line: None)
    assert found[0]["ok"] and found[0]["n"] == 1
    assert not found[1]["ok"] and found[1]["error"] == "process exited with status 1: boom"


def test_run_tasks_keeps_to_the_deadline(tmp_path):
    import time

    sleep = [sys.executable, "-c", "import time; time.sleep(30)"]
    tasks = [{"argv": sleep, "json": tmp_path / f"{n}.json", "label": str(n), "info": {}}
             for n in range(2)]
    start = time.monotonic()
    found = sweep_bench.run_tasks(tasks, jobs=1, deadline=start + 1.0, log=lambda line: None)
    assert time.monotonic() - start < 10
    assert found[0]["error"] == "stopped: the run's time budget was spent"
    assert found[1]["error"] == "skipped: the run's time budget was spent"


def test_condense_unsupported_operators():
    message = (
        "import: 3 operators of the model are not supported by rcbc:\n"
        "  a/shufflenetv2.py:99: aten.view: reshape 1x48 -> 1x2x24 is not a flatten (layer s2, 4 uses)\n"
        "      out = channel_shuffle(out, 2)\n"
        "  a/shufflenetv2.py:99: aten.view: reshape 1x96 -> 1x2x48 is not a flatten (layer s3, 8 uses)\n"
        "  a/shufflenetv2.py:166: aten.mean\n"
        "supported: conv2d, batch norm")
    assert sweep_bench.condense(message) == (
        "import: 3 operators of the model are not supported by rcbc: "
        "aten.view: reshape 1x48 -> 1x2x24 is not a flatten, aten.mean")
    assert sweep_bench.condense("import: boom\nmore") == "import: boom"


def test_profile_tables():
    profiler = cProfile.Profile()
    profiler.enable()
    sorted(str(n) for n in range(2000))
    profiler.disable()
    stats = pstats.Stats(profiler)
    assert "**total (profiled)**" in profile_compile.area_table(stats)
    assert "| function | calls |" in profile_compile.top_table(stats, 3)
    assert "not in this profile" in profile_compile.highlight_table(stats)
    where = profile_compile.where
    assert where("/r/.venv/lib/python3.11/site-packages/torch_mlir/dialects/ext.py", "f") \
        == "MLIR bindings (Python): dialects/ext.py"
    assert where("/r/dialects/rhal.py", "check") == "dialects/rhal.py"
    assert where("/r/passes/rhal_place.py", "run") == "passes/rhal_place.py"
    assert where("/r/python/rcbc/bytecode/layout.py", "pack") == "rcbc/bytecode/layout.py"
    assert where("~", "<method 'walk' of 'torch_mlir._mlir_libs._mlir.ir.Operation' objects>") \
        == "MLIR bindings (C++)"


def test_engine_markdown():
    text = engine_bench.markdown({"convolution": ENGINE})
    assert "| convolution | 8 | 8.50 | 18.7 | 100 | 0.04 | 23.40 % | 1,315 |" in text


def test_document_and_plots(tmp_path):
    r = results()
    text = run_all.document(r)
    for heading in ("# Benchmarks", "## Compile time of tiny", "## Bytecode size",
                    "## Performance over the tile budget", "### resnet18",
                    "## Other CNNs tried", "## Executors and the C engine",
                    "## Where compile time goes", "## How long `make bench` took"):
        assert heading in text, heading
    assert "Import failed: import: 1 operator is not supported" in text
    assert "**placeholder**" in text  # no bench/executor_bench.py in these results
    assert "9.2x" in text and "modeled" in text and "measured on this machine" in text
    assert "not yet: `--precision int8`" in text  # no int8 point in these results
    r2 = {**r, "sweep": r["sweep"] + [point(28, model="resnet18", variant="int8", peak_macs_per_cycle=256)]}
    assert "at 256 int8 MACs / cycle / tile" in run_all.document(r2)
    assert "- (the baseline schedule is fp32 only)" in run_all.document(r2)
    assert "no baseline compiled in this run" in text
    baseline = {**point(28), "fps_per_tile": 250.0, "ddr_bytes": 4_500_000, "latency_s": 3e-3}
    r3 = {**r, "sweep": [point(28, model="resnet18", baseline=baseline)]}
    assert ("2.00x the throughput per tile and 1.50x less DDR traffic than the baseline schedule "
            "(`--baseline`: 3.00 ms, 4.5 MB") in run_all.document(r3)
    assert text.count("Command") >= 6
    written = run_all.plots(r, tmp_path)
    assert {p.name for p in written} == {run_all.COMPILE_PNG, run_all.MODELS_PNG,
                                         run_all.sweep_png("resnet18")}
    r["executor"] = {"status": "ok", "output": "raw output", "figures": {
        "reference_executor": {"wall_median_s": 4.0, "wall_s": [3.5, 4.0, 4.5]},
        "PyTorch_eager": {"wall_median_s": 0.5, "wall_s": [0.5]}}}
    text = run_all.document(r)
    assert "| reference executor | 4.000 s | 3.500-4.500 s | 3 | 8.0x |" in text
    assert "raw output" in text and "**placeholder**" not in text
    assert run_all.priority({"kind": "point", "model": "resnet18", "variant": "int8", "tiles": 28},
                            "resnet18") < run_all.priority({"kind": "profile"}, "resnet18")
    skipped = point(28, ok=False, model="resnet18", error="skipped: the run's time budget was spent")
    assert "| 28 | fp32 | - | *skipped: the run's time budget was spent* |" in sweep_bench.sweep_table([skipped])
    r["sweep"] = [point(8, ok=False, model="resnet18")]
    assert "resnet18 at 28 tiles did not run" in run_all.document(r)


def test_bench_script_runs_with_relative_paths(tmp_path):
    script = tmp_path / "echo_bench.py"
    script.write_text("import json, sys\nprint(' '.join(sys.argv[1:]))\n"
                      "json.dump({'ok': 1}, open(sys.argv[-1], 'w'))\n")
    program = run_all.ROOT / "README.md"  # any file of the tree stands for the program
    found = run_all.bench_script(script, program, tmp_path / "out.json", timeout=60)
    assert found["status"] == "ok" and found["figures"] == {"ok": 1}
    assert found["output"].startswith("README.md --json ")  # no path of this machine in the docs
