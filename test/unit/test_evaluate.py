"""`rcbc eval` and `rcbc.runtime.evaluate`: a folder of PNGs made here (assorted sizes and modes,
random labels) and the small CNN of the end-to-end tests compiled for aie-ml on 4 tiles. The
preprocessing is torchvision's ImageNet eval transform to the bit; top-1 and top-5 are PyTorch's
on the same tensors, on both engines (and for a batch of 2, through PyTorch); an int8 program
counts what the int8 simulation predicts; every user error is one line and exit status 1."""

from __future__ import annotations

import importlib.util
import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image
from torch import nn
from torchvision import transforms

from rcbc.bytecode import encode
from rcbc.bytecode import program as rcb
from rcbc.compiler import compile_model
from rcbc.quantize import simulate
from rcbc.quantize.scheme import QParams, quantize
from rcbc.runtime import evaluate
from rcbc.runtime.engines import engine, find_rcb_run
from rcbc.runtime.evaluate import Classifier, EvalError, Preprocess, Tally
from rcbc.tools.rcbc import main

ROOT = Path(__file__).resolve().parents[2]
IMAGES = 13  # odd: a batch-2 program pads its last batch


def load(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


small_cnn = load(ROOT / "test" / "EndToEnd" / "Inputs" / "small_cnn.py", "small_cnn")
labelled_images = load(ROOT / "test" / "Tools" / "Inputs" / "labelled_images.py", "labelled_images")


def compiled(tmp_path_factory, model: nn.Module, shape, **options):
    """`model` compiled for aie-ml, 4 tiles: the result and the path of its .rcb file."""
    result = compile_model(model, (torch.zeros(shape),), tiles=4, **options)
    path = tmp_path_factory.mktemp("program") / "prog.rcb"
    path.write_bytes(result.data)
    return result, path


@pytest.fixture(scope="module")
def model():
    torch.manual_seed(0)
    return small_cnn.build()


@pytest.fixture(scope="module")
def program(tmp_path_factory, model):
    return compiled(tmp_path_factory, model, (1, 3, 32, 32))


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    """The directory of images, val.txt and plain.txt, and the (file name, label) pairs."""
    directory = tmp_path_factory.mktemp("data")
    return directory, labelled_images.write(directory, count=IMAGES, classes=10, seed=0)


def torchvision_tensors(directory: Path, names, resize: int, crop) -> torch.Tensor:
    """The images as torchvision's ImageNet eval transform makes them."""
    transform = transforms.Compose([
        transforms.Resize(resize), transforms.CenterCrop(crop), transforms.ToTensor(),
        transforms.Normalize(evaluate.IMAGENET_MEAN, evaluate.IMAGENET_STD),
    ])
    return torch.stack([transform(Image.open(directory / n).convert("RGB")) for n in names])


def pytorch_tally(scores: torch.Tensor, labels) -> tuple[int, int]:
    top5 = scores.topk(5, dim=1).indices
    labels = torch.tensor(labels)
    return int((top5[:, 0] == labels).sum()), int((top5 == labels[:, None]).any(dim=1).sum())


# -- preprocessing, labels, ranking ------------------------------------------------------------


@pytest.mark.parametrize("crop", [(32, 32), (24, 32), (32, 20)])
def test_preprocessing_is_torchvisions_eval_transform(data, crop):
    directory, pairs = data
    names = [name for name, _ in pairs]
    preprocess = Preprocess.imagenet(*crop)
    assert preprocess.resize == 37  # 256/224 of 32
    expected = torchvision_tensors(directory / "images", names, 37, crop).numpy()
    ours = np.stack([preprocess(directory / "images" / n) for n in names])
    assert ours.dtype == np.float32
    np.testing.assert_array_equal(ours, expected)


def test_imagenet_sizes():
    assert Preprocess.imagenet(224, 224).resize == 256
    assert Preprocess.imagenet(224, 224, resize=232).resize == 232


def test_both_labels_forms_give_the_same_images(data):
    directory, pairs = data
    named = evaluate.read_labels(directory / "val.txt", directory / "images")
    plain = evaluate.read_labels(directory / "plain.txt", directory / "images")
    assert [(i.image.name, i.label) for i in named] == pairs
    assert [(i.image, i.label) for i in plain] == [(i.image, i.label) for i in named]
    assert plain[2].where == f"{directory / 'plain.txt'} line 3"


def test_labels_skip_blank_lines_and_names_may_hold_spaces(tmp_path):
    (tmp_path / "a b.png").write_bytes(b"")
    (tmp_path / "labels.txt").write_text("\n  a b.png   7 \n\n")
    (item,) = evaluate.read_labels(tmp_path / "labels.txt", tmp_path)
    where = f"{tmp_path / 'labels.txt'} line 2"
    assert (item.image.name, item.label, item.where) == ("a b.png", 7, where)


def test_ties_rank_as_argmax_does():
    tally = Tally()
    scores = np.array([[1, 3, 3, 0, 0, 0, 0]] * 4, np.int8)
    tally.add(scores, [1, 2, 3, 6])  # 2 ranks 2nd, after 1; 3 ranks 4th; 6 ranks 7th, after 3-5
    assert (tally.count, tally.top1, tally.top5) == (4, 1, 3)
    assert str(tally) == "top-1 1 of 4 = 25.00 %, top-5 3 of 4 = 75.00 %"


def io(name, direction, dtype, shape):
    return rcb.IoBinding(name, direction, dtype, shape, 0)


IN, OUT = rcb.IoDirection.INPUT, rcb.IoDirection.OUTPUT


@pytest.mark.parametrize("bindings, message", [
    ([io("y", OUT, rcb.DType.F32, (1, 10))],
     "the program has 0 inputs (none); an image classifier has one"),
    ([io("x", IN, rcb.DType.F32, (1, 1, 8, 8)), io("y", OUT, rcb.DType.F32, (1, 10))],
     "the program's input 'x' is f32 [1, 1, 8, 8]: images go to a float32 or int8 input "
     "[N, 3, H, W]"),
    ([io("x", IN, rcb.DType.F32, (2, 3, 8, 8)), io("y", OUT, rcb.DType.F32, (1, 10))],
     "the program's output 'y' has shape [1, 10], not class scores [N, classes] for its 2 input"),
])
def test_programs_that_are_no_classifier(bindings, message):
    with pytest.raises(EvalError, match=re.escape(message)):
        Classifier.of(rcb.Program("aie-ml", 1 << 20, (), (), tuple(bindings)))


def qparams_entries(name, scale, zero_point):
    """The data entries of an int8 binding's scale and zero point (docs/rcb-bytecode.md)."""
    return (rcb.DataEntry(f"{name}.scale", 0, rcb.DType.F32, (1,), np.float32(scale).tobytes()),
            rcb.DataEntry(f"{name}.zero_point", 64, rcb.DType.I32, (1,), np.int32(zero_point).tobytes()))


def test_class_scores_may_have_unit_dimensions():
    program = rcb.Program("aie-ml", 1 << 20, (), qparams_entries("x", 0.5, 3), (
        io("x", IN, rcb.DType.I8, (1, 3, 8, 8)), io("y", OUT, rcb.DType.I8, (1, 10, 1, 1))))
    assert Classifier.of(program).classes == 10


def test_an_int8_input_is_quantized_with_the_programs_parameters(tmp_path):
    program = rcb.Program("aie-ml", 1 << 20, (), qparams_entries("x", 0.02, 3), (
        io("x", IN, rcb.DType.I8, (1, 3, 8, 8)), io("y", OUT, rcb.DType.I8, (1, 10))))
    classifier = Classifier.of(program)
    assert classifier.quant == QParams(np.float32(0.02), 3)
    Image.new("RGB", (8, 8), (255, 0, 128)).save(path := tmp_path / "a.png")
    preprocess, seen = Preprocess.imagenet(8, 8), []

    def run(inputs):
        seen.append(inputs["x"])
        return {"y": np.zeros((1, 10), np.int8)}

    evaluate.evaluate(classifier, run, [evaluate.Labelled(path, 0, "line 1")], preprocess)
    (x,) = seen
    assert x.dtype == np.int8 and np.array_equal(x[0], quantize(preprocess(path), classifier.quant))
    assert len(np.unique(x)) == 3  # one value per channel, none saturated to the same bound


def test_an_int8_input_without_parameters_is_an_error():
    program = rcb.Program("aie-ml", 1 << 20, (), (), (
        io("x", IN, rcb.DType.I8, (1, 3, 8, 8)), io("y", OUT, rcb.DType.I8, (1, 10))))
    with pytest.raises(EvalError, match=re.escape(
            "the program takes int8 input 'x' but holds no scale and zero point for it (data "
            "entries 'x.scale' and 'x.zero_point'): compile the model again with rcbc compile "
            "--precision int8")):
        Classifier.of(program)


# -- accuracy against PyTorch ---------------------------------------------------------------------


def engines():
    return ["python", pytest.param("c", marks=pytest.mark.skipif(
        find_rcb_run() is None, reason="rcb-run is not built: make build-c, or set RCB_RUN"))]


@pytest.mark.parametrize("engine_name", engines())
def test_top1_and_top5_are_pytorchs(model, program, data, engine_name):
    result, path = program
    directory, pairs = data
    classifier = Classifier.of(result.program)
    items = evaluate.read_labels(directory / "val.txt", directory / "images")
    tally = evaluate.evaluate(classifier, engine(engine_name, result.program, path), items,
                              Preprocess.imagenet(32, 32))
    x = torchvision_tensors(directory / "images", [n for n, _ in pairs], 37, 32)
    with torch.no_grad():
        expected = pytorch_tally(model(x), [label for _, label in pairs])
    assert (tally.count, tally.top1, tally.top5) == (IMAGES, *expected)
    assert 0 < tally.top5 < IMAGES  # the check would see a wrong ranking


def test_a_batch_of_2_pads_the_last_and_counts_every_image_once(model, data):
    """A classifier of batch 2 (`run` is PyTorch here: the compiler computes only the first image
    of a batch today), on 13 images, 3 batches per call: calls of 6, 6 and 2 images, the last
    batch one image and a row of zeros."""
    directory, pairs = data
    classifier = Classifier(io("x", IN, rcb.DType.F32, (2, 3, 32, 32)),
                            io("y", OUT, rcb.DType.F32, (2, 10)))
    batches = []

    def run(inputs):
        batches.append(inputs["x"])
        with torch.no_grad():
            return {"y": model(torch.from_numpy(inputs["x"])).numpy()}

    items = evaluate.read_labels(directory / "val.txt", directory / "images")
    tally = evaluate.evaluate(classifier, run, items, Preprocess.imagenet(32, 32), runs=3)
    x = torchvision_tensors(directory / "images", [n for n, _ in pairs], 37, 32)
    with torch.no_grad():
        expected = pytorch_tally(model(x), [label for _, label in pairs])
    assert (tally.count, tally.top1, tally.top5) == (IMAGES, *expected)
    assert [len(b) for b in batches] == [6, 6, 2] and not batches[-1][1].any()


@pytest.fixture(scope="module")
def int8_program(tmp_path_factory):
    torch.manual_seed(0)
    return compiled(tmp_path_factory, small_cnn.build_int8(), (1, 3, 32, 32), precision="int8")


def test_an_int8_program_counts_what_the_simulation_predicts(int8_program, data, capsys):
    directory, pairs = data
    result, path = int8_program
    qmodel = result.quantized
    x = torchvision_tensors(directory / "images", [n for n, _ in pairs], 37, 32).numpy()
    held = Classifier.of(result.program).quant  # the model's, rounded to float32
    assert held == QParams(float(np.float32(qmodel.input.scale)), qmodel.input.zero_point)
    expected = Tally()
    expected.add(np.stack([simulate.run(qmodel, quantize(image, held))[
        qmodel.network.output] for image in x]), [label for _, label in pairs])
    for engine_name in ("python", "c") if find_rcb_run() else ("python",):
        assert main(["eval", str(path), "--images", str(directory / "images"), "--labels",
                     str(directory / "plain.txt"), "--engine", engine_name]) == 0
        out = capsys.readouterr().out
        assert f"top-1: {expected.top1} of {IMAGES} = " in out
        assert f"top-5: {expected.top5} of {IMAGES} = " in out


# -- user errors ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def features(tmp_path_factory):
    """A program whose output is a feature map, not class scores."""
    torch.manual_seed(0)
    return compiled(tmp_path_factory, nn.Sequential(nn.Conv2d(3, 4, 3, padding=1)), (1, 3, 8, 8))[1]


def error(argv, capsys) -> str:
    """The one line `rcbc eval ARGV` prints on stderr, after it exits with status 1."""
    assert main(["eval", *map(str, argv)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    (line,) = [line for line in err.splitlines() if line.startswith("rcbc eval: error: ")]
    return line.removeprefix("rcbc eval: error: ")


LABELS_ERRORS = [  # a labels file's text, and the error (IMAGES images, 10 classes)
    ("img-00.png 3\nimg-99.png 1\n", "{labels} line 2: no image {images}/img-99.png"),
    ("img-00.png 3\n\nimg-01.png 12\n",
     "{labels} line 3: class 12 is out of range: the program's output has 10 classes, 0 to 9"),
    ("10\n" * IMAGES,
     "{labels} line 1: class 10 is out of range: the program's output has 10 classes, 0 to 9; "
     "if the labels are 1-based (ILSVRC2012_validation_ground_truth.txt), map them to the "
     "model's 0-based classes first"),
    ("img-00.png three\n", "{labels} line 1: 'three' is not a class index"),
    ("img-00.png 1\n2\n", "{labels} line 2: expected '<file name> <class index>', as on line 1"),
    ("1\n2\n", "{labels} has 2 labels, one a line, for the images of {images} in name order, "
     f"but {{images}} holds {IMAGES} images (.jpeg, .jpg, .png)"),
    ("\n", "{labels} holds no labels"),
]


@pytest.mark.parametrize("text, message", LABELS_ERRORS)
def test_labels_errors(program, data, tmp_path, capsys, text, message):
    images, labels = data[0] / "images", tmp_path / "labels.txt"
    labels.write_text(text)
    assert error([program[1], "--images", images, "--labels", labels], capsys) == \
        message.format(labels=labels, images=images)


def test_user_errors(program, data, features, tmp_path, capsys, monkeypatch):
    _, path = program
    directory, _ = data
    images, val = directory / "images", directory / "val.txt"

    def fails(*argv) -> str:
        return error([path, *argv], capsys)

    assert fails("--images", tmp_path / "none", "--labels", val) == \
        f"{tmp_path / 'none'} is not a directory of images"
    assert fails("--images", images, "--labels", tmp_path / "none.txt") == \
        f"cannot read {tmp_path / 'none.txt'}: No such file or directory"
    (tmp_path / "not-an-image.png").write_text("text")
    (labels := tmp_path / "bad-image.txt").write_text("not-an-image.png 1\n")
    assert fails("--images", tmp_path, "--labels", labels) == (
        f"{labels} line 1: cannot read image {tmp_path / 'not-an-image.png'}: not an image "
        "format PIL reads")
    assert error([features, "--images", images, "--labels", val], capsys) == (
        "the program's output 'output' has shape [1, 4, 8, 8], not class scores [N, classes] "
        "for its 1 input image(s)")
    assert fails("--images", images, "--labels", val, "--resize", "30") == \
        "resize 30 is smaller than the 32x32 crop"
    assert fails("--images", images, "--labels", val, "--mean", "0.5") == \
        "mean has 1 value, not one per RGB channel"
    assert fails("--images", images, "--labels", val, "--limit", "0") == \
        "--limit 0: give at least 1 image"
    monkeypatch.setenv("RCB_RUN", str(tmp_path / "rcb-run"))
    assert fails("--images", images, "--labels", val, "--engine", "c") == (
        f"rcb-run is not built at {tmp_path / 'rcb-run'}: build it with `make build-c` (or "
        "cmake), put it on the PATH or name it in $RCB_RUN")


def test_an_int8_program_needs_its_input_parameters(int8_program, data, tmp_path, capsys):
    """A file without the entries (written before rcbc stored them) is refused by name."""
    directory, _ = data
    result, _ = int8_program
    stripped = replace(result.program, data=tuple(
        e for e in result.program.data if e.name not in ("x.scale", "x.zero_point")))
    (path := tmp_path / "old.rcb").write_bytes(encode(stripped))
    assert error([path, "--images", directory / "images", "--labels", directory / "val.txt"],
                 capsys) == (
        "the program takes int8 input 'x' but holds no scale and zero point for it (data entries "
        "'x.scale' and 'x.zero_point'): compile the model again with rcbc compile --precision int8")
    # One entry of the two is a malformed file (rcbc.bytecode.quantization checks it).
    half = replace(result.program, data=tuple(e for e in result.program.data if e.name != "x.scale"))
    (path := tmp_path / "half.rcb").write_bytes(encode(half))
    assert error([path, "--images", directory / "images", "--labels", directory / "val.txt"],
                 capsys) == "int8 input 'x' has the data entry 'x.zero_point' but not 'x.scale'"
