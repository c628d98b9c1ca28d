#!/usr/bin/env python3
"""Where compile time goes: cProfile of one compile of imported IR, by function and by area.

    .venv/bin/python bench/profile_compile.py [--ir build/bench/resnet18.mlir] [--tiles 28]

The IR (with its weight store beside it, as ``rcbc import`` writes them) is compiled once under
cProfile, as ``rcbc compile`` would; the profile is written to ``build/bench/compile.prof``
(``python -m pstats``, or snakeviz, reads it). Two tables: the functions with the most self time,
and self time summed by area (each pass module, the lowering library, the dialects, the bytecode
package, the MLIR bindings' C++ methods, numpy, the rest). All times are *measured on this
machine*, under the profiler, which slows pure-Python code down more than C++: read shares, not
absolute times.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BUILD, MEASURED, markdown_table  # noqa: E402


def profile(ir_path: Path, target: str = "aie-ml", tiles: int = 28,
            output: Path | None = None) -> tuple[pstats.Stats, dict[str, float], float]:
    """Compile `ir_path` under cProfile: the stats, each pass's seconds (profiled) and the wall
    seconds of the whole compile (profiled). The raw profile goes to `output` when given."""
    from sweep_bench import compile_ir

    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    compiled = compile_ir(ir_path, target, tiles, {})
    profiler.disable()
    wall = time.perf_counter() - start
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        profiler.dump_stats(str(output))
    return pstats.Stats(profiler), compiled.seconds, wall


def where(filename: str, function: str) -> str:
    """A short name for a profile entry's code: ``passes/rhal_place.py``, ``MLIR bindings``..."""
    path = filename.replace("\\", "/")
    if path == "~":  # a C function: "<method 'walk' of 'torch_mlir._mlir_libs._mlir.ir.Operation' objects>"
        if "mlir" in function:
            return "MLIR bindings (C++)"
        if "numpy" in function:
            return "numpy (C)"
        return "Python built-ins (C)"
    if "site-packages/" in path:  # before the repository's names: torch_mlir has dialects/ too
        parts = path.split("site-packages/", 1)[1].split("/")
        if parts[0] == "torch_mlir":  # the MLIR Python layer: ext (IRDL ops), ODS helpers
            return "MLIR bindings (Python): " + "/".join(p for p in parts[1:] if p != "_mlir_libs")
        return f"{parts[0]} (Python)"
    for marker in ("/passes/", "/dialects/", "/python/rcbc/"):
        if marker in path:
            rest = path.split(marker, 1)[1]
            if marker == "/passes/":
                return "passes/" + rest
            if marker == "/dialects/":
                return "dialects/" + rest
            parts = rest.split("/")
            return "rcbc/" + ("/".join(parts[:2]) if len(parts) > 1 else rest)
    return Path(path).name + " (Python stdlib)" if "/lib/python" in path else Path(path).name


def _label(key: tuple) -> str:
    filename, line, function = key
    if filename == "~":
        return function.strip("<>{}")
    return f"{where(filename, function)}:{line} {function}"


def top_table(stats: pstats.Stats, count: int = 15) -> str:
    """Markdown: the `count` functions with the most self time (calls, self, cumulative)."""
    total = stats.total_tt
    entries = sorted(stats.stats.items(), key=lambda item: -item[1][2])[:count]
    rows = [[f"`{_label(key)}`", f"{calls:,}", f"{tt:.2f} s", f"{100 * tt / total:.1f} %", f"{ct:.2f} s"]
            for key, (_, calls, tt, ct, _) in entries]
    return markdown_table(["function", "calls", "self", "share of total", "cumulative"], rows)


def areas(stats: pstats.Stats) -> dict[str, float]:
    """Self seconds summed by `where`, largest first."""
    found: dict[str, float] = {}
    for (filename, _, function), (_, _, tt, _, _) in stats.stats.items():
        area = where(filename, function)
        found[area] = found.get(area, 0.0) + tt
    return dict(sorted(found.items(), key=lambda item: -item[1]))


def area_table(stats: pstats.Stats, count: int = 15) -> str:
    """Markdown: self time by area, the `count` largest, the rest summed."""
    total = stats.total_tt
    by_area = list(areas(stats).items())
    rows = [[area, f"{tt:.2f} s", f"{100 * tt / total:.1f} %"] for area, tt in by_area[:count]]
    rest = sum(tt for _, tt in by_area[count:])
    if rest:
        rows.append([f"{len(by_area) - count} other areas", f"{rest:.2f} s", f"{100 * rest / total:.1f} %"])
    rows.append(["**total (profiled)**", f"{total:.2f} s", "100 %"])
    return markdown_table(["area (self time)", "seconds", "share"], rows)


HIGHLIGHTS = (  # (what, file suffix, function): cumulative time of known hot spots
    ("op verification (verify_region_invariants of rcbc's dialects)", "dialects/common.py",
     "verify_region_invariants"),
    ("the encoder's validation of the file it wrote (bytecode/validate.py)", "bytecode/validate.py",
     "validate"),
    ("reading attributes and operands through mlir.dialects.ext (getters)", "dialects/ext.py", "getter"),
    ("the program as bytes (rcbfile.to_bytes)", "bytecode/rcbfile.py", "to_bytes"),
    ("block placement (rhal_place.place_block)", "passes/rhal_place.py", "place_block"),
    ("block-shape search (lowering/blocking.choose)", "lowering/blocking.py", "choose"),
)


def highlights(stats: pstats.Stats) -> list[tuple[str, float | None, int]]:
    """(what, cumulative seconds or None if absent, calls) of each of `HIGHLIGHTS`."""
    found = []
    for what, suffix, function in HIGHLIGHTS:
        entries = [(ct, calls) for (filename, _, name), (_, calls, _, ct, _) in stats.stats.items()
                   if filename.replace("\\", "/").endswith(suffix) and name == function]
        if entries:
            found.append((what, max(ct for ct, _ in entries), sum(c for _, c in entries)))
        else:
            found.append((what, None, 0))
    return found


def highlight_table(stats: pstats.Stats) -> str:
    """Markdown: the cumulative time of each of `HIGHLIGHTS` and its share of the profile."""
    total = stats.total_tt
    rows = [[what, f"{calls:,}" if ct is not None else "-",
             f"{ct:.2f} s" if ct is not None else "not in this profile",
             f"{100 * ct / total:.1f} %" if ct is not None else "-"]
            for what, ct, calls in highlights(stats)]
    return markdown_table(["hot spot (cumulative, includes callees)", "calls", "seconds", "share"], rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ir", type=Path, default=BUILD / "resnet18.mlir",
                        help="imported IR (default: build/bench/resnet18.mlir, from compile_bench.py)")
    parser.add_argument("--target", default="aie-ml")
    parser.add_argument("--tiles", type=int, default=28)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--json", type=Path, help="write the tables as JSON (for run_all.py)")
    args = parser.parse_args(argv)
    if not args.ir.is_file():
        print(f"profile_compile: {args.ir} does not exist; `rcbc import resnet18 -o {args.ir}` "
              "writes it", file=sys.stderr)
        return 2
    stats, passes, wall = profile(args.ir, args.target, args.tiles, BUILD / "compile.prof")
    print(f"compile of {args.ir} under cProfile: {wall:.1f} s ({MEASURED}, profiled)")
    print("passes (profiled): " + ", ".join(f"{name} {t:.2f} s" for name, t in passes.items()))
    print(area_table(stats))
    print()
    print(highlight_table(stats))
    print()
    print(top_table(stats, args.top))
    print(f"\nprofile written to {BUILD / 'compile.prof'}")
    if args.json:
        args.json.write_text(json.dumps({
            "ok": True, "profiled_s": wall, "passes": passes, "total_tt": stats.total_tt,
            "areas": area_table(stats), "highlights": highlight_table(stats),
            "top": top_table(stats, args.top),
        }, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
