"""BatchNorm folding: the folded model computes what the original does, in PyTorch."""

import pytest
import torch
import torchvision
from torch import nn

from rcbc.frontend.bn_folding import ChannelAffine, fold_batch_norm
from rcbc.frontend.errors import FrontendError


def randomize_batch_norms(model: nn.Module) -> nn.Module:
    """Give every BatchNorm non-trivial statistics and affine parameters, as training would."""
    generator = torch.Generator().manual_seed(0)
    for module in model.modules():
        if isinstance(module, nn.modules.batchnorm._BatchNorm):
            (channels,) = module.running_mean.shape
            module.running_mean.copy_(torch.randn(channels, generator=generator))
            module.running_var.copy_(torch.rand(channels, generator=generator) * 2 + 0.1)
            if module.affine:
                module.weight.data.copy_(torch.randn(channels, generator=generator))
                module.bias.data.copy_(torch.randn(channels, generator=generator))
    return model.eval()


def fold(model: nn.Module, *shape: int):
    x = torch.randn(*shape, generator=torch.Generator().manual_seed(1))
    folded = fold_batch_norm(model, torch.export.export(model, (x,)))
    with torch.no_grad():
        expected, actual = model(x), folded.model(x)
    difference = (actual - expected).abs().max() / expected.abs().max()
    assert difference <= 1e-5, f"max |diff| is {difference:.2e} of max |output|"
    return folded


class ConvBatchNormRelu(nn.Sequential):
    def __init__(self, cin, cout, **conv):
        super().__init__(nn.Conv2d(cin, cout, 3, **conv), nn.BatchNorm2d(cout), nn.ReLU())


def test_conv_then_batch_norm_is_folded_into_the_convolution():
    model = randomize_batch_norms(
        nn.Sequential(
            ConvBatchNormRelu(3, 8, padding=1, bias=False),
            ConvBatchNormRelu(8, 8, stride=2, dilation=2, groups=8),  # depthwise, with bias
            ConvBatchNormRelu(8, 12, groups=4),
        )
    )
    folded = fold(model, 2, 3, 16, 16)
    assert folded.convolutions == [("0.0", "0.1"), ("1.0", "1.1"), ("2.0", "2.1")]
    assert folded.affine == []
    assert isinstance(folded.model[0][1], nn.Identity)
    assert folded.model[0][0].bias is not None  # gained the batch norm's shift
    assert isinstance(model[0][1], nn.BatchNorm2d), "the original model is left as it was"
    assert [name for name, _ in folded.model.named_parameters()] == [
        f"{i}.0.{p}" for i in range(3) for p in ("weight", "bias")
    ]


class BatchNormAfterConcat(nn.Module):
    """DenseNet's pattern: batch norm after a concat, and a batch norm module used twice."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 1)
        self.norm = nn.BatchNorm2d(7)
        self.shared = nn.BatchNorm2d(7)
        self.fc = nn.Linear(7, 5)
        self.norm1d = nn.BatchNorm1d(5)

    def forward(self, x):
        x = self.norm(torch.cat([self.conv(x), x], dim=1))
        x = self.shared(self.shared(x))
        return self.norm1d(self.fc(x.mean((2, 3))))


def test_batch_norm_not_after_a_convolution_becomes_scale_and_shift():
    folded = fold(randomize_batch_norms(BatchNormAfterConcat()), 2, 3, 6, 6)
    assert folded.convolutions == []
    assert folded.affine == ["norm", "shared", "norm1d"]
    assert isinstance(folded.model.norm, ChannelAffine)
    assert folded.model.norm.scale.shape == (7, 1, 1)
    assert folded.model.norm1d.scale.shape == (5,)


class ConvUsedTwice(nn.Module):
    """The convolution's output also feeds the residual: folding would change it."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(4, 4, 3, padding=1)
        self.bn = nn.BatchNorm2d(4)

    def forward(self, x):
        y = self.conv(x)
        return self.bn(y) + y


def test_batch_norm_after_a_shared_convolution_output_is_not_folded():
    folded = fold(randomize_batch_norms(ConvUsedTwice()), 1, 4, 5, 5)
    assert folded.convolutions == []
    assert folded.affine == ["bn"]


def test_a_model_that_is_a_batch_norm():
    folded = fold(randomize_batch_norms(nn.BatchNorm2d(3)), 1, 3, 4, 4)
    assert folded.affine == [""]
    assert isinstance(folded.model, ChannelAffine)


def test_resnet18_folds_all_twenty_batch_norms():
    torch.manual_seed(0)
    model = randomize_batch_norms(torchvision.models.resnet18())
    folded = fold(model, 1, 3, 64, 64)
    assert len(folded.convolutions) == 20 and folded.affine == []
    assert ("layer2.0.downsample.0", "layer2.0.downsample.1") in folded.convolutions
    assert not any(isinstance(m, nn.BatchNorm2d) for m in folded.model.modules())


def test_batch_norm_without_running_statistics_is_an_error():
    model = nn.Sequential(nn.Conv2d(3, 4, 1), nn.BatchNorm2d(4, track_running_stats=False)).eval()
    program = torch.export.export(model, (torch.randn(2, 3, 4, 4),))
    with pytest.raises(FrontendError, match="batch norm 1 has no running statistics"):
        fold_batch_norm(model, program)
