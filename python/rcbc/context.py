"""MLIR contexts with every rcbc dialect loaded.

Each tool makes its contexts here, so that parsing rcbc IR never depends on which dialects some
earlier code happened to load::

    ctx = make_context(allow_unregistered_dialects=True)
    module = ir.Module.parse(text, ctx)
"""

from __future__ import annotations

import rcbc.dialects
from rcbc.mlir import ir


def make_context(*, allow_unregistered_dialects: bool = False) -> ir.Context:
    """A new Context with the upstream and rcbc dialects loaded, MLIR's threading off.

    MLIR verifies the isolated-from-above ops of a module (functions, `rcb.program`) on worker
    threads, and the rcbc verifiers are Python: a worker would wait forever for the GIL that the
    thread parsing or running the pass manager holds. A module holding two such ops, say an
    `rcb.program` beside a function, would hang on its first verification.
    """
    context = ir.Context()
    context.allow_unregistered_dialects = allow_unregistered_dialects
    context.enable_multithreading(False)
    load_all = getattr(rcbc.dialects, "load_all", None)
    if load_all is not None:
        load_all(context)
    return context
