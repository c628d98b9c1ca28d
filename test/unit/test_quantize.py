"""Post-training int8 quantization (rcbc.quantize): observers, the scheme, the layers it reads
(the same as convert-linalg-to-rhal's), calibration data, and the simulation of a model with
every int8 layer kind against PyTorch."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn
from torchvision.io import write_png

from rcbc.dialects import rhal
from rcbc.frontend.errors import FrontendError
from rcbc.frontend.importer import export_folded, import_model
from rcbc.frontend.interface import entry_function
from rcbc.mlir import ir
from rcbc.pipeline import parse_pipeline, resolve
from rcbc.quantize import simulate
from rcbc.quantize.calibration import random_samples, samples_from_directory
from rcbc.quantize.network import read_network
from rcbc.quantize.observers import MinMaxObserver, PercentileObserver, make_observer
from rcbc.quantize.quantizer import quantize_program
from rcbc.quantize.scheme import QParams, dequantize, quantize, quantize_bias, quantize_weights
from rcbc.context import make_context


class AllKinds(nn.Module):
    """Every layer kind with an int8 kernel, and every fusion."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 8, 3, stride=2, padding=1), nn.BatchNorm2d(8), nn.ReLU())
        self.depthwise = nn.Sequential(nn.Conv2d(8, 8, 3, padding=1, groups=8), nn.ReLU6())
        self.grouped = nn.Conv2d(8, 8, 3, padding=1, groups=2)
        self.project = nn.Conv2d(8, 8, 1)
        self.fc1 = nn.Linear(8, 16)
        self.fc2 = nn.Linear(16, 10)

    def forward(self, x):
        x = self.stem(x)
        d = self.depthwise(x)
        g = F.hardtanh(self.grouped(d), -1.0, 1.5)
        x = torch.relu(self.project(g) + d)  # a residual, then an activation
        p = F.max_pool2d(x, 3, 2, 1)
        q = F.avg_pool2d(p, 3, 1, 1)
        p = F.avg_pool2d(q, 3, 1, 1, count_include_pad=False)
        a = torch.relu(p + q)  # an add of two pools: an eltwise add, its ReLU fused
        m = torch.relu(a * p)  # a product, with its ReLU
        s = torch.relu(F.max_pool2d(m, 1))  # a ReLU after a pool: an eltwise copy
        x = F.adaptive_avg_pool2d(s, 1).flatten(1)
        return self.fc2(torch.relu(self.fc1(x)))


@pytest.fixture(scope="module")
def all_kinds():
    torch.manual_seed(0)
    model = AllKinds().eval()
    with torch.no_grad():
        model.stem[1].running_mean.uniform_(-0.5, 0.5)
        model.stem[1].running_var.uniform_(0.5, 2.0)
    return model


# -- observers and the scheme -------------------------------------------------------------------


def test_a_percentile_does_not_depend_on_batching():
    values = np.random.default_rng(0).standard_normal(30000) * np.linspace(0.1, 50, 30000)
    whole, parts = PercentileObserver(99.9), PercentileObserver(99.9)
    whole.observe(values)
    for part in np.array_split(values, 7):  # growing magnitudes: the histogram widens 8 times
        parts.observe(part)
    assert whole.range() == parts.range()
    lo, hi = whole.range()
    exact = np.percentile(values, [0.1, 99.9])
    width = 2 * 256 / PercentileObserver.BINS  # values reach 200: bins over [-256, 256]
    assert abs(lo - exact[0]) < width and abs(hi - exact[1]) < width
    minmax = MinMaxObserver()
    minmax.observe(values)
    assert minmax.range() == (values.min(), values.max())


def test_observer_names_and_percentiles_are_checked():
    with pytest.raises(FrontendError, match="unknown observer 'entropy'; observers: minmax, percentile"):
        make_observer("entropy")
    with pytest.raises(FrontendError, match=r"needs a percentile in \(50, 100\], not 30"):
        make_observer("percentile", percentile=30)


def test_activation_ranges_hold_zero_and_clamps_map_to_int8_bounds():
    qp = QParams.from_range(0.5, 2.0)  # widened to [0, 2]
    assert qp.zero_point == -128 and math.isclose(qp.scale, 2 / 255)
    assert qp.clamp(0.0, math.inf) == (-128, 127)
    assert QParams.from_range(-1.0, 1.0).clamp(0.0, 0.5) == (-1, 63)  # zero point round(-0.5)
    x = np.array([-1.0, -0.5 * 2 / 255, 0.5 * 2 / 255, 2.0])
    assert quantize(x, qp).tolist() == [-128, -128, -127, 127]  # half away from zero
    np.testing.assert_allclose(dequantize(quantize(x, qp), qp), [0, 0, 2 / 255, 2], rtol=1e-6)


def test_weights_are_symmetric_per_channel_and_the_bias_int32():
    w = np.array([[[[0.5, -0.25]]], [[[0.0, 0.0]]]])
    q, scales = quantize_weights(w)
    assert q.reshape(2, 2).tolist() == [[127, -64], [0, 0]] and scales.tolist() == [0.5 / 127, 1.0]
    assert quantize_bias(np.array([1.0, -3.0]), 0.1, scales).tolist() == [2540, -30]


# -- layers: the same as convert-linalg-to-rhal's ----------------------------------------------


def rhal_layers(model, x):
    """(name, kind, residual, clamp) of each layer convert-linalg-to-rhal makes of `model`."""
    imported = import_model(model, (x,))
    context = make_context()
    module = ir.Module.parse(str(imported.module), context)
    resolve(parse_pipeline("builtin.module(convert-linalg-to-rhal)")).build(context).run(module.operation)
    layers = []
    for op in entry_function(module).entry_block.operations:
        if not op.operation.name.startswith("rhal."):
            continue
        kind = op.operation.name.removeprefix("rhal.")
        if isinstance(op, rhal.Conv2dOp):
            out_c, in_c = op.result.type.shape[1], op.input.type.shape[1]
            kind = "depthwise_conv2d" if 1 < op.groups.value == in_c == out_c else "conv2d"
        activation = getattr(op, "activation", None)
        clamp = {None: None, "none": None, "relu": (0.0, math.inf)}.get(
            activation and activation.value, activation and (op.act_min.value, op.act_max.value))
        layers.append((op.layer.value, kind, getattr(op, "residual", None) is not None, clamp))
    return layers


def test_the_layers_are_the_ones_convert_linalg_to_rhal_makes(all_kinds):
    x = torch.randn(1, 3, 17, 17)
    program, _ = export_folded(all_kinds, (x,))
    network = read_network(program)
    ours = [(l.name, l.kind, l.residual, l.clamp) for l in network.layers]
    assert ours == rhal_layers(all_kinds, x)
    assert [l.name for l in network.layers] == [
        "stem.0", "depthwise.0", "grouped", "project", "pool2d.0", "pool2d.1", "pool2d.2",
        "eltwise.0", "eltwise.1", "pool2d.3", "eltwise.2", "global_avgpool.0", "fc1", "fc2"]


def test_operators_without_an_int8_kernel_are_all_named():
    class Unsupported(nn.Module):
        def forward(self, x):
            y = torch.sigmoid(x)
            return torch.cat([y, x * 2.0], dim=1)

    program, _ = export_folded(Unsupported(), (torch.zeros(1, 2, 4, 4),))
    with pytest.raises(FrontendError) as error:
        read_network(program)
    message = str(error.value)
    assert message.startswith("3 operators of the model have no int8 kernel:")
    assert "aten.sigmoid: no int8 kernel computes it" in message
    assert "aten.mul: an operand is a constant or is broadcast" in message
    assert "test_quantize.py" in message and "aten.cat" in message


# -- calibration data ---------------------------------------------------------------------------


def test_samples_from_a_directory_of_npy_files_and_images(tmp_path):
    np.save(tmp_path / "a.npy", np.ones((3, 4, 4), np.float32))
    np.save(tmp_path / "b.npy", np.zeros((2, 3, 4, 4), np.float32))
    write_png(torch.full((3, 8, 8), 255, dtype=torch.uint8), str(tmp_path / "c.png"))
    (tmp_path / "notes.txt").write_text("ignored")
    samples = samples_from_directory(tmp_path, (3, 4, 4))
    assert samples.shape == (4, 3, 4, 4) and samples[0].min() == 1 and samples[1].max() == 0
    np.testing.assert_allclose(samples[3, :, 0, 0], (1 - np.array([0.485, 0.456, 0.406])) / [0.229, 0.224, 0.225], rtol=1e-5)
    with pytest.raises(FrontendError, match=r"a.npy has shape \[3, 4, 4\]; the model takes \[3, 5, 5\]"):
        samples_from_directory(tmp_path, (3, 5, 5))
    (tmp_path / "empty").mkdir()
    with pytest.raises(FrontendError, match="holds no .npy file and no image"):
        samples_from_directory(tmp_path / "empty", (3, 4, 4))
    with pytest.raises(FrontendError, match="is not a directory"):
        samples_from_directory(tmp_path / "a.npy", (3, 4, 4))


# -- the quantized model ------------------------------------------------------------------------


@pytest.mark.parametrize("observer", ["minmax", "percentile"])
def test_the_int8_simulation_follows_pytorch(all_kinds, observer):
    calibration = random_samples((3, 17, 17), count=32, seed=0)
    program, _ = export_folded(all_kinds, (torch.from_numpy(calibration[:1]),))
    qmodel = quantize_program(program, calibration, observer)
    inputs = random_samples((3, 17, 17), count=8, seed=1)
    with torch.no_grad():
        expected = all_kinds(torch.from_numpy(inputs)).numpy()
    got = simulate.predict(qmodel, inputs)
    error = np.abs(got - expected).max() / np.abs(expected).max()
    assert error < 0.05, error
    assert np.corrcoef(got.ravel(), expected.ravel())[0, 1] > 0.995


def test_quantized_layers_hold_their_kernels_fields_and_the_store_their_tensors(all_kinds):
    calibration = random_samples((3, 17, 17), count=4, seed=0)
    program, _ = export_folded(all_kinds, (torch.from_numpy(calibration[:1]),))
    qmodel = quantize_program(program, calibration)
    project = qmodel.layer("project")
    residual = qmodel.qparams[project.layer.inputs[1]]
    assert project.kernel == "conv2d_i8" and project.fields["res_zp"] == residual.zero_point
    assert project.fields["res_mult"] / 2 ** project.fields["res_shift"] == pytest.approx(
        residual.scale / qmodel.qparams[project.layer.output].scale, rel=1e-9)
    pool = qmodel.layer("pool2d.0")
    assert qmodel.qparams[pool.layer.output] == qmodel.qparams[pool.layer.inputs[0]]
    store = qmodel.weights()
    assert store["stem.0.weight"].dtype == np.int8 and store["stem.0.bias"].dtype == np.int32
    assert store["fc2.requant"].shape == (10, 2) and "pool2d.0.weight" not in store
    values = simulate.run(qmodel, np.zeros((3, 17, 17), np.int8))
    assert values[qmodel.network.output].dtype == np.int8
    assert set(values) == {qmodel.network.input} | {l.layer.output for l in qmodel.layers}
