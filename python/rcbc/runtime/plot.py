"""A report as a picture: the tile array's utilization heat map and the compute tiles' timeline.

The heat map has a cell per compute tile of the target (columns across, compute rows up), the
tiles the program uses colored by their modeled MAC utilization and labelled with it; the
timeline shows, for each of those tiles, the intervals its core runs kernels, in modeled
microseconds. matplotlib (Agg backend, no display needed) draws it::

    save_plot(report, "resnet18.png")

A missing matplotlib is a `PlotError` saying how to install it.
"""

from __future__ import annotations

import os

import numpy as np

from rcbc.runtime.report import Report, duration


class PlotError(Exception):
    """The plot cannot be drawn or written: matplotlib is missing, or the file is unwritable."""


def save_plot(report: Report, path: str | os.PathLike) -> None:
    """Draw `report` and write it to `path` (PNG, or any format matplotlib knows by suffix)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        from matplotlib import pyplot
    except ImportError:
        raise PlotError("--plot needs matplotlib, which is not installed (pip install matplotlib)") from None

    m = report.target
    utilization = report.utilization()
    grid = np.full((m.compute_rows, m.columns), np.nan)
    for tile, value in utilization.items():
        grid[tile.row - m.first_compute_row, tile.col] = 100 * value

    figure, (heat, timeline) = pyplot.subplots(
        2, 1, figsize=(max(8.0, m.columns * 0.32), 4 + 0.22 * len(utilization) + 0.4 * m.compute_rows),
        height_ratios=(m.compute_rows, max(len(utilization), 4) * 0.6),
    )
    figure.suptitle(
        f"{report.name} on {m.name}: modeled latency {duration(report.latency)}, "
        f"{report.tiles} compute tiles"
    )
    image = heat.imshow(
        grid, origin="lower", cmap="viridis", vmin=0, aspect="auto",
        extent=(-0.5, m.columns - 0.5, m.first_compute_row - 0.5, m.rows - 0.5),
    )
    heat.set_facecolor("#dddddd")  # compute tiles the program does not use
    figure.colorbar(image, ax=heat, label="MAC utilization, modeled (%)")
    heat.set_xlabel("column")
    heat.set_ylabel("row")
    heat.set_title("tile array: MAC utilization per compute tile (grey: unused)", fontsize="medium")
    top = max(utilization.values())
    for tile, value in utilization.items():
        heat.text(tile.col, tile.row, f"{100 * value:.0f}", ha="center", va="center",
                  fontsize="x-small", color="black" if value > 0.6 * top else "white")

    tiles = list(utilization)
    for y, tile in enumerate(tiles):
        spans = [(start * 1e6, (end - start) * 1e6) for start, end in report.busy[tile]]
        timeline.broken_barh(spans, (y - 0.4, 0.8), color="tab:blue")
    timeline.set_yticks(range(len(tiles)), [str(t) for t in tiles], fontsize="x-small")
    timeline.set_ylim(-0.6, len(tiles) - 0.4)
    timeline.set_xlim(0, report.latency * 1e6)
    timeline.invert_yaxis()
    timeline.set_xlabel("modeled time (us)")
    timeline.set_title("kernels running on each compute tile's core", fontsize="medium")
    figure.tight_layout()
    try:
        figure.savefig(path, dpi=120)
    except (OSError, ValueError) as e:  # ValueError: a suffix matplotlib has no format for
        raise PlotError(f"cannot write {path}: {getattr(e, 'strerror', None) or e}") from None
    finally:
        pyplot.close(figure)
