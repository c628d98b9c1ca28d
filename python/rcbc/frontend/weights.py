"""The weight store: every tensor a model needs, by name, in one file.

The imported IR refers to each weight by name (``rcbc.weight = "layer1.0.conv1.weight"``, see
`rcbc.frontend.interface`) and the values live here, as numpy arrays. The file is built to become
the data image of the bytecode later: a C reader finds an entry with one pass over fixed-size
directory records and uses its payload in place, because every payload starts on an aligned
offset.

File format, version 1. All integers are little-endian; offsets are from the start of the file.

    header, 32 bytes
      0  char[4]   magic "RCBW"
      4  u16       version (1)
      6  u16       size of one directory entry in bytes (96)
      8  u32       number of entries
     12  u32       payload alignment in bytes (a power of two, 64 by default)
     16  u64       offset of the name table
     24  u64       offset of the payload area (a multiple of the alignment)
    directory, one 96-byte entry per tensor, in store order
      0  u32       offset of the name in the name table
      4  u32       length of the name in bytes (UTF-8, without the terminating NUL)
      8  u8        dtype code (DTYPE_CODES)
      9  u8        rank (0 to 8)
     10  u16       reserved, 0
     12  u32       CRC-32 (zlib) of the payload bytes
     16  u64       payload offset (a multiple of the alignment)
     24  u64       payload size in bytes
     32  u64[8]    shape; unused dimensions are 0
    name table: the names, each followed by a NUL byte
    payload area: each tensor in row-major (C) order, little-endian, zero-padded to the alignment

Values round-trip bit-exactly (NaN payloads and signed zeros included)::

    >>> store = WeightStore()
    >>> store.add("conv1.weight", np.ones((64, 3, 7, 7), np.float32))
    >>> store.save("r18.rcbw")
    >>> WeightStore.load("r18.rcbw")["conv1.weight"].shape
    (64, 3, 7, 7)

Loaded arrays are read-only views of the file's bytes.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator, Mapping
from os import PathLike

import numpy as np

from rcbc.frontend.errors import FrontendError

MAGIC = b"RCBW"
VERSION = 1
DEFAULT_ALIGNMENT = 64
MAX_RANK = 8

HEADER = struct.Struct("<4sHHIIQQ")
ENTRY = struct.Struct(f"<IIBBHIQQ{MAX_RANK}Q")

DTYPE_CODES: dict[np.dtype, int] = {
    np.dtype(name): code
    for code, name in enumerate(
        ["float32", "float16", "float64", "int8", "uint8", "int16", "int32", "int64", "bool"],
        start=1,
    )
}
CODE_DTYPES = {code: dtype for dtype, code in DTYPE_CODES.items()}


class WeightStoreError(FrontendError):
    """A weight store that cannot be built, written or read."""


class WeightStore(Mapping[str, np.ndarray]):
    """Named numpy arrays, kept in the order they were added."""

    def __init__(self) -> None:
        self._arrays: dict[str, np.ndarray] = {}

    def add(self, name: str, array: np.ndarray) -> None:
        """Add `array` under `name`; names are unique, dtypes must have a code in the format."""
        if name in self._arrays:
            raise WeightStoreError(f"weight '{name}' is already in the store")
        if array.dtype.newbyteorder("=") not in DTYPE_CODES:
            supported = ", ".join(str(dtype) for dtype in DTYPE_CODES)
            raise WeightStoreError(
                f"weight '{name}' has dtype {array.dtype}; the store holds {supported}"
            )
        if array.ndim > MAX_RANK:
            raise WeightStoreError(
                f"weight '{name}' has rank {array.ndim}; the store holds at most {MAX_RANK}"
            )
        self._arrays[name] = array

    def __getitem__(self, name: str) -> np.ndarray:
        return self._arrays[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._arrays)

    def __len__(self) -> int:
        return len(self._arrays)

    @property
    def nbytes(self) -> int:
        """Total payload size in bytes, without alignment padding."""
        return sum(array.nbytes for array in self._arrays.values())

    def save(self, path: str | PathLike, alignment: int = DEFAULT_ALIGNMENT) -> None:
        """Write the store to `path` in the format described in the module docstring."""
        if alignment <= 0 or alignment & (alignment - 1):
            raise WeightStoreError(f"alignment {alignment} is not a power of two")
        names = [name.encode() for name in self._arrays]
        name_offsets = np.cumsum([0] + [len(name) + 1 for name in names]).tolist()
        name_table = b"".join(name + b"\0" for name in names)
        strings_offset = HEADER.size + ENTRY.size * len(names)
        offset = data_offset = _align(strings_offset + len(name_table), alignment)

        entries, payloads = [], []
        for name, name_offset, array in zip(names, name_offsets, self._arrays.values()):
            payload = np.ascontiguousarray(array, array.dtype.newbyteorder("<")).tobytes()
            shape = list(array.shape) + [0] * (MAX_RANK - array.ndim)
            entries.append(
                ENTRY.pack(
                    name_offset,
                    len(name),
                    DTYPE_CODES[array.dtype.newbyteorder("=")],
                    array.ndim,
                    0,
                    zlib.crc32(payload),
                    offset,
                    len(payload),
                    *shape,
                )
            )
            payloads.append(payload.ljust(_align(len(payload), alignment), b"\0"))
            offset += len(payloads[-1])

        header = HEADER.pack(
            MAGIC, VERSION, ENTRY.size, len(names), alignment, strings_offset, data_offset
        )
        head = header + b"".join(entries) + name_table
        with open(path, "wb") as f:
            f.write(head.ljust(data_offset, b"\0"))
            f.writelines(payloads)

    @classmethod
    def load(cls, path: str | PathLike) -> WeightStore:
        """Read a store written by `save`, checking every field against the file."""
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError as e:
            raise WeightStoreError(f"cannot read weight store: {e}") from None

        def fail(offset: int, message: str) -> WeightStoreError:
            return WeightStoreError(f"{path}: byte {offset}: {message}")

        if len(data) < HEADER.size:
            raise fail(0, f"file has {len(data)} bytes, less than the {HEADER.size}-byte header")
        magic, version, entry_size, count, alignment, strings_offset, data_offset = (
            HEADER.unpack_from(data)
        )
        if magic != MAGIC:
            raise fail(0, f"magic is {magic!r}, expected {MAGIC!r}: not an rcbc weight store")
        if version != VERSION:
            raise fail(4, f"version {version} is not supported (this rcbc reads {VERSION})")
        if entry_size != ENTRY.size:
            raise fail(6, f"directory entries are {entry_size} bytes, expected {ENTRY.size}")
        if alignment <= 0 or alignment & (alignment - 1):
            raise fail(12, f"alignment {alignment} is not a power of two")
        if strings_offset > len(data) or HEADER.size + count * ENTRY.size > strings_offset:
            raise fail(8, f"{count} directory entries do not fit before byte {strings_offset}")

        store = cls()
        for index in range(count):
            at = HEADER.size + index * ENTRY.size
            name_offset, name_length, code, rank, _, crc, offset, nbytes, *shape = (
                ENTRY.unpack_from(data, at)
            )
            start = strings_offset + name_offset
            if start + name_length >= len(data) or data[start + name_length] != 0:
                raise fail(at, f"entry {index}: name outside the name table")
            try:
                name = data[start : start + name_length].decode()
            except UnicodeDecodeError:
                raise fail(start, f"entry {index}: name is not UTF-8") from None
            where = f"entry {index} ('{name}')"
            if code not in CODE_DTYPES:
                raise fail(at + 8, f"{where}: unknown dtype code {code}")
            if rank > MAX_RANK:
                raise fail(at + 9, f"{where}: rank {rank} exceeds {MAX_RANK}")
            dtype, shape = CODE_DTYPES[code], tuple(shape[:rank])
            expected = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
            if nbytes != expected:
                raise fail(at + 24, f"{where}: {nbytes} bytes, but {dtype} {shape} needs {expected}")
            if offset % alignment or offset < data_offset or offset + nbytes > len(data):
                raise fail(
                    at + 16,
                    f"{where}: payload at {offset} (+{nbytes}) is not an aligned range of the "
                    f"{len(data)}-byte file",
                )
            payload = memoryview(data)[offset : offset + nbytes]
            if zlib.crc32(payload) != crc:
                raise fail(offset, f"{where}: CRC-32 mismatch, the payload is corrupt")
            array = np.frombuffer(payload, dtype.newbyteorder("<"), count=nbytes // dtype.itemsize)
            store.add(name, array.reshape(shape))
        return store


def _align(value: int, alignment: int) -> int:
    return -(-value // alignment) * alignment
