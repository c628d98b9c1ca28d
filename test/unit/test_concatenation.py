"""Concatenation along the channels: each operand's layer stores its slice of one DDR buffer.
A small model concatenating an input, a value used twice and a concatenation, and torchvision's
SqueezeNet 1.1 (its Fire modules concatenate two expand convolutions) compile and match PyTorch."""

import numpy as np
import pytest
import torch
from torch import nn

from rcbc.compiler import compile_model
from rcbc.frontend.models import torchvision_model
from rcbc.runtime.executor import execute


class Concatenations(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Conv2d(4, 3, 3, padding=1)
        self.b = nn.Conv2d(4, 2, 1)

    def forward(self, x):
        y = self.a(x)
        z = torch.cat([x, y, torch.relu(y)], 1)  # an input, and a value used twice
        return torch.relu(torch.cat([z, self.b(x)], 1))  # a concatenation of a concatenation


@pytest.mark.parametrize("model, shape, tiles", [
    (lambda: Concatenations(), (1, 4, 7, 5), 4),
    (lambda: torchvision_model("squeezenet1_1", seed=0), (1, 3, 64, 64), 28),
], ids=["concatenations", "squeezenet1_1"])
def test_concatenated_layers_match_pytorch(model, shape, tiles):
    torch.manual_seed(0)
    model = model().eval()
    x = np.random.default_rng(0).standard_normal(shape, dtype=np.float32)
    with torch.no_grad():
        expected = model(torch.from_numpy(x)).numpy()
    program = compile_model(model, (torch.from_numpy(x),), tiles=tiles).program
    [output] = execute(program, {"x": x}).outputs.values()
    assert np.abs(output - expected).max() <= 1e-4 * np.abs(expected).max()
    assert output.argmax() == expected.argmax()
