"""What a node of an exported torch.fx graph says about its origin.

`torch.export` records, for each operator node, the stack of modules that called it and the
Python stack that produced it. The frontend reads them to name the layer a convolution belongs to
(BatchNorm folding) and to point at the user's line when an operator is not supported::

    >>> node = next(n for n in program.graph.nodes if n.op == "call_function")
    >>> op_name(node), calling_module(node), source_location(node)
    ('aten.conv2d', 'layer1.0.conv1', SourceLocation(file='.../resnet.py', line=92, code='out = self.conv1(x)'))
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

import torch
import torch.fx

_TORCH_DIR = os.path.dirname(torch.__file__) + os.sep
_FRAME = re.compile(r'File "(?P<file>[^"]+)", line (?P<line>\d+), in \S+\n(?P<code>[^\n]*)')


@dataclass(frozen=True)
class SourceLocation:
    """A line of Python: its file, line number and text."""

    file: str
    line: int
    code: str

    def __str__(self) -> str:
        """``file:line``, the file relative to the current directory when it is below it."""
        file = os.path.relpath(self.file)
        return f"{self.file if file.startswith(os.pardir) else file}:{self.line}"


def op_name(node: torch.fx.Node) -> str:
    """The operator of a `call_function` node without its overload: ``aten.conv2d``."""
    return str(getattr(node.target, "overloadpacket", node.target))


def calling_module(node: torch.fx.Node) -> str | None:
    """The path of the innermost module whose forward produced `node` (``layer1.0.conv1``).

    The root module is ``""``; None when export recorded no module.
    """
    stack = node.meta.get("nn_module_stack")
    if not stack:
        return None
    path, _ = list(stack.values())[-1]
    return path


def source_location(node: torch.fx.Node) -> SourceLocation | None:
    """The innermost line outside PyTorch itself that produced `node`.

    For a layer such as ``nn.GELU`` that is the user's ``x = self.act(x)``, not the line of
    ``torch/nn/modules/activation.py`` that calls the functional form.
    """
    frames = [
        SourceLocation(m["file"], int(m["line"]), m["code"].strip())
        for m in _FRAME.finditer(node.meta.get("stack_trace") or "")
    ]
    outside_torch = [frame for frame in frames if not frame.file.startswith(_TORCH_DIR)]
    return (outside_torch or frames or [None])[-1]
