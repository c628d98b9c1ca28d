"""A run's timeline as a Chrome trace (JSON trace event format), to look at in ui.perfetto.dev.

Each tile the program uses is a process with one track (thread) per agent: the core of a compute
tile, and each DMA channel that carries a transfer (``mm2s 0``, ``s2mm 1``); the controller has a
process and a track of its own. Every kernel launch is a complete event (``"ph": "X"``) on its
core's track, named after the kernel; every DMA transfer is one on the source's ``mm2s`` track
and one on the destination's ``s2mm`` track (both channels are busy), named after its route; the
controller's events are the stretches it stalled at a record, and in a host-dispatched program
the host round trips at each barrier. Times are microseconds of
*modeled* time (`rcbc.runtime.timing`), to the nanosecond; ``args`` name the record index and
the kernel and its MACs, or the bytes moved::

    result = execute(program, inputs, timeline=True)
    trace = chrome_trace(program, result, "resnet18.rcb")
    Path("trace.json").write_text(json.dumps(trace))
"""

from __future__ import annotations

from rcbc.bytecode import program as rcb
from rcbc.bytecode.layout import BY_CLASS
from rcbc.kernels import library
from rcbc.runtime.executor import Result

CONTROLLER_PID = 0
ENDPOINTS = {"interface": "DDR", "memory": "memory tile", "compute": "compute tile"}  # routes


def chrome_trace(program: rcb.Program, result: Result, name: str = "program") -> dict:
    """The trace of `result`, a run of `program` with its timeline (`execute(timeline=True)`)."""
    if result.timeline is None:
        raise ValueError("chrome_trace() needs a run with its timeline: execute(..., timeline=True)")
    m = program.machine
    tracks = _Tracks(m)
    events = []
    ns = 1e9 / m.clock_hz

    def event(track: tuple, label: str, category: str, span, args: dict) -> None:
        # Whole nanoseconds, so that the events of a track, which never overlap, cannot seem to
        # once the viewer rounds microseconds to its own nanoseconds.
        pid, tid = tracks.ids(track)
        start, end = round(span.start * ns), round(span.end * ns)
        events.append({
            "name": label, "cat": category, "ph": "X", "pid": pid, "tid": tid,
            "ts": start / 1000, "dur": (end - start) / 1000, "args": {"record": span.record, **args},
        })

    for span in result.timeline:
        r = program.records[span.record]
        if not span.task:
            kind = BY_CLASS[type(r)].name
            state = "host round trip" if span.host else "stalled"
            event(("controller",), f"{kind} ({state})", "controller", span, {"record_kind": kind})
        elif isinstance(r, rcb.Launch):
            kernel = library.by_id(r.kernel).name
            event((r.tile, "core"), kernel, "kernel", span,
                  {"kernel": kernel, "macs": result.macs[span.record]})
        else:
            route = f"{ENDPOINTS[m.kind_of(r.src.row)]} -> {ENDPOINTS[m.kind_of(r.dst.row)]}"
            args = {"bytes": r.src_pattern.byte_count, "src": f"{r.src} mm2s {r.src_channel}",
                    "dst": f"{r.dst} s2mm {r.dst_channel}"}
            event((r.src, "mm2s", r.src_channel), route, "dma", span, args)
            event((r.dst, "s2mm", r.dst_channel), route, "dma", span, args)
    return {
        "traceEvents": tracks.metadata(name, program) + events,
        "displayTimeUnit": "ns",
        "otherData": {"program": name, "target": program.target, "time": "modeled",
                      "cycles": result.cycles, "clock_hz": m.clock_hz},
    }


class _Tracks:
    """Process and thread ids: a process per tile (and the controller's), a thread per agent."""

    def __init__(self, target):
        self.target = target
        self.threads: dict[tuple, tuple[int, int]] = {}
        self.processes: dict[object, int] = {"controller": CONTROLLER_PID}

    def ids(self, track: tuple) -> tuple[int, int]:
        if track not in self.threads:
            owner = track[0] if len(track) > 1 else "controller"
            pid = self.processes.setdefault(owner, len(self.processes))
            self.threads[track] = (pid, len(self.threads))
        return self.threads[track]

    def metadata(self, name: str, program: rcb.Program) -> list[dict]:
        """Names and order of the processes and threads, by tile (column, then row)."""
        events = []

        def meta(kind: str, pid: int, args: dict, tid: int | None = None) -> None:
            events.append({"name": kind, "ph": "M", "pid": pid, "args": args,
                           **({} if tid is None else {"tid": tid})})

        tiles = sorted((t for t in self.processes if t != "controller"), key=lambda t: (t.col, t.row))
        meta("process_name", CONTROLLER_PID, {"name": f"controller: {name} on {program.target} (modeled time)"})
        meta("process_sort_index", CONTROLLER_PID, {"sort_index": 0})
        for index, tile in enumerate(tiles, 1):
            pid = self.processes[tile]
            meta("process_name", pid, {"name": f"{self.target.kind_of(tile.row)} tile {tile}"})
            meta("process_sort_index", pid, {"sort_index": index})
        order = {"core": 0, "mm2s": 1, "s2mm": 2}
        for track, (pid, tid) in self.threads.items():
            label = "controller" if len(track) == 1 else " ".join(str(part) for part in track[1:])
            meta("thread_name", pid, {"name": label}, tid)
            sort = 0 if len(track) == 1 else 10 * order[track[1]] + (track[2] if len(track) > 2 else 0)
            meta("thread_sort_index", pid, {"sort_index": sort}, tid)
        return events
