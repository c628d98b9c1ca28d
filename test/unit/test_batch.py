"""A batch through a program: ResNet-18 compiled for aie-ml on 28 tiles, 224x224, runs 16
inputs (on the reference executor all at once: the checks and the timing once, the arithmetic
of every run) and matches PyTorch eager on every one. Compiling for a batch is one error: a
program computes one image per run."""

import numpy as np

from rcbc.tools import rcbc


def rcbc_main(capsys, *argv):
    status = rcbc.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


def test_resnet18_on_a_batch_of_16_matches_pytorch_on_each(tmp_path, capsys):
    program, batch = tmp_path / "r18.rcb", tmp_path / "batch.npy"
    status, _, err = rcbc_main(capsys, "compile", "resnet18", "--tiles", "28", "-o", program)
    assert status == 0, err
    np.save(batch, np.random.default_rng(16).standard_normal((16, 3, 224, 224), dtype=np.float32))
    status, out, err = rcbc_main(capsys, "run", program, "--input", batch, "--check", "--model", "resnet18")
    assert status == 0, err
    assert "on the hardware the batch is 16 runs, one after another" in out
    assert "top-1 agrees on 16 of 16" in out and "check: OK" in out


def test_compiling_for_a_batch_is_one_error(tmp_path, capsys):
    status, _, err = rcbc_main(capsys, "compile", "resnet18", "--input-shape", "2,3,32,32",
                               "-o", tmp_path / "r18.rcb")
    assert status == 1
    assert err.count("error:") == 2, err  # the pass's, then rcbc compile's
    assert ("convert-linalg-to-rhal: batch 2: a program computes one image per run; compile for "
            "batch 1 and run it once per image") in err
