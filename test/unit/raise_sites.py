"""Where an exception class is raised, for tests that every diagnostic has a test case.

`raise_sites` finds the ``raise Name(...)`` statements of some source files; `record_raises`
records, while a test runs, which of them were executed. A site in the first set but not in the
second is a diagnostic no test case reaches.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterable
from pathlib import Path


def raise_sites(paths: Iterable[Path], name: str) -> set[tuple[str, int]]:
    """(file name, line) of every ``raise <name>(...)`` statement in `paths`."""
    sites = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Raise)
                and isinstance(node.exc, ast.Call)
                and getattr(node.exc.func, "id", None) == name
            ):
                sites.add((path.name, node.lineno))
    return sites


def record_raises(monkeypatch, cls: type[BaseException]) -> set[tuple[str, int]]:
    """A set that collects (file name, line) of each construction of `cls` from now until the
    end of the test: the ``raise`` statements that ran."""
    raised = set()
    original_init = cls.__init__

    def recording_init(self, *args):
        caller = sys._getframe(1)
        raised.add((Path(caller.f_code.co_filename).name, caller.f_lineno))
        original_init(self, *args)

    monkeypatch.setattr(cls, "__init__", recording_init)
    return raised
