"""Read imported IR and the weight store it names, as a later compile step does; check they fit."""

import sys
from pathlib import Path

from rcbc.frontend import interface
from rcbc.frontend.weights import WeightStore
from rcbc.mlir import ir


def main(path: Path) -> None:
    with ir.Context():
        module = ir.Module.parse(path.read_text())
        store_name = ir.StringAttr(module.operation.attributes[interface.WEIGHT_STORE]).value
        store = WeightStore.load(path.parent / store_name)
        interface.check_weights(module, store)
        arguments = interface.entry_arguments(module)

    def describe(kind):
        return ", ".join(f"{a.name} {a.type}" for a in arguments if a.kind == kind)

    print(f"{len(store)} weights match the IR: {describe(interface.WEIGHT)}")
    print(f"inputs: {describe(interface.INPUT)}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
