"""rhal-set-target: attach the target description and the tile budget to the module."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rcbc import targets
from rcbc.dialects import rhal
from rcbc.mlir import ir
from rcbc.registry import ModulePass, option


@dataclass(frozen=True)
class SetTarget(ModulePass):
    """Attach the target description and the compute-tile budget to the module.

    Every later rhal pass and verifier reads the geometry, memory sizes and budget from the
    module's `rhal.target` attribute, built from the registry in `rcbc.targets`. A target already
    on the module is replaced.

    Before (`--rhal-set-target='target=npu1 tiles=16'`):

        module {
        }

    After:

        module attributes {rhal.target = #rhal.target<"npu1", 4 : i64, 6 : i64, 1 : i64,
                                                      65536 : i64, 524288 : i64, 16 : i64>} {
        }
    """

    argument: ClassVar[str] = "rhal-set-target"
    target: str = option(targets.DEFAULT_TARGET, f"target: {', '.join(targets.names())}")
    tiles: int = option(targets.DEFAULT_TILES, "compute-tile budget")

    def run(self, module: ir.Operation) -> None:
        try:
            description = targets.get(self.target)
        except targets.UnknownTarget as e:
            self.fail(module, f"rhal-set-target: {e}")
        if not 1 <= self.tiles <= description.compute_tiles:
            self.fail(
                module,
                f"rhal-set-target: a budget of {self.tiles} tiles does not fit target "
                f"{self.target}, which has {description.compute_tiles} compute tiles",
            )
        module.attributes[rhal.TARGET_ATTR] = rhal.target(self.target, self.tiles)
