"""The supported-operator check: what passes, what is reported, and where."""

import inspect

import pytest
import torch
from torch import nn
from torch.nn import functional as F

from rcbc.frontend.coverage import UnsupportedOpsError, check_coverage, merges_adjacent_dims


def export(model: nn.Module, *shape: int):
    return torch.export.export(model.eval(), (torch.zeros(*shape),))


def line_of(text: str, function) -> int:
    """The line number of the first line of `function` containing `text`."""
    lines, first = inspect.getsourcelines(function)
    return first + next(i for i, line in enumerate(lines) if text in line)


class Unsupported(nn.Module):
    def __init__(self):
        super().__init__()
        self.blocks = nn.Sequential(*(nn.Sequential(nn.Conv2d(4, 4, 1), nn.GELU()) for _ in range(3)))

    def forward(self, x):
        x = self.blocks(x)
        x = x.reshape(1, 2, 2, 8, 8)
        return F.adaptive_avg_pool2d(x.flatten(1, 2), 3)


def test_supported_layers_pass():
    model = nn.Sequential(
        nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.Hardtanh(), nn.Dropout(),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 2),
    )  # fmt: skip
    check_coverage(export(model, 1, 3, 8, 8))


def test_unsupported_ops_are_listed_with_their_line_and_layer():
    with pytest.raises(UnsupportedOpsError) as error:
        check_coverage(export(Unsupported(), 1, 4, 8, 8))
    ops = error.value.ops
    assert [op.op for op in ops] == ["aten.gelu"] * 3 + ["aten.reshape", "aten.adaptive_avg_pool2d"]
    assert [op.module for op in ops[:3]] == ["blocks.0.1", "blocks.1.1", "blocks.2.1"]
    assert ops[0].location.line == line_of("x = self.blocks(x)", Unsupported.forward)
    assert ops[3].location.line == line_of("x.reshape", Unsupported.forward)
    assert ops[3].location.code == "x = x.reshape(1, 2, 2, 8, 8)"
    assert ops[3].reason == "reshape 1x4x8x8 -> 1x2x2x8x8 is not a flatten"
    assert ops[4].reason == "output 3x3 does not divide input 8x8, so the pooling windows are unequal"

    message = str(error.value)
    assert message.startswith("3 operators of the model are not supported by rcbc:\n")
    assert f"test_coverage.py:{ops[0].location.line}: aten.gelu (layer blocks.0.1, 3 uses)\n" in message
    assert "\n      x = x.reshape(1, 2, 2, 8, 8)\n" in message
    assert message.endswith("flatten, linear, dropout")


@pytest.mark.parametrize(
    "source, result, merges",
    [
        ((1, 8, 2, 2), (1, 32), True),
        ((1, 8, 1, 1), (1, 8), True),
        ((2, 3, 4), (2, 3, 4), True),
        ((1, 8), (8,), True),
        ((2, 1, 3), (2, 3), True),
        ((2, 3, 4), (6, 4), True),
        ((2, 3, 4), (2, 12), True),
        ((1, 8), (1, 8, 1, 1), False),
        ((2, 3, 1), (2, 1, 3), False),
        ((4, 6), (6, 4), False),
        ((1, 48, 7, 7), (1, 2, 24, 7, 7), False),
        ((2, 3, 4), (3, 8), False),
    ],
)
def test_merges_adjacent_dims(source, result, merges):
    assert merges_adjacent_dims(source, result) == merges
