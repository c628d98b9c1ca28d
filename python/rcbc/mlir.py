"""The one gateway to the MLIR Python bindings.

rcbc takes MLIR from the ``torch-mlir`` wheel. Every other module imports MLIR from here, so that
moving to another bindings distribution (for instance upstream ``mlir``) is a change to this file
alone::

    from rcbc.mlir import ir, ext, PassManager
"""

from torch_mlir import ir
from torch_mlir import passmanager
from torch_mlir import rewrite
from torch_mlir import runtime
from torch_mlir.dialects import arith, ext, func, irdl, linalg, tensor
from torch_mlir.execution_engine import ExecutionEngine
from torch_mlir.passmanager import PassManager
from torch_mlir._mlir_libs import _mlir


def add_dialect_package(package: str) -> None:
    """Let the bindings find the Python module of dialect `ns` as `package.ns`.

    When the bindings wrap an operation they import the module of its dialect; for a dialect
    they cannot find, the failed import is repeated for every operation and dominates the
    time of any pass over a large module.
    """
    if package not in _mlir.globals.dialect_search_modules:
        _mlir.globals.append_dialect_search_prefix(package)

__all__ = [
    "ExecutionEngine",
    "PassManager",
    "arith",
    "ext",
    "func",
    "ir",
    "irdl",
    "linalg",
    "passmanager",
    "rewrite",
    "runtime",
    "tensor",
]
