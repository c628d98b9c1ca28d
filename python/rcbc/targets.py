"""Target descriptions: the hardware numbers every rcbc pass and model reads, as data.

One `Target` per supported device, each number carrying the tag of its source (the tags are those
of the project's hardware reference and are listed, with their documents, in `SOURCE_DOCUMENTS`)::

    >>> from rcbc import targets
    >>> t = targets.get("aie-ml")
    >>> t.kind_of(3), t.spec("compute").memory, t.macs_per_cycle["i8"]
    ('compute', 65536, 256)
    >>> t.source("ddr_bandwidth")
    '[VEK-BS] 3 x LPDDR4-3733 x32 = 44.8 GB/s peak'

Rows are numbered from the interface (shim) row 0 upwards; rows 1..memtile_rows hold memory tiles
and the rest compute tiles, which is the layout of all four devices.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

TileKindName = Literal["interface", "memory", "compute"]
TILE_KINDS: tuple[TileKindName, ...] = ("interface", "memory", "compute")


class UnknownTarget(ValueError):
    """Raised for a target name that is not described here; the message lists the known ones."""


@dataclass(frozen=True)
class TileKind:
    """Resources of one kind of tile."""

    memory: int  # bytes of data memory the tile's DMA can address (0: none, DDR beyond)
    mm2s_channels: int  # memory-to-stream DMA channels
    s2mm_channels: int  # stream-to-memory DMA channels
    bds: int  # buffer descriptors, shared by the tile's channels
    locks: int
    max_lock_value: int  # 1 for binary locks, 63 for 6-bit semaphores
    max_dims: int  # dimensions of one DMA access pattern


@dataclass(frozen=True)
class Target:
    """A tile-array device: geometry, per-kind resources, compute and bandwidth figures."""

    name: str
    device: str
    arch: str
    columns: int
    rows: int  # including the interface row 0
    memtile_rows: int
    ddr_columns: tuple[int, ...]  # interface columns whose DMA reaches DDR
    compute: TileKind
    memory: TileKind | None
    interface: TileKind
    neighbours: tuple[str, ...]  # other compute tiles' memories a core may access
    macs_per_cycle: dict[str, int]  # by operand dtype: "i8", "bf16", "f32"
    clock_hz: float
    stream_bytes_per_cycle: int  # one DMA channel / stream port
    memtile_bandwidth: float | None  # bytes/s read (and as much write) per memory tile
    ddr_bandwidth: float | None  # bytes/s off-chip; None where no figure is documented
    stack_bytes: int  # reserved at the bottom of each compute tile's memory
    sources: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def compute_rows(self) -> int:
        return self.rows - 1 - self.memtile_rows

    @property
    def first_compute_row(self) -> int:
        return 1 + self.memtile_rows

    @property
    def compute_tiles(self) -> int:
        return self.columns * self.compute_rows

    def kind_of(self, row: int) -> TileKindName:
        """The kind of the tiles in `row` (which must be inside the array)."""
        if not 0 <= row < self.rows:
            raise ValueError(f"row {row} is outside target {self.name} (rows 0..{self.rows - 1})")
        if row == 0:
            return "interface"
        if row <= self.memtile_rows:
            return "memory"
        return "compute"

    def contains(self, col: int, row: int) -> bool:
        return 0 <= col < self.columns and 0 <= row < self.rows

    def spec(self, kind: TileKindName) -> TileKind:
        """The resources of one kind of tile; asking for memory tiles on `aie` is an error."""
        spec = {"interface": self.interface, "memory": self.memory, "compute": self.compute}[kind]
        if spec is None:
            raise ValueError(f"target {self.name} has no {kind} tiles")
        return spec

    def source(self, field_name: str) -> str:
        return self.sources[field_name]


AIE_ML = Target(
    name="aie-ml",
    device="xcve2802 (VEK280)",
    arch="AIE2",
    columns=38,
    rows=11,
    memtile_rows=2,
    ddr_columns=(2, 3, 6, 7, 14, 15, 22, 23, 30, 31, 34, 35),
    compute=TileKind(
        memory=64 * 1024, mm2s_channels=2, s2mm_channels=2, bds=16, locks=16,
        max_lock_value=63, max_dims=3,
    ),
    memory=TileKind(
        memory=512 * 1024, mm2s_channels=6, s2mm_channels=6, bds=48, locks=64,
        max_lock_value=63, max_dims=4,
    ),
    interface=TileKind(
        memory=0, mm2s_channels=2, s2mm_channels=2, bds=16, locks=16,
        max_lock_value=63, max_dims=3,
    ),
    neighbours=("west", "north", "south"),
    macs_per_cycle={"i8": 256, "bf16": 128, "f32": 21},
    clock_hz=1.25e9,
    stream_bytes_per_cycle=4,
    memtile_bandwidth=30e9,
    ddr_bandwidth=44.8e9,
    stack_bytes=1024,
    sources={
        "geometry": "[TM-h] 11 x 38: row 0 shim, rows 1-2 memory tiles, rows 3-10 compute",
        "ddr_columns": "[TM-h] 12 NoC+DMA interface columns",
        "compute": "[UG1603-MEM][AM020-A][XD100-BD][TM-h] 64 KB, 2+2 DMA, 16 BDs, 16 6-bit locks, 3-D",
        "memory": "[UG1603-MT][XD100-BD][AM020-A] 512 KB, 6+6 DMA, 48 BDs, 64 locks, 4-D",
        "interface": "[AM020-IFDMA][XD100-BD][AM020-IF] 2+2 DMA, 16 BDs, 16 locks",
        "neighbours": "[TM-h][UG1603-MEM] own memory east; W, N, S neighbours reachable",
        "macs_per_cycle": "[AM020-A] int8 256, bf16 128, fp32 emulated ~42 ops = 21 MACs",
        "clock_hz": "[DPU-TRD] 1.25 GHz max on XCVE2802-2MP",
        "stream_bytes_per_cycle": "[UG1603-AO] 32-bit stream switch",
        "memtile_bandwidth": "[AM020-A] up to 30 GB/s read + 30 GB/s write per memory tile",
        "ddr_bandwidth": "[VEK-BS] 3 x LPDDR4-3733 x32 = 44.8 GB/s peak",
        "stack_bytes": "[TM-h] mlir-aie default core stack 0x400",
    },
)

AIE = Target(
    name="aie",
    device="xcvc1902 (VCK190)",
    arch="AIE1",
    columns=50,
    rows=9,
    memtile_rows=0,
    ddr_columns=(2, 3, 6, 7, 10, 11, 18, 19, 26, 27, 34, 35, 42, 43, 46, 47),
    compute=TileKind(
        memory=32 * 1024, mm2s_channels=2, s2mm_channels=2, bds=16, locks=16,
        max_lock_value=1, max_dims=1,
    ),
    memory=None,
    interface=TileKind(
        memory=0, mm2s_channels=2, s2mm_channels=2, bds=16, locks=16,
        max_lock_value=1, max_dims=1,
    ),
    neighbours=("north", "south", "horizontal"),
    macs_per_cycle={"i8": 128, "f32": 8},
    clock_hz=1.25e9,
    stream_bytes_per_cycle=4,
    memtile_bandwidth=None,
    ddr_bandwidth=25.6e9,
    stack_bytes=1024,
    sources={
        "geometry": "[TM-h] 9 x 50: row 0 shim, rows 1-8 compute, no memory tiles",
        "ddr_columns": "[TM-h] 16 NoC+DMA interface columns",
        "compute": "[UG1079-MEM][XD100-BD][TM-h] 32 KB, 2+2 DMA, 16 BDs, 16 binary locks, 1-D BDs",
        "interface": "[AM020-IFDMA][XD100-BD] 2+2 DMA, 16 BDs; 1-D BDs on AIE1 [TM-h]",
        "neighbours": "[TM-h][UG1079-MEM] N, S and one horizontal neighbour (checkerboard)",
        "macs_per_cycle": "[UG1079-VPU] int8 128, fp32 8 (native)",
        "clock_hz": "[TUT-CLK] xcvc1902-vsva2197-2MP-e-S runs 1.25 GHz",
        "stream_bytes_per_cycle": "[UG1603-AO][AM020-A] 32-bit stream switch",
        "ddr_bandwidth": "[VCK-BS] DDR4-3200 64-bit controller = 25.6 GB/s peak",
        "stack_bytes": "[TM-h] mlir-aie default core stack 0x400",
    },
)

NPU1 = Target(
    name="npu1",
    device="Ryzen AI NPU (XDNA, Phoenix / Hawk Point), 4-column partition",
    arch="AIE2",
    columns=4,
    rows=6,
    memtile_rows=1,
    ddr_columns=(0, 1, 2, 3),
    compute=AIE_ML.compute,
    memory=AIE_ML.memory,
    interface=AIE_ML.interface,
    neighbours=AIE_ML.neighbours,
    macs_per_cycle={"i8": 256, "bf16": 128, "f32": 21},
    clock_hz=1.6e9,
    stream_bytes_per_cycle=4,
    memtile_bandwidth=30e9,
    ddr_bandwidth=None,
    stack_bytes=1024,
    sources={
        "geometry": "[TM-h][DEV] npu1 partition: 4 columns x 6 rows, 16 compute tiles",
        "ddr_columns": "[DEV] every column of the partition has a shim DMA",
        "compute": "[TM-h] AIE2 core tile, as aie-ml",
        "memory": "[TM-h] AIE2 memory tile, as aie-ml",
        "interface": "[TM-h] AIE2 shim, as aie-ml",
        "neighbours": "[TM-h] AIE2 map, as aie-ml",
        "macs_per_cycle": "[AM020-A][TNZR] AIE2: int8 256, bf16 128, fp32 emulated",
        "clock_hz": "[DRV1] DPM top entry 1600 MHz (field meaning TO VERIFY)",
        "stream_bytes_per_cycle": "[UG1603-AO] 32-bit stream switch",
        "memtile_bandwidth": "[AM020-A] AIE2 memory tile, as aie-ml",
        "ddr_bandwidth": "no documented figure; the shim DMA ceiling bounds off-chip traffic",
        "stack_bytes": "[TM-h] mlir-aie default core stack 0x400",
    },
)

NPU2 = Target(
    name="npu2",
    device="Ryzen AI NPU (XDNA2, Strix / Krackan)",
    arch="AIE2P",
    columns=8,
    rows=6,
    memtile_rows=1,
    ddr_columns=tuple(range(8)),
    compute=AIE_ML.compute,
    memory=AIE_ML.memory,
    interface=AIE_ML.interface,
    neighbours=AIE_ML.neighbours,
    macs_per_cycle={"i8": 512, "bf16": 512, "f32": 21},
    clock_hz=1.8e9,
    stream_bytes_per_cycle=4,
    memtile_bandwidth=30e9,
    ddr_bandwidth=None,
    stack_bytes=1024,
    sources={
        "geometry": "[TM-h][DEV] npu2: 8 columns x 6 rows, 32 compute tiles",
        "ddr_columns": "[TM-h] all 8 interface tiles have shim DMA",
        "compute": "[TM-h] AIE2P inherits the AIE2 tile model: 64 KB, 16 BDs, 16 locks",
        "memory": "[TM-h] AIE2P memory tile, as AIE2",
        "interface": "[TM-h] AIE2P shim, as AIE2",
        "neighbours": "[TM-h] same map as AIE2",
        "macs_per_cycle": "[IREE1198][DEST] int8 512; bf16 as native BFP16 512 [TNZR][JENA]; "
        "fp32 emulated, assumed as AIE2 (TO VERIFY)",
        "clock_hz": "[DRV4] DPM top entry 1800 MHz (field meaning TO VERIFY)",
        "stream_bytes_per_cycle": "[UG1603-AO] assumed 32-bit as AIE2 (TO VERIFY for AIE2P)",
        "memtile_bandwidth": "[AM020-A] assumed as AIE2",
        "ddr_bandwidth": "no documented figure; the shim DMA ceiling bounds off-chip traffic",
        "stack_bytes": "[TM-h] mlir-aie default core stack 0x400",
    },
)

_TARGETS = {t.name: t for t in (AIE_ML, AIE, NPU1, NPU2)}
DEFAULT_TARGET = AIE_ML.name
DEFAULT_TILES = 28  # the AEG paper's budget for ResNet-18

SOURCE_DOCUMENTS = {
    "TM-h": "Xilinx/mlir-aie include/aie/Dialect/AIE/IR/AIETargetModel.h",
    "TM-cpp": "Xilinx/mlir-aie lib/Dialect/AIE/IR/AIETargetModel.cpp",
    "DEV": "Xilinx/mlir-aie docs/Devices.md",
    "AM020-A": "AMD AM020, Appendix A: Key Differences between AI Engine and AIE-ML",
    "AM020-IF": "AMD AM020: Features of the AIE-ML Array Interface",
    "AM020-IFDMA": "AMD AM020: Array Interface DMA, Memory-Mapped AXI4 Master Interface",
    "UG1603-MEM": "AMD UG1603: AI Engine-ML Memory",
    "UG1603-MT": "AMD UG1603: AIE-ML/AIE-ML v2 Memory Tile",
    "UG1603-AO": "AMD UG1603: Architecture Overview",
    "UG1079-MEM": "AMD UG1079: AI Engine Memory",
    "UG1079-VPU": "AMD UG1079: Vector Processing Unit",
    "XD100-BD": "AMD Vitis AI Engine tutorials: Buffer Descriptors overview",
    "TUT-CLK": "AMD Vitis AI Engine tutorials: Summary of AI Engine Architecture",
    "DPU-TRD": "Xilinx Vitis-AI 3.5, DPUCV2DX8G reference design README",
    "VEK-BS": "Xilinx/XilinxBoardStore boards/Xilinx/vek280/production/1.2/preset.xml",
    "VCK-BS": "Xilinx/XilinxBoardStore boards/Xilinx/vck190/production/3.4/preset.xml",
    "DRV1": "Xilinx/mlir-aie issue 2017 (xdna-driver npu1_dpm_clk_table)",
    "DRV4": "Linux drivers/accel/amdxdna/npu4_regs.c (npu4_dpm_clk_table)",
    "IREE1198": "nod-ai/iree-amd-aie issue 1198",
    "TNZR": "tnzr.org/xdna/xdna1_kernel.html",
    "JENA": "scalable.uni-jena.de, hello_xdna (2026-01-21)",
    "DEST": "destevez.net, getting peak TOPS on a Ryzen AI 7 350 NPU (2026-05)",
}


def names() -> list[str]:
    return list(_TARGETS)


def get(name: str) -> Target:
    """The target called `name`; an unknown name raises `UnknownTarget` listing the known ones."""
    try:
        return _TARGETS[name]
    except KeyError:
        raise UnknownTarget(
            f"unknown target '{name}'; known targets: {', '.join(names())}"
        ) from None
