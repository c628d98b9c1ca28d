"""Top-1 and top-5 accuracy of a compiled classifier on a folder of labelled images (``rcbc eval``).

    classifier = Classifier.of(program)                       # its image input and class scores
    items = read_labels(Path("val.txt"), Path("val/"))        # [Labelled(image, label, where)]
    check_labels(items, classifier.classes)
    preprocess = Preprocess.imagenet(*classifier.image_size)  # torchvision's eval transform
    tally = evaluate(classifier, engine("python", program, path), items, preprocess)
    tally.top1, tally.top5, tally.count

**Labels.** A labels file gives each image's class, one a line, in either form (blank lines
are skipped): ``<file name> <class index>``, the ``val.txt`` of Caffe and Vitis AI, with names
relative to the images' directory; or ``<class index>`` alone, for the images of the directory
(`IMAGE_SUFFIXES`) in sorted name order. Indices are 0-based, in the order of the program's
outputs (for torchvision's ImageNet models: the synsets' WordNet ids, sorted). The ImageNet
devkit's ``ILSVRC2012_validation_ground_truth.txt`` is neither: its ids are 1-based, in the
devkit's own synset order (``data/meta.mat``); map them to the model's indices first.

**Preprocessing** is torchvision's ImageNet eval transform, ``Resize(resize)``,
``CenterCrop((height, width))``, ``ToTensor()``, ``Normalize(mean, std)``, on the same PIL
image, so the same float32 values: the image as RGB, its shorter side resized to `resize`
(bilinear, antialiased; default 256/224 of the larger of the program's input height and width,
so 256 for 224), the center crop of the input's size, scaled to [0, 1] and normalized by
ImageNet's mean and standard deviation.

**Ranking.** A label is in the top k when fewer than k classes rank before it: a higher score,
or the same score and a lower index (argmax's order). An int8 output is ranked as it is:
dequantization is increasing, so the ranks are those of the real scores.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rcbc.bytecode import program as rcb
from rcbc.bytecode.quantization import binding_qparams, missing_qparams
from rcbc.quantize.scheme import QParams, quantize
from rcbc.runtime.engines import Run

IMAGE_SUFFIXES = (".jpeg", ".jpg", ".png")
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)
RESIZE_RATIO = 256 / 224  # ImageNet's eval transform: resize to 256, crop 224


class EvalError(Exception):
    """Images, labels or a program that an evaluation cannot use; the message says which."""


@dataclass(frozen=True)
class Classifier:
    """A program's one image input ``[N, 3, H, W]`` and its class scores ``[N, classes]``."""

    input: rcb.IoBinding
    output: rcb.IoBinding
    quant: QParams | None = None  # an int8 input's scale and zero point, as the program holds them

    @classmethod
    def of(cls, program: rcb.Program) -> Classifier:
        """The classifier `program` is, or an `EvalError` saying why it is none."""
        inputs = [b for b in program.io if b.direction is rcb.IoDirection.INPUT]
        outputs = [b for b in program.io if b.direction is rcb.IoDirection.OUTPUT]
        for kind, found in (("input", inputs), ("output", outputs)):
            if len(found) != 1:
                names = ", ".join(f"'{b.name}'" for b in found) or "none"
                raise EvalError(f"the program has {len(found)} {kind}s ({names}); an image "
                                f"classifier has one")
        (x,), (y,) = inputs, outputs
        if len(x.shape) != 4 or x.shape[1] != 3 or x.dtype not in (rcb.DType.F32, rcb.DType.I8):
            raise EvalError(f"the program's input '{x.name}' is {x.dtype.name.lower()} "
                            f"{list(x.shape)}: images go to a float32 or int8 input [N, 3, H, W]")
        if len(y.shape) < 2 or y.shape[0] != x.shape[0] or math.prod(y.shape[2:]) != 1:
            raise EvalError(f"the program's output '{y.name}' has shape {list(y.shape)}, not class "
                            f"scores [N, classes] for its {x.shape[0]} input image(s)")
        quant = binding_qparams(program, x)
        if x.dtype is rcb.DType.I8 and quant is None:
            raise EvalError(f"{missing_qparams(x)}: compile the model again with rcbc compile "
                            "--precision int8")
        return cls(x, y, quant)

    @property
    def batch(self) -> int:
        return self.input.shape[0]

    @property
    def image_size(self) -> tuple[int, int]:
        """(height, width)."""
        return self.input.shape[2], self.input.shape[3]

    @property
    def classes(self) -> int:
        return self.output.shape[1]


@dataclass(frozen=True)
class Labelled:
    """An image, its class, and where the labels file says so (``val.txt line 3``)."""

    image: Path
    label: int
    where: str


def read_labels(labels: Path, images: Path) -> list[Labelled]:
    """The images of directory `images` and their classes, as the file `labels` gives them."""
    if not images.is_dir():
        raise EvalError(f"{images} is not a directory of images")
    try:
        text = labels.read_text()
    except (OSError, UnicodeDecodeError) as e:
        raise EvalError(f"cannot read {labels}: {getattr(e, 'strerror', None) or e}") from None
    lines = [(n, line.strip()) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    if not lines:
        raise EvalError(f"{labels} holds no labels")
    named = len(lines[0][1].split()) > 1
    entries = []  # (where, file name or None, label)
    for n, line in lines:
        fields = line.rsplit(None, 1)  # a file name may hold spaces
        where = f"{labels} line {n}"
        if (len(fields) > 1) != named:
            form = "'<file name> <class index>'" if named else "'<class index>'"
            raise EvalError(f"{where}: expected {form}, as on line {lines[0][0]}")
        try:
            label = int(fields[-1])
        except ValueError:
            raise EvalError(f"{where}: '{fields[-1]}' is not a class index") from None
        entries.append((where, fields[0] if named else None, label))
    if named:
        files = [images / name for _, name, _ in entries]
        for file, (where, _, _) in zip(files, entries):
            if not file.is_file():
                raise EvalError(f"{where}: no image {file}")
    else:
        files = sorted(f for f in images.iterdir() if f.suffix.lower() in IMAGE_SUFFIXES)
        if len(files) != len(entries):
            raise EvalError(
                f"{labels} has {_count(len(entries), 'label')}, one a line, for the images of "
                f"{images} in name order, but {images} holds {_count(len(files), 'image')} "
                f"({', '.join(IMAGE_SUFFIXES)})"
            )
    return [Labelled(file, label, where) for file, (where, _, label) in zip(files, entries)]


def check_labels(items: Sequence[Labelled], classes: int) -> None:
    """Every label must be one of `classes` classes."""
    for item in items:
        if not 0 <= item.label < classes:
            hint = ("; if the labels are 1-based (ILSVRC2012_validation_ground_truth.txt), map "
                    "them to the model's 0-based classes first" if item.label == classes else "")
            raise EvalError(f"{item.where}: class {item.label} is out of range: the "
                            f"program's output has {classes} classes, 0 to {classes - 1}{hint}")


@dataclass(frozen=True)
class Preprocess:
    """torchvision's ImageNet eval transform, from an image file to a float32 ``[3, H, W]``."""

    height: int
    width: int
    resize: int  # the shorter side, before the center crop
    mean: tuple[float, ...] = IMAGENET_MEAN
    std: tuple[float, ...] = IMAGENET_STD

    @classmethod
    def imagenet(cls, height: int, width: int, resize: int | None = None, **options) -> Preprocess:
        """`resize` defaults to 256/224 of the larger of `height` and `width`."""
        return cls(height, width, resize or round(max(height, width) * RESIZE_RATIO), **options)

    def __post_init__(self) -> None:
        if self.resize < max(self.height, self.width):
            raise EvalError(f"resize {self.resize} is smaller than the {self.height}x{self.width} "
                            "crop")
        for name, values in (("mean", self.mean), ("std", self.std)):
            if len(values) != 3:
                count = _count(len(values), "value")
                raise EvalError(f"{name} has {count}, not one per RGB channel")
        if min(self.std) <= 0:
            raise EvalError(f"std {','.join(map(str, self.std))} must be positive")

    def __str__(self) -> str:
        return (f"shorter side resized to {self.resize}, center crop {self.height}x{self.width}, "
                f"[0, 1], mean {','.join(map(str, self.mean))}, std {','.join(map(str, self.std))}")

    def __call__(self, path: Path) -> np.ndarray:
        from PIL import Image

        try:
            with Image.open(path) as image:
                image = image.convert("RGB")
        except Image.UnidentifiedImageError:
            raise EvalError(f"cannot read image {path}: not an image format PIL reads") from None
        except (OSError, ValueError, Image.DecompressionBombError) as e:
            reason = getattr(e, "strerror", None) or e
            raise EvalError(f"cannot read image {path}: {reason}") from None
        width, height = image.size
        short, long = sorted((width, height))
        size = (self.resize, int(self.resize * long / short))  # torchvision's rounding
        image = image.resize(size if width <= height else size[::-1], Image.Resampling.BILINEAR)
        top = int(round((image.height - self.height) / 2.0))
        left = int(round((image.width - self.width) / 2.0))
        image = image.crop((left, top, left + self.width, top + self.height))
        x = np.asarray(image, np.float32).transpose(2, 0, 1) / np.float32(255)
        mean, std = (np.array(v, np.float32)[:, None, None] for v in (self.mean, self.std))
        return (x - mean) / std


@dataclass
class Tally:
    """How many images were counted, and how many had their label in the top 1 and top 5."""

    count: int = 0
    top1: int = 0
    top5: int = 0

    def add(self, scores: np.ndarray, labels: Sequence[int]) -> None:
        """Count the rows of `scores` ``[n, classes]``, with their `labels`."""
        scores = np.asarray(scores, np.float64)
        for row, label in zip(scores, labels):
            rank = int(np.sum(row > row[label]) + np.sum(row[:label] == row[label]))
            self.count += 1
            self.top1 += rank < 1
            self.top5 += rank < 5

    def percent(self, hits: int) -> float:
        return 100.0 * hits / self.count if self.count else 0.0

    def __str__(self) -> str:
        return (f"top-1 {self.top1} of {self.count} = {self.percent(self.top1):.2f} %, "
                f"top-5 {self.top5} of {self.count} = {self.percent(self.top5):.2f} %")


def evaluate(
    classifier: Classifier,
    run: Run,
    items: Sequence[Labelled],
    preprocess: Preprocess,
    progress: Callable[[Tally], None] | None = None,
    runs: int = 16,
) -> Tally:
    """Run `classifier` by `run` on `items`, `runs` batches of its input at a time (the last
    padded with zeros to whole batches), each image preprocessed and, for an int8 input,
    quantized with the classifier's `quant`; `progress` sees the tally after each call of `run`."""
    tally = Tally()
    batch = classifier.batch
    for start in range(0, len(items), batch * runs):
        chunk = items[start : start + batch * runs]
        padded = -(-len(chunk) // batch) * batch
        x = np.zeros((padded, *classifier.input.shape[1:]), np.float32)
        for i, item in enumerate(chunk):
            try:
                x[i] = preprocess(item.image)
            except EvalError as e:
                raise EvalError(f"{item.where}: {e}") from None
        value = x if classifier.quant is None else quantize(x, classifier.quant)
        scores = run({classifier.input.name: value})[classifier.output.name]
        tally.add(scores.reshape(padded, -1)[: len(chunk)], [i.label for i in chunk])
        if progress:
            progress(tally)
    return tally


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' * (n != 1)}"
