"""The models `rcbc run --check` compares Inputs/gap.mlir with."""

from torch import nn


def build():
    """What gap.mlir computes."""
    return nn.AdaptiveAvgPool2d(1)


def wrong():
    """Not what it computes."""
    return nn.AdaptiveMaxPool2d(1)
