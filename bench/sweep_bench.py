#!/usr/bin/env python3
"""Modeled performance of CNNs over the tile budget: one compile and one report per point.

    .venv/bin/python bench/sweep_bench.py --models resnet18,mobilenet_v2 --tiles 8,16,28,64,128,304

Models: ResNet-18, MobileNetV2 and RegNetX-400MF (`DEFAULT_MODELS`). For each model, the torchvision model (random weights, seed 0) is imported once, as
``rcbc import <model> -o build/bench/<model>.mlir`` does; for each tile budget it is compiled,
as ``rcbc compile build/bench/<model>.mlir --tiles N -o build/bench/<model>-<target>-N.rcb``
does, and the program's modeled performance is taken, as ``rcbc report`` does
(`rcbc.runtime.report.zero_run` and `performance`). Each point runs in a process of its own,
`--jobs` at a time (default: one per CPU), so a crash or a time-out loses that point only; a
point that fails (a budget too small, a pass error, a run error) is a row with the error message.

Figures: latency, throughput, throughput per tile, MAC utilization per compute tile, DDR bytes,
the compute floor and the DDR floor are *modeled* (rcbc's timing model on the target's documented
numbers); compile and report times are *measured on this machine*.

Variants: fp32 for every model, int8 (``--precision int8``) for the first. The first model's fp32
points are also compiled as the baseline schedule (``rcbc compile --baseline``: the driver-managed
flow, each layer through DDR and a host round trip) and reported beside them.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BUILD, MEASURED, MODELED, markdown_table, rel, seconds, short_error  # noqa: E402

DEFAULT_TILES = (8, 16, 28, 64, 128, 304)
DEFAULT_MODELS = ("resnet18", "mobilenet_v2", "regnet_x_400mf")
"""ResNet-18, the reference; MobileNetV2 (depthwise 3x3, inverted residuals, relu6); RegNetX-400MF
(grouped 3x3 convolutions of 16 channels a group, 1x1 projections, stride-2 stages)."""
PROBED = ("squeezenet1_1", "shufflenet_v2_x0_5", "mnasnet0_5", "efficientnet_b0",
          "mobilenet_v3_small", "regnet_y_400mf", "alexnet")
"""Other torchvision CNNs tried as the third model: each is imported and compiled for 28 tiles
in every bench run, and the table says how far it gets."""
DEFAULT_TARGET = "aie-ml"
INPUT_SHAPE = (1, 3, 224, 224)


# -- which compile options exist ----------------------------------------------------------------


VARIANTS = {"fp32": {}, "int8": {"precision": "int8"}}
"""The compilations a point can make: name -> keyword arguments of `compile_module` (an int8
point is compiled as ``rcbc compile MODEL --precision int8`` does, which quantizes the model
first, calibrating on random inputs)."""

BASELINE = {"baseline": True}
"""The keyword argument of `compile_module` for the baseline schedule (``rcbc compile --baseline``)."""


# -- import ---------------------------------------------------------------------------------------


def write_ir(imported, name: str, ir_path: Path) -> None:
    """Write an `ImportedModel` as ``rcbc import`` does: the IR, and its weight store beside it."""
    from rcbc.frontend import interface

    store = ir_path.with_suffix(".rcbw")
    interface.set_module_info(imported.module, {
        interface.MODEL: name,
        interface.WEIGHT_SOURCE: "random init (seed 0)",
        interface.WEIGHT_STORE: store.name,
    })
    ir_path.parent.mkdir(parents=True, exist_ok=True)
    ir_path.write_text(str(imported.module))
    imported.weights.save(store)


def import_ir(name: str, ir_path: Path, input_shape: Sequence[int] = INPUT_SHAPE) -> dict:
    """Import torchvision `name` (seed 0) to `ir_path`; the measured seconds, or the error."""
    import torch

    from rcbc.frontend.errors import FrontendError
    from rcbc.frontend.importer import import_model
    from rcbc.frontend.models import torchvision_model

    try:
        model = torchvision_model(name, 0).eval()
        start = time.perf_counter()
        imported = import_model(model, (torch.zeros(tuple(input_shape)),))
        elapsed = time.perf_counter() - start
        write_ir(imported, name, ir_path)
    except FrontendError as e:
        return {"ok": False, "error": f"import: {e}"}
    except Exception as e:  # torch.export or torch-mlir on a model they do not handle
        return {"ok": False, "error": f"import: {type(e).__name__}: {short_error(e)}"}
    return {"ok": True, "import_s": elapsed}


# -- one point --------------------------------------------------------------------------------------


def figures(report) -> dict:
    """The figures of a `rcbc.runtime.report.Report`, as JSON-able numbers (all modeled)."""
    utilization = report.utilization()
    busy = report.busy_fraction()
    return {
        "tiles_used": report.tiles,
        "latency_s": report.latency,
        "fps": report.fps,
        "fps_per_tile": report.fps_per_tile,
        "util_mean": sum(utilization.values()) / len(utilization),
        "util_min": min(utilization.values()),
        "util_max": max(utilization.values()),
        "busy_mean": sum(busy.values()) / len(busy),
        "total_macs": report.total_macs,
        "peak_macs_per_cycle": report.peak_macs_per_cycle,
        "compute_floor_s": report.compute_floor,
        "bytes_moved": dict(report.bytes_moved),
        "ddr_bytes": report.bytes_moved["ddr"],
        "ddr_floor_bytes": report.ddr_floor_bytes,
        "ddr_floor_s": report.ddr_floor,
    }


def compile_ir(ir_path: Path, target: str, tiles: int, options: dict):
    """Compile the IR file as ``rcbc compile`` does; a `Compiled`, or `PointError` with the
    first error diagnostic of the passes (at its location) in the message."""
    from rcbc.compiler import CompileError, compile_module
    from rcbc.context import make_context
    from rcbc.frontend.weights import WeightStore
    from rcbc.mlir import ir

    errors: list[str] = []

    def keep(diagnostic) -> bool:
        if diagnostic.severity == ir.DiagnosticSeverity.ERROR:  # the parsed text is "-": name it
            location = str(diagnostic.location).replace('"-"', f'"{ir_path.name}"')
            errors.append(f"{location}: {diagnostic.message}")
        return True

    with make_context() as context:
        context.emit_error_diagnostics = True
        handler = context.attach_diagnostic_handler(keep)
        try:
            module = ir.Module.parse(ir_path.read_text(), context)
            store = ir.StringAttr(module.operation.attributes["rcbc.weight_store"]).value
            weights = WeightStore.load(ir_path.parent / store)
            return compile_module(module, weights, target=target, tiles=tiles, **options)
        except CompileError as e:
            failed = str(e).split(";")[0]  # "<pass> failed; the errors above say why"
            raise PointError(f"compile: {failed}" + (f": {errors[0]}" if errors else "")) from None
        finally:
            handler.detach()


def compile_cli(model: str, target: str, tiles: int, rcb_path: Path, options: dict):
    """``rcbc compile MODEL --precision P --target T --tiles N -o RCB`` in this process; the
    decoded program, or `PointError` with the command's last line of stderr."""
    import contextlib
    import io

    from rcbc.bytecode import decode
    from rcbc.tools import rcbc as cli

    argv = ["compile", model, "--target", target, "--tiles", str(tiles), "-o", str(rcb_path)]
    argv += ["--precision", options["precision"]]
    errors = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(errors):
        try:
            status = cli.main(argv)
        except SystemExit as e:  # argparse: an option this rcbc does not have
            status = e.code or 1
    if status:
        lines = [line for line in errors.getvalue().splitlines() if line.strip()]
        raise PointError(f"rcbc {' '.join(argv)}: " + (short_error(lines[-1]) if lines else f"status {status}"))
    return decode(rcb_path.read_bytes(), str(rcb_path))


class PointError(Exception):
    """A sweep point that cannot be compiled or run; the message goes in its table cell."""


def run_point(ir_path: Path, target: str, tiles: int, rcb_path: Path,
              options: dict | None = None, program_path: Path | None = None) -> dict:
    """Compile (or, with `program_path`, read the program compiled earlier in this run) and
    report one point. The measured times and the modeled figures, or ``error``."""
    from rcbc.bytecode import BytecodeError, decode
    from rcbc.runtime import report
    from rcbc.runtime.executor import ExecutionError

    point: dict = {"ok": False}
    try:
        if program_path is not None:
            program = decode(program_path.read_bytes(), str(program_path))
            point["size"] = program_path.stat().st_size
            point["reused"] = rel(program_path)
        else:
            start = time.perf_counter()
            if (options or {}).get("precision", "fp32") != "fp32":
                # quantization starts from the PyTorch model: the IR file is named after it
                program = compile_cli(ir_path.stem, target, tiles, rcb_path, options)
                point["compile_s"] = time.perf_counter() - start  # with import and quantization
            else:
                compiled = compile_ir(ir_path, target, tiles, options or {})
                point["compile_s"] = time.perf_counter() - start
                point["pass_s"] = compiled.seconds
                rcb_path.write_bytes(compiled.data)
                program = compiled.program
            point["size"] = rcb_path.stat().st_size
        point["records"] = len(program.records)
        start = time.perf_counter()
        result = report.zero_run(program)
        point["report_s"] = time.perf_counter() - start
        point.update(figures(report.performance(program, result, rcb_path.name)))
        point["ok"] = True
    except PointError as e:
        point["error"] = str(e)
    except ExecutionError as e:
        point["error"] = f"run: {e}"
    except (BytecodeError, report.ReportError) as e:
        point["error"] = f"report: {e}"
    except MemoryError:
        point["error"] = "out of memory"
    except Exception as e:  # an rcbc bug: the table says so instead of losing the sweep
        point["error"] = f"{type(e).__name__}: {short_error(e)}"
    return point


# -- the sweep: points in parallel processes --------------------------------------------------------


def rcb_name(model: str, target: str, tiles: int, variant: str = "fp32") -> str:
    suffix = "" if variant == "fp32" else f"-{variant}"
    return f"{model}-{target}-{tiles}{suffix}.rcb"


def command(model: str, target: str, tiles: int, variant: str = "fp32") -> str:
    """The ``rcbc`` commands that reproduce one point (`variant` ``baseline``: its baseline)."""
    ir = f"build/bench/{model}.mlir"
    rcb = f"build/bench/{rcb_name(model, target, tiles, variant)}"
    extra = {"fp32": "", "baseline": " --baseline"}.get(variant, f" --precision {variant}")
    return (f"rcbc import {model} -o {ir} && rcbc compile {ir} --target {target} --tiles {tiles}"
            f"{extra} -o {rcb} && rcbc report {rcb}")


def point_tasks(models: Sequence[str], tile_budgets: Sequence[int], *, target: str = DEFAULT_TARGET,
                reuse: dict | None = None, other_variants: Sequence[str] | None = None) -> list[dict]:
    """A task (see `run_tasks`) per (model, variant, budget): every model's fp32 points first,
    then the other variants (`VARIANTS`) of the models in `other_variants` (default: the first
    model only; each variant doubles a model's sweep), whose fp32 points also compile the
    baseline schedule. The models' IR must be in `BUILD` (`import_ir`); `reuse` maps (model,
    tiles) to a program compiled earlier in this run."""
    reuse = reuse or {}
    others = list(models[:1]) if other_variants is None else list(other_variants)
    tasks = []
    for variant in VARIANTS:
        for model in models:
            if variant != "fp32" and model not in others:
                continue
            for tiles in tile_budgets:
                name = rcb_name(model, target, tiles, variant)
                out = BUILD / "points" / (name + ".json")
                argv = [sys.executable, __file__, "point", "--ir", str(BUILD / f"{model}.mlir"),
                        "--target", target, "--tiles", str(tiles), "--variant", variant,
                        "--rcb", str(BUILD / name), "--json", str(out)]
                previous = reuse.get((model, tiles)) if variant == "fp32" else None
                if previous is not None:
                    argv += ["--program", str(previous)]
                if variant == "fp32" and model in others:
                    argv.append("--baseline")
                tasks.append({"argv": argv, "json": out, "label": f"{model} {variant} {tiles} tiles",
                              "info": {"kind": "point", "model": model, "target": target, "tiles": tiles,
                                       "variant": variant}})
    return tasks


def run_tasks(tasks: Sequence[dict], *, jobs: int | None = None, timeout: float = 900.0,
              deadline: float | None = None, log=print) -> list[dict]:
    """Run each task's ``argv`` (a process that writes its result as JSON to ``json``), `jobs`
    at a time, in order. Each result is the JSON, or an error (a crash, a time-out), updated
    with the task's ``info`` and ``wall_s``; in the order of `tasks`. At `deadline` (a
    `time.monotonic` value) the tasks still running are stopped and the others skipped, each
    with an error saying so."""
    jobs = jobs or os.cpu_count() or 1
    pending, running, results = list(enumerate(tasks)), [], {}
    while pending or running:
        if deadline is not None and time.monotonic() >= deadline:
            for index, task in pending:
                results[index] = {"ok": False, "error": "skipped: the run's time budget was spent",
                                  **task.get("info", {}), "wall_s": 0.0}
                log(f"  {task['label']}: skipped (time budget)")
            pending = []
        while pending and len(running) < jobs:
            index, task = pending.pop(0)
            Path(task["json"]).parent.mkdir(parents=True, exist_ok=True)
            Path(task["json"]).unlink(missing_ok=True)
            process = subprocess.Popen(task["argv"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                       text=True)
            running.append((index, task, process, time.monotonic()))
        time.sleep(0.2)
        for entry in list(running):
            index, task, process, started = entry
            elapsed = time.monotonic() - started
            late = deadline is not None and time.monotonic() >= deadline
            if process.poll() is None and elapsed < timeout and not late:
                continue
            if process.poll() is None:
                process.kill()
                process.wait()
                result = {"ok": False, "error": "stopped: the run's time budget was spent" if late
                          else f"timed out after {timeout:.0f} s"}
            elif Path(task["json"]).is_file():
                result = json.loads(Path(task["json"]).read_text())
            else:
                lines = process.stderr.read().strip().splitlines()
                result = {"ok": False, "error": f"process exited with status {process.returncode}"
                                                + (f": {short_error(lines[-1])}" if lines else "")}
            process.stderr.close()
            running.remove(entry)
            result.update(task.get("info", {}), wall_s=elapsed)
            results[index] = result
            state = "ok" if result.get("ok") else f"FAILED: {short_error(result.get('error', ''))}"
            log(f"  {task['label']}: {state} ({elapsed:.0f} s)")
    return [results[i] for i in range(len(tasks))]


def sweep(models: Sequence[str], tile_budgets: Sequence[int], *, target: str = DEFAULT_TARGET,
          jobs: int | None = None, timeout: float = 900.0, reuse: dict | None = None,
          log=print) -> list[dict]:
    """Every (model, variant, budget) point (`point_tasks`), in parallel processes."""
    return run_tasks(point_tasks(models, tile_budgets, target=target, reuse=reuse),
                     jobs=jobs, timeout=timeout, log=log)


def probe(name: str, target: str = DEFAULT_TARGET, tiles: int = 28) -> dict:
    """Does torchvision `name` import and compile? The stage that fails and why, or the figures
    of the compile (no run)."""
    ir_path = BUILD / "probe" / f"{name}.mlir"
    found = import_ir(name, ir_path)
    if not found["ok"]:
        return {**found, "model": name, "stage": "import", "error": condense(found["error"])}
    start = time.perf_counter()
    try:
        compiled = compile_ir(ir_path, target, tiles, {})
    except PointError as e:
        return {"ok": False, "model": name, "stage": "compile", "error": str(e),
                "import_s": found["import_s"]}
    except Exception as e:  # an rcbc bug
        return {"ok": False, "model": name, "stage": "compile",
                "error": f"{type(e).__name__}: {short_error(e)}", "import_s": found["import_s"]}
    return {"ok": True, "model": name, "stage": "compiled", "import_s": found["import_s"],
            "compile_s": time.perf_counter() - start, "records": len(compiled.program.records),
            "size": len(compiled.data)}


def condense(message: str) -> str:
    """The frontend's list of unsupported operators (a line per use, with the Python source) in
    one line: ``import: 2 operators ... not supported by rcbc: aten.mean, aten.silu_``."""
    lines = message.splitlines()
    ops = []
    for line in lines[1:]:
        match = re.search(r": (aten\.[\w.]+)(: [^(]*)?", line)
        if match and not any(op.split(":")[0] == match.group(1) for op in ops):
            ops.append(match.group(0)[2:].strip())
    return f"{lines[0]} {', '.join(ops)}" if ops else short_error(message)


def probe_task(names: Sequence[str], target: str = DEFAULT_TARGET, tiles: int = 28) -> dict:
    """One task (see `run_tasks`) that probes each of `names` in turn (one PyTorch start-up)."""
    out = BUILD / "probe" / "probes.json"
    return {"argv": [sys.executable, __file__, "probe", "--model", ",".join(names), "--target", target,
                     "--tiles", str(tiles), "--json", str(out)],
            "json": out, "label": f"probe {', '.join(names)}", "info": {"kind": "probes"}}


# -- tables and plots -------------------------------------------------------------------------------


def _ms(value: float) -> str:
    return f"{value * 1e3:.3g} ms" if value >= 1e-3 else f"{value * 1e6:.3g} us"


def _mb(value: float) -> str:
    return f"{value / 1e6:.1f} MB"


def sweep_table(points: Sequence[dict]) -> str:
    """The markdown table of one model's points: modeled figures (with the baseline schedule's
    where it was compiled), then measured times."""
    header = ["budget", "variant", "tiles used", "latency", "fps", "fps / tile",
              "MAC util. mean (min-max)", "compute floor", "DDR bytes", "DDR floor",
              "DDR floor time", "latency / max floor", "baseline", "compile s", "report s"]
    rows = []
    for p in points:
        if not p.get("ok"):
            budget = str(p.get("error", "")).startswith(("skipped:", "stopped:"))
            cell = f"*{p['error']}*" if budget else f"**error**: {short_error(p['error'])}"
            rows.append([p["tiles"], p.get("variant", "fp32"), "-", cell,
                         *["-"] * (len(header) - 5), seconds(p.get("compile_s"))])
            continue
        floor = max(p["compute_floor_s"], p["ddr_floor_s"] or 0.0)
        if "baseline" in p and p["baseline"].get("ok"):
            b = p["baseline"]
            base = (f"{_ms(b['latency_s'])}, {b['fps_per_tile']:.3g} fps/tile, "
                    f"{_mb(b['ddr_bytes'])}")
        elif "baseline" in p:
            base = f"error: {short_error(p['baseline']['error'], 60)}"
        else:
            base = "-"
        rows.append([
            p["tiles"], p.get("variant", "fp32"), p["tiles_used"], _ms(p["latency_s"]),
            f"{p['fps']:.3g}", f"{p['fps_per_tile']:.3g}",
            f"{p['util_mean'] * 100:.1f} % ({p['util_min'] * 100:.1f}-{p['util_max'] * 100:.1f})",
            _ms(p["compute_floor_s"]), _mb(p["ddr_bytes"]), _mb(p["ddr_floor_bytes"]),
            _ms(p["ddr_floor_s"]) if p["ddr_floor_s"] is not None else "-",
            f"{p['latency_s'] / floor:.2f}x", base,
            seconds(p.get("compile_s")) + (" (reused)" if p.get("reused") else ""),
            seconds(p.get("report_s")),
        ])
    return markdown_table(header, rows, align="rlrrrrrrrrrrlrr")


def plot_sweep(points: Sequence[dict], path: Path, title: str, command: str) -> None:
    """Curves over the tile budget (log scale): latency with the compute and DDR floors,
    throughput per tile, MAC utilization (mean, min-max band), DDR bytes with the DDR floor.
    All modeled; the figure says so and names `command`. Failed points are listed below."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    figure, axes = pyplot.subplots(2, 2, figsize=(11, 7.5))
    (lat, per_tile), (util, ddr) = axes
    by_variant: dict[str, list[dict]] = {}
    for p in points:
        if p.get("ok"):
            by_variant.setdefault(p.get("variant", "fp32"), []).append(p)
    for variant, ps in by_variant.items():
        ps = sorted(ps, key=lambda p: p["tiles"])
        x = [p["tiles"] for p in ps]
        lat.plot(x, [p["latency_s"] * 1e3 for p in ps], "o-", label=f"latency ({variant})")
        lat.plot(x, [p["compute_floor_s"] * 1e3 for p in ps], "s--", label=f"compute floor ({variant})")
        if all(p["ddr_floor_s"] is not None for p in ps):
            lat.plot(x, [p["ddr_floor_s"] * 1e3 for p in ps], "^:", label=f"DDR floor ({variant})")
        per_tile.plot(x, [p["fps_per_tile"] for p in ps], "o-", label=variant)
        util.plot(x, [p["util_mean"] * 100 for p in ps], "o-", label=f"mean ({variant})")
        util.fill_between(x, [p["util_min"] * 100 for p in ps], [p["util_max"] * 100 for p in ps],
                          alpha=0.2, label=f"min-max ({variant})")
        ddr.plot(x, [p["ddr_bytes"] / 1e6 for p in ps], "o-", label=f"DDR traffic ({variant})")
        ddr.plot(x, [p["ddr_floor_bytes"] / 1e6 for p in ps], "^:", label=f"DDR floor ({variant})")
        based = [p for p in ps if p.get("baseline", {}).get("ok")]
        if based:
            bx = [p["tiles"] for p in based]
            lat.plot(bx, [p["baseline"]["latency_s"] * 1e3 for p in based], "kx-", label="latency (baseline)")
            per_tile.plot(bx, [p["baseline"]["fps_per_tile"] for p in based], "kx-", label="baseline")
            ddr.plot(bx, [p["baseline"]["ddr_bytes"] / 1e6 for p in based], "kx-", label="DDR traffic (baseline)")
    for axis, label in ((lat, "latency per image (ms)"), (per_tile, "throughput per tile (fps)"),
                        (util, "MAC utilization per tile (%)"), (ddr, "DDR <-> array bytes (MB)")):
        _budget_axis(axis, label, points, legend_size="x-small")
    for axis in (per_tile, util, ddr):
        axis.set_ylim(bottom=0)
    lat.set_yscale("log")
    failed = [f"{p['tiles']}: {short_error(p['error'], 70)}" for p in points if not p.get("ok")]
    figure.suptitle(f"{title} — {MODELED} (rcbc timing model, target's documented numbers)")
    footer = f"command: {command}"
    if failed:
        footer += "\nfailed budgets: " + "; ".join(failed)
    figure.text(0.01, 0.005, footer, fontsize="x-small", va="bottom")
    figure.tight_layout(rect=(0, 0.03 + 0.02 * bool(failed), 1, 0.96))
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=100)
    pyplot.close(figure)


def _budget_axis(axis, label: str, points: Sequence[dict], legend_size: str) -> None:
    """A plot over the tile budget: log x with a tick per budget swept, `label` on y."""
    import matplotlib.ticker

    axis.set_xscale("log")
    axis.set_xticks(sorted({p["tiles"] for p in points}) or [1])
    axis.get_xaxis().set_major_formatter(matplotlib.ticker.ScalarFormatter())
    axis.minorticks_off()
    axis.set_xlabel("tile budget (--tiles)")
    axis.set_ylabel(label)
    axis.grid(True, alpha=0.3)
    if axis.get_legend_handles_labels()[0]:
        axis.legend(fontsize=legend_size)


def plot_models(points: Sequence[dict], path: Path, command: str) -> None:
    """Every model's throughput per tile and latency over its larger floor, over the budget."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    figure, (per_tile, gap) = pyplot.subplots(1, 2, figsize=(11, 4.2))
    models = dict.fromkeys(p["model"] for p in points)
    for model in models:
        for variant in dict.fromkeys(p.get("variant", "fp32") for p in points):
            ps = sorted((p for p in points if p["model"] == model and p.get("ok")
                         and p.get("variant", "fp32") == variant), key=lambda p: p["tiles"])
            if not ps:
                continue
            x = [p["tiles"] for p in ps]
            label = model if variant == "fp32" else f"{model} ({variant})"
            per_tile.plot(x, [p["fps_per_tile"] for p in ps], "o-", label=label)
            gap.plot(x, [p["latency_s"] / max(p["compute_floor_s"], p["ddr_floor_s"] or 0) for p in ps],
                     "o-", label=label)
    for axis, label in ((per_tile, "throughput per tile (fps)"),
                        (gap, "latency / max(compute floor, DDR floor)")):
        _budget_axis(axis, label, points, legend_size="small")
    gap.set_yscale("log")
    figure.suptitle(f"every model — {MODELED} (rcbc timing model)")
    figure.text(0.01, 0.01, f"command: {command}", fontsize="x-small")
    figure.tight_layout(rect=(0, 0.04, 1, 0.95))
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=100)
    pyplot.close(figure)


# -- command line ---------------------------------------------------------------------------------


def _point_main(args: argparse.Namespace) -> int:
    options = VARIANTS.get(args.variant)
    if options is None:
        point = {"ok": False, "error": f"variant {args.variant}: compile_module has no such option"}
    else:
        point = run_point(args.ir, args.target, args.tiles, args.rcb, options, args.program)
        if point["ok"] and args.baseline:
            base_rcb = args.rcb.with_name(args.rcb.stem + "-baseline.rcb")
            point["baseline"] = run_point(args.ir, args.target, args.tiles, base_rcb, {**options, **BASELINE})
    args.json.write_text(json.dumps(point, indent=1))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="mode")
    one = sub.add_parser("point", help="one point, in this process (what the sweep runs)")
    one.add_argument("--ir", type=Path, required=True)
    one.add_argument("--target", default=DEFAULT_TARGET)
    one.add_argument("--tiles", type=int, required=True)
    one.add_argument("--variant", default="fp32")
    one.add_argument("--rcb", type=Path, required=True)
    one.add_argument("--json", type=Path, required=True)
    one.add_argument("--program", type=Path, help="a program compiled earlier: report it only")
    one.add_argument("--baseline", action="store_true", help="also compile and report the baseline")
    check = sub.add_parser("probe", help="does a torchvision model import and compile?")
    check.add_argument("--model", required=True, help="a name, or several separated by commas")
    check.add_argument("--target", default=DEFAULT_TARGET)
    check.add_argument("--tiles", type=int, default=28)
    check.add_argument("--json", type=Path, required=True)
    parser.add_argument("--models", default=",".join(DEFAULT_MODELS))
    parser.add_argument("--tiles", default=",".join(map(str, DEFAULT_TILES)))
    parser.add_argument("--target", default=DEFAULT_TARGET)
    parser.add_argument("--jobs", type=int, default=None, help="points at a time (default: CPUs)")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per point")
    args = parser.parse_args(argv)
    if args.mode == "point":
        return _point_main(args)
    if args.mode == "probe":
        args.json.parent.mkdir(parents=True, exist_ok=True)
        found = [probe(name, args.target, args.tiles) for name in args.model.split(",")]
        args.json.write_text(json.dumps({"ok": True, "probes": found}, indent=1))
        return 0

    models = [m for m in args.models.split(",") if m]
    budgets = [int(n) for n in args.tiles.split(",") if n]
    BUILD.mkdir(parents=True, exist_ok=True)
    ready = []
    for model in models:
        imported = import_ir(model, BUILD / f"{model}.mlir")
        print(f"import {model}: " + (f"{imported['import_s']:.1f} s" if imported["ok"] else imported["error"]))
        if imported["ok"]:
            ready.append(model)
    points = sweep(ready, budgets, target=args.target, jobs=args.jobs, timeout=args.timeout)
    for model in ready:
        print(f"\n{model} on {args.target} ({MODELED}; compile and report times {MEASURED})")
        print(sweep_table([p for p in points if p["model"] == model]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
