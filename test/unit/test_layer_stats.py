"""rcbc compile --stats' per-layer table: the plan of every layer and the traffic its placed
schedule really has, checked against the program and the model."""

import collections
from pathlib import Path

import pytest
import torch

from rcbc.bytecode import program as rcb
from rcbc.compiler import compile_model
from rcbc.frontend import models
from rcbc.lowering.layer_stats import LEVELS

SMALL_CNN = Path(__file__).parents[1] / "EndToEnd" / "Inputs" / "small_cnn.py"


@pytest.fixture(scope="module")
def compiled():
    model = models.user_model(f"{SMALL_CNN}:build", seed=0).eval()
    return compile_model(model, (torch.zeros(1, 3, 32, 32),), tiles=4, layer_stats=True), model


def test_every_layer_has_a_plan_and_its_launches(compiled):
    result, _ = compiled
    stats = result.layers
    names = [plan.name for plan in stats.plans]
    assert len(names) == len(set(names)) and set(stats.traffic) == set(names)
    launches = sum(isinstance(r, rcb.Launch) for r in result.program.records)
    assert sum(t.launches for t in stats.traffic.values()) == launches
    assert all(1 <= len(t.tiles) <= 4 for t in stats.traffic.values())
    for plan in stats.plans:
        assert plan.cycles >= max(plan.compute_cycles, plan.transfer_cycles) > 0


def test_bytes_per_level_add_up_to_the_programs_transfers(compiled):
    result, model = compiled
    stats = result.layers
    moved = collections.Counter()
    for t in stats.traffic.values():
        moved.update(t.bytes)
    dma = sum(r.src_pattern.byte_count for r in result.program.records if isinstance(r, rcb.DmaStart))
    assert sum(moved.values()) == dma and set(moved) <= set(LEVELS)
    weights = sum(p.numel() * 4 for p in model.state_dict().values() if p.dtype == torch.float32)
    # Batch norm is folded away: the compiled weights are at most the model's parameters.
    assert 0 < stats.weight_bytes <= weights
    assert sum(t.weight_bytes for t in stats.traffic.values()) >= stats.weight_bytes


def test_the_table_has_a_row_per_layer_and_the_weight_floor_line(compiled):
    result, _ = compiled
    lines = result.layers.table(clock_hz=1.25e9)
    assert lines[0].startswith("per layer: block shape") and "modeled" in lines[0]
    assert lines[1].split()[:3] == ["layer", "kind", "block"]
    rows = lines[2 : 2 + len(result.layers.plans)]
    assert [row.split()[0] for row in rows] == [plan.name for plan in result.layers.plans]
    assert lines[-2].startswith("bytes moved, all layers: ddr ")
    assert lines[-1].startswith("weights read from DDR: ") and "x the floor of" in lines[-1]


def test_without_the_option_nothing_is_collected(compiled):
    model = compiled[1]
    assert compile_model(model, (torch.zeros(1, 3, 32, 32),), tiles=4).layers is None


def test_staged_weights_count_at_ddr_on_their_way_in_and_at_memtile_on_their_way_out():
    model = models.user_model(f"{SMALL_CNN}:build", seed=0).eval()
    result = compile_model(model, (torch.zeros(1, 3, 32, 32),), tiles=16, layer_stats=True,
                           stage_weights=True)
    stats = result.layers
    moved = collections.Counter()
    for t in stats.traffic.values():
        moved.update(t.bytes)
    records = [r for r in result.program.records if isinstance(r, rcb.DmaStart)]
    memtile_rows = range(1, 3)  # aie-ml
    out_of_memtiles = sum(r.src_pattern.byte_count for r in records if r.src.row in memtile_rows)
    assert out_of_memtiles > 0 and moved["memtile"] == out_of_memtiles
    assert sum(moved.values()) == sum(r.src_pattern.byte_count for r in records)
    # Every weight byte still comes from DDR once at least, now partly into memory tiles.
    assert sum(t.weight_bytes for t in stats.traffic.values()) >= stats.weight_bytes
