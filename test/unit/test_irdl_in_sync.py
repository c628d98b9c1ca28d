"""The checked-in IRDL of each rcbc dialect matches its Python definition.

``dialects/<name>.irdl.mlir`` is what ``torch-mlir-opt --irdl-file=`` loads; a field added to a
Python op without regenerating the file would make MLIR tools disagree with rcbc.
"""

import difflib

import pytest

from rcbc.dialects import ALL_DIALECTS
from rcbc.dialects.irdl_dump import COMMAND, irdl_path, irdl_text


@pytest.mark.parametrize("dialect", ALL_DIALECTS, ids=lambda d: d.name)
def test_checked_in_irdl_is_current(dialect):
    path = irdl_path(dialect)
    assert path.exists(), f"{path.name} is missing; generate it with `{COMMAND}`"
    fresh = irdl_text(dialect)
    checked_in = path.read_text()
    diff = "".join(
        difflib.unified_diff(
            checked_in.splitlines(keepends=True),
            fresh.splitlines(keepends=True),
            f"dialects/{path.name} (checked in)",
            f"dialects/{dialect.name}.py (definition)",
        )
    )
    assert checked_in == fresh, f"{path.name} is stale; regenerate it with `{COMMAND}`:\n{diff}"
