"""rcbc run --check's comparison: relative difference and top-1 agreement."""

import doctest

import numpy as np
import pytest

from rcbc.runtime import agreement as module
from rcbc.runtime.agreement import agreement


def test_docstring_examples():
    result = doctest.testmod(module)
    assert result.attempted and not result.failed


def test_top1_is_checked_per_row_of_a_batch():
    found = agreement(np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([[1.0, 0.0], [1.0, 0.5]]))
    assert found.top1 == (1, 2)
    assert found.failures(tolerance=10) == ["top-1 differs"]


def test_an_all_zero_reference_is_measured_against_one():
    found = agreement(np.full((1, 4, 2, 2), 1e-5), np.zeros((1, 4, 2, 2)))
    assert (found.scale, found.top1, found.relative) == (1.0, None, 1e-5)
    assert str(found) == "max |difference| 1e-05 = 1e-05 of max |reference| 1"


def test_shapes_must_match():
    with pytest.raises(ValueError, match=r"shapes differ: \[1, 10\] and \[1, 5\]"):
        agreement(np.zeros((1, 10)), np.zeros((1, 5)))
