"""A small CNN with a layer of each kind rcbc lowers, for the end-to-end tests: a convolution
with BatchNorm and ReLU, max pooling, a residual block, depthwise and grouped convolutions,
average pooling, hardswish, global average pooling and a classifier."""

from torch import nn


class Residual(nn.Module):
    def __init__(self, channels: int):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(channels)
        self.conv2 = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(channels)

    def forward(self, x):
        y = self.bn2(self.conv2(self.bn1(self.conv1(x)).relu()))
        return (x + y).relu()


class SmallCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(
            nn.Conv2d(3, 8, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(8), nn.ReLU()
        )
        self.pool = nn.MaxPool2d(3, stride=2, padding=1)
        self.block = Residual(8)
        self.depthwise = nn.Sequential(nn.Conv2d(8, 8, 3, padding=1, groups=8), nn.ReLU6())
        self.grouped = nn.Sequential(nn.Conv2d(8, 16, 1, groups=2), nn.Hardswish())
        self.avg = nn.AvgPool2d(2)
        self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 10))

    def forward(self, x):
        x = self.pool(self.stem(x))
        x = self.grouped(self.depthwise(self.block(x)))
        return self.head(self.avg(x))


def build() -> SmallCNN:
    """SmallCNN with random BatchNorm statistics and affine parameters (rcbc seeds PyTorch
    before it calls this), so that folding them into the convolutions is exercised for real."""
    import torch

    model = SmallCNN()
    for module in model.modules():
        if isinstance(module, nn.BatchNorm2d):
            n = module.num_features
            module.running_mean.copy_(torch.randn(n))
            module.running_var.copy_(torch.rand(n) + 0.5)
            module.weight.data.copy_(torch.randn(n))
            module.bias.data.copy_(torch.randn(n))
    return model.eval()


def build_int8() -> SmallCNN:
    """`build` with ReLU in place of hardswish, which has no int8 kernel: every layer of this
    one has one (docs/kernels.md), for `rcbc compile --precision int8`."""
    model = build()
    model.grouped[1] = nn.ReLU()
    return model
