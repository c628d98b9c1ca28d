"""Finding models (torchvision names, --module specs) and loading state_dicts."""

import textwrap

import pytest
import torch
from torch import nn

from rcbc.frontend.errors import FrontendError
from rcbc.frontend.models import load_weights, torchvision_model, user_model

MODEL_SOURCE = textwrap.dedent(
    """
    from torch import nn

    class Tiny(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(3, 4, 3)

        def forward(self, x):
            return self.conv(x)

    def build():
        return Tiny()

    instance = Tiny()
    not_a_model = 42

    def broken():
        raise ValueError("no data for layer 3")
    """
)


@pytest.fixture
def model_dir(tmp_path, monkeypatch):
    (tmp_path / "tiny_model.py").write_text(MODEL_SOURCE)
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    return tmp_path


def test_torchvision_models_are_reproducible_from_the_seed():
    first, again, other = (torchvision_model("squeezenet1_0", seed) for seed in (0, 0, 1))
    weight = "features.0.weight"
    assert torch.equal(first.state_dict()[weight], again.state_dict()[weight])
    assert not torch.equal(first.state_dict()[weight], other.state_dict()[weight])


def test_unknown_torchvision_name_suggests_close_ones():
    with pytest.raises(FrontendError, match="'resnet81' is not one of torchvision's .* resnet18"):
        torchvision_model("resnet81")


@pytest.mark.parametrize("spec", ["tiny_model:build", "tiny_model:Tiny", "tiny_model:instance"])
def test_user_model_from_a_module_in_the_current_directory(model_dir, spec):
    assert type(user_model(spec)).__name__ == "Tiny"


def test_user_model_from_a_file(model_dir):
    assert type(user_model(str(model_dir / "tiny_model.py") + ":build")).__name__ == "Tiny"


@pytest.mark.parametrize(
    "spec, message",
    [
        ("tiny_model", "is not of the form my_pkg.my_mod:build_model"),
        ("no_such_module:build", "cannot import no_such_module: No module named 'no_such_module'"),
        ("missing.py:build", "model file missing.py does not exist"),
        ("tiny_model:absent", "tiny_model has no attribute 'absent'"),
        ("tiny_model:not_a_model", "tiny_model:not_a_model is a int, not an nn.Module or a callable"),
        ("tiny_model:broken", r"tiny_model:broken\(\) raised ValueError: no data for layer 3 "
         r"\(.*tiny_model.py:\d+\)"),
    ],
)  # fmt: skip
def test_user_model_errors(model_dir, spec, message):
    with pytest.raises(FrontendError, match=message):
        user_model(spec)


def test_load_weights(tmp_path):
    source, target = nn.Conv2d(3, 4, 3), nn.Conv2d(3, 4, 3)
    torch.save(source.state_dict(), tmp_path / "w.pth")
    load_weights(target, tmp_path / "w.pth")
    assert torch.equal(target.weight, source.weight)


@pytest.mark.parametrize(
    "saved, message",
    [
        (None, "weights file .* does not exist"),
        ([1, 2], "holds a list, not a state_dict"),
        ({"weight": torch.zeros(4, 3, 3, 3)}, "1 parameters of the model are missing .*bias"),
        ({"weight": torch.zeros(4, 3, 3, 3), "bias": torch.zeros(4), "epoch": torch.tensor(3)},
         "1 entries are not parameters of the model .*epoch"),
        ({"weight": torch.zeros(4, 3, 1, 1), "bias": torch.zeros(4)}, "size mismatch for weight"),
    ],
)  # fmt: skip
def test_load_weights_errors(tmp_path, saved, message):
    if saved is not None:
        torch.save(saved, tmp_path / "w.pth")
    with pytest.raises(FrontendError, match=message):
        load_weights(nn.Conv2d(3, 4, 3), tmp_path / "w.pth")
