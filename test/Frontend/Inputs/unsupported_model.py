"""A model with operators rcbc does not support, for the error message test."""

from torch import nn
from torch.nn import functional as F


class Unsupported(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, padding=1)
        self.act = nn.GELU()

    def forward(self, x):
        x = self.act(self.conv(x))
        x = F.adaptive_avg_pool2d(x, 3)
        return x.mean((2, 3))


def build_model():
    return Unsupported()
