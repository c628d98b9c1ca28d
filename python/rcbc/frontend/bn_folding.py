"""Eval-mode BatchNorm folded away before import.

In eval mode a BatchNorm is a per-channel affine map, ``y = x * s + t`` with
``s = gamma / sqrt(running_var + eps)`` and ``t = beta - running_mean * s``. When it directly
follows a convolution, it is folded into that convolution (weight scaled by ``s`` per output
channel, bias ``b * s + t``), so the imported IR holds one convolution with bias and no BatchNorm
arithmetic. Every other BatchNorm (after a concat or an activation, as in DenseNet) becomes
`ChannelAffine`, a precomputed scale and shift: two elementwise ops, no square root.

Which BatchNorm follows which convolution is read from the graph `torch.export` made of the
model, so the data flow is exact: a BatchNorm is folded only when its input is the output of an
``nn.Conv2d`` used by nothing else, and both modules are called once. The model itself is
rewritten (on a copy), keeping module paths, so the folded ``layer1.0.conv1`` still owns
``layer1.0.conv1.weight`` and gains ``layer1.0.conv1.bias``::

    >>> folded = fold_batch_norm(resnet18, torch.export.export(resnet18, (x,)))
    >>> folded.convolutions[:2], folded.affine
    ([('conv1', 'bn1'), ('layer1.0.conv1', 'layer1.0.bn1')], [])
    >>> folded.model.layer1[0].bn1
    Identity()
"""

from __future__ import annotations

import copy
from collections import Counter
from dataclasses import dataclass, field

import torch
from torch import nn
from torch.export import ExportedProgram
from torch.nn.modules.batchnorm import _BatchNorm
from torch.nn.utils.fusion import fuse_conv_bn_eval

from rcbc.frontend.errors import FrontendError
from rcbc.frontend.graph import calling_module, op_name

BATCH_NORM_OPS = {"aten.batch_norm", "aten._native_batch_norm_legit_no_training"}


class ChannelAffine(nn.Module):
    """An eval-mode BatchNorm as ``x * scale + shift``, with scale and shift precomputed.

    Both parameters have shape ``C x 1 x ... x 1``, broadcasting over the dimensions after the
    channel one, so the imported IR multiplies and adds with no reshapes.
    """

    def __init__(self, bn: _BatchNorm, input_rank: int):
        super().__init__()
        scale = torch.rsqrt(bn.running_var + bn.eps)
        if bn.weight is not None:
            scale = scale * bn.weight
        shift = -bn.running_mean * scale
        if bn.bias is not None:
            shift = shift + bn.bias
        shape = (-1,) + (1,) * (input_rank - 2)
        self.scale = nn.Parameter(scale.detach().reshape(shape), requires_grad=False)
        self.shift = nn.Parameter(shift.detach().reshape(shape), requires_grad=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * self.scale + self.shift


@dataclass
class FoldedModel:
    """The model with every BatchNorm folded or made affine, and what was done to which."""

    model: nn.Module
    convolutions: list[tuple[str, str]] = field(default_factory=list)
    """(convolution, batch norm) module paths, each batch norm folded into its convolution."""
    affine: list[str] = field(default_factory=list)
    """Batch norms replaced by `ChannelAffine`."""

    @property
    def changed(self) -> bool:
        return bool(self.convolutions or self.affine)

    def replace(self, path: str, module: nn.Module) -> None:
        """Put `module` at `path` of the model ("" is the model itself)."""
        if path:
            self.model.set_submodule(path, module)
        else:
            self.model = module


def fold_batch_norm(model: nn.Module, program: ExportedProgram) -> FoldedModel:
    """Fold each BatchNorm module of eval-mode `model` as found in `program`, its export.

    `model` is left as it is; the folded model is a copy. BatchNorm called functionally
    (``F.batch_norm``, not through a module) is left in place.
    """
    nodes = [node for node in program.graph.nodes if node.op == "call_function"]
    bn_nodes = [
        node
        for node in nodes
        if op_name(node) in BATCH_NORM_OPS
        and isinstance(_module(model, calling_module(node)), _BatchNorm)
    ]
    calls = Counter((op_name(node), calling_module(node)) for node in nodes)
    folded = FoldedModel(copy.deepcopy(model))
    done = set()
    for node in bn_nodes:
        bn_path = calling_module(node)
        if bn_path in done:
            continue
        done.add(bn_path)
        bn = folded.model.get_submodule(bn_path)
        if bn.running_mean is None:
            raise FrontendError(
                f"batch norm {bn_path} has no running statistics (track_running_stats=False): "
                "in eval mode it normalizes with batch statistics, which rcbc does not support"
            )
        source = node.args[0]
        conv_path = calling_module(source)
        if (
            op_name(source) == "aten.conv2d"
            and len(source.users) == 1
            and isinstance(_module(model, conv_path), nn.Conv2d)
            and calls["aten.conv2d", conv_path] == calls[op_name(node), bn_path] == 1
        ):
            conv = folded.model.get_submodule(conv_path)
            folded.replace(conv_path, fuse_conv_bn_eval(conv, bn))
            folded.replace(bn_path, nn.Identity())
            folded.convolutions.append((conv_path, bn_path))
        else:
            folded.replace(bn_path, ChannelAffine(bn, input_rank=source.meta["val"].dim()))
            folded.affine.append(bn_path)
    return folded


def _module(model: nn.Module, path: str | None) -> nn.Module | None:
    if path is None:
        return None
    try:
        return model.get_submodule(path)
    except AttributeError:
        return None
