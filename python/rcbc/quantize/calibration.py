"""Calibration: sample inputs, and the range of every value of a model over them.

Samples are random (seeded) or read from a directory of ``.npy`` files and images. `calibrate`
runs the folded export on each sample, one at a time, and gives an observer
(`rcbc.quantize.observers`) each value it is asked for, named by its graph node::

    >>> samples = samples_from_directory("calibration/", (3, 224, 224))
    >>> samples = random_samples((3, 64, 64), count=8, seed=0)
    >>> ranges = calibrate(program, ["x", "relu_"], samples, "percentile")
    >>> ranges["relu_"]                      # ResNet-18's conv1 output (seed 0), after its ReLU
    (0.0, 1.1396484375)
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import torch
import torch.fx
import torch.nn.functional as F
from torch.export import ExportedProgram
from torch.export.graph_signature import InputKind
from torchvision.io import ImageReadMode, decode_image

from rcbc.frontend.errors import FrontendError
from rcbc.quantize.observers import make_observer
from rcbc.runtime.evaluate import IMAGE_SUFFIXES, IMAGENET_MEAN, IMAGENET_STD, EvalError, Preprocess



def random_samples(shape: tuple[int, ...], count: int, seed: int = 0) -> np.ndarray:
    """`count` inputs of `shape` from a standard normal, seeded: `[count, *shape]` float32."""
    return np.random.default_rng(seed).standard_normal((count, *shape), dtype=np.float32)


def samples_from_directory(
    path: str | os.PathLike,
    shape: tuple[int, int, int],
    mean: tuple[float, ...] | None = IMAGENET_MEAN,
    std: tuple[float, ...] | None = IMAGENET_STD,
) -> np.ndarray:
    """The inputs in directory `path`, in name order: `[count, *shape]` float32.

    A ``.npy`` file holds one input of `shape` or a batch of them. An image (PNG, JPEG) with
    three channels is preprocessed as ``rcbc eval`` does (`rcbc.runtime.evaluate.Preprocess`:
    torchvision's ImageNet eval transform, normalized by `mean` and `std`, ImageNet's by default,
    None for none), so that calibration sees what evaluation feeds; with one channel it is read
    gray, resized to `shape`'s height and width and scaled to [0, 1]. Other files are ignored.
    """
    directory = Path(path)
    if not directory.is_dir():
        raise FrontendError(f"calibration data {directory} is not a directory")
    samples = []
    for file in sorted(directory.iterdir()):
        suffix = file.suffix.lower()
        if suffix == ".npy":
            samples.extend(_npy_samples(file, shape))
        elif suffix in IMAGE_SUFFIXES:
            samples.append(_image_sample(file, shape, mean, std))
    if not samples:
        kinds = ", ".join(IMAGE_SUFFIXES)
        raise FrontendError(
            f"calibration data {directory} holds no .npy file and no image ({kinds})"
        )
    return np.stack(samples)


def calibrate(
    program: ExportedProgram,
    values: Iterable[str],
    samples: Iterable[np.ndarray],
    observer: str = "minmax",
    **options: float,
) -> dict[str, tuple[float, float]]:
    """The observed range `(lo, hi)` of each of `values` (node names) over `samples`."""
    observed = {name: make_observer(observer, **options) for name in values}
    recorder = _Recorder(program, observed)
    count = 0
    with torch.no_grad():
        for sample in samples:
            recorder.run_on(torch.from_numpy(np.asarray(sample, np.float32))[None])
            count += 1
    if not count:
        raise FrontendError("calibration needs at least one sample")
    return {name: obs.range() for name, obs in observed.items()}


class _Recorder(torch.fx.Interpreter):
    """Runs the export's graph and shows each observed node's result to its observer."""

    def __init__(self, program: ExportedProgram, observed: dict):
        super().__init__(program.graph_module)
        self.observed = observed
        self.state = []
        for spec in program.graph_signature.input_specs:
            if spec.kind in (InputKind.PARAMETER, InputKind.BUFFER):
                self.state.append(program.state_dict[spec.target])
            elif spec.kind == InputKind.CONSTANT_TENSOR:
                self.state.append(program.constants[spec.target])
            else:
                self.state.append(None)  # the model input

    def run_on(self, x: torch.Tensor) -> None:
        self.run(*(x if value is None else value for value in self.state))

    def run_node(self, node: torch.fx.Node):
        result = super().run_node(node)
        if node.name in self.observed:
            self.observed[node.name].observe(result.detach().numpy())
        return result


def _npy_samples(file: Path, shape: tuple[int, ...]) -> list[np.ndarray]:
    try:
        array = np.load(file)
    except (OSError, ValueError) as e:
        raise FrontendError(f"cannot read calibration input {file}: {e}") from None
    if array.shape == tuple(shape):
        return [array.astype(np.float32)]
    if array.ndim == len(shape) + 1 and array.shape[1:] == tuple(shape):
        return list(array.astype(np.float32))
    raise FrontendError(
        f"calibration input {file} has shape {list(array.shape)}; the model takes "
        f"{list(shape)} (or a batch of them)"
    )


def _image_sample(file: Path, shape: tuple[int, int, int], mean, std) -> np.ndarray:
    channels, height, width = shape
    if channels not in (1, 3):
        raise FrontendError(
            f"calibration image {file}: the model takes {channels} channels, not 1 or 3"
        )
    if channels == 3:
        plain = mean is None
        try:
            preprocess = Preprocess.imagenet(height, width, mean=(0.0,) * 3 if plain else mean,
                                             std=(1.0,) * 3 if plain else std)
            return preprocess(file)
        except EvalError as e:
            raise FrontendError(f"calibration image: {e}") from None
    try:
        image = decode_image(str(file), mode=ImageReadMode.GRAY)
    except RuntimeError as e:
        raise FrontendError(f"cannot read calibration image {file}: {e}") from None
    x = F.interpolate(image[None].float() / 255, size=(height, width), mode="bilinear",
                      antialias=True, align_corners=False)[0]
    return x.numpy().astype(np.float32)
