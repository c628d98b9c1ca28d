"""What the benchmark scripts share: where they write, how they describe this machine, and how
they print a table.

Every figure a benchmark prints is one of two kinds, and says which:

- *measured on this machine*: wall time of something this machine did (compile, run, dispatch);
- *modeled*: what rcbc's timing model (`rcbc.runtime.timing`, from the target's documented
  numbers) says the accelerator would do. No AI Engine hardware is reachable here.

The scripts run from any directory; `ROOT` is the repository and `BUILD` (``build/bench``) holds
what one run produces (imported IR, programs, per-point results) so the later steps of a run
reuse it instead of compiling again.
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "build" / "bench"
DOCS = ROOT / "docs"

MEASURED = "measured on this machine"
MODELED = "modeled"

if str(ROOT / "bench") not in sys.path:  # the scripts import one another by module name
    sys.path.insert(0, str(ROOT / "bench"))


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def load_average() -> tuple[float, float, float] | None:
    """The 1, 5 and 15 minute load averages (None where the OS does not say)."""
    try:
        return os.getloadavg()
    except OSError:
        return None


def machine() -> str:
    """``AMD EPYC, 2 CPUs, Linux, Python 3.11.9``."""
    return (f"{cpu_name()}, {os.cpu_count()} CPUs, {platform.system()}, "
            f"Python {platform.python_version()}")


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[object]],
                   align: str | None = None) -> str:
    """A GitHub markdown table; `align` is one letter per column, ``l`` or ``r`` (default: the
    first column left, the others right). Cells are written with `str`; ``|`` is escaped."""
    align = align or "l" + "r" * (len(header) - 1)
    if len(align) != len(header) or any(len(row) != len(header) for row in rows):
        raise ValueError("markdown_table: every row needs one cell per column of the header")

    def cell(value: object) -> str:
        return str(value).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(cell(h) for h in header) + " |",
             "|" + "|".join("---:" if a == "r" else "---" for a in align) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def seconds(value: float | None) -> str:
    """A measured duration in seconds, for tables: ``12.3 s``, ``0.41 s``, ``-``."""
    if value is None:
        return "-"
    return f"{value:.1f} s" if value >= 10 else f"{value:.2f} s"


def short_error(message: str, limit: int = 160) -> str:
    """The first line of an error message, cut to `limit` characters, for a table cell."""
    line = next((part.strip() for part in str(message).splitlines() if part.strip()), "error")
    return line if len(line) <= limit else line[: limit - 3] + "..."


def rel(path: Path) -> str:
    """`path` relative to the repository, for commands shown in the docs."""
    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return str(path)
