#!/usr/bin/env python3
"""`make bench`: every benchmark, then docs/benchmarks.md and its plots.

    .venv/bin/python bench/run_all.py                 # what `make bench` runs
    .venv/bin/python bench/run_all.py --from-json     # redraw the docs from the last run's results

The steps, and how each reuses what the earlier ones built (everything goes to ``build/bench``):

1. compile time of ResNet-18 by stage, median of 3 runs, alone on the machine
   (`compile_bench.measure`); its first run writes the imported IR and the 28-tile program;
2. the other models imported once (`sweep_bench.import_ir`);
3. in parallel, one process per CPU: every sweep point (model x tile budget: compile, then the
   modeled report; ResNet-18 at 28 tiles reuses step 1's program), the cProfile of one compile
   (`profile_compile`), and the probe of other torchvision CNNs (`sweep_bench.probe`);
4. alone again: the C engine's dispatch overhead and end-to-end CV (`engine_bench`), the
   executors against PyTorch (``bench/executor_bench.py``, when it exists), and ResNet-18's int8
   top-1 agreement with PyTorch fp32 on 64 inputs (``bench/int8_agreement_bench.py``, on the
   sweep's int8 28-tile program);
5. docs/benchmarks.md, docs/bench-*.png, and build/bench/results.json (every figure, for
   ``--from-json``).

Every figure says whether it is *measured on this machine* or *modeled*, and the command that
produces it. A sweep point that fails is a table row with its error.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import compile_bench  # noqa: E402
import sweep_bench  # noqa: E402
from common import (BUILD, DOCS, MEASURED, MODELED, ROOT, load_average, machine,  # noqa: E402
                    markdown_table, rel, seconds, short_error)

RESULTS = BUILD / "results.json"
PY = ".venv/bin/python"
EXECUTOR_BENCH = ROOT / "bench" / "executor_bench.py"
INT8_BENCH = ROOT / "bench" / "int8_agreement_bench.py"
RCB_BENCH = ROOT / "build" / "runtime" / "rcb-bench"
RESERVE = 160.0  # seconds kept, within --budget, for the steps after the parallel one

PAPER = {  # the AEG paper (arXiv 2604.09565), as the project's design document quotes it: published
    "tiles": "28 AI Engine tiles",
    "versus": "Vitis AI (Linux, DPU), the whole 304-tile array",
    "per_tile": "9.2x Vitis AI's throughput per tile",
    "movement": "3-7x less data movement than Vitis AI",
    "cv": "0.03 % latency CV (hardware)",
    "top1": "68.78 % ImageNet top-1",
    "precision": "int8",
}
VITIS_AI_FPS = (2589, 2603)  # ResNet-18-sized (3.64 GOPs) zoo models, VEK280, single thread [MZ35]
VITIS_AI_TILES = 304  # the whole AIE-ML array, as the paper counts Vitis AI's tiles

PROFILE_FINDINGS = """\
Findings, written by hand from a profile taken on a quiet machine on 2026-11-22 (commit eb888c4;
ResNet-18, 28 tiles: 23.1 s unprofiled, 30.5 s under cProfile). The tables above are regenerated
on every run; this list is not, so check it against them.

- **No pass dominates any more.** The passes took 16.7 s of the 23.1 s (import 2.6 s, emission
  3.7 s): `rhal-schedule-dma` 5.7 s, `convert-rhal-to-rcb` 3.6 s, `rhal-verify` 3.0 s,
  `rhal-place` 2.4 s, `rhal-partition` 1.2 s, `rhal-allocate` 0.8 s. (The ~12 s quoted for the
  passes after the verifier caching is not what this machine measures: 16.7 s quiet, about 21 s
  in a `make bench` run beside other work.)
- **Op verification is the largest single cost**: `verify_region_invariants` of rcbc's dialects,
  82 k calls, about 22 % of the profile. It runs after `rhal-verify` and after
  `convert-rhal-to-rcb` (`rcbc.compiler.VERIFIED_AFTER`), so most of those two passes' times are
  the verifier, not the pass (the `rhal-verify` pass itself is 1.3 s of its 5.4 s profiled). The
  `check` of `rhal.dma` (2.1 s), `rcb.dma_start` (1.7 s) and `rhal.kernel` (1.5 s) dominate it.
- **Reading attributes through `mlir.dialects.ext`**: its per-attribute lambda (`ext.py:600`) is
  called 2.3 M times, the function with the most self time (6 %); the verifiers and the passes
  re-read the same attributes.
- **Emission is the other fifth**: `encode` validates the whole file it has just built
  (`bytecode/validate.py`, 2.4 s profiled, 8 %), then `rcbfile.to_bytes` packs each record
  field by field (1.8 s); `from_ir.to_program` is 2.1 s. The validation is the loader's and
  `rcbc disasm`'s job as well; skipping it on the compile path (or keeping it for `--verify-each`)
  would save most of it.
- `rhal-place` is `place_block` (10 k blocks, 3.0 s profiled); `rhal-partition` is the block-shape
  search (`blocking.choose`, 39 k `cost` evaluations, 2.0 s).
- Nothing here was changed by the benchmark work: the passes, dialects and bytecode package are
  other engineers' files. These are the leads for them.
"""


# -- running --------------------------------------------------------------------------------------


def git(*args: str) -> str:
    try:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def run(args: argparse.Namespace) -> dict:
    """Every benchmark; the results as one JSON-able dict."""
    started = time.monotonic()
    phases: dict[str, float] = {}
    results: dict = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": git("rev-parse", "--short", "HEAD"),
        "dirty": [line[3:] for line in git("status", "--porcelain", "--untracked-files=no").splitlines()],
        "machine": machine(), "load_before": load_average(), "jobs": args.jobs or os.cpu_count(),
        "target": args.target, "tiles": args.tiles, "models": args.models,
    }
    if BUILD.exists():  # nothing from an earlier run is reused
        shutil.rmtree(BUILD)
    BUILD.mkdir(parents=True)

    def phase(name: str, since: float) -> float:
        now = time.monotonic()
        phases[name] = now - since
        print(f"[bench] {name}: {now - since:.0f} s", flush=True)
        return now

    t = time.monotonic()
    reference = args.models[0]
    print(f"[bench] compile time of {reference}, {args.runs} runs", flush=True)
    r18_rcb = BUILD / sweep_bench.rcb_name(reference, args.target, 28)
    results["compile"] = compile_bench.measure(
        reference, target=args.target, tiles=28, runs=args.runs,
        ir_path=BUILD / f"{reference}.mlir", rcb_path=r18_rcb, log=print)
    t = phase("compile time (sequential)", t)

    results["imports"] = {reference: {"ok": True, "import_s": compile_bench.stage_medians(
        results["compile"])[compile_bench.IMPORT]}}
    for model in args.models[1:]:
        results["imports"][model] = sweep_bench.import_ir(model, BUILD / f"{model}.mlir")
        print(f"[bench] import {model}: {results['imports'][model].get('error', 'ok')}", flush=True)
    t = phase("imports (sequential)", t)

    ready = [m for m in args.models if results["imports"][m]["ok"]]
    tasks = sweep_bench.point_tasks(ready, args.tiles, target=args.target,
                                    reuse={(reference, 28): r18_rcb})
    tasks.insert(0, {"argv": [sys.executable, str(ROOT / "bench" / "profile_compile.py"), "--ir",
                              str(BUILD / f"{reference}.mlir"), "--target", args.target,
                              "--json", str(BUILD / "profile.json")],
                     "json": BUILD / "profile.json", "label": "cProfile of one compile",
                     "info": {"kind": "profile"}})
    if not args.no_probe:
        tasks.append(sweep_bench.probe_task(sweep_bench.PROBED, args.target))
    tasks.sort(key=lambda task: priority(task["info"], reference))  # what the README needs first
    print(f"[bench] {len(tasks)} tasks, {results['jobs']} at a time", flush=True)
    # What follows the parallel step (the engine, the executors, the int8 agreement, the docs)
    # takes about two minutes; the parallel step stops where `--budget` would be overrun.
    done = sweep_bench.run_tasks(tasks, jobs=args.jobs, timeout=args.timeout,
                                 deadline=started + args.budget - RESERVE)
    results["profile"] = next(r for r in done if r.get("kind") == "profile")
    results["sweep"] = sorted((r for r in done if r.get("kind") == "point"),  # table order
                              key=lambda r: (args.models.index(r["model"]), r["variant"] != "fp32",
                                             r["variant"], r["tiles"]))
    probed = next((r for r in done if r.get("kind") == "probes"), None)
    results["probes"] = (probed["probes"] if probed and probed.get("ok") else
                         [{"model": ", ".join(sweep_bench.PROBED), "ok": False, "stage": "probe",
                           "error": probed["error"]}] if probed else [])
    results["variants"] = list(sweep_bench.VARIANTS)
    t = phase("sweep, profile, probes (parallel)", t)

    results["engine"] = engine(r18_rcb)
    results["executor"] = executor(r18_rcb, max(60.0, started + args.budget - 90.0 - time.monotonic()))
    t = phase("engine and executors (sequential)", t)

    int8_rcb = BUILD / sweep_bench.rcb_name(reference, args.target, 28, "int8")
    results["int8_agreement"] = bench_script(
        INT8_BENCH, int8_rcb, BUILD / "int8_agreement.json",
        max(60.0, started + args.budget - 20.0 - time.monotonic()))
    t = phase("int8 agreement (sequential)", t)

    results["phases"] = phases
    results["load_after"] = load_average()
    results["total_s"] = time.monotonic() - started
    return results


def priority(info: dict, reference: str) -> int:
    """The order of the parallel tasks, should the time budget run out: the reference model's
    fp32 sweep, its int8 point at 28 tiles (the README's table), the profile, the other models'
    sweeps, the reference's other int8 points, the probes."""
    if info.get("kind") == "point":
        if info["model"] == reference:
            return 0 if info["variant"] == "fp32" else 1 if info["tiles"] == 28 else 4
        return 3
    return {"profile": 2}.get(info.get("kind"), 5)


def engine(program: Path) -> dict:
    """rcb-bench on the engine tests' programs (100 runs each) and on ResNet-18 (3 runs: one
    takes seconds on the host backend)."""
    import engine_bench

    if not RCB_BENCH.is_file():
        return {"error": f"{RCB_BENCH.relative_to(ROOT)} is not built (make build-c)"}
    try:
        figures = engine_bench.measure_programs(RCB_BENCH, runs=100)
        if program.is_file():
            figures["ResNet-18, 28 tiles (compiled above)"] = engine_bench.measure(
                RCB_BENCH, program, runs=3, dispatch_runs=3)
    except subprocess.CalledProcessError as e:
        return {"error": f"rcb-bench failed: {short_error(e.stderr or e)}"}
    return {"figures": figures}


def executor(program: Path, timeout: float) -> dict:
    """bench/executor_bench.py (another engineer's) on `program`, compiled above: its figures
    (``--json``) and its output."""
    if not EXECUTOR_BENCH.is_file():
        return {"status": "missing"}
    return bench_script(EXECUTOR_BENCH, program, BUILD / "executor.json", timeout)


def bench_script(script: Path, program: Path, out: Path, timeout: float) -> dict:
    """``script [program] --json out`` (`program` when it exists; the script compiles its own
    otherwise): its status, figures and output."""
    argv = [sys.executable, rel(script), *([rel(program)] if program.is_file() else []),
            "--json", rel(out)]  # relative: the output goes into the docs
    try:
        done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"status": "error", "error": f"timed out after {timeout:.0f} s (the run's time budget)"}
    if done.returncode:
        last = (done.stderr or "").strip().splitlines()[-1:] or [""]
        return {"status": "error", "error": f"exit status {done.returncode}: {short_error(last[0])}",
                "output": done.stdout}
    figures = json.loads(out.read_text()) if out.is_file() else {}
    return {"status": "ok", "output": done.stdout, "figures": figures}


# -- the document -----------------------------------------------------------------------------------


def _point(results: dict, model: str, tiles: int, variant: str = "fp32") -> dict | None:
    return next((p for p in results.get("sweep", []) if p["model"] == model and p["tiles"] == tiles
                 and p.get("variant", "fp32") == variant), None)


def _skipped(p: dict) -> bool:
    """Was the task skipped or stopped by the time budget (`sweep_bench.run_tasks`)?"""
    return not p.get("ok") and str(p.get("error", "")).startswith(("skipped:", "stopped:"))


def _span(low: float, high: float) -> str:
    """``0.75`` or ``0.74-0.76``: a range to two decimals, one number if they round alike."""
    a, b = f"{low:.2f}", f"{high:.2f}"
    return a if a == b else f"{a}-{b}"


def headline(results: dict) -> str:
    """The README's table: ResNet-18 on aie-ml, 28 tiles, fp32 and (when the pipeline has it)
    int8, beside the AEG paper's published figures."""
    model = results["models"][0]
    p = _point(results, model, 28)
    if p is None or not p.get("ok"):
        why = short_error(p["error"]) if p else "no 28-tile point in this run"
        return f"{model} at 28 tiles did not run: {why}"
    q = _point(results, model, 28, "int8")
    low, high = (fps / VITIS_AI_TILES for fps in VITIS_AI_FPS)
    engine_cv = "-"
    figures = results.get("engine", {}).get("figures", {})
    if figures:
        longest = max(figures.values(), key=lambda f: f["records"] if f["e2e_runs"] >= 100 else 0)
        engine_cv = (f"{longest['e2e_cv_percent']:.2f} % for the C engine's host run of a "
                     f"{longest['records']:,.0f}-record test program, {longest['e2e_runs']:.0f} runs "
                     f"({MEASURED}: the host simulation, not an accelerator)")

    def column(p: dict | None, precision: str) -> list[str]:
        if p is None:
            return ["not yet: `--precision int8` is not through the pipeline"] + [""] * 8
        if _skipped(p):
            return [f"not run: {p['error']}"] + [""] * 8
        if not p.get("ok"):
            return [f"did not compile or run: {short_error(p['error'], 120)}"] + [""] * 8
        return [
            f"{p['tiles_used']} of a budget of 28",
            f"{p['latency_s'] * 1e3:.2f} ms ({p['fps']:.0f} fps)",
            f"{p['fps_per_tile']:.1f} fps = {_span(p['fps_per_tile'] / high, p['fps_per_tile'] / low)}x "
            f"Vitis AI's {_span(low, high)}",
            f"{p['compute_floor_s'] * 1e3:.3g} ms at {p['peak_macs_per_cycle']} {precision} MACs / cycle / tile; "
            f"latency {p['latency_s'] / p['compute_floor_s']:.1f}x it",
            f"{p['ddr_bytes'] / 1e6:.1f} MB DDR <-> array = {p['ddr_bytes'] / p['ddr_floor_bytes']:.2f}x "
            f"its DDR floor ({p['ddr_floor_bytes'] / 1e6:.1f} MB)",
            f"mean {p['util_mean'] * 100:.1f} % (min {p['util_min'] * 100:.1f}, max {p['util_max'] * 100:.1f})",
            "0 by construction: the timing model is deterministic",
            "not measured (random weights, no ImageNet here)",
            _versus_baseline(p),
        ]

    labels = ["compute tiles", "latency per image", "throughput per tile", "compute floor",
              "data movement per image", "MAC utilization per tile", "latency CV", "accuracy",
              "against the driver-managed flow"]
    paper = [PAPER["tiles"] + " (Vitis AI: the whole 304-tile array)", "not quoted here",
             PAPER["per_tile"], "-", PAPER["movement"], "-", PAPER["cv"], PAPER["top1"],
             f"{PAPER['per_tile']}; {PAPER['movement']}"]
    rows = [[label, published, fp32, int8] for label, published, fp32, int8
            in zip(labels, paper, column(p, "fp32"), column(q, "int8"))]
    table = markdown_table(
        [f"{model}, aie-ml (VEK280), 28 tiles", "AEG paper: *published* (int8, hardware)",
         f"rcbc fp32: *{MODELED}*", f"rcbc int8: *{MODELED}*"], rows, align="llll")
    int8_how = ("int8 is `rcbc compile --precision int8`: post-training quantization calibrated on 8 "
                "random inputs, int8 kernels at 256 MACs / cycle / tile. " if q is not None else "")
    return table + (
        f"\n\nVitis AI per tile: the model zoo's ResNet-18-sized classifiers (3.64 GOPs, not ImageNet "
        f"ResNet-18) run at {VITIS_AI_FPS[0]}-{VITIS_AI_FPS[1]} fps single-thread on a VEK280 (AMD's "
        "published figure, [MZ35] in the project's hardware reference); over the "
        f"{VITIS_AI_TILES} tiles the paper counts, {_span(low, high)} fps per tile. The paper's and "
        "AMD's figures are measured on hardware, in int8; rcbc's are modeled by its timing model "
        "(fp32 kernels at 21 MACs / cycle / tile, int8 at 256), never measured, so the columns are "
        f"not a like-for-like comparison. {int8_how}The paper gives no data-movement figure in bytes, so rcbc's traffic "
        f"is set against its own floor. Host-side measurement of the C engine's variation: {engine_cv}."
        "\n\nCommands: `make bench` (every figure here); one column by hand: `rcbc compile resnet18 "
        "--tiles 28 -o r18.rcb && rcbc report r18.rcb` (fp32; add `--precision int8` for int8); "
        f"the CV: `{PY} bench/engine_bench.py`.")


def _versus_baseline(p: dict) -> str:
    """Point `p` against the baseline schedule compiled for it (`rcbc compile --baseline`)."""
    b = p.get("baseline")
    if p.get("variant", "fp32") != "fp32":
        return "- (the baseline schedule is fp32 only)"
    if not b:
        return "no baseline compiled in this run"
    if not b.get("ok"):
        return f"the baseline did not compile or run: {short_error(b['error'], 120)}"
    return (f"{p['fps_per_tile'] / b['fps_per_tile']:.2f}x the throughput per tile and "
            f"{b['ddr_bytes'] / p['ddr_bytes']:.2f}x less DDR traffic than the baseline schedule "
            f"(`--baseline`: {b['latency_s'] * 1e3:.2f} ms, {b['ddr_bytes'] / 1e6:.1f} MB, a 45 us host "
            "round trip per layer)")


def compile_section(results: dict) -> str:
    c = results["compile"]
    medians = compile_bench.stage_medians(c)
    return "\n\n".join([
        f"## Compile time of {c['model']} by stage ({MEASURED})",
        f"{c['model']} for {c['target']}, {c['tiles']} tiles, from the PyTorch module to RCB bytes: "
        f"**{medians[compile_bench.TOTAL]:.1f} s** (median of {len(c['runs'])} runs, nothing else of "
        "the benchmark running). Import is torch.export, the operator check, BatchNorm folding and "
        "the lowering to linalg; each pass as `compile_module` times it; emission encodes the bytes.",
        compile_bench.stage_table(c),
        f"![compile time by stage]({COMPILE_PNG})",
        f"Command: `{PY} bench/compile_bench.py --model {c['model']} --tiles {c['tiles']} "
        f"--runs {len(c['runs'])}` (or `rcbc compile {c['model']} --tiles {c['tiles']} --stats` for one run).",
    ])


def size_section(results: dict) -> str:
    c = results["compile"]
    return "\n\n".join([
        f"## Bytecode size of {c['model']} by section",
        f"The {c['tiles']}-tile program of the compile above: {c['size']:,} bytes. Read from the program "
        "(neither measured nor modeled); the data image holds the fp32 weights, biases and the "
        "kernels' parameter blocks.",
        compile_bench.section_table(c),
        "The code section by record kind (records are fixed-size):",
        compile_bench.record_table(c),
        f"Command: `rcbc compile {c['model']} --tiles {c['tiles']} -o {c['model']}.rcb --stats` prints "
        f"the same split; `{PY} bench/compile_bench.py` prints these tables.",
    ])


def sweep_section(results: dict) -> str:
    parts = [
        f"## Performance over the tile budget ({MODELED})",
        f"Each model compiled for {results['target']} with `--tiles` "
        f"{', '.join(map(str, results['tiles']))}, then run once by the reference executor for its "
        "modeled timeline, as `rcbc report` does (`rcbc.runtime.report.zero_run`: timing-only). Latency, fps, fps per tile, MAC utilization per "
        "compute tile, DDR bytes and both floors are *modeled* (rcbc's timing model, the target's "
        "documented numbers; fp32 kernels at 21 MACs / cycle / tile). The compute floor is every MAC "
        "at the peak rate of the tiles the program uses; the DDR floor is the weights, input and output "
        "crossing DDR once at 44.8 GB/s; *latency / max floor* is how far the schedule is from the "
        "larger of the two. *compile s* and *report s* are "
        f"{MEASURED}, {results['jobs']} points at a time.",
        f"For {results['models'][0]} only, to keep within the time budget: the **baseline** column "
        "is the same point compiled as the baseline schedule (`rcbc compile --baseline`: each "
        "activation and residual add a layer of its own through DDR, each layer a host round trip "
        "of 45 us), its modeled latency, fps per tile and DDR bytes; and the **int8** rows are "
        "`rcbc compile --precision int8`, whose compile time includes the import and the "
        "quantization's calibration.",
    ]
    for model in results["models"]:
        imported = results["imports"].get(model, {})
        parts.append(f"### {model}")
        if not imported.get("ok"):
            parts.append(f"Import failed: {short_error(imported.get('error', '?'), 400)}")
            continue
        points = [p for p in results["sweep"] if p["model"] == model]
        parts.append(sweep_bench.sweep_table(points))
        parts.append(f"![{model} over the tile budget]({sweep_png(model)})")
        parts.append(
            f"Command: `{PY} bench/sweep_bench.py --models {model} --tiles "
            f"{','.join(map(str, results['tiles']))}`; one point by hand: "
            f"`{sweep_bench.command(model, results['target'], 28)}`.")
    parts.append(f"![throughput per tile of every model]({MODELS_PNG})")
    return "\n\n".join(parts)


def probe_section(results: dict) -> str:
    probes = results.get("probes", [])
    if not probes:
        return ""
    rows = [[p["model"], "compiles" if p.get("ok") else
             "not probed" if _skipped(p) else f"fails at {p.get('stage', '?')}",
             f"{p.get('records', 0):,} records, {seconds(p.get('compile_s'))}" if p.get("ok")
             else short_error(p.get("error", "?"), 300)]
            for p in probes]
    return "\n\n".join([
        "## Other CNNs tried",
        "Torchvision models tried as the third CNN before RegNetX-400MF (grouped convolutions) was "
        f"chosen; each is imported and compiled for {results['target']}, 28 tiles, in every run "
        "(no report), so this table follows the compiler's coverage.",
        markdown_table(["model", "result", "why / figures"], rows, align="lll"),
        f"Command: `{PY} bench/sweep_bench.py probe --model NAME --json out.json`, or "
        "`rcbc compile NAME --tiles 28`.",
    ])


def executor_section(results: dict) -> str:
    parts = [f"## Executors and the C engine ({MEASURED})"]
    ex = results.get("executor", {})
    if ex.get("status") == "ok":
        parts.append("Wall time of one ResNet-18 inference (28 tiles, the program compiled above) on "
                     "the reference executor (full, and timing-only as `rcbc report` runs it), "
                     "the recording of the program's data flow (`rcbc.runtime.replay.record`: a "
                     "checked run, once a program) and a replay of it (an inference: the same "
                     "outputs, bit for bit), `rcb-run` (the whole process: start, validation, run) "
                     "and PyTorch eager; then per inference of a batch of 16 that the executor runs "
                     "at once (the checks and the timing once, every run's arithmetic), the replay "
                     "one input after another and PyTorch as one batch. From "
                     "`bench/executor_bench.py`:")
        table = executor_table(ex.get("figures", {}))
        if table:
            parts.append(table)
        parts += ["<details><summary>its output</summary>\n\n```\n" + ex["output"].rstrip()
                  + "\n```\n\n</details>",
                  f"Command: `{PY} bench/executor_bench.py build/bench/resnet18-aie-ml-28.rcb` "
                  "(without a program it compiles ResNet-18 itself)."]
    else:
        why = ("**placeholder**: `bench/executor_bench.py` (another engineer's, in progress) does not "
               "exist yet; `make bench` runs it and shows its output here once it does"
               if ex.get("status") == "missing" else f"`bench/executor_bench.py` failed: {ex.get('error')}")
        parts.append(markdown_table(
            ["ResNet-18, one image", "reference executor", "rcb-run", "PyTorch eager"],
            [[why, "-", "-", "-"]], align="llll"))
    eng = results.get("engine", {})
    parts.append("The C engine (`rcb-bench`): *dispatch* is the engine's own cost per record over a "
                 "null RHAL (no kernel, DMA or simulation work); *load* validates the whole file; "
                 "*end to end* is reset, inputs, run, outputs on the host backend (which simulates "
                 "the tile array), its CV over the runs. The modeled cycles are modeled.")
    if "figures" in eng:
        import engine_bench

        parts.append(engine_bench.markdown(eng["figures"]))
        parts.append("ResNet-18 runs 3 times only (each takes seconds); the CV of 100 runs is measured "
                     "on the engine tests' programs. The modeled latency itself has no variance: the "
                     "timing model is deterministic.")
    else:
        parts.append(f"Not measured: {eng.get('error', '?')}")
    parts.append(f"Command: `{PY} bench/engine_bench.py` (the test programs; `make build-c` first).")
    return "\n\n".join(parts)


def int8_section(results: dict) -> str:
    run = results.get("int8_agreement")
    if run is None:  # the results of a run older than this section
        return ""
    import int8_agreement_bench as int8

    parts = [f"## ResNet-18 int8 against PyTorch fp32 ({MEASURED})"]
    if run.get("status") == "ok":
        f = run["figures"]
        parts += [
            f"{int8.heading(f)}, on `{f['program']}`. The int8 outputs come from "
            "`rcbc.quantize.simulate` (the quantized layers on the reference int8 kernels, which a "
            "compiled program's outputs equal byte for byte): one image there takes a fraction of "
            "what it takes on an engine (last row), so the first few inputs alone also run on "
            "an engine, to show the identity. The modeled latency of this program is in the table "
            "at the top.",
            int8.markdown(f),
        ]
    else:
        parts.append(f"Not measured: {run.get('error', '?')}")
    parts.append(f"Command: `{PY} bench/int8_agreement_bench.py "
                 f"build/bench/{sweep_bench.rcb_name(results['models'][0], results['target'], 28, 'int8')}` "
                 "(without a program it compiles ResNet-18 int8 itself).")
    return "\n\n".join(parts)


EXECUTOR_ROWS = (  # executor_bench.py's JSON keys, what the table calls them, the key of its PyTorch
    ("reference_executor", "reference executor", "PyTorch_eager"),
    ("reference_executor_timing-only", "reference executor, timing-only", "PyTorch_eager"),
    ("record", "recording for replays (once a program)", "PyTorch_eager"),
    ("replay", "replay of the recording", "PyTorch_eager"),
    ("rcb-run", "rcb-run (whole process)", "PyTorch_eager"),
    ("PyTorch_eager", "PyTorch eager", "PyTorch_eager"),
    ("reference_executor_batch", "reference executor, per inference of a batch run at once",
     "PyTorch_eager_batch"),
    ("replay_batch", "replay, per inference of the same batch, one after another", "PyTorch_eager_batch"),
    ("PyTorch_eager_batch", "PyTorch eager, per inference of the same batch", "PyTorch_eager_batch"),
)


def executor_table(figures: dict) -> str:
    """Markdown: the median wall time of each of `EXECUTOR_ROWS` that `figures` has, and its
    ratio to PyTorch eager's on the same inputs ('' when `figures` has none of them)."""
    rows = []
    for key, name, torch_key in EXECUTOR_ROWS:
        f = figures.get(key)
        if not isinstance(f, dict) or "wall_median_s" not in f:
            continue
        walls = f.get("wall_s") or [f["wall_median_s"]]
        torch_s = figures.get(torch_key, {}).get("wall_median_s")
        ratio = f"{f['wall_median_s'] / torch_s:.1f}x" if torch_s else "-"
        rows.append([name, f"{f['wall_median_s']:.3f} s", f"{min(walls):.3f}-{max(walls):.3f} s",
                     len(walls), ratio])
    if not rows:
        return ""
    return markdown_table(["one ResNet-18 inference", "median", "range", "runs", "vs PyTorch eager"], rows)


def profile_section(results: dict) -> str:
    p = results.get("profile", {})
    head = "## Where compile time goes (cProfile)"
    if not p.get("ok"):
        return f"{head}\n\nThe profile did not run: {p.get('error', '?')}"
    passes = ", ".join(f"{name} {t:.2f} s" for name, t in p["passes"].items())
    return "\n\n".join([
        head,
        f"One compile of {results['models'][0]} (28 tiles) under cProfile: {p['profiled_s']:.1f} s "
        f"({MEASURED}, slowed by the profiler, beside another benchmark process: read the shares). "
        f"Passes under the profiler: {passes}. The raw profile is `build/bench/compile.prof`.",
        "Self time by area:",
        p["areas"],
        "Known hot spots, cumulative:",
        p["highlights"],
        "The functions with the most self time:",
        p["top"],
        PROFILE_FINDINGS.strip(),
        f"Command: `{PY} bench/profile_compile.py --ir build/bench/resnet18.mlir` (after "
        "`rcbc import resnet18 -o build/bench/resnet18.mlir`).",
    ])


def _loads(results: dict) -> str:
    """`` (1-minute load average 2.6 at the start, 3.1 at the end)``, or ''."""
    before, after = results.get("load_before"), results.get("load_after")
    if not before:
        return ""
    return (f" (1-minute load average {before[0]:.1f} at the start"
            + (f", {after[0]:.1f} at the end" if after else "") + ": the machine is shared)")


def timing_section(results: dict) -> str:
    rows = [[name, seconds(t)] for name, t in results.get("phases", {}).items()]
    rows.append(["**total**", seconds(results.get("total_s"))])
    load = results.get("load_before"), results.get("load_after")
    loads = " and ".join(f"{l[0]:.2f}" for l in load if l) or "unknown"
    return "\n\n".join([
        f"## How long `make bench` took ({MEASURED})",
        markdown_table(["step", "wall time"], rows),
        f"1-minute load average at the start and the end: {loads} (on {results['machine']}); other "
        "work on the machine slows every measured figure down.",
    ])


COMPILE_PNG = "bench-compile-time.png"
MODELS_PNG = "bench-models-per-tile.png"


def sweep_png(model: str) -> str:
    return f"bench-sweep-{model}.png"


def document(results: dict) -> str:
    """docs/benchmarks.md for `results` (as `run` returns them)."""
    dirty = results.get("dirty") or []
    state = (f", with uncommitted changes in {len(dirty)} file{'s' * (len(dirty) != 1)} of the "
             "working tree" if dirty else "")
    total = results.get("total_s")
    sections = [
        "# Benchmarks",
        f"Generated by `make bench` (`bench/run_all.py`) on {results['date']} at commit "
        f"`{results['commit']}`{state}, on {results['machine']}{_loads(results)}; "
        + (f"the run took {total / 60:.1f} minutes ({MEASURED}). " if total else "")
        + f"Every figure is labelled *{MEASURED}* (wall time of this machine) or *{MODELED}* "
        "(rcbc's timing model on the target's documented numbers: no AI Engine hardware is "
        "reachable here), and each table is followed by the command that reproduces it.",
        "## ResNet-18 on aie-ml, 28 tiles, beside the AEG paper",
        headline(results),
        compile_section(results),
        size_section(results),
        sweep_section(results),
        probe_section(results),
        executor_section(results),
        int8_section(results),
        profile_section(results),
        timing_section(results),
    ]
    return "\n\n".join(s for s in sections if s) + "\n"


def plots(results: dict, docs: Path) -> list[Path]:
    """The PNGs `document` links to; written beside it."""
    written = []
    if results.get("compile"):
        c = results["compile"]
        path = docs / COMPILE_PNG
        compile_bench.plot_stages(c, path, f"{PY} bench/compile_bench.py --model {c['model']} "
                                           f"--tiles {c['tiles']} --runs {len(c['runs'])}  (make bench)")
        written.append(path)
    for model in results["models"]:
        points = [p for p in results.get("sweep", []) if p["model"] == model]
        if not points:
            continue
        path = docs / sweep_png(model)
        sweep_bench.plot_sweep(points, path, f"{model} on {results['target']}",
                               f"{PY} bench/sweep_bench.py --models {model} --tiles "
                               f"{','.join(map(str, results['tiles']))}  (make bench)")
        written.append(path)
    if results.get("sweep"):
        path = docs / MODELS_PNG
        sweep_bench.plot_models(results["sweep"], path, f"make bench  ({PY} bench/run_all.py)")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from-json", action="store_true",
                        help=f"only write the docs, from {RESULTS.relative_to(ROOT)}")
    parser.add_argument("--models", default=",".join(sweep_bench.DEFAULT_MODELS),
                        help="the first is the one whose compile is timed and profiled")
    parser.add_argument("--tiles", default=",".join(map(str, sweep_bench.DEFAULT_TILES)))
    parser.add_argument("--target", default=sweep_bench.DEFAULT_TARGET)
    parser.add_argument("--runs", type=int, default=3, help="compile-time runs (median)")
    parser.add_argument("--jobs", type=int, default=None, help="processes at a time (default: CPUs)")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per sweep point")
    parser.add_argument("--no-probe", action="store_true", help="skip the other CNNs")
    parser.add_argument("--budget", type=float, default=870.0,
                        help="seconds the whole run may take (default 870: make bench's 15 minutes "
                        "minus the build); points that would overrun it are skipped, and say so")
    parser.add_argument("--docs", type=Path, default=DOCS, help="where to write (default: docs)")
    args = parser.parse_args(argv)
    args.models = [m for m in args.models.split(",") if m]
    args.tiles = [int(n) for n in args.tiles.split(",") if n]

    if args.from_json:
        results = json.loads(RESULTS.read_text())
    else:
        results = run(args)
        RESULTS.write_text(json.dumps(results, indent=1, default=str))
    args.docs.mkdir(parents=True, exist_ok=True)
    (args.docs / "benchmarks.md").write_text(document(results))
    for path in plots(results, args.docs):
        print(f"[bench] wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    print(f"[bench] wrote {args.docs / 'benchmarks.md'}")
    if "total_s" in results:
        print(f"[bench] total: {results['total_s']:.0f} s ({results['total_s'] / 60:.1f} min, {MEASURED})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
