"""The modeled performance of an RCB program, against the floors of the same work on its tiles.

A `Report` holds what one run of the reference executor with its timeline yields: the modeled
latency and throughput, what each compute tile ran (MACs, busy intervals) and the bytes moved per
level, plus the program's two floors — the compute floor (every MAC at the peak rate of the
tiles the program uses) and the DDR floor (the weights, inputs and outputs crossing DDR once at
the target's DDR bandwidth). `table` prints it, beside a baseline's report when given one::

    result = zero_run(program)                          # timing only, timeline recorded
    report = performance(program, result, "resnet18.rcb")
    report.latency, report.fps_per_tile, report.utilization()[Tile(2, 3)]
    print(table(report, baseline=performance(base, zero_run(base), "base.rcb")))

Every figure is *modeled* (`rcbc.runtime.timing` on the target's documented numbers), none is
measured. The modeled time does not depend on the input values — durations come from the
kernels' parameter blocks and the DMA patterns, never from the data — so `zero_run` makes a
timing-only run (`execute(..., numerics=False)`: the same event simulation and checks, no kernel
arithmetic, no data copies), which gives the same cycles and timeline as a full run in a
fraction of its time; the table says so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from rcbc import targets
from rcbc.bytecode import program as rcb
from rcbc.bytecode.program import NUMPY_DTYPES
from rcbc.bytecode.summary import size
from rcbc.kernels import library
from rcbc.runtime.executor import Result, execute
from rcbc.runtime.timing import HOST_ROUND_TRIP_SECONDS, KERNEL_DTYPE

LEVELS = {  # Result.bytes_moved's levels, as the table names them
    "ddr": "DDR <-> array",
    "memtile": "memory tile <-> compute tile",
    "tile": "compute tile <-> compute tile",
}


class ReportError(Exception):
    """Two programs that cannot be compared: another target, or other inputs and outputs."""


@dataclass(frozen=True)
class Report:
    """The modeled figures of one run of a program (times in seconds, of modeled time)."""

    program: rcb.Program = field(repr=False)
    name: str  # what the table calls the program, e.g. its file name
    cycles: float  # modeled latency of one run, in cycles of the target clock
    macs: dict[rcb.Tile, int]  # MACs each compute tile the program configures runs
    busy: dict[rcb.Tile, tuple[tuple[float, float], ...]]  # when each such core runs kernels
    bytes_moved: dict[str, int]  # by level, as `LEVELS`
    numerics: bool = True  # False: from a timing-only run (no arithmetic, no outputs)

    @property
    def target(self) -> targets.Target:
        return self.program.machine

    @property
    def images(self) -> int:
        """Inferences per run: the first input's batch size."""
        inputs = _bindings(self.program, rcb.IoDirection.INPUT)
        return inputs[0].shape[0] if inputs and inputs[0].shape else 1

    @cached_property
    def floor_bytes(self) -> dict[str, int]:
        """What must cross DDR once: the weights and constants of the data image (parameter
        blocks, which the controller writes, excluded), the inputs and the outputs."""
        blocks = {r.entry for r in self.program.records if isinstance(r, rcb.WriteParams)}
        return {
            "weights": sum(e.size for e in self.program.data if e.name not in blocks),
            "inputs": sum(b.size for b in _bindings(self.program, rcb.IoDirection.INPUT)),
            "outputs": sum(b.size for b in _bindings(self.program, rcb.IoDirection.OUTPUT)),
        }

    @property
    def host_round_trips(self) -> int:
        """Round trips to the host a host-dispatched program makes: one per barrier, one at the
        end (0 for any other program)."""
        if not self.program.host_dispatch:
            return 0
        return sum(isinstance(r, (rcb.Barrier, rcb.End)) for r in self.program.records)

    @property
    def tiles(self) -> int:
        """Compute tiles the program uses (configures)."""
        return len(self.macs)

    @property
    def latency(self) -> float:
        return self.cycles / self.target.clock_hz

    @property
    def fps(self) -> float:
        """Inferences per second, one run at a time."""
        return self.images / self.latency

    @property
    def fps_per_tile(self) -> float:
        return self.fps / self.tiles

    @cached_property
    def dtype(self) -> str:
        """The operand type of the program's kernels: ``i8`` if they are all int8 kernels (an
        int8 compilation), else ``f32`` (`KERNEL_DTYPE`)."""
        kernels = {r.kernel for r in self.program.records if isinstance(r, rcb.Launch)}
        if kernels and all(library.by_id(k).dtype is library.DType.I8 for k in kernels):
            return "i8"
        return KERNEL_DTYPE

    @property
    def peak_macs_per_cycle(self) -> int:
        """One compute tile's peak, at the operand type of the kernels."""
        return self.target.macs_per_cycle[self.dtype]

    @property
    def total_macs(self) -> int:
        return sum(self.macs.values())

    def utilization(self) -> dict[rcb.Tile, float]:
        """MAC utilization of each compute tile: its MACs over its peak during the run."""
        peak = self.peak_macs_per_cycle * self.cycles
        return {tile: macs / peak for tile, macs in self.macs.items()}

    def busy_fraction(self) -> dict[rcb.Tile, float]:
        """The fraction of the run each core spends running kernels."""
        return {
            tile: sum(end - start for start, end in spans) / self.latency
            for tile, spans in self.busy.items()
        }

    @property
    def compute_floor(self) -> float:
        """Every MAC at the peak rate of the program's compute tiles."""
        rate = self.tiles * self.peak_macs_per_cycle * self.target.clock_hz
        return self.total_macs / rate

    @property
    def ddr_floor_bytes(self) -> int:
        return sum(self.floor_bytes.values())

    @property
    def ddr_floor(self) -> float | None:
        """The DDR floor's bytes at the target's DDR bandwidth (None: no documented figure)."""
        bandwidth = self.target.ddr_bandwidth
        return None if bandwidth is None else self.ddr_floor_bytes / bandwidth


@dataclass(frozen=True)
class Comparison:
    """A report relative to a baseline's (ratios above 1 favour the report's program)."""

    data_movement_reduction: float  # baseline bytes moved, all levels, over the program's
    ddr_reduction: float  # the same, DDR <-> array only
    per_tile_throughput: float  # the program's fps per tile over the baseline's
    speedup: float  # the baseline's latency over the program's


def zero_run(program: rcb.Program, numerics: bool = False) -> Result:
    """Run `program` on the reference executor for its timing, its timeline recorded: a
    timing-only run (`numerics=False`), or with `numerics` a full one on zero inputs (the same
    cycles and timeline)."""
    inputs = _bindings(program, rcb.IoDirection.INPUT)
    zeros = {b.name: np.zeros(b.shape, NUMPY_DTYPES[b.dtype]) for b in inputs}
    return execute(program, zeros, timeline=True, numerics=numerics)


def performance(program: rcb.Program, result: Result, name: str = "program") -> Report:
    """The report of `result`, a run of `program` with its timeline (`execute(timeline=True)`)."""
    if result.timeline is None:
        raise ValueError("performance() needs a run with its timeline: execute(..., timeline=True)")
    m = program.machine
    tiles = sorted(
        {r.tile for r in program.records if isinstance(r, rcb.ConfigureTile)
         and m.kind_of(r.tile.row) == "compute"},
        key=lambda t: (t.col, t.row),
    )
    if not tiles:
        raise ReportError(f"{name} uses no compute tile: there is no performance to report")
    macs = dict.fromkeys(tiles, 0)
    busy: dict[rcb.Tile, list[tuple[float, float]]] = {tile: [] for tile in tiles}
    for span in result.timeline:
        record = program.records[span.record]
        if span.task and isinstance(record, rcb.Launch):
            macs[record.tile] += result.macs[span.record]
            busy[record.tile].append((span.start / m.clock_hz, span.end / m.clock_hz))
    return Report(
        program=program,
        name=name,
        cycles=result.cycles,
        macs=macs,
        busy={tile: tuple(spans) for tile, spans in busy.items()},
        bytes_moved=dict(result.bytes_moved),
        numerics=result.numerics,
    )


def check_comparable(program: rcb.Program, baseline: rcb.Program, names: tuple[str, str]) -> None:
    """Raise `ReportError` unless `baseline` is another compilation of what `program` computes:
    the same target, inputs and outputs (names and shapes; element types may differ: an int8
    and an fp32 compilation of one model compare); the tiles may differ."""
    name, base = names
    if program.target != baseline.target:
        raise ReportError(
            f"{name} is for {program.target}, the baseline {base} for {baseline.target}: "
            f"compare programs of one target"
        )
    io, base_io = (
        [(b.name, str(b.direction), str(b.dtype), list(b.shape)) for b in p.io]
        for p in (program, baseline)
    )
    # An int8 and an fp32 compilation of one model differ only in their I/O element types.
    if [i[:2] + i[3:] for i in io] != [i[:2] + i[3:] for i in base_io]:
        raise ReportError(
            f"{name} and the baseline {base} have different inputs or outputs ({_io(io)} against "
            f"{_io(base_io)}): compare compilations of one model"
        )


def compare(report: Report, baseline: Report) -> Comparison:
    """`report` relative to `baseline`, another compilation of the same model (see
    `check_comparable`)."""
    check_comparable(report.program, baseline.program, (report.name, baseline.name))
    return Comparison(
        data_movement_reduction=_ratio(sum(baseline.bytes_moved.values()), sum(report.bytes_moved.values())),
        ddr_reduction=_ratio(baseline.bytes_moved["ddr"], report.bytes_moved["ddr"]),
        per_tile_throughput=report.fps_per_tile / baseline.fps_per_tile,
        speedup=baseline.latency / report.latency,
    )


def duration(seconds: float) -> str:
    """A time for people, to three digits: ``812 ns``, ``12.4 us``, ``5.90 ms``, ``1.20 s``."""
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("us", 1e-6), ("ns", 1e-9)):
        if seconds >= scale or unit == "ns":
            return f"{_digits(seconds / scale)} {unit}"


def table(report: Report, baseline: Report | None = None) -> str:
    """The report as a text table, with the baseline's column and the ratios when given."""
    reports = [report] if baseline is None else [report, baseline]
    rows = _rows(reports)
    header = ["", *(f"{r.name} (modeled)" for r in reports)]
    if baseline is not None:
        comparison = compare(report, baseline)
        header.append("vs baseline")
    timing_only = not all(r.numerics for r in reports)
    lines = [
        f"modeled performance on {report.target.name}, {report.target.device} "
        "(rcbc.runtime.timing; nothing here is measured)"
        + (", from a timing-only run (kernel arithmetic and data copies not run)" if timing_only else ""),
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        lines.append("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
    lines.append("")
    for r in reports:
        lines.extend(_notes(r))
    if baseline is not None:
        lines.append(
            f"{report.name} against the baseline {baseline.name} (modeled): data-movement "
            f"reduction {comparison.data_movement_reduction:.2f}x (DDR "
            f"{comparison.ddr_reduction:.2f}x), throughput per tile "
            f"{comparison.per_tile_throughput:.2f}x, speedup {comparison.speedup:.2f}x"
        )
    return "\n".join(lines)


# -- the table ----------------------------------------------------------------------------------

_LESS_MORE, _LOWER_HIGHER = ("less", "more"), ("lower", "higher")  # words for below, above


def _rows(reports: list[Report]) -> list[list[str]]:
    """One row per figure: its label, its value in each report and, with a baseline, the
    ratio in words (a figure without words gets no ratio)."""
    rows = []

    def add(label, value, show, words=None):
        values = [value(r) for r in reports]
        row = [label, *(show(v) for v in values)]
        if len(reports) == 2:
            row.append(_versus(*values, words))
        rows.append(row)

    def extreme(pick):
        def cell(r):
            utilization = r.utilization()
            tile = pick(utilization, key=lambda t: (utilization[t], t.col, t.row))
            return f"{_percent(utilization[tile])} on {tile}"
        return cell

    add("latency", lambda r: r.latency, duration, _LOWER_HIGHER)
    add("throughput", lambda r: r.fps, _fps, _LOWER_HIGHER)
    add("compute tiles", lambda r: r.tiles, str)
    add("throughput per tile", lambda r: r.fps_per_tile, _fps, _LOWER_HIGHER)
    add("MAC utilization per tile, min", extreme(min), str)
    add("MAC utilization per tile, mean", lambda r: _mean(r.utilization()), _percent)
    add("MAC utilization per tile, max", extreme(max), str)
    add("core busy per tile, mean", lambda r: _mean(r.busy_fraction()), _percent)
    add("compute floor", lambda r: r.compute_floor, duration, _LOWER_HIGHER)
    add("latency / compute floor", lambda r: _ratio(r.latency, r.compute_floor), _times)
    if any(r.host_round_trips for r in reports):
        add("host round trips (in the latency)", lambda r: r.host_round_trips, _round_trips)
    for level, label in LEVELS.items():
        add(f"bytes moved, {label}", lambda r, level=level: r.bytes_moved[level], size, _LESS_MORE)
    add("DDR floor", lambda r: r.ddr_floor_bytes, size)
    add("DDR traffic / DDR floor", lambda r: _ratio(r.bytes_moved["ddr"], r.ddr_floor_bytes), _times)
    if all(r.ddr_floor is not None for r in reports):
        add("DDR floor time", lambda r: r.ddr_floor, duration)
    return rows


def _round_trips(count: int) -> str:
    if not count:
        return "none"
    return f"{count} x {duration(HOST_ROUND_TRIP_SECONDS)} = {duration(count * HOST_ROUND_TRIP_SECONDS)}"


def _notes(r: Report) -> list[str]:
    """How the floors of `r` are computed, with its numbers."""
    f = r.floor_bytes
    bandwidth = (
        f"at {r.target.ddr_bandwidth / 1e9:g} GB/s" if r.target.ddr_bandwidth is not None
        else f"(no documented DDR bandwidth for {r.target.name}: no floor time)"
    )
    return [
        f"{r.name}: compute floor = {_count(r.total_macs)} MACs / ({r.tiles} tile{'s' * (r.tiles != 1)} x "
        f"{r.peak_macs_per_cycle} {r.dtype} MACs/cycle x {r.target.clock_hz / 1e9:g} GHz); "
        f"DDR floor = weights {size(f['weights'])} + inputs {size(f['inputs'])} + outputs "
        f"{size(f['outputs'])} {bandwidth}",
    ]


def _versus(value: float, baseline: float, words: tuple[str, str] | None) -> str:
    """``3.10x less``: `value` against the baseline's, in `words` (below, above)."""
    if words is None:
        return ""
    if value == baseline:
        return "same"
    if min(value, baseline) <= 0:
        return "-"
    factor = max(value, baseline) / min(value, baseline)
    return f"{factor:.2f}x {words[value > baseline]}"


def _bindings(program: rcb.Program, direction: rcb.IoDirection) -> list[rcb.IoBinding]:
    return [b for b in program.io if b.direction is direction]


def _io(bindings: list[tuple]) -> str:
    """``input x f32 [1, 3, 224, 224], output output f32 [1, 1000]``."""
    return ", ".join(f"{direction} {name} {dtype} {shape}" for name, direction, dtype, shape in bindings)


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else math.inf


def _mean(values: dict) -> float:
    return sum(values.values()) / len(values)


def _percent(fraction: float) -> str:
    return f"{fraction * 100:.1f} %"


def _fps(value: float) -> str:
    return f"{_digits(value)} fps"


def _count(n: float) -> str:
    """``1.81 G``, ``144 k``: a count to three digits."""
    for unit, scale in (("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if n >= scale:
            return f"{_digits(n / scale)} {unit}"
    return f"{n:.0f}"


def _digits(value: float) -> str:
    """`value` to three significant digits, as a fixed-point number (``5.90``, ``429``)."""
    if value <= 0:
        return "0"
    return f"{value:,.{max(0, 2 - math.floor(math.log10(value)))}f}"


def _times(value: float) -> str:
    return f"{value:.2f}x"
