"""The weight store file: bit-exact round trips, the documented layout, and clean load errors."""

import struct
import zlib

import numpy as np
import pytest

from rcbc.frontend.weights import (
    DTYPE_CODES,
    ENTRY,
    HEADER,
    MAGIC,
    WeightStore,
    WeightStoreError,
)


def bits(array: np.ndarray) -> bytes:
    return np.ascontiguousarray(array).tobytes()


def sample_store() -> WeightStore:
    rng = np.random.default_rng(0)
    store = WeightStore()
    store.add("layer1.0.conv1.weight", rng.standard_normal((8, 4, 3, 3)).astype(np.float32))
    store.add("layer1.0.conv1.bias", rng.standard_normal(8).astype(np.float32))
    store.add("fc.weight", rng.standard_normal((10, 7)).astype(np.float16))
    store.add("num_batches_tracked", np.array(7, np.int64))
    store.add("empty", np.zeros((0, 3), np.float32))
    return store


def test_round_trip_is_bit_exact_for_every_dtype(tmp_path):
    store = WeightStore()
    rng = np.random.default_rng(1)
    for dtype in DTYPE_CODES:
        store.add(f"w.{dtype}", (rng.standard_normal((3, 5)) * 100).astype(dtype))
    specials = np.array([np.nan, -np.nan, np.inf, -np.inf, 0.0, -0.0, 1e-45], np.float32)
    specials.view(np.uint32)[0] |= 0x1234  # a NaN with a payload
    store.add("specials", specials)
    store.save(tmp_path / "w.rcbw")

    loaded = WeightStore.load(tmp_path / "w.rcbw")
    assert list(loaded) == list(store)
    for name in store:
        assert loaded[name].dtype == store[name].dtype
        assert loaded[name].shape == store[name].shape
        assert bits(loaded[name]) == bits(store[name]), name


def test_round_trip_of_scalars_empty_arrays_and_strided_views(tmp_path):
    store = sample_store()
    strided = np.arange(24, dtype=np.float32).reshape(4, 6)[:, ::2]
    store.add("strided", strided)
    store.add("big_endian", np.arange(5, dtype=">i4"))
    store.save(tmp_path / "w.rcbw")

    loaded = WeightStore.load(tmp_path / "w.rcbw")
    assert loaded["num_batches_tracked"].shape == ()
    assert loaded["num_batches_tracked"] == 7
    assert loaded["empty"].shape == (0, 3)
    np.testing.assert_array_equal(loaded["strided"], strided)
    np.testing.assert_array_equal(loaded["big_endian"], np.arange(5))
    assert loaded["big_endian"].dtype == np.int32


def test_layout_matches_the_documented_format(tmp_path):
    store = sample_store()
    store.save(tmp_path / "w.rcbw", alignment=128)
    data = (tmp_path / "w.rcbw").read_bytes()

    magic, version, entry_size, count, alignment, strings, payload = HEADER.unpack_from(data)
    assert (HEADER.size, ENTRY.size) == (32, 96)
    assert (magic, version, entry_size, count, alignment) == (MAGIC, 1, 96, 5, 128)
    assert strings == 32 + 5 * 96
    assert payload % 128 == 0

    name_offset, name_length, code, rank, _, crc, offset, nbytes, *shape = ENTRY.unpack_from(
        data, 32
    )
    assert data[strings + name_offset : strings + name_offset + name_length + 1] == (
        b"layer1.0.conv1.weight\0"
    )
    assert (code, rank, shape) == (DTYPE_CODES[np.dtype("float32")], 4, [8, 4, 3, 3, 0, 0, 0, 0])
    assert offset == payload and nbytes == 8 * 4 * 3 * 3 * 4
    assert crc == zlib.crc32(data[offset : offset + nbytes])
    assert data[offset : offset + nbytes] == store["layer1.0.conv1.weight"].astype("<f4").tobytes()

    offsets = [ENTRY.unpack_from(data, 32 + i * 96)[6] for i in range(count)]
    assert all(offset % 128 == 0 for offset in offsets)
    assert offsets == sorted(offsets)


def test_names_are_unique_and_dtypes_known():
    store = WeightStore()
    store.add("w", np.zeros(2, np.float32))
    with pytest.raises(WeightStoreError, match="'w' is already in the store"):
        store.add("w", np.zeros(2, np.float32))
    with pytest.raises(WeightStoreError, match="'c' has dtype complex64"):
        store.add("c", np.zeros(2, np.complex64))
    with pytest.raises(WeightStoreError, match="alignment 48 is not a power of two"):
        store.save("unused.rcbw", alignment=48)


def flip_first_payload_byte(data: bytes) -> bytes:
    offset = HEADER.unpack_from(data)[6]
    return data[:offset] + bytes([data[offset] ^ 1]) + data[offset + 1 :]


@pytest.mark.parametrize(
    "corrupt, message",
    [
        (lambda data: data[:10], "byte 0: file has 10 bytes"),
        (lambda data: b"PK\3\4" + data[4:], "not an rcbc weight store"),
        (lambda data: data[:4] + struct.pack("<H", 9) + data[6:], "byte 4: version 9"),
        (lambda data: data[:1800], r"byte 144: entry 1 \('layer1.0.conv1.bias'\): payload at 1792"),
        (flip_first_payload_byte, r"byte 640: entry 0 \('layer1.0.conv1.weight'\): CRC-32"),
    ],
)
def test_malformed_files_are_reported_with_the_byte_offset(tmp_path, corrupt, message):
    store = sample_store()
    store.save(tmp_path / "w.rcbw")
    (tmp_path / "w.rcbw").write_bytes(corrupt((tmp_path / "w.rcbw").read_bytes()))
    with pytest.raises(WeightStoreError, match=message):
        WeightStore.load(tmp_path / "w.rcbw")


def test_missing_file(tmp_path):
    with pytest.raises(WeightStoreError, match="cannot read weight store"):
        WeightStore.load(tmp_path / "absent.rcbw")
