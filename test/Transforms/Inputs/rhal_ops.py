"""Print what the tensor-level rhal ops of a lowered model are: counts by kind and fusion.

    python rhal_ops.py lowered.mlir
"""

import sys
from collections import Counter

from rcbc.context import make_context
from rcbc.dialects import rhal
from rcbc.frontend.interface import entry_function
from rcbc.mlir import ir


def activation(op) -> str:
    kind = op.activation.value
    return f"{kind} [{op.act_min.value:g}, {op.act_max.value:g}]" if kind == "clamp" else kind


def main(path: str) -> None:
    with make_context():
        module = ir.Module.parse(open(path).read())
        ops = list(entry_function(module).entry_block.operations)
    kinds = Counter(op.operation.name for op in ops)
    convs = [op for op in ops if isinstance(op, rhal.Conv2dOp)]
    depthwise = [
        op for op in convs
        if 1 < op.groups.value == op.input.type.shape[1] == op.result.type.shape[1]
    ]  # fmt: skip
    print(
        f"rhal.conv2d: {len(convs)}, {sum(op.residual is not None for op in convs)} with a "
        f"residual, {len(depthwise)} depthwise"
    )
    for name, count in sorted(Counter(activation(op) for op in convs).items()):
        print(f"  activation {name}: {count}")
    pools = Counter(op.mode.value for op in ops if isinstance(op, rhal.Pool2dOp))
    print(f"rhal.pool2d: {kinds['rhal.pool2d']}")
    for mode, count in sorted(pools.items()):
        print(f"  mode {mode}: {count}")
    for name in ("rhal.global_avgpool", "rhal.matmul", "rhal.eltwise"):
        print(f"{name}: {kinds[name]}")
    print("other ops:", ", ".join(sorted(k for k in kinds if not k.startswith("rhal."))))


if __name__ == "__main__":
    main(sys.argv[1])
