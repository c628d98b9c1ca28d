"""A flat memory to run kernels outside an executor: a layer at a time, or in tests.

Arrays are placed by a bump allocator (4-byte aligned; the memory grows as needed) and a launch
packs its parameter block and runs the reference kernel on the memory::

    >>> arena = Arena()
    >>> x = arena.put(np.arange(8, dtype=np.int8))
    >>> out = arena.alloc(2)
    >>> arena.launch("global_avgpool_i8", dtype=1, in_addr=x, channels=2, height=2, width=2,
    ...              out_addr=out, zero_point=0)
    >>> arena.read(out, 2, np.int8)     # means 1.5 and 5.5, rounded half away from zero
    array([2, 6], dtype=int8)
"""

from __future__ import annotations

import numpy as np

from rcbc.kernels import library, reference


class Arena:
    """Bytes with a bump allocator, read and written as the reference kernels expect."""

    def __init__(self, size: int = 1 << 16):
        self.data = np.zeros(size, np.uint8)
        self.top = 0

    def alloc(self, nbytes: int) -> int:
        """The address of `nbytes` new bytes (zero)."""
        addr = self.top
        self.top += -(-nbytes // 4) * 4
        if self.top > self.data.size:
            grown = np.zeros(max(self.top, 2 * self.data.size), np.uint8)
            grown[: self.data.size] = self.data
            self.data = grown
        return addr

    def put(self, array: np.ndarray) -> int:
        """The address of a copy of `array`'s bytes, row-major."""
        raw = np.ascontiguousarray(array).view(np.uint8).ravel()
        addr = self.alloc(raw.size)
        self.data[addr : addr + raw.size] = raw
        return addr

    def read(self, addr: int, count: int, dtype: type = np.float32) -> np.ndarray:
        """`count` elements of `dtype` at `addr` (a copy)."""
        size = count * np.dtype(dtype).itemsize
        return self.data[addr : addr + size].copy().view(dtype)

    def write(self, addr: int, array: np.ndarray) -> None:
        raw = np.ascontiguousarray(array).view(np.uint8).ravel()
        self.data[addr : addr + raw.size] = raw

    def launch(self, name: str, **fields: int | float) -> None:
        """Run kernel `name` with the parameter block of `fields`."""
        kernel = library.by_name(name)
        params = library.unpack(kernel.id, library.pack(name, **fields))
        reference.run(kernel.id, params, self.read, self.write)
