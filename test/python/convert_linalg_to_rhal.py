# RUN: %PYTHON %s | FileCheck %s
"""convert-linalg-to-rhal computes what PyTorch computes: the attributes it recognises are right.

A small CNN with every idiom the pass recognises (asymmetric padding, stride, dilation, folded
batch norm, depthwise, grouped and channel-multiplier convolutions, every activation, fused
and unfused residuals, max, average and count_include_pad=False pooling with ceil_mode,
global average pooling, flatten, linear layers) is imported, lowered, and the rhal ops are
run by the small reference interpreter below, written from the op definitions with the
weights of the import's weight store. The result must match the PyTorch model.
"""

import torch
from torch import nn
from torch.nn import functional as F

from rcbc.context import make_context
from rcbc.dialects import rhal
from rcbc.frontend.importer import import_model
from rcbc.frontend.interface import INPUT, WEIGHT, entry_function
from rcbc.mlir import ir
from rcbc.pipeline import parse_pipeline, resolve


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(
            nn.Conv2d(3, 8, 3, stride=2, padding=(1, 2), bias=False), nn.BatchNorm2d(8), nn.ReLU()
        )
        self.depthwise = nn.Conv2d(8, 8, 3, padding=2, dilation=2, groups=8)
        self.project = nn.Conv2d(8, 8, 1)
        self.grouped = nn.Conv2d(8, 16, 3, padding=1, groups=2)
        self.multiplier = nn.Conv2d(16, 32, 3, padding=1, groups=16)
        self.squeeze = nn.Conv2d(32, 16, 1)
        self.expand = nn.Conv2d(16, 24, 1)
        self.pools = nn.Sequential(
            nn.MaxPool2d(3, stride=2, padding=1),
            nn.AvgPool2d(3, stride=1, padding=1),
            nn.AvgPool2d(3, stride=1, padding=1, count_include_pad=False),
            nn.MaxPool2d(3, stride=2, ceil_mode=True),  # torch-mlir pads a row too many
            nn.AvgPool2d(3, stride=2, ceil_mode=True),
        )
        self.fc1 = nn.Linear(24, 12)
        self.fc2 = nn.Linear(12, 10, bias=False)

    def forward(self, x):
        x = self.stem(x)  # padding [1, 2, 1, 2], stride 2, BN folded, ReLU
        y = self.project(F.relu6(self.depthwise(x)))  # depthwise, dilated, clamp [0, 6]
        x = F.relu(y + x)  # residual fused into `project`, then ReLU
        x = F.hardtanh(self.grouped(x), -1.0, 1.5)  # groups 2, clamp [-1, 1.5]
        x = torch.sigmoid(self.multiplier(x))  # channel multiplier 2, sigmoid
        a = self.squeeze(x)  # two uses: nothing fuses into it
        x = F.relu(a + F.hardswish(a))  # eltwise copy hardswish; eltwise add with ReLU
        x = self.pools(F.hardswish(self.expand(x)))  # hardswish fused
        x = x * torch.sigmoid(x)  # eltwise copy sigmoid of a pool; eltwise mul
        x = torch.flatten(F.adaptive_avg_pool2d(x, 1), 1)
        return self.fc2(F.relu(self.fc1(x)))


ACTIVATIONS = {
    "none": lambda x, low, high: x,
    "relu": lambda x, low, high: F.relu(x),
    "clamp": lambda x, low, high: x.clamp(low, high),
    "sigmoid": lambda x, low, high: torch.sigmoid(x),
    "hardswish": lambda x, low, high: F.hardswish(x),
}


def activation(op, x):
    return ACTIVATIONS[op.activation.value](x, op.act_min.value, op.act_max.value)


def window(op, x, pad_value):
    """The input padded as the op's padding says, and its stride and dilation."""
    top, left, bottom, right = op.padding
    padded = F.pad(x, (left, right, top, bottom), value=pad_value)
    return padded, tuple(op.strides), tuple(op.dilations)


def conv2d(op, x, weight, bias=None, residual=None):
    padded, stride, dilation = window(op, x, 0.0)
    y = F.conv2d(padded, weight, bias, stride, 0, dilation, op.groups.value)
    return activation(op, y if residual is None else y + residual)


def pool2d(op, x):
    kernel, mode = tuple(op.kernel), op.mode.value
    if mode == "max":
        padded, stride, dilation = window(op, x, float("-inf"))
        return F.max_pool2d(padded, kernel, stride, 0, dilation)
    padded, stride, dilation = window(op, x, 0.0)
    channels = x.shape[1]
    ones = torch.ones(channels, 1, *kernel)
    sums = F.conv2d(padded, ones, None, stride, 0, dilation, channels)
    if mode == "avg":
        return sums / (kernel[0] * kernel[1])
    inside, _, _ = window(op, torch.ones_like(x), 0.0)
    return sums / F.conv2d(inside, ones, None, stride, 0, dilation, channels)


def global_avgpool(op, x):
    return x.mean(dim=(2, 3), keepdim=True)


def matmul(op, x, weight, bias=None):
    return activation(op, F.linear(x, weight, bias))


def eltwise(op, a, b=None):
    kind = op.op.value
    return activation(op, a if kind == "copy" else a + b if kind == "add" else a * b)


def reshape(op, x):
    return x.reshape(list(op.result.type.shape))


INTERPRETERS = {
    rhal.Conv2dOp.OPERATION_NAME: conv2d,
    rhal.Pool2dOp.OPERATION_NAME: pool2d,
    rhal.GlobalAvgPoolOp.OPERATION_NAME: global_avgpool,
    rhal.MatmulOp.OPERATION_NAME: matmul,
    rhal.EltwiseOp.OPERATION_NAME: eltwise,
    "tensor.collapse_shape": reshape,
}


def interpret(module, weights, x):
    """Run the rhal ops of @main on input `x`, with the weights of the store."""
    function = entry_function(module)
    values = {}
    for argument, attrs in zip(function.arguments, function.arg_attrs):
        if WEIGHT in attrs:
            values[argument] = torch.from_numpy(weights[ir.StringAttr(attrs[WEIGHT]).value])
        else:
            assert INPUT in attrs
            values[argument] = x
    for op in function.entry_block.operations:
        name = op.operation.name
        if name == "func.return":
            return values[op.operands[0]]
        values[op.result] = INTERPRETERS[name](op, *(values[v] for v in op.operands))


torch.manual_seed(0)
model = Net().eval()
with torch.no_grad():
    for bn in model.stem[1:2]:
        bn.running_mean.uniform_(-0.5, 0.5)
        bn.running_var.uniform_(0.5, 2.0)
x = torch.randn(1, 3, 33, 33)
imported = import_model(model, (x,))
context = make_context()
module = ir.Module.parse(str(imported.module), context)
pipeline = resolve(parse_pipeline("builtin.module(convert-linalg-to-rhal)"))
pipeline.build(context).run(module.operation)

# CHECK:      rhal.conv2d stem.0 relu groups 1 strides [2, 2] padding [1, 2, 1, 2] dilations [1, 1]
# CHECK-NEXT: rhal.conv2d depthwise clamp 0..6 groups 8 strides [1, 1] padding [2, 2, 2, 2] dilations [2, 2]
# CHECK-NEXT: rhal.conv2d project relu residual groups 1
# CHECK-NEXT: rhal.conv2d grouped clamp -1..1.5 groups 2
# CHECK-NEXT: rhal.conv2d multiplier sigmoid groups 16
# CHECK-NEXT: rhal.conv2d squeeze none groups 1
# CHECK-NEXT: rhal.eltwise eltwise.0 hardswish copy
# CHECK-NEXT: rhal.eltwise eltwise.1 relu add
# CHECK-NEXT: rhal.conv2d expand hardswish groups 1
# CHECK-NEXT: rhal.pool2d pool2d.0 max kernel [3, 3] strides [2, 2] padding [1, 1, 1, 1]
# CHECK-NEXT: rhal.pool2d pool2d.1 avg kernel [3, 3] strides [1, 1] padding [1, 1, 1, 1]
# CHECK-NEXT: rhal.pool2d pool2d.2 avg_valid kernel [3, 3] strides [1, 1] padding [1, 1, 1, 1]
# CHECK-NEXT: rhal.pool2d pool2d.3 max kernel [3, 3] strides [2, 2] padding [0, 0, 1, 1]
# CHECK-NEXT: rhal.pool2d pool2d.4 avg_valid kernel [3, 3] strides [2, 2] padding [0, 0, 2, 2]
# CHECK-NEXT: rhal.eltwise eltwise.2 sigmoid copy
# CHECK-NEXT: rhal.eltwise eltwise.3 none mul
# CHECK-NEXT: rhal.global_avgpool global_avgpool.0
# CHECK-NEXT: tensor.collapse_shape
# CHECK-NEXT: rhal.matmul fc1 relu bias
# CHECK-NEXT: rhal.matmul fc2 none
for op in entry_function(module).entry_block.operations:
    name, words = op.operation.name, []
    if isinstance(op, (rhal.Conv2dOp, rhal.MatmulOp, rhal.EltwiseOp)):
        words.append(op.activation.value)
        if op.activation.value == "clamp":
            words.append(f"{op.act_min.value:g}..{op.act_max.value:g}")
    if isinstance(op, rhal.Conv2dOp):
        words += ["residual"] * (op.residual is not None) + [f"groups {op.groups.value}"]
        words.append(f"strides {list(op.strides)} padding {list(op.padding)} "
                     f"dilations {list(op.dilations)}")  # fmt: skip
    if isinstance(op, rhal.MatmulOp) and op.bias is not None:
        words.append("bias")
    if isinstance(op, rhal.EltwiseOp):
        words.append(op.op.value)
    if isinstance(op, rhal.Pool2dOp):
        words.append(f"{op.mode.value} kernel {list(op.kernel)} strides {list(op.strides)} "
                     f"padding {list(op.padding)}")  # fmt: skip
    if name != "func.return":
        layer = [op.layer.value] if name.startswith("rhal.") else []
        print(" ".join([name, *layer, *words]))

with torch.no_grad():
    expected = model(x)
    found = interpret(module, imported.weights, x)
# CHECK: max difference to PyTorch below 1e-5: True
print("max difference to PyTorch below 1e-5:", bool((found - expected).abs().max() < 1e-5))
