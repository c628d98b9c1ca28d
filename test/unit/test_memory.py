"""`Memory` keeps the history of every byte: random accesses by agents with consistent vector
clocks give the verdicts of a byte-by-byte oracle (the definition of spec section 3.4: each byte
its last writer and, per agent, its latest reader since), and the same bytes, in each run of a
memory holding several."""

import doctest
import re

import numpy as np
import pytest

from rcbc.runtime import memory as memory_module
from rcbc.runtime.memory import INITIAL, AccessError, Memory, Stamp, pattern_runs

SIZE = 64


class Oracle:
    """Per byte: the writer (None: undefined) and the latest reader of each agent."""

    def __init__(self, size, runs=1):
        self.data = np.zeros((runs, size), np.uint8)
        self.writer = [None] * size
        self.readers = [{} for _ in range(size)]

    def access(self, byte_lists, stamp, clock, writes):
        """Check every byte (in visiting order), then record; returns the first conflict as
        (byte, kind, other record) or None."""
        for byte in byte_lists:
            w = self.writer[byte]
            if not writes and w is None:
                return byte, "undefined", None
            if w is not None and not (writes and w == stamp) and not w.before(clock):
                return byte, "writes", w.record
            if writes:
                racing = [r for r in self.readers[byte].values() if r.agent != stamp.agent and not r.before(clock)]
                if racing:
                    return byte, "reads", {r.record for r in racing}
        for byte in byte_lists:
            if writes:
                self.writer[byte], self.readers[byte] = stamp, {}
            else:
                self.readers[byte][stamp.agent] = stamp
        return None


def parse(message):
    if m := re.fullmatch(r"record \d+ (?:reads|writes) bytes \[(\d+),\d+\) of m, which nothing wrote before", message):
        return int(m[1]), "undefined", None
    m = re.fullmatch(r"record \d+ (?:reads|writes) bytes \[(\d+),\d+\) of m concurrently with record (\d+), which (writes|reads) them", message)
    assert m, message
    return int(m[1]), m[3], int(m[2])


def random_access(rng):
    """(pattern: offset, sizes, strides) word-aligned or not, or a plain byte range."""
    kind = rng.integers(4)
    if kind == 0:  # plain, any alignment
        offset = int(rng.integers(0, SIZE - 1))
        return "range", offset, int(rng.integers(1, min(12, SIZE - offset) + 1))
    if kind == 1:  # plain, whole words
        offset = 4 * int(rng.integers(0, SIZE // 4))
        return "range", offset, 4 * int(rng.integers(1, (SIZE - offset) // 4 + 1))
    # a 2-d pattern: rows of whole words (or of bytes), a row stride of whole words, maybe 0
    unit = 4 if kind == 2 else 1
    run = unit * int(rng.integers(1, 3))
    rows = int(rng.integers(1, 4))
    stride = 4 * int(rng.integers(0, 5))
    offset = unit * int(rng.integers(0, 4))
    if offset + (rows - 1) * stride + run > SIZE:
        return "range", offset, run
    return "pattern", offset, (rows, run), (stride, 1)


def bytes_of(access):
    if access[0] == "range":
        return list(range(access[1], access[1] + access[2]))
    starts, run = pattern_runs(access[1], access[2], access[3])
    return [int(s) + i for s in starts for i in range(run)]


@pytest.mark.parametrize("seed", range(400))
def test_random_accesses_agree_with_the_byte_oracle(seed):
    rng = np.random.default_rng(seed)
    runs = 1 + seed % 2
    mem, oracle = Memory("m", SIZE, runs), Oracle(SIZE, runs)
    # The loader defines some bytes first (most often all of them).
    lo, n = (0, SIZE) if rng.random() < 0.7 else (int(rng.integers(0, SIZE)), int(rng.integers(0, 16)))
    n = min(n, SIZE - lo)
    if n:
        mem.load(lo, bytes(range(n)))
        oracle.data[:, lo : lo + n] = np.arange(n)
        oracle.access(range(lo, lo + n), INITIAL, {}, writes=True)
    clocks = {a: {} for a in (1, 2, 3)}
    for record in range(40):
        agent = int(rng.integers(1, 4))
        if rng.random() < 0.8:  # synchronize with another agent (a lock, a wait)
            other = clocks[int(rng.integers(1, 4))]
            clocks[agent] = {k: max(clocks[agent].get(k, 0), other.get(k, 0)) for k in {*clocks[agent], *other}}
        clock = dict(clocks[agent])
        stamp = Stamp(agent, clock.get(agent, 0) + 1, record)
        access = random_access(rng)
        byte_list = bytes_of(access)
        writes = bool(rng.random() < 0.5)
        expected = oracle.access(byte_list, stamp, clock, writes)
        try:
            if writes:
                data = rng.integers(0, 256, (runs, len(byte_list)), dtype=np.uint8)
                if access[0] == "range":
                    mem.write(access[1], data, stamp, clock)
                else:
                    mem.write_pattern(access[1], access[2], access[3], data, stamp, clock)
                for i, byte in enumerate(byte_list):
                    oracle.data[:, byte] = data[:, i]
            else:
                if access[0] == "range":
                    got = mem.read(access[1], access[2], stamp, clock).copy()
                else:
                    got = mem.read_pattern(access[1], access[2], access[3], stamp, clock)
                np.testing.assert_array_equal(got, oracle.data[:, byte_list])
        except AccessError as e:
            assert expected is not None, f"record {record}: unexpected {e}"
            byte, kind, other = parse(str(e))
            assert (byte, kind) == expected[:2], (str(e), expected)
            if kind == "reads":  # any reader the write races with may be named
                assert other in expected[2], (str(e), expected)
            else:
                assert other == expected[2], (str(e), expected)
            return
        assert expected is None, f"record {record}: {expected} not reported"
        clocks[agent] = {**clock, agent: stamp.epoch}
    np.testing.assert_array_equal(mem.data, oracle.data)


def test_bytes_of_a_word_keep_their_own_history():
    m = Memory("tile (2,3)", 16)
    m.write(0, np.ones(3, np.uint8), Stamp(1, 1, 5), {})  # an int8 kernel: 3 bytes of a word
    m.read(0, 3, Stamp(2, 1, 6), {1: 1})
    with pytest.raises(AccessError, match=r"record 7 reads bytes \[3,4\) of tile \(2,3\), which nothing wrote before"):
        m.read(0, 4, Stamp(2, 2, 7), {1: 1, 2: 1})
    m.write(3, np.ones(1, np.uint8), Stamp(1, 2, 8), {1: 1})
    with pytest.raises(AccessError, match=r"record 9 writes bytes \[0,3\) of tile \(2,3\) concurrently with record 6, which reads them"):
        m.write(0, np.zeros(4, np.uint8), Stamp(1, 3, 9), {1: 2})
    m.write(0, np.zeros(4, np.uint8), Stamp(1, 3, 9), {1: 2, 2: 1})  # ordered after the read
    assert not m._bytes  # the word is whole again
    assert m.writers(0, 4) == {Stamp(1, 3, 9)}


def test_a_write_visiting_a_word_twice_keeps_the_last_bytes():
    m = Memory("m", 16)
    m.write_pattern(0, (3, 4), (0, 1), np.arange(12, dtype=np.uint8), Stamp(1, 1, 0), {})
    np.testing.assert_array_equal(m.data[:, :4], [[8, 9, 10, 11]])


def test_reset_makes_every_byte_undefined():
    m = Memory("m", 8)
    m.load(0, bytes(8))
    m.reset()
    with pytest.raises(AccessError, match=r"record 3 reads bytes \[0,8\) of m, which nothing wrote before"):
        m.read(0, 8, Stamp(1, 1, 3), {})


def test_define_marks_bytes_written_without_copying():
    m = Memory("m", 8)
    m.data[:] = 7
    m.define(0, 8)
    np.testing.assert_array_equal(m.read(0, 8, Stamp(1, 1, 0), {}), 7)
    assert m.writers(0, 8) == {INITIAL} and m.writers(0, 3) == {INITIAL}


def test_out_of_bounds_is_an_error():
    m = Memory("m", 8)
    with pytest.raises(AccessError, match=r"record 2 accesses bytes \[4,12\) outside m of 8 bytes"):
        m.read_pattern(4, (2, 4), (4, 1), Stamp(1, 1, 2), {})


def test_doctests():
    assert doctest.testmod(memory_module).failed == 0


def test_sealed_initial_contents_are_read_without_bookkeeping():
    m = Memory("DDR", 64)
    m.load(0, bytes(range(32)))
    m.seal([(16, 24)])  # only [16,24) of the image may be written from now on
    reader = Stamp(1, 1, 4)
    np.testing.assert_array_equal(m.read_pattern(0, (2, 4), (8, 1), reader, {}), [[0, 1, 2, 3, 8, 9, 10, 11]])
    assert not m._sets[1:]  # no reader recorded
    m.write(16, np.zeros(8, np.uint8), Stamp(2, 1, 5), {})  # writable
    with pytest.raises(AccessError, match=r"record 6 reads bytes \[32,36\) of DDR, which nothing wrote before"):
        m.read_pattern(28, (8,), (1,), Stamp(3, 1, 6), {})  # past the image: checked byte by byte
    with pytest.raises(AccessError, match=r"record 7 writes bytes \[8,12\) of DDR, which the run sealed"):
        m.write_pattern(8, (4,), (1,), np.zeros(4, np.uint8), Stamp(2, 2, 7), {2: 1})
