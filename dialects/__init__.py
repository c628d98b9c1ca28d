"""The rcbc dialects, defined in Python with `mlir.dialects.ext` (IRDL underneath).

- `rhal` (`rcbc.dialects.rhal`): hardware resources of a tile array: target, tiles, buffers,
  locks, n-d DMA transfers, kernel invocations.
- `rcb` (`rcbc.dialects.rcb`): the final linear program of control-block records.

A Python-defined dialect is bound to the context it is loaded into, and MLIR refuses a second
load; `load_all` loads every dialect that is not loaded yet, so it can be called freely::

    with ir.Context() as ctx:
        load_all()          # or load_all(ctx)
        module = ir.Module.parse(text)

The IRDL of each dialect is checked in beside its module (`rhal.irdl.mlir`, `rcb.irdl.mlir`)
for ``torch-mlir-opt --irdl-file=``; `rcbc.dialects.irdl_dump` regenerates it.
"""

from contextlib import nullcontext


from rcbc.dialects.rcb import Rcb
from rcbc.dialects.rhal import Rhal
from rcbc.mlir import add_dialect_package, ext, ir

ALL_DIALECTS = (Rhal, Rcb)
add_dialect_package(__name__)  # the bindings find `rhal` ops' classes in rcbc.dialects.rhal


def load_all(ctx: ir.Context | None = None) -> None:
    """Load every rcbc dialect into `ctx` (default: the current context); idempotent."""
    with ctx if ctx is not None else nullcontext():
        for dialect in ALL_DIALECTS:
            try:
                dialect.load()
            except ext.DialectAlreadyLoadedError:
                pass
