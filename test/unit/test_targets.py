"""The target descriptions agree with the hardware reference's headline figures."""

import pytest

from rcbc import targets


@pytest.mark.parametrize(
    "name, compute_tiles, memory_tiles, tile_memory",
    [("aie-ml", 304, 76, 65536), ("aie", 400, 0, 32768), ("npu1", 16, 4, 65536), ("npu2", 32, 8, 65536)],
)
def test_geometry(name, compute_tiles, memory_tiles, tile_memory):
    t = targets.get(name)
    assert t.compute_tiles == compute_tiles
    assert t.columns * t.memtile_rows == memory_tiles
    assert t.spec("compute").memory == tile_memory


def test_row_kinds_of_aie_ml():
    t = targets.get("aie-ml")
    assert [t.kind_of(r) for r in range(t.rows)] == ["interface"] + ["memory"] * 2 + ["compute"] * 8
    with pytest.raises(ValueError, match="row 11 is outside target aie-ml"):
        t.kind_of(11)


def test_aie_has_no_memory_tiles():
    with pytest.raises(ValueError, match="target aie has no memory tiles"):
        targets.get("aie").spec("memory")


def test_every_field_group_has_a_source():
    for name in targets.names():
        t = targets.get(name)
        for key in ("geometry", "compute", "interface", "macs_per_cycle", "clock_hz", "ddr_bandwidth"):
            assert t.source(key), (name, key)


def test_unknown_target_lists_the_known_ones():
    with pytest.raises(targets.UnknownTarget, match="unknown target 'vek280'; known targets: aie-ml, aie, npu1, npu2"):
        targets.get("vek280")


def test_aie_ml_peak_compute_floor_for_resnet18_on_28_tiles():
    # hardware reference, section 9: 1.814e9 MACs on 28 tiles at 256 MAC/cycle and 1.25 GHz.
    t = targets.get("aie-ml")
    seconds = 1_814_073_344 / (28 * t.macs_per_cycle["i8"] * t.clock_hz)
    assert round(seconds * 1e6, 1) == 202.5
