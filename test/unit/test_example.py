"""examples/compile_resnet18.py runs as written, on the small CNN of the end-to-end tests at
32x32 instead of ResNet-18 at 224x224 (which compiles in minutes)."""

import importlib.util
from pathlib import Path

from rcbc.frontend import models

ROOT = Path(__file__).parents[2]
SMALL_CNN = ROOT / "test" / "EndToEnd" / "Inputs" / "small_cnn.py"


def load_example():
    spec = importlib.util.spec_from_file_location("compile_resnet18", ROOT / "examples" / "compile_resnet18.py")
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    return example


def test_the_example_compiles_runs_checks_and_reports(monkeypatch, capsys):
    example = load_example()
    built = []

    def small_model(name, seed):
        built.append((name, seed))
        return models.user_model(f"{SMALL_CNN}:build", seed)

    monkeypatch.setattr(example, "torchvision_model", small_model)
    example.main(["--input-shape", "1,3,32,32", "--tiles", "4"])
    lines = capsys.readouterr().out.splitlines()
    assert built == [("resnet18", 0)]
    assert lines[0].startswith("compile time (measured): ")
    assert lines[1].startswith("against PyTorch: max |difference| ")
    assert lines[1].endswith("; top-1 agrees on 1 of 1")
    relative = float(lines[1].split(" = ")[1].split()[0])
    assert relative < 1e-4
    assert lines[2].startswith("modeled performance on aie-ml")
    assert lines[3].split() == ["resnet18", "(modeled)"]
    assert next(line for line in lines if line.startswith("compute tiles")).split()[-1] == "4"
