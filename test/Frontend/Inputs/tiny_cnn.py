"""A small CNN with every kind of layer rcbc supports, for the `rcbc import --module` tests."""

import torch
from torch import nn
from torch.nn import functional as F


class TinyCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(
            nn.Conv2d(3, 8, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(8), nn.ReLU()
        )
        self.depthwise = nn.Sequential(
            nn.Conv2d(8, 8, 3, padding=2, dilation=2, groups=8), nn.BatchNorm2d(8), nn.ReLU6()
        )
        self.grouped = nn.Conv2d(8, 8, 3, padding=1, groups=2)
        self.norm = nn.BatchNorm2d(16)  # after a concat: kept as scale and shift
        self.pool = nn.MaxPool2d(2)
        self.avg = nn.AvgPool2d(2)
        self.gate = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Conv2d(16, 16, 1), nn.Sigmoid())
        self.act = nn.Hardswish()
        self.head = nn.Sequential(
            nn.AdaptiveAvgPool2d(2), nn.Flatten(), nn.Dropout(0.2), nn.Linear(64, 10)
        )

    def forward(self, x):
        x = self.stem(x)
        x = x + self.depthwise(x)
        y = F.hardtanh(self.grouped(x), -1.0, 1.0)
        x = self.norm(torch.cat([x, y], dim=1))
        x = self.avg(self.pool(x))
        x = self.act(x * self.gate(x))
        return self.head(x)


def build_model():
    return TinyCNN()
