"""The examples in the docstrings of the bytecode modules run as shown."""

import doctest
import importlib

import pytest

MODULES = ["program", "codec"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(f"rcbc.bytecode.{name}")
    result = doctest.testmod(module)
    assert result.attempted and not result.failed
