"""int8 accuracy on real data: a small CNN trained here, in seconds, on scikit-learn's
handwritten digits (8x8 images, 10 classes), quantized after training with 100 training images
for calibration, and run by the numpy int8 simulation (the reference int8 kernels). Its test-set
accuracy may lose at most one point against PyTorch fp32. The figures are printed."""

from __future__ import annotations

import time

import numpy as np
import pytest
import torch
from torch import nn

from rcbc.quantize import simulate
from rcbc.quantize.quantizer import quantize_model

datasets = pytest.importorskip("sklearn.datasets", reason="scikit-learn is in the [test] extras")


class DigitsNet(nn.Module):
    """Conv + BatchNorm + ReLU, a residual block, a strided conv with ReLU6, pooling, Linear."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU())
        self.conv1, self.bn1 = nn.Conv2d(16, 16, 3, padding=1), nn.BatchNorm2d(16)
        self.conv2, self.bn2 = nn.Conv2d(16, 16, 3, padding=1), nn.BatchNorm2d(16)
        self.down = nn.Sequential(nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.BatchNorm2d(32), nn.ReLU6())
        self.head = nn.Sequential(nn.MaxPool2d(2), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 10))

    def forward(self, x):
        x = self.stem(x)
        x = torch.relu(self.bn2(self.conv2(torch.relu(self.bn1(self.conv1(x))))) + x)
        return self.head(self.down(x))


@pytest.fixture(scope="module")
def digits():
    """The data (images scaled to [0, 1]), a 75/25 split, and the model trained on it."""
    data = datasets.load_digits()
    x = (data.images / 16.0).astype(np.float32)[:, None]
    y = data.target.astype(np.int64)
    order = np.random.default_rng(0).permutation(len(x))
    train_set, test_set = order[:1347], order[1347:]
    start = time.perf_counter()
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # small batches: more threads only contend on a busy machine
    try:
        model = train(x[train_set], y[train_set])
    finally:
        torch.set_num_threads(threads)
    return x, y, train_set, test_set, model, time.perf_counter() - start


def train(x: np.ndarray, y: np.ndarray) -> nn.Module:
    torch.manual_seed(0)
    model = DigitsNet()
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    model.train()
    for _ in range(15):
        order = torch.randperm(len(xt))
        for i in range(0, len(xt), 32):
            batch = order[i : i + 32]
            loss = nn.functional.cross_entropy(model(xt[batch]), yt[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    return model.eval()


def percent_equal(a: np.ndarray, b: np.ndarray) -> float:
    return 100 * float(np.mean(a == b))


def report_accuracy(capsys, fp32, int8, labels, calibration: str, what: str, times: str):
    """Print PyTorch fp32's and `what`'s accuracy on the digits' test set; returns both (%)."""
    fp32_accuracy, int8_accuracy = percent_equal(fp32, labels), percent_equal(int8, labels)
    with capsys.disabled():
        print(f"\ndigits ({len(labels)} test images), {calibration}: PyTorch fp32 "
              f"{fp32_accuracy:.2f} %, {what} {int8_accuracy:.2f} %, same prediction "
              f"{percent_equal(fp32, int8):.2f} % (measured: {times})")
    return fp32_accuracy, int8_accuracy


@pytest.mark.parametrize("observer", ["minmax", "percentile"])
def test_int8_loses_at_most_one_point_on_digits(digits, observer, capsys):
    x, y, train_set, test_set, model, training = digits
    trained = time.perf_counter()
    with torch.no_grad():
        fp32 = model(torch.from_numpy(x[test_set])).numpy().argmax(axis=1)
    qmodel = quantize_model(model, x[train_set[:100]], observer)
    int8 = simulate.predict(qmodel, x[test_set]).argmax(axis=1)
    done = time.perf_counter()
    fp32_accuracy, int8_accuracy = report_accuracy(
        capsys, fp32, int8, y[test_set], f"{observer} calibration on 100", "rcbc int8 simulation",
        f"training {training:.1f} s, quantization and int8 run {done - trained:.1f} s")
    assert fp32_accuracy >= 95.0, "the model did not train"
    assert int8_accuracy >= fp32_accuracy - 1.0


def test_compiled_int8_program_on_digits(digits, capsys):
    """The same model compiled with ``precision="int8"`` (aie-ml, 4 tiles) and run image by image
    on the reference executor: its int8 outputs are the simulation's exactly, and its accuracy
    is within one point of PyTorch fp32."""
    from rcbc.compiler import compile_model
    from rcbc.quantize.scheme import dequantize, quantize
    from rcbc.runtime.executor import execute

    x, y, train_set, test_set, model, _ = digits
    start = time.perf_counter()
    compiled = compile_model(model, (torch.from_numpy(x[:1]),), tiles=4, precision="int8",
                             samples=x[train_set[:100]])
    qmodel = compiled.quantized
    compiled_at = time.perf_counter()
    outputs, differ = [], 0
    for image in x[test_set]:
        xq = quantize(image[None], qmodel.input)
        (out,) = execute(compiled.program, {"x": xq}).outputs.values()
        differ += int(np.count_nonzero(out.ravel() != simulate.run(qmodel, xq[0])[qmodel.network.output]))
        outputs.append(out.ravel())
    predicted = dequantize(np.stack(outputs), qmodel.output).argmax(axis=1)
    with torch.no_grad():
        fp32 = model(torch.from_numpy(x[test_set])).numpy().argmax(axis=1)
    fp32_accuracy, int8_accuracy = report_accuracy(
        capsys, fp32, predicted, y[test_set], "minmax calibration on 100",
        "rcbc int8 program (aie-ml, 4 tiles, reference executor)",
        f"compile {compiled_at - start:.1f} s, runs {time.perf_counter() - compiled_at:.1f} s")
    assert differ == 0, "the program's int8 outputs differ from the int8 simulation"
    assert int8_accuracy >= fp32_accuracy - 1.0
