"""The block-shape choice of rhal-partition: footprints, the cost model and the choice rule."""

from rcbc import targets
from rcbc.lowering import blocking
from rcbc.lowering.layers import Layer
from rcbc.runtime.timing import TimingModel

AIE_ML = targets.get("aie-ml")


def residual_conv(**overrides):
    fields = dict(kernel=(3, 3), padding=(1, 1), has_bias=True, has_residual=True) | overrides
    return Layer("layer1.0.conv2", "conv2d", (64, 56, 56), (64, 56, 56), **fields)


def test_a_residual_starts_in_the_output_block_and_needs_no_buffer_of_its_own():
    plain = blocking.buffers(residual_conv(has_residual=False), (16, 8, 28), 8)
    residual = blocking.buffers(residual_conv(), (16, 8, 28), 8)
    assert residual == plain and residual.second == 0
    # ... but its bytes are still moved: one output block per block.
    timing = TimingModel(AIE_ML, ddr_channels=8)
    with_residual = blocking.cost(residual_conv(), (16, 8, 28), 8, timing, 28)
    without = blocking.cost(residual_conv(has_residual=False), (16, 8, 28), 8, timing, 28)
    blocks = 4 * 7 * 2
    assert with_residual.ddr_bytes - without.ddr_bytes == blocks * 16 * 8 * 28 * 4
    assert with_residual.transfers - without.transfers == blocks


def test_an_eltwise_second_operand_has_its_own_buffer():
    add = Layer("add", "eltwise", (64, 56, 56), (64, 56, 56), has_second_input=True)
    assert blocking.buffers(add, (16, 8, 56), 1).second == 16 * 8 * 56 * 4


def test_among_costs_within_the_tolerance_the_fewest_records_win():
    timing = TimingModel(AIE_ML, ddr_channels=8)
    choice = blocking.choose(residual_conv(), AIE_ML, tiles=28, ddr_channels=8)
    fitting = [
        blocking.cost(residual_conv(), (cb, hb, wb), chunk, timing, 28)
        for cb in blocking.candidates(64) for hb in blocking.candidates(56)
        for wb in blocking.candidates(56) for chunk in blocking.candidates(64)
        if blocking.buffers(residual_conv(), (cb, hb, wb), chunk).footprint
        <= AIE_ML.compute.memory - AIE_ML.stack_bytes
    ]
    cheapest = min(c.cycles for c in fitting)
    assert choice.cycles <= cheapest * (1 + blocking.TOLERANCE)
    assert choice.records == min(c.records for c in fitting if c.cycles <= cheapest * (1 + blocking.TOLERANCE))
    assert choice.records < min(fitting, key=lambda c: c.cycles).records  # not the strictly cheapest



def staged_and_direct(layer, target, tiles):
    return (blocking.choose(layer, target, tiles, ddr_channels=10, stage_weights=True),
            blocking.choose(layer, target, tiles, ddr_channels=10))


def test_staging_weights_in_memory_tiles_is_chosen_only_when_asked_and_clearly_faster():
    conv = Layer("layer2.1.conv1", "conv2d", (128, 28, 28), (128, 28, 28), kernel=(3, 3),
                 padding=(1, 1), has_bias=True)
    staged, direct = staged_and_direct(conv, AIE_ML, 64)
    assert staged.staged and not direct.staged
    assert staged.cycles < direct.cycles * (1 - blocking.TOLERANCE)
    # The same shape unstaged would be slower: staging, not the shape, is what pays.
    timing = TimingModel(AIE_ML, ddr_channels=10)
    assert blocking.cost(conv, staged.shape, staged.chunk, timing, 64).cycles > staged.cycles


def test_nothing_is_staged_without_memory_tiles_or_weights_shared_by_several_loads():
    conv = Layer("layer2.1.conv1", "conv2d", (128, 28, 28), (128, 28, 28), kernel=(3, 3),
                 padding=(1, 1), has_bias=True)
    staged, direct = staged_and_direct(conv, targets.get("aie"), 64)
    assert not staged.staged and staged == direct
    # One tile, one block per chunk of weights: each chunk is loaded once.
    fc = Layer("fc", "matmul", (512, 1, 1), (1000, 1, 1), has_bias=True)
    staged, direct = staged_and_direct(fc, AIE_ML, 1)
    assert not staged.staged and staged == direct


def int8_conv():
    return Layer("layer1.0.conv1", "conv2d", (64, 56, 56), (64, 56, 56), kernel=(3, 3),
                 padding=(1, 1), has_bias=True, dtype="i8")


def test_input_stationary_blocks_are_chosen_where_they_spare_clearly_enough_traffic(monkeypatch):
    """int8 ResNet-18's first layers move far more input than weights: spatial-major, a tile
    loads an input window once for the blocks of several channel ranges."""
    stationary = blocking.choose(int8_conv(), AIE_ML, tiles=28, ddr_channels=8)
    monkeypatch.setattr(Layer, "shares_input", property(lambda layer: False))
    channel_major = blocking.choose(int8_conv(), AIE_ML, tiles=28, ddr_channels=8)
    assert stationary.input_stationary and not channel_major.input_stationary
    assert stationary.cycles < channel_major.cycles * (1 - blocking.TOLERANCE)
    assert stationary.ddr_bytes < channel_major.ddr_bytes


def test_blocks_of_one_window_are_consecutive_when_input_stationary():
    layer = int8_conv()
    shape = (32, 28, 56)
    first = [(b.c, b.y) for b in layer.blocks(shape)]
    assert first == [((0, 32), (0, 28)), ((0, 32), (28, 56)), ((32, 64), (0, 28)), ((32, 64), (28, 56))]
    spatial = [(b.c, b.y) for b in layer.blocks(shape, input_stationary=True)]
    assert spatial == [((0, 32), (0, 28)), ((32, 64), (0, 28)), ((0, 32), (28, 56)), ((32, 64), (28, 56))]


def test_only_layers_whose_channels_share_their_input_run_input_stationary():
    grouped = Layer("grouped", "conv2d", (64, 56, 56), (64, 56, 56), kernel=(3, 3),
                    padding=(1, 1), groups=2, dtype="i8")  # each channel range its own inputs
    depthwise = Layer("dw", "depthwise_conv2d", (64, 56, 56), (64, 56, 56), kernel=(3, 3))
    assert int8_conv().shares_input and not grouped.shares_input and not depthwise.shares_input
    assert not blocking.choose(grouped, AIE_ML, tiles=28, ddr_channels=8).input_stationary
    fp32 = blocking.choose(residual_conv(), AIE_ML, tiles=28, ddr_channels=8)
    assert not fp32.input_stationary  # several input chunks per block: no window is whole


def test_input_windows_are_staged_only_when_asked_and_clearly_faster():
    """int8 layer1: its input windows, each loaded by the tiles of every channel range, read
    from DDR once into memory tiles."""
    staged = blocking.choose(int8_conv(), AIE_ML, tiles=28, ddr_channels=8, stage_inputs=True)
    plain = blocking.choose(int8_conv(), AIE_ML, tiles=28, ddr_channels=8)
    assert staged.staged_inputs and not plain.staged_inputs
    assert staged.cycles < plain.cycles * (1 - blocking.TOLERANCE)
    assert staged.ddr_bytes < plain.ddr_bytes
    # Not without memory tiles, nor where every channel range reads its own inputs.
    aie = targets.get("aie")
    assert not blocking.choose(int8_conv(), aie, tiles=28, ddr_channels=8, stage_inputs=True).staged_inputs
    pool = Layer("pool", "pool2d", (64, 112, 112), (64, 56, 56), kernel=(3, 3), stride=(2, 2),
                 padding=(1, 1), dtype="i8")
    assert not blocking.choose(pool, AIE_ML, tiles=28, ddr_channels=8, stage_inputs=True).staged_inputs
