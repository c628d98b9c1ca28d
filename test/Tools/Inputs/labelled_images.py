"""A folder of labelled images for the `rcbc eval` tests: PNGs of assorted sizes and modes (RGB,
gray, RGBA, palette; some smaller than the crop), random from a seed, and their labels in both
forms `rcbc eval` reads.

    python labelled_images.py DIR [--count N] [--classes K] [--seed S]

writes DIR/images/img-00.png ..., DIR/val.txt (``<file name> <class index>``) and DIR/plain.txt
(the indices alone, in file-name order)."""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from PIL import Image

SIZES = ((40, 48), (64, 36), (33, 33), (20, 28), (100, 70))  # (width, height)
MODES = ("RGB", "L", "RGBA", "P")


def write(directory: Path, count: int = 12, classes: int = 10, seed: int = 0) -> list[tuple[str, int]]:
    """The images and labels files in `directory`; the (file name, label) pairs, in order."""
    rng = np.random.default_rng(seed)
    images = directory / "images"
    images.mkdir(parents=True, exist_ok=True)
    pairs = []
    for i in range(count):
        width, height = SIZES[i % len(SIZES)]
        pixels = rng.integers(0, 256, (height, width, 3), dtype=np.uint8)
        image = Image.fromarray(pixels).convert(MODES[i % len(MODES)])
        name = f"img-{i:02d}.png"
        image.save(images / name)
        pairs.append((name, int(rng.integers(0, classes))))
    (directory / "val.txt").write_text("".join(f"{name} {label}\n" for name, label in pairs))
    (directory / "plain.txt").write_text("".join(f"{label}\n" for _, label in pairs))
    return pairs


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--count", type=int, default=12)
    parser.add_argument("--classes", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    write(args.directory, args.count, args.classes, args.seed)
