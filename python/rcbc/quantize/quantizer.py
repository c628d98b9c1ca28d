"""Post-training quantization: a folded model and calibration samples to int8 layers.

Every value a layer computes gets int8 parameters from its calibrated range (asymmetric, per
tensor; `rcbc.quantize.scheme`), and every layer the fields of its int8 kernel
(docs/kernels.md, *int8 kernels*): zero points, multipliers and shifts, clamps, with per-channel
int8 weights, an int32 bias and the requantization table. Pooling keeps its input's parameters,
as its kernel requires; views share their source's::

    >>> samples = random_samples((3, 64, 64), count=16, seed=0)
    >>> qmodel = quantize_model(torchvision.models.resnet18(), samples, observer="percentile")
    >>> conv = qmodel.layer("layer1.0.conv2")
    >>> conv.kernel, conv.weight.dtype, conv.requant.shape
    ('conv2d_i8', dtype('int8'), (64, 2))
    >>> sorted(conv.fields)
    ['in_zp', 'out_zp', 'q_max', 'q_min', 'res_mult', 'res_shift', 'res_zp']
    >>> qmodel.weights()["layer1.0.conv2.requant"].dtype     # the store a compiled program loads
    dtype('int32')

A compiled int8 program packs each launch's block from a layer's `fields` plus its geometry and
addresses, and loads `weights()`; `rcbc.quantize.simulate` runs the same layers with the
reference kernels.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn
from torch.export import ExportedProgram

from rcbc.bytecode.quantization import entry_names
from rcbc.frontend.errors import FrontendError
from rcbc.frontend.importer import export_folded
from rcbc.frontend.interface import output_names
from rcbc.frontend.weights import WeightStore
from rcbc.kernels.fixed_point import multiplier
from rcbc.kernels.library import DType, EltwiseOp, kernel_for, quant_fields
from rcbc.quantize.calibration import calibrate
from rcbc.quantize.network import Layer, Network, read_network
from rcbc.quantize.scheme import (
    INT8_MAX,
    INT8_MIN,
    QParams,
    quantize_bias,
    quantize_weights,
    requant_table,
)

QUANT_SUFFIX = "quant"
"""``<layer>.quant`` in the weight store: the layer's quantization fields (`quant_fields`)."""


KEEPS_SCALE = {"pool2d", "global_avgpool"}
"""Layers whose output has their input's scale and zero point."""


@dataclass
class QuantizedLayer:
    """A layer and what its int8 kernel needs besides geometry and addresses."""

    layer: Layer
    kernel: str  # the int8 kernel of the library
    fields: dict[str, int]  # its quantization fields
    weight: np.ndarray | None = None  # int8, in the kernel's layout
    bias: np.ndarray | None = None  # int32 [channels]
    requant: np.ndarray | None = None  # int32 [channels, 2]: multiplier, shift


@dataclass
class QuantizedModel:
    """The int8 layers of a model, and the parameters of every value."""

    network: Network
    layers: list[QuantizedLayer]
    qparams: dict[str, QParams]  # by value name; views by their source

    @property
    def input(self) -> QParams:
        return self.qparams[self.network.input]

    @property
    def output(self) -> QParams:
        return self.qparams[self.network.output]

    def layer(self, name: str) -> QuantizedLayer:
        for quantized in self.layers:
            if quantized.layer.name == name:
                return quantized
        raise KeyError(name)

    def weights(self) -> WeightStore:
        """``<layer>.weight`` (int8), ``<layer>.bias`` (int32), ``<layer>.requant`` (int32), and
        ``<layer>.quant`` (int32): the kernel's quantization fields, in `quant_fields` order;
        the input's and the output's scale (float32) and zero point (int32) under the names
        the program's data entries take (`rcbc.bytecode.quantization.entry_names`, with the
        names the importer gives them). The store is all a compiler needs of the quantized
        model (rhal-quantize reads it)."""
        store = WeightStore()
        for name, qp in ((self.network.input, self.input), (output_names(1)[0], self.output)):
            scale, zero_point = entry_names(name)
            store.add(scale, np.array([qp.scale], np.float32))
            store.add(zero_point, np.array([qp.zero_point], np.int32))
        for q in self.layers:
            for what in ("weight", "bias", "requant"):
                if getattr(q, what) is not None:
                    store.add(f"{q.layer.name}.{what}", getattr(q, what))
            fields = quant_fields(q.kernel)
            store.add(f"{q.layer.name}.{QUANT_SUFFIX}", np.array([q.fields[f] for f in fields], np.int32))
        return store


def quantize_model(
    model: nn.Module, samples: np.ndarray, observer: str = "minmax", **options: float
) -> QuantizedModel:
    """`model` (BatchNorm folded here if it has any) quantized with `samples` `[N, *input]`."""
    program, _ = export_folded(model, (torch.from_numpy(np.asarray(samples[:1], np.float32)),))
    return quantize_program(program, samples, observer, **options)


def quantize_program(
    program: ExportedProgram, samples: np.ndarray, observer: str = "minmax", **options: float
) -> QuantizedModel:
    """The export of a folded model (batch 1) quantized with `samples` `[N, *input]`."""
    network = read_network(program)
    observed = [network.input] + [
        layer.output for layer in network.layers if layer.kind not in KEEPS_SCALE
    ]
    ranges = calibrate(program, observed, samples, observer, **options)
    qparams = {name: QParams.from_range(*ranges[name]) for name in observed}
    layers = []
    for layer in network.layers:
        if layer.kind in KEEPS_SCALE:
            qparams[layer.output] = qparams[layer.inputs[0]]
        try:
            inputs = [qparams[value] for value in layer.inputs]
            layers.append(_quantize_layer(layer, inputs, qparams[layer.output]))
        except ValueError as e:  # a multiplier out of range: a degenerate calibration
            raise FrontendError(f"layer {layer.name}: {e}") from None
    for view in network.views:
        qparams[view] = qparams[network.source(view)]
    return QuantizedModel(network, layers, qparams)


def _quantize_layer(layer: Layer, inputs: list[QParams], out: QParams) -> QuantizedLayer:
    kernel = kernel_for(layer.kind, DType.I8).name
    q_min, q_max = out.clamp(*layer.clamp) if layer.clamp else (INT8_MIN, INT8_MAX)
    clamp = dict(out_zp=out.zero_point, q_min=q_min, q_max=q_max)
    x = inputs[0]
    if layer.kind in KEEPS_SCALE:
        return QuantizedLayer(layer, kernel, dict(zero_point=x.zero_point))
    if layer.kind == "eltwise":  # out = a * a_real (+ b * b_real), a * b * a_real for MUL
        op, b = EltwiseOp(layer.mode), inputs[-1]
        a_real = x.scale * (b.scale if op is EltwiseOp.MUL else 1.0) / out.scale
        (a_mult, a_shift) = multiplier(a_real)
        (b_mult, b_shift) = multiplier(b.scale / out.scale) if op is EltwiseOp.ADD else (0, 0)
        return QuantizedLayer(layer, kernel, dict(
            a_zp=x.zero_point, a_mult=a_mult, a_shift=a_shift,
            b_zp=0 if op is EltwiseOp.COPY else b.zero_point, b_mult=b_mult, b_shift=b_shift,
            **clamp,
        ))
    weight, w_scales = quantize_weights(layer.weight)
    fields = dict(in_zp=x.zero_point, **clamp)
    if layer.kind != "matmul":
        res = inputs[1] if layer.residual else None
        res_mult, res_shift = multiplier(res.scale / out.scale) if res else (0, 0)
        fields.update(res_zp=res.zero_point if res else 0, res_mult=res_mult, res_shift=res_shift)
    bias = None if layer.bias is None else quantize_bias(layer.bias, x.scale, w_scales)
    requant = requant_table(x.scale * w_scales / out.scale)
    return QuantizedLayer(layer, kernel, fields, weight, bias, requant)
