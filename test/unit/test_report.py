"""rcbc report, --trace and --plot: the modeled figures of a small CNN compiled on 4 tiles,
checked against what the program and the model say independently, and every user error."""

import collections
import dataclasses
import json
import math
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from rcbc import targets
from rcbc.bytecode import decode as rcb_decode, encode
from rcbc.bytecode import program as rcb
from rcbc.compiler import CompileError, compile_model, pipeline_text
from rcbc.frontend import models
from rcbc.frontend.importer import import_model
from rcbc.kernels import library
from rcbc.runtime import report as R
from rcbc.runtime.executor import execute
from rcbc.runtime.plot import PlotError, save_plot
from rcbc.runtime.timing import TimingModel
from rcbc.runtime.trace import chrome_trace
from rcbc.tools import rcbc

SMALL_CNN = Path(__file__).parents[1] / "EndToEnd" / "Inputs" / "small_cnn.py"
SHAPE = (1, 3, 32, 32)
AIE_ML = targets.get("aie-ml")


def small_cnn():
    return models.user_model(f"{SMALL_CNN}:build", seed=0).eval()


@pytest.fixture(scope="module")
def programs(tmp_path_factory):
    """The small CNN on 4 tiles, on 1 tile (another program to compare with), its baseline
    schedule on 4 tiles and for npu1, written to files."""
    directory = tmp_path_factory.mktemp("report")
    example = (torch.zeros(SHAPE),)
    compiled = {
        "four": compile_model(small_cnn(), example, tiles=4),
        "one": compile_model(small_cnn(), example, tiles=1),
        "baseline": compile_model(small_cnn(), example, tiles=4, baseline=True),
        "npu1": compile_model(small_cnn(), example, target="npu1", tiles=4),
    }
    for name, c in compiled.items():
        (directory / f"{name}.rcb").write_bytes(c.data)
    return directory, {name: c.program for name, c in compiled.items()}


@pytest.fixture(scope="module")
def run(programs):
    program = programs[1]["four"]
    return program, R.zero_run(program)


@pytest.fixture(scope="module")
def report(run):
    return R.performance(*run, "four.rcb")


def model_macs(model) -> int:
    """MACs of the model's layers, counted by PyTorch hooks as the kernels count them."""
    total = 0

    def count(module, inputs, output):
        nonlocal total
        if isinstance(module, torch.nn.Conv2d):
            kh, kw = module.kernel_size
            total += output.numel() * module.in_channels // module.groups * kh * kw
        elif isinstance(module, torch.nn.Linear):
            total += output.numel() * module.in_features
        elif isinstance(module, (torch.nn.MaxPool2d, torch.nn.AvgPool2d)):
            total += output.numel() * module.kernel_size ** 2
        elif isinstance(module, torch.nn.AdaptiveAvgPool2d):
            total += inputs[0].numel()

    for module in model.modules():
        module.register_forward_hook(count)
    with torch.no_grad():
        model(torch.zeros(SHAPE))
    return total


def test_the_figures_follow_from_the_run(run, report):
    program, result = run
    assert report.tiles == 4
    assert report.cycles == result.cycles
    assert report.latency == result.cycles / AIE_ML.clock_hz
    assert report.fps == 1 / report.latency
    assert report.fps_per_tile == report.fps / 4


def test_the_macs_are_the_models(report):
    assert report.total_macs == model_macs(small_cnn())
    assert all(macs > 0 for macs in report.macs.values())


def test_compute_floor_and_utilization(report):
    assert report.compute_floor == report.total_macs / (4 * 21 * 1.25e9)
    utilization = report.utilization()
    for tile, macs in report.macs.items():
        assert utilization[tile] == macs / (21 * report.cycles)
        assert utilization[tile] <= report.busy_fraction()[tile]  # kernels run below peak
    assert math.isclose(sum(utilization.values()) / 4, report.compute_floor / report.latency)


def test_busy_intervals_are_the_kernels_durations(run, report):
    program, result = run
    timing = TimingModel(AIE_ML)
    expected = collections.defaultdict(float)
    for index, record in enumerate(program.records):
        if isinstance(record, rcb.Launch):
            kernel = library.by_id(record.kernel).name
            expected[record.tile] += timing.seconds(timing.kernel_cycles(kernel, result.macs[index]))
    launches = sum(isinstance(r, rcb.Launch) for r in program.records)
    assert sum(len(spans) for spans in report.busy.values()) == launches
    for tile, spans in report.busy.items():
        assert all(0 <= start < end <= report.latency for start, end in spans)
        assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))  # one kernel at a time
        assert math.isclose(sum(end - start for start, end in spans), expected[tile])


def test_bytes_moved_per_level_and_ddr_floor(run, report):
    program, _ = run
    moved = collections.Counter()
    for r in program.records:
        if isinstance(r, rcb.DmaStart):
            kinds = {AIE_ML.kind_of(r.src.row), AIE_ML.kind_of(r.dst.row)}
            level = "ddr" if "interface" in kinds else "memtile" if "memory" in kinds else "tile"
            moved[level] += r.src_pattern.byte_count
    assert report.bytes_moved == {"ddr": moved["ddr"], "memtile": moved["memtile"], "tile": moved["tile"]}
    weights = import_model(small_cnn(), (torch.zeros(SHAPE),)).weights
    assert report.floor_bytes == {
        "weights": sum(weights[name].nbytes for name in weights),
        "inputs": 3 * 32 * 32 * 4,
        "outputs": 10 * 4,
    }
    assert report.ddr_floor == report.ddr_floor_bytes / 44.8e9
    assert report.bytes_moved["ddr"] >= report.ddr_floor_bytes


def test_the_modeled_time_does_not_depend_on_the_inputs(run):
    program, result = run
    x = np.random.default_rng(3).standard_normal(SHAPE, dtype=np.float32)
    other = execute(program, {"x": x}, timeline=True)
    zeros = R.zero_run(program, numerics=True)
    assert other.cycles == zeros.cycles and other.timeline == zeros.timeline
    assert not np.array_equal(other.outputs["output"], zeros.outputs["output"])


def test_a_timing_only_run_gives_the_full_runs_timing(run):
    """zero_run's timing-only run (no arithmetic, no copies) against a full run on zeros: the
    same cycles, timeline, busy time per queue, bytes moved and MACs; no outputs."""
    program, timing = run
    full = R.zero_run(program, numerics=True)
    assert not timing.numerics and timing.outputs == {}
    assert full.numerics and set(full.outputs) == {"output"}
    assert timing.cycles == full.cycles
    assert timing.timeline == full.timeline and len(timing.timeline) > 100
    assert timing.queue_busy_cycles == full.queue_busy_cycles
    assert timing.bytes_moved == full.bytes_moved and timing.macs == full.macs
    assert R.performance(program, timing, "p") == dataclasses.replace(
        R.performance(program, full, "p"), numerics=False)


def test_a_run_without_a_timeline_records_none(run):
    program, _ = run
    assert execute(program, {"x": np.zeros(SHAPE, np.float32)}).timeline is None
    with pytest.raises(ValueError, match="needs a run with its timeline"):
        R.performance(program, execute(program, {"x": np.zeros(SHAPE, np.float32)}))


def test_table_labels_every_figure_modeled(report):
    text = R.table(report)
    lines = text.splitlines()
    assert lines[0].startswith("modeled performance on aie-ml") and "nothing here is measured" in lines[0]
    assert lines[0].endswith(", from a timing-only run (kernel arithmetic and data copies not run)")
    assert "timing-only" not in R.table(dataclasses.replace(report, numerics=True))
    assert lines[1].split() == ["four.rcb", "(modeled)"]
    rows = {line[:44].strip(): line[44:].strip() for line in lines[2:] if line and line[:44].strip()}
    assert rows["latency"] == R.duration(report.latency)
    assert rows["compute tiles"] == "4"
    assert rows["throughput per tile"] == f"{report.fps_per_tile:,.0f} fps"
    low = min(report.utilization().items(), key=lambda item: item[1])
    assert rows["MAC utilization per tile, min"] == f"{100 * low[1]:.1f} % on {low[0]}"
    assert rows["bytes moved, DDR <-> array"].endswith("kB")
    assert rows["DDR traffic / DDR floor"] == f"{report.bytes_moved['ddr'] / report.ddr_floor_bytes:.2f}x"
    assert "four.rcb: compute floor = " in text and "at 44.8 GB/s" in text


def test_a_baseline_side_by_side_with_the_ratios(programs, report):
    base_program = programs[1]["one"]
    base = R.performance(base_program, R.zero_run(base_program), "one.rcb")
    comparison = R.compare(report, base)
    assert comparison.per_tile_throughput == report.fps_per_tile / base.fps_per_tile
    assert comparison.speedup == base.latency / report.latency
    assert comparison.ddr_reduction == base.bytes_moved["ddr"] / report.bytes_moved["ddr"]
    text = R.table(report, base)
    header = text.splitlines()[1].split()
    assert header == ["four.rcb", "(modeled)", "one.rcb", "(modeled)", "vs", "baseline"]
    tiles = next(line for line in text.splitlines() if line.startswith("compute tiles"))
    assert tiles.split()[-2:] == ["4", "1"]  # no ratio for a count of tiles
    per_tile = next(line for line in text.splitlines() if line.startswith("throughput per tile"))
    factor = max(comparison.per_tile_throughput, 1 / comparison.per_tile_throughput)
    assert per_tile.endswith(f"{factor:.2f}x {'higher' if comparison.per_tile_throughput > 1 else 'lower'}")
    assert f"throughput per tile {comparison.per_tile_throughput:.2f}x" in text.splitlines()[-1]


def kernel_names(program):
    return collections.Counter(
        library.by_id(r.kernel).name for r in program.records if isinstance(r, rcb.Launch))


def test_the_baseline_schedule_runs_each_layer_from_the_host_without_fusion(programs, report):
    program = programs[1]["baseline"]
    assert program.host_dispatch and not report.program.host_dispatch
    # The ReLUs, the ReLU6, the hardswish and the residual add are layers of their own.
    assert kernel_names(program)["eltwise"] > 0 == kernel_names(report.program)["eltwise"]
    x = np.random.default_rng(0).standard_normal(SHAPE, dtype=np.float32)
    with torch.no_grad():
        expected = small_cnn()(torch.from_numpy(x)).numpy()
    result = execute(program, {"x": x})
    assert np.abs(result.outputs["output"] - expected).max() <= 1e-4 * np.abs(expected).max()
    # Its latency is the same records' on the device plus a round trip per barrier and at the end.
    on_device = execute(dataclasses.replace(program, host_dispatch=False), {"x": x}, numerics=False)
    base = R.performance(program, R.zero_run(program), "baseline.rcb")
    trips = sum(isinstance(r, (rcb.Barrier, rcb.End)) for r in program.records)
    assert base.host_round_trips == trips > 1
    assert base.latency == pytest.approx(on_device.cycles / AIE_ML.clock_hz + trips * 45e-6)
    assert base.bytes_moved["ddr"] > report.bytes_moved["ddr"]
    row = next(line for line in R.table(report, base).splitlines() if line.startswith("host round trips"))
    assert row.split()[-8:] == ["none", str(trips), "x", "45.0", "us", "=", *R.duration(trips * 45e-6).split()]


def test_rcbc_compile_baseline_writes_a_host_dispatched_program(tmp_path, capsys):
    path = tmp_path / "base.rcb"
    status, out, err = rcbc_main(capsys, "compile", "--module", f"{SMALL_CNN}:build", "--input-shape",
                                 "1,3,32,32", "--tiles", "4", "--baseline", "-o", path)
    assert status == 0, err
    program = rcb_decode(path.read_bytes())
    assert program.host_dispatch and kernel_names(program)["eltwise"] > 0


def test_the_baseline_schedule_is_fp32_only():
    with pytest.raises(CompileError, match="the baseline schedule is fp32 only: int8 quantizes the "
                       "model with its activations and residual adds fused"):
        pipeline_text(precision="int8", baseline=True)


def test_a_baseline_for_another_target_or_model_is_refused(programs, report):
    npu1 = programs[1]["npu1"]
    with pytest.raises(R.ReportError, match="four.rcb is for aie-ml, the baseline npu1.rcb for npu1"):
        R.check_comparable(report.program, npu1, ("four.rcb", "npu1.rcb"))
    other = rcb.Program("aie-ml", ddr_size=4096, records=(rcb.End(),))
    with pytest.raises(R.ReportError, match=r"different inputs or outputs \(input x f32 \[1, 3, 32, 32\], output output f32 \[1, 10\] against \)"):
        R.check_comparable(report.program, other, ("four.rcb", "other.rcb"))


def test_the_trace_has_a_track_per_core_dma_channel_and_the_controller(run):
    program, result = run
    trace = json.loads(json.dumps(chrome_trace(program, result, "four.rcb")))
    events = trace["traceEvents"]
    threads = {(e["pid"], e["tid"]): e["args"]["name"] for e in events if e["name"] == "thread_name"}
    processes = {e["pid"]: e["args"]["name"] for e in events if e["name"] == "process_name"}
    spans = [e for e in events if e["ph"] == "X"]
    assert all((e["pid"], e["tid"]) in threads for e in spans)
    track = collections.Counter((processes[e["pid"]], threads[e["pid"], e["tid"]], e["cat"]) for e in spans)

    launches = collections.Counter(r.tile for r in program.records if isinstance(r, rcb.Launch))
    dma = [r for r in program.records if isinstance(r, rcb.DmaStart)]
    assert {key: n for key, n in track.items() if key[2] == "kernel"} == {
        (f"compute tile {tile}", "core", "kernel"): n for tile, n in launches.items()
    }
    outgoing = collections.Counter((r.src, r.src_channel) for r in dma)
    incoming = collections.Counter((r.dst, r.dst_channel) for r in dma)
    for (tile, channel), n in outgoing.items():
        assert track[f"{AIE_ML.kind_of(tile.row)} tile {tile}", f"mm2s {channel}", "dma"] == n
    for (tile, channel), n in incoming.items():
        assert track[f"{AIE_ML.kind_of(tile.row)} tile {tile}", f"s2mm {channel}", "dma"] == n
    stalls = [s for s in result.timeline if not s.task]
    assert track["controller: four.rcb on aie-ml (modeled time)", "controller", "controller"] == len(stalls)
    assert len(spans) == sum(launches.values()) + 2 * len(dma) + len(stalls)

    latency_us = result.cycles / AIE_ML.clock_hz * 1e6
    assert all(0 <= e["ts"] and e["ts"] + e["dur"] <= latency_us + 1e-3 for e in spans)
    by_track = collections.defaultdict(list)
    for e in spans:  # in whole nanoseconds, as Perfetto reads them: no overlap on a track
        by_track[e["pid"], e["tid"]].append((round(e["ts"] * 1000), round(e["dur"] * 1000)))
    for events in by_track.values():
        events.sort()
        assert all(ts + dur <= next_ts for (ts, dur), (next_ts, _) in zip(events, events[1:]))
    first_launch = next(i for i, r in enumerate(program.records) if isinstance(r, rcb.Launch))
    event = next(e for e in spans if e["cat"] == "kernel" and e["args"]["record"] == first_launch)
    assert event["args"] == {"record": first_launch, "kernel": event["name"], "macs": result.macs[first_launch]}
    first_dma = program.records.index(dma[0])
    event = next(e for e in spans if e["cat"] == "dma" and e["args"]["record"] == first_dma)
    assert event["args"]["bytes"] == dma[0].src_pattern.byte_count
    assert event["name"] == "DDR -> compute tile"
    assert trace["otherData"]["time"] == "modeled"


def test_the_plot_is_written(report, tmp_path):
    save_plot(report, tmp_path / "four.png")
    assert (tmp_path / "four.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_missing_matplotlib_is_one_clear_error(report, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(PlotError, match=r"^--plot needs matplotlib, which is not installed \(pip install matplotlib\)$"):
        save_plot(report, tmp_path / "four.png")


# -- the commands ---------------------------------------------------------------------------------


def rcbc_main(capsys, *argv):
    status = rcbc.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


def test_rcbc_report_writes_table_trace_and_plot(programs, capsys):
    directory, _ = programs
    status, out, err = rcbc_main(
        capsys, "report", directory / "four.rcb", "--trace", directory / "t.json",
        "--plot", directory / "p.png",
    )
    assert status == 0, err
    assert out.startswith("modeled performance on aie-ml")
    assert f"wrote {directory / 't.json'} (" in out and f"wrote {directory / 'p.png'}" in out
    assert json.loads((directory / "t.json").read_text())["otherData"]["program"] == "four.rcb"
    assert (directory / "p.png").stat().st_size > 0


def test_rcbc_report_with_a_baseline(programs, capsys):
    directory, _ = programs
    status, out, err = rcbc_main(capsys, "report", directory / "four.rcb", "--baseline", directory / "one.rcb")
    assert status == 0, err
    assert "vs baseline" in out.splitlines()[1]
    assert "four.rcb against the baseline one.rcb (modeled): data-movement reduction" in out


def test_rcbc_run_trace_matches_the_report_trace(programs, capsys):
    directory, _ = programs
    assert rcbc_main(capsys, "run", directory / "four.rcb", "--trace", directory / "run.json")[0] == 0
    assert rcbc_main(capsys, "report", directory / "four.rcb", "--trace", directory / "report.json")[0] == 0
    run, report = (json.loads((directory / name).read_text()) for name in ("run.json", "report.json"))
    assert run == report  # the modeled timeline does not depend on the (random vs zero) input


@pytest.mark.parametrize(
    "argv, message",
    [
        (["report", "{d}/missing.rcb"], "rcbc report: error: cannot read {d}/missing.rcb: No such file or directory"),
        (["report", "{d}/four.rcb", "--baseline", "{d}/missing.rcb"],
         "rcbc report: error: cannot read {d}/missing.rcb: No such file or directory"),
        (["report", "{d}/four.rcb", "--trace", "{d}/no/such/dir/t.json"],
         "rcbc report: error: cannot write {d}/no/such/dir/t.json: No such directory {d}/no/such/dir"),
        (["report", "{d}/four.rcb", "--trace", "{d}"], "rcbc report: error: cannot write {d}: Is a directory"),
        (["run", "{d}/four.rcb", "--trace", "{d}/no/t.json"],
         "rcbc run: error: cannot write {d}/no/t.json: No such directory {d}/no"),
        (["report", "{d}/four.rcb", "--plot", "{d}/p.nosuchformat"],
         "rcbc report: error: cannot write {d}/p.nosuchformat: Format 'nosuchformat' is not supported "
         "(supported formats: {formats})"),
        (["report", "{d}/four.rcb", "--baseline", "{d}/npu1.rcb"],
         "rcbc report: error: four.rcb is for aie-ml, the baseline npu1.rcb for npu1: compare "
         "programs of one target"),
        (["report", "{d}/empty.rcb"], "rcbc report: error: empty.rcb uses no compute tile: there is no "
         "performance to report"),
    ],
)
def test_user_errors_are_one_line(programs, capsys, argv, message):
    directory, _ = programs
    (directory / "empty.rcb").write_bytes(encode(rcb.Program("aie-ml", ddr_size=64, records=(rcb.End(),))))
    status, out, err = rcbc_main(capsys, *(a.format(d=directory) for a in argv))
    assert status == 1
    lines = [line for line in err.splitlines() if not line.startswith("  ")]  # progress lines
    assert len(lines) == 1
    if "{formats}" in message:
        assert lines[0].startswith(message.format(d=directory, formats="")[: -len(")")])
    else:
        assert lines[0] == message.format(d=directory)


def test_rcbc_report_without_matplotlib(programs, capsys, monkeypatch):
    directory, _ = programs
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    status, _, err = rcbc_main(capsys, "report", directory / "four.rcb", "--plot", directory / "p.png")
    assert status == 1
    assert err.splitlines()[-1] == (
        "rcbc report: error: --plot needs matplotlib, which is not installed (pip install matplotlib)"
    )
