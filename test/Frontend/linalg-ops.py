# RUN: %PYTHON %s | FileCheck %s
"""What each supported layer becomes in linalg-on-tensors: the ops the later lowering faces.

Each case imports a one-layer model on a 1x4x8x8 input and prints the ops of @main in order,
without tensor.empty, arith.constant and func.return; the body of each linalg.generic is in
brackets. The table in rcbc.frontend.coverage summarizes these lines.
"""

import torch
from torch import nn
from torch.nn import functional as F

from rcbc.frontend.importer import import_model
from rcbc.frontend.interface import entry_function

PLUMBING = {"tensor.empty", "arith.constant", "func.return", "linalg.yield"}


class Lambda(nn.Module):
    def __init__(self, function):
        super().__init__()
        self.function = function

    def forward(self, x):
        return self.function(x)


def ops(block) -> str:
    names = []
    for op in block.operations:
        name = op.operation.name
        if name in PLUMBING:
            continue
        if name == "linalg.generic":
            name += f"[{ops(op.regions[0].blocks[0])}]"
        names.append(name)
    return " ".join(names)


def show(name: str, model: nn.Module) -> None:
    module = import_model(model, (torch.zeros(1, 4, 8, 8),)).module
    print(f"{name}: {ops(entry_function(module).entry_block)}")


torch.manual_seed(0)

# CHECK: conv2d: tensor.pad linalg.broadcast linalg.conv_2d_nchw_fchw
show("conv2d", nn.Conv2d(4, 8, 3, stride=2, padding=1))
# CHECK: conv2d dilated, no bias: linalg.fill linalg.conv_2d_nchw_fchw
show("conv2d dilated, no bias", nn.Conv2d(4, 8, 3, dilation=2, bias=False))
# CHECK: conv2d padding=same: tensor.pad linalg.broadcast linalg.conv_2d_nchw_fchw
show("conv2d padding=same", nn.Conv2d(4, 8, 3, padding="same"))
# CHECK: conv2d depthwise: tensor.pad linalg.broadcast tensor.collapse_shape linalg.depthwise_conv_2d_nchw_chw
show("conv2d depthwise", nn.Conv2d(4, 4, 3, padding=1, groups=4))
# CHECK: conv2d grouped: linalg.broadcast tensor.expand_shape tensor.expand_shape tensor.expand_shape linalg.conv_2d_ngchw_gfchw tensor.collapse_shape
show("conv2d grouped", nn.Conv2d(4, 8, 3, groups=2))
# CHECK: conv2d + batch norm: linalg.broadcast linalg.conv_2d_nchw_fchw
show("conv2d + batch norm", nn.Sequential(nn.Conv2d(4, 8, 3), nn.BatchNorm2d(8)))
# CHECK: batch norm alone: linalg.generic[arith.mulf] linalg.generic[arith.addf]
show("batch norm alone", nn.BatchNorm2d(4))
# CHECK: relu: linalg.generic[arith.cmpf arith.select]
show("relu", nn.ReLU())
# CHECK: relu6: linalg.generic[arith.cmpf arith.select] linalg.generic[arith.cmpf arith.select]
show("relu6", nn.ReLU6())
# CHECK: hardtanh: linalg.generic[arith.cmpf arith.select] linalg.generic[arith.cmpf arith.select]
show("hardtanh", Lambda(lambda x: F.hardtanh(x, -2.0, 3.0)))
# CHECK: sigmoid: linalg.generic[arith.negf math.exp arith.addf arith.divf]
show("sigmoid", nn.Sigmoid())
# CHECK: hardswish: linalg.generic[arith.addf] linalg.generic[arith.cmpf arith.select] linalg.generic[arith.cmpf arith.select] linalg.generic[arith.mulf] linalg.generic[arith.divf]
show("hardswish", nn.Hardswish())
# CHECK: max pooling: tensor.pad linalg.fill linalg.pooling_nchw_max
show("max pooling", nn.MaxPool2d(3, stride=2, padding=1))
# CHECK: max pooling ceil_mode: tensor.pad linalg.fill linalg.pooling_nchw_max
show("max pooling ceil_mode", nn.MaxPool2d(3, stride=2, ceil_mode=True))
# CHECK: average pooling: linalg.fill linalg.pooling_nchw_sum linalg.generic[arith.divf]
show("average pooling", nn.AvgPool2d(2))
# CHECK: average pooling padded: tensor.pad linalg.fill linalg.pooling_nchw_sum linalg.generic[arith.divf]
show("average pooling padded", nn.AvgPool2d(3, stride=1, padding=1))
# CHECK: average pooling count_include_pad=False: tensor.pad linalg.fill linalg.pooling_nchw_sum linalg.generic[linalg.index
show("average pooling count_include_pad=False", nn.AvgPool2d(3, 1, 1, count_include_pad=False))
# CHECK: adaptive average pooling 1x1: linalg.fill linalg.generic[arith.addf] linalg.generic[arith.divf]
show("adaptive average pooling 1x1", nn.AdaptiveAvgPool2d(1))
# CHECK: adaptive average pooling 2x2: linalg.fill linalg.pooling_nchw_sum linalg.generic[arith.divf]
show("adaptive average pooling 2x2", nn.AdaptiveAvgPool2d(2))
# CHECK: residual add: linalg.generic[arith.cmpf arith.select] linalg.generic[arith.addf]
show("residual add", Lambda(lambda x: x + F.relu(x)))
# CHECK: add scalar: linalg.generic[arith.addf]
show("add scalar", Lambda(lambda x: x + 3))
# CHECK: mul broadcast: linalg.fill linalg.generic[arith.addf] linalg.generic[arith.divf] linalg.generic[arith.mulf]
show("mul broadcast", Lambda(lambda x: x * F.adaptive_avg_pool2d(x, 1)))
# CHECK: concat: linalg.generic[arith.cmpf arith.select] tensor.concat
show("concat", Lambda(lambda x: torch.cat([x, F.relu(x)], dim=1)))
# CHECK: flatten: tensor.collapse_shape
show("flatten", nn.Flatten())
# CHECK: view as flatten: tensor.collapse_shape
show("view as flatten", Lambda(lambda x: x.view(x.size(0), -1)))
# CHECK: linear: tensor.collapse_shape linalg.transpose linalg.fill linalg.matmul linalg.generic[arith.addf]
show("linear", nn.Sequential(nn.Flatten(), nn.Linear(256, 10)))
# CHECK: linear no bias: tensor.collapse_shape linalg.transpose linalg.fill linalg.matmul{{$}}
show("linear no bias", nn.Sequential(nn.Flatten(), nn.Linear(256, 10, bias=False)))
# CHECK: dropout: {{$}}
show("dropout", nn.Sequential(nn.Dropout(0.5), nn.Dropout2d(0.5)))
