"""The timing model: how many cycles each record takes on a target. Every figure it yields is
*modeled* from the target's documented numbers (`rcbc.targets`), never measured.

- A DMA transfer takes `DMA_TASK_CYCLES` to start (descriptor fetch, stream set-up) and then
  streams `bytes / stream_bytes_per_cycle` cycles (one 32-bit stream per channel). A transfer
  with a DDR endpoint is also limited by its share of the target's DDR bandwidth: the bandwidth
  is divided evenly among the interface channels the program uses.
- A kernel takes `macs / (macs_per_cycle[dtype] * efficiency) + KERNEL_OVERHEAD_CYCLES`; an
  int8 kernel (``conv2d_i8``) runs at the int8 rate with its f32 counterpart's efficiency.
- A controller record takes `DISPATCH_CYCLES`.
- In a host-dispatched program (the header's flag, bytecode spec section 7) each barrier and the
  end take `HOST_ROUND_TRIP_SECONDS` more once every queue has drained: the host is told the
  work is done and dispatches the next.

    >>> from rcbc import targets
    >>> model = TimingModel(targets.get("aie-ml"), ddr_channels=4)
    >>> model.dma_cycles(4096, ddr=False), round(model.dma_cycles(4096, ddr=True))
    (1124.0, 1124)
"""

from __future__ import annotations

from dataclasses import dataclass

from rcbc import targets

# Fraction of peak MACs/cycle a kernel sustains. The conv and matmul figure follows the best
# published single-tile kernels (86 % of peak for a bf16 GEMM on an XDNA tile, hardware
# reference [JENA]); kernels with little reuse per loaded byte are assumed at half of that.
KERNEL_EFFICIENCY = {
    "conv2d": 0.85,
    "matmul": 0.85,
    "depthwise_conv2d": 0.4,
    "pool2d": 0.4,
    "global_avgpool": 0.4,
    "eltwise": 0.4,
}
KERNEL_OVERHEAD_CYCLES = 200  # call, parameter-block read, loop set-up (assumed)
DMA_TASK_CYCLES = 100  # buffer-descriptor fetch and stream start of one transfer (assumed)
DISPATCH_CYCLES = 20  # one controller record: decode and a few register writes (assumed)
HOST_ROUND_TRIP_SECONDS = 45e-6
"""One dispatch of work to the array by a host driver and its completion back: 45 us for an
empty kernel run through XRT, measured by a user on a Ryzen AI NPU (Xilinx/XRT#9018, also
Xilinx/mlir-aie#2381; iree-amd-aie#1187 measures 80-190 us for a dispatch that reconfigures
the array, so this is the low end). The baseline schedule (``rcbc compile --baseline``) pays it per layer."""
KERNEL_DTYPE = "f32"  # the operand type of version 1's kernels (rcbc.kernels.library.DType)


@dataclass(frozen=True)
class TimingModel:
    target: targets.Target
    ddr_channels: int = 1  # interface channels sharing DDR bandwidth

    def dma_cycles(self, nbytes: int, ddr: bool) -> float:
        per_cycle = float(self.target.stream_bytes_per_cycle)
        if ddr and self.target.ddr_bandwidth is not None:
            share = self.target.ddr_bandwidth / self.target.clock_hz / max(self.ddr_channels, 1)
            per_cycle = min(per_cycle, share)
        return DMA_TASK_CYCLES + nbytes / per_cycle

    def kernel_cycles(self, kernel: str, macs: int, dtype: str | None = None) -> float:
        """Cycles of a launch of `kernel` (a kind, ``conv2d``, or a library kernel name,
        ``conv2d_i8``): its efficiency is its kind's, its rate its dtype's (an ``_i8`` kernel's
        is ``i8`` unless `dtype` says otherwise), as in rcb-run (runtime/host/sim.c)."""
        kind = kernel.removesuffix("_i8")
        if dtype is None:
            dtype = "i8" if kernel != kind else KERNEL_DTYPE
        rate = self.target.macs_per_cycle[dtype] * KERNEL_EFFICIENCY[kind]
        return macs / rate + KERNEL_OVERHEAD_CYCLES

    def host_round_trip_cycles(self) -> float:
        return HOST_ROUND_TRIP_SECONDS * self.target.clock_hz

    def seconds(self, cycles: float) -> float:
        return cycles / self.target.clock_hz
