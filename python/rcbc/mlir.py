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
