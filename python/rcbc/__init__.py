"""rcbc: a compiler from PyTorch CNNs, through MLIR, to flat Runtime Control Block bytecode.

The package is laid out as the pipeline is: ``rcbc.frontend`` imports models into linalg,
``rcbc.dialects`` defines the ``rhal`` and ``rcb`` dialects, ``rcbc.passes`` holds one pass per
module, and ``rcbc.tools`` holds the command-line drivers (``rcbc-opt``, ``rcbc``).
"""

__version__ = "0.1.0"
