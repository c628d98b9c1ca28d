"""`rcbc import` in-process: --weights values reach the store bit-exactly; user errors exit 1."""

import textwrap

import numpy as np
import pytest
import torch

from rcbc.frontend import interface
from rcbc.frontend.weights import WeightStore
from rcbc.mlir import ir
from rcbc.tools.rcbc import main

MODEL_SOURCE = textwrap.dedent(
    """
    from torch import nn

    def build():
        return nn.Sequential(nn.Conv2d(3, 4, 3), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 6 * 6, 5))
    """
)


@pytest.fixture
def model_file(tmp_path):
    path = tmp_path / "small_model.py"
    path.write_text(MODEL_SOURCE)
    return f"{path}:build"


def test_weights_from_a_state_dict_reach_the_store_bit_exactly(tmp_path, model_file, capsys):
    generator = torch.Generator().manual_seed(3)
    state = {
        "0.weight": torch.randn(4, 3, 3, 3, generator=generator),
        "0.bias": torch.randn(4, generator=generator),
        "3.weight": torch.randn(5, 144, generator=generator),
        "3.bias": torch.randn(5, generator=generator),
    }
    torch.save(state, tmp_path / "trained.pth")

    argv = ["import", "--module", model_file, "--weights", str(tmp_path / "trained.pth")]
    argv += ["--input-shape", "2,3,8,8", "-o", str(tmp_path / "small.mlir")]
    assert main(argv) == 0
    assert "small_model.py:build: trained.pth\n" in capsys.readouterr().out

    store = WeightStore.load(tmp_path / "small.rcbw")
    assert list(store) == list(state)
    for name, tensor in state.items():
        assert store[name].tobytes() == tensor.numpy().tobytes(), name
    with ir.Context():
        module = ir.Module.parse((tmp_path / "small.mlir").read_text())
        interface.check_weights(module, store)
        attributes = module.operation.attributes
        assert ir.StringAttr(attributes[interface.WEIGHT_SOURCE]).value == "trained.pth"
        assert ir.StringAttr(attributes[interface.WEIGHT_STORE]).value == "small.rcbw"
        inputs = [a for a in interface.entry_arguments(module) if a.kind == interface.INPUT]
        assert [(a.name, str(a.type)) for a in inputs] == [("input", "tensor<2x3x8x8xf32>")]


@pytest.mark.parametrize(
    "argv, message",
    [
        (["import", "resnet81"], "rcbc import: error: 'resnet81' is not one of torchvision's"),
        (["import", "resnet18", "--input-shape", "1,3,x"], "'1,3,x' is not a shape"),
        (["import", "resnet18", "--module", "m:f"], "not allowed with argument"),
        (["import", "resnet18", "--weights", "absent.pth"], "weights file absent.pth does not exist"),
    ],
)
def test_user_errors_are_one_message_and_exit_status_1(tmp_path, monkeypatch, capsys, argv, message):
    monkeypatch.chdir(tmp_path)
    try:
        status = main(argv)
    except SystemExit as exit:  # argparse rejects the options
        status = exit.code
    assert status == 1
    stderr = capsys.readouterr().err
    assert message in stderr
    assert "Traceback" not in stderr
    assert not list(tmp_path.iterdir()), "nothing is written"


def test_a_state_dict_that_does_not_fit_is_reported(tmp_path, model_file, capsys):
    torch.save({"0.weight": torch.zeros(1)}, tmp_path / "other.pth")
    argv = ["import", "--module", model_file, "--weights", str(tmp_path / "other.pth")]
    assert main(argv + ["-o", str(tmp_path / "x.mlir")]) == 1
    assert "does not fit the model: size mismatch for 0.weight" in capsys.readouterr().err


def test_an_output_that_cannot_be_written_is_reported(tmp_path, model_file, capsys):
    argv = ["import", "--module", model_file, "--input-shape", "1,3,8,8"]
    assert main(argv + ["-o", str(tmp_path / "absent" / "x.mlir")]) == 1
    assert "cannot write " in capsys.readouterr().err


def test_check_weights_names_each_mismatch():
    store = WeightStore()
    store.add("conv.weight", np.zeros((8, 3, 3, 3), np.float16))
    with ir.Context():
        module = ir.Module.parse(
            """
            func.func @main(%w: tensor<8x3x3x3xf32> {rcbc.weight = "conv.weight"},
                            %b: tensor<8xf32> {rcbc.weight = "conv.bias"},
                            %x: tensor<1x3x8x8xf32> {rcbc.input = "x"}) -> tensor<8xf32> {
              return %b : tensor<8xf32>
            }
            """
        )
        with pytest.raises(interface.FrontendError) as error:
            interface.check_weights(module, store)
    assert str(error.value) == (
        "the weight store does not match the IR (2 weights):\n"
        "  conv.weight: the IR expects 8x3x3x3xf32, the store has 8x3x3x3xf16\n"
        "  conv.bias: not in the store"
    )
