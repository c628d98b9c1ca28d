"""The numpy simulation of a quantized model: its layers run by the reference int8 kernels.

Each layer is one launch of its int8 kernel (`rcbc.kernels.reference`), one per group of a
grouped convolution, on whole feature maps in a flat memory (`rcbc.kernels.arena`). A compiled
int8 program runs the same kernels on blocks and input-channel chunks of the same layers; the
kernels' arithmetic is exact and blocking does not change it, so the program must give these
bytes exactly. `memory` chooses the memory, and so the kernels, a layer runs on: the default
`Arena` runs the numpy kernels; a test runs the C ones through a subclass::

    >>> values = run(qmodel, quantize(image, qmodel.input))   # every value, int8, by name
    >>> values[qmodel.network.output]
    array([ -3, 127, -45, ...], dtype=int8)
    >>> predict(qmodel, images).argmax(axis=1)                 # dequantized outputs, a batch
"""

from __future__ import annotations

import math

import numpy as np

from rcbc.kernels.arena import Arena
from rcbc.kernels.library import ConvFlags, DType
from rcbc.quantize.quantizer import QuantizedLayer, QuantizedModel
from rcbc.quantize.scheme import dequantize, quantize

I8 = int(DType.I8)


def run(
    qmodel: QuantizedModel, x: np.ndarray, memory: type[Arena] = Arena
) -> dict[str, np.ndarray]:
    """Every value the layers compute from the int8 input `x` (one image), by value name."""
    values = {qmodel.network.input: np.asarray(x, np.int8).reshape(qmodel.network.input_shape)}
    for q in qmodel.layers:
        inputs = [values[name] for name in q.layer.inputs]
        out = _LAUNCHES[q.layer.kind](q, inputs, memory())
        values[q.layer.output] = out.reshape(q.layer.out_shape)
    return values


def predict(qmodel: QuantizedModel, inputs: np.ndarray) -> np.ndarray:
    """The dequantized outputs of the model on each real input of `inputs` `[N, *input]`."""
    outputs = [
        run(qmodel, quantize(x, qmodel.input))[qmodel.network.output] for x in inputs
    ]
    return dequantize(np.stack(outputs), qmodel.output)


def _conv(q: QuantizedLayer, inputs: list[np.ndarray], arena: Arena) -> np.ndarray:
    layer = q.layer
    (in_c, h, w), (out_c, oh, ow) = layer.in_shape, layer.out_shape
    groups = 1 if layer.kind == "depthwise_conv2d" else layer.groups
    in_g, out_g = in_c // groups, out_c // groups
    flags = ConvFlags.FINALIZE | ConvFlags.BIAS * (q.bias is not None)
    flags |= ConvFlags.RESIDUAL * layer.residual
    out = np.empty(layer.out_shape, np.int8)
    for g in range(groups):
        o = slice(g * out_g, (g + 1) * out_g)
        out_addr = arena.alloc(out_g * oh * ow)
        arena.launch(
            q.kernel, dtype=I8, in_addr=arena.put(inputs[0][g * in_g : (g + 1) * in_g]), in_c=in_g,
            in_h=h, in_w=w, in_y0=0, in_x0=0, w_addr=arena.put(q.weight[o]),
            bias_addr=0 if q.bias is None else arena.put(q.bias[o]), out_addr=out_addr,
            out_c=out_g, out_h=oh, out_w=ow, out_y0=0, out_x0=0, kh=layer.kernel[0],
            kw=layer.kernel[1], stride_h=layer.stride[0], stride_w=layer.stride[1],
            dil_h=layer.dilation[0], dil_w=layer.dilation[1], pad_top=layer.padding[0],
            pad_left=layer.padding[1], image_h=h, image_w=w, flags=int(flags),
            res_addr=arena.put(inputs[1][o]) if layer.residual else 0,
            requant_addr=arena.put(q.requant[o]), **q.fields,
        )
        out[o] = arena.read(out_addr, out_g * oh * ow, np.int8).reshape(out_g, oh, ow)
    return out


def _pool(q: QuantizedLayer, inputs: list[np.ndarray], arena: Arena) -> np.ndarray:
    layer = q.layer
    (c, h, w), (_, oh, ow) = layer.in_shape, layer.out_shape
    out_addr = arena.alloc(c * oh * ow)
    arena.launch(
        q.kernel, dtype=I8, in_addr=arena.put(inputs[0]), in_c=c, in_h=h, in_w=w, in_y0=0,
        in_x0=0, out_addr=out_addr, out_c=c, out_h=oh, out_w=ow, out_y0=0, out_x0=0,
        kh=layer.kernel[0], kw=layer.kernel[1], stride_h=layer.stride[0],
        stride_w=layer.stride[1], dil_h=layer.dilation[0], dil_w=layer.dilation[1],
        pad_top=layer.padding[0], pad_left=layer.padding[1], image_h=h, image_w=w,
        mode=layer.mode, **q.fields,
    )
    return arena.read(out_addr, c * oh * ow, np.int8)


def _global_avgpool(q: QuantizedLayer, inputs: list[np.ndarray], arena: Arena) -> np.ndarray:
    c, h, w = q.layer.in_shape
    out_addr = arena.alloc(c)
    arena.launch(q.kernel, dtype=I8, in_addr=arena.put(inputs[0]), channels=c, height=h,
                 width=w, out_addr=out_addr, **q.fields)
    return arena.read(out_addr, c, np.int8)


def _matmul(q: QuantizedLayer, inputs: list[np.ndarray], arena: Arena) -> np.ndarray:
    (k,), (n,) = q.layer.in_shape, q.layer.out_shape
    flags = ConvFlags.FINALIZE | ConvFlags.BIAS * (q.bias is not None)
    out_addr = arena.alloc(n)
    arena.launch(
        q.kernel, dtype=I8, in_addr=arena.put(inputs[0]), m=1, k=k,
        w_addr=arena.put(q.weight), bias_addr=0 if q.bias is None else arena.put(q.bias),
        out_addr=out_addr, n=n, flags=int(flags), requant_addr=arena.put(q.requant), **q.fields,
    )
    return arena.read(out_addr, n, np.int8)


def _eltwise(q: QuantizedLayer, inputs: list[np.ndarray], arena: Arena) -> np.ndarray:
    count = math.prod(q.layer.out_shape)
    a_addr = arena.put(inputs[0])
    b_addr = arena.put(inputs[1]) if len(inputs) > 1 else a_addr
    out_addr = arena.alloc(count)
    arena.launch(q.kernel, dtype=I8, a_addr=a_addr, b_addr=b_addr, out_addr=out_addr,
                 count=count, op=q.layer.mode, **q.fields)
    return arena.read(out_addr, count, np.int8)


_LAUNCHES = {
    "conv2d": _conv,
    "depthwise_conv2d": _conv,
    "pool2d": _pool,
    "global_avgpool": _global_avgpool,
    "matmul": _matmul,
    "eltwise": _eltwise,
}
