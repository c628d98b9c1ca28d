"""Memories of the machine, with the bookkeeping that makes an executor a proof.

A `Memory` holds bytes and, for every byte, the access that last wrote it and the accesses that
read it since. An access is checked against that history before it happens, with the
happens-before relation of the bytecode spec (section 3):

- reading bytes no one wrote (undefined) is an error;
- a read must happen after the write it sees, a write after every earlier read and write of the
  same bytes; otherwise the two accesses race, and the error names both records.

Clocks are vector clocks over agents (a dict, or a sequence indexed by agent): `Stamp(agent,
epoch)` happens before an access with clock `c` iff `c[agent] >= epoch`.

    >>> m = Memory("tile (2,3)", 64)
    >>> m.write(0, np.arange(4, dtype=np.float32).view(np.uint8), Stamp(1, 1, 7), {1: 1})
    >>> m.read(0, 8, Stamp(2, 1, 9), {1: 1, 2: 1}).view(np.float32)
    array([[0., 1.]], dtype=float32)
    >>> try:
    ...     m.read(8, 8, Stamp(2, 1, 9), {2: 1})
    ... except AccessError as e:
    ...     print(e)
    record 9 reads bytes [8,16) of tile (2,3) concurrently with record 7, which writes them

A memory holds the bytes of `runs` runs of the same program at once (a batch of inputs): the
bytes are a `[runs, size]` array, every access moves its bytes in all the runs, and the history
is kept once, since every run makes the same accesses. Reads return `[runs, n]` arrays; writes
take `[runs, n]` or, for the same bytes in every run, `[n]`.

How the history is kept, so that checking costs little more than moving the bytes: per 4-byte
word (the DMA granularity), a numpy array holds the word's state, the id of its last writer
(high 32 bits) and the id of its set of readers since (low 32 bits); ids index small tables of
`Stamp`s and of reader sets. An access looks up the distinct states over the words it touches —
usually one — checks each once, and stores its own state over the range with one numpy
assignment; a pattern's words are reached through a strided view. A word that accesses of
fewer than 4 bytes (int8 kernels) have given different histories per byte is *split*: its
bytes keep their own ids in a side table, and accesses touching it take a byte-exact path. A
reader set keeps only readers that do not happen before a later reader of the same bytes (a
write ordered after the later read is ordered after them too), so sets stay as small as the
reads that are really concurrent. Initial contents that nothing will write again can be
`seal`ed: reads of them need no bookkeeping at all.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple, Union

import numpy as np

Clock = Union[Mapping[int, int], np.ndarray]  # agent -> epoch; a missing agent is 0


class AccessError(Exception):
    """A read of undefined bytes, a race, or an access outside a memory."""


class Stamp(NamedTuple):
    """One access: the agent that made it, its epoch on that agent, the record it executes."""

    agent: int
    epoch: int
    record: int

    def before(self, clock: Clock) -> bool:
        return self.agent < 0 or epoch_of(clock, self.agent) >= self.epoch


def epoch_of(clock: Clock, agent: int) -> int:
    """`clock`'s epoch of `agent` (0 if it has none)."""
    if type(clock) is not np.ndarray and isinstance(clock, Mapping):
        return clock.get(agent, 0)
    return int(clock[agent]) if 0 <= agent < len(clock) else 0


INITIAL = Stamp(agent=-1, epoch=0, record=-1)  # the loader: before everything

# Writer ids of a word: UNDEFINED, SPLIT (see `Memory._bytes`), or an index of `Memory._stamps`.
UNDEFINED, SPLIT = 0, -1
NO_READERS = 0  # reader-set id of a word no one read since its write
SPLIT_STATE = SPLIT << 32  # the state of a split word: below every other state


@functools.lru_cache(maxsize=4096)
def _pattern_layout(sizes: tuple[int, ...], strides: tuple[int, ...]) -> tuple | None:
    """For a pattern applied at offset 0 whose runs are whole words (None if they are not): the
    shape and strides, in words, of the view of a word array that visits its words in order
    (its contiguous trailing dimensions merged into one run), its lowest byte and one past its
    highest, its run length in bytes, and whether it visits a word twice."""
    starts, run = pattern_runs(0, sizes, strides)
    if run % 4 or (starts % 4).any() or any(s < 0 for s in strides):
        return None
    lo, hi = int(starts.min()), int(starts.max()) + run
    outer = len(sizes)
    merged = 1
    while outer and strides[outer - 1] == merged:  # as pattern_runs merges them
        merged *= sizes[outer - 1]
        outer -= 1
    shape = (*sizes[:outer], run // 4)
    word_strides = (*(s // 4 for s in strides[:outer]), 1)
    words = ((starts // 4)[:, None] + np.arange(run // 4, dtype=np.int64)).ravel()
    repeats = len(np.unique(words)) != len(words)
    return shape, word_strides, lo, hi, run, repeats


def _view(array: np.ndarray, first: int, shape: tuple[int, ...], strides: tuple[int, ...]) -> np.ndarray:
    """The view of `array`'s last axis visiting element `first` + sum(i * strides) for each
    index; its other axes (a memory's runs) lead the view's."""
    if len(shape) == 1:
        return array[..., first : first + shape[0]]
    size = array.itemsize
    return np.ndarray(array.shape[:-1] + shape, array.dtype, array, first * size,
                      array.strides[:-1] + tuple(s * size for s in strides))


class Memory:
    """A byte-addressed memory of `size` bytes in each of `runs` runs, initially undefined."""

    def __init__(self, name: str, size: int, runs: int = 1):
        self.name = name
        self.size = size
        self.runs = runs
        words = (size + 3) // 4
        self._storage = np.zeros((runs, 4 * words), dtype=np.uint8)
        self.data = self._storage[:, :size]  # the bytes, a row per run
        self.words = self._storage.view(np.uint32)  # the same bytes, a word at a time
        self._state_of = np.zeros(words, dtype=np.int64)  # writer id << 32 | reader-set id
        self._bytes: dict[int, tuple[list[int], list[int]]] = {}  # split word -> writer, readers ids per byte
        self._stamps: list[Stamp | None] = [None]  # stamp id -> stamp (0: UNDEFINED)
        self._stamp_ids: dict[Stamp, int] = {}
        self._sets: list[tuple[int, ...]] = [()]  # reader-set id -> stamp ids, oldest first
        self._set_ids: dict[tuple[int, ...], int] = {(): NO_READERS}
        self._loaded: list[tuple[int, int]] = []  # byte ranges of the initial contents
        self._sealed: tuple[list[int], list[int]] = ([], [])  # starts and ends of sealed ranges

    def reset(self) -> None:
        """Every byte becomes undefined again (a tile being reconfigured)."""
        self._state_of.fill(0)
        self._bytes.clear()
        self._loaded.clear()
        self._sealed = ([], [])

    def seal(self, writable: Iterable[tuple[int, int]]) -> None:
        """Promise that no access from now on writes a byte of the initial contents outside the
        byte ranges `writable` ([start, end)). The history of the other initial bytes then
        never changes: they were written before everything, and no write will ever look for
        their readers. So a pattern read inside them is checked at once (its bytes are
        defined, and ordered) and its readers are not recorded: the weights of a program,
        which most of its DDR reads move, cost no bookkeeping. A write into them is an error."""
        sealed = _subtract(_union(self._loaded), _union(writable))
        self._sealed = ([start for start, _ in sealed], [end for _, end in sealed])

    # -- data -------------------------------------------------------------------------------

    def read(self, offset: int, size: int, stamp: Stamp, clock: Clock) -> np.ndarray:
        """The bytes `[offset, offset+size)` of every run (a `[runs, size]` view), after
        checking the read is ordered."""
        if offset < 0 or offset + size > self.size:
            self._check_bounds(offset, size, stamp)
        if offset & 3 or size & 3:
            self._bytewise(((offset, size),), stamp, clock, writes=False)
        elif size:
            self._words(self._state_of[offset >> 2 : (offset + size) >> 2], ((offset, size),), stamp, clock, False)
        return self.data[:, offset : offset + size]

    def write(self, offset: int, data: np.ndarray, stamp: Stamp, clock: Clock) -> None:
        """Store `data` (bytes: `[runs, n]`, or `[n]` for every run) at `offset`, after checking
        the write is ordered."""
        size = data.shape[-1]
        if offset < 0 or offset + size > self.size:
            self._check_bounds(offset, size, stamp)
        if self._sealed[0]:
            self._check_unsealed(offset, offset + size, stamp, True)
        if offset & 3 or size & 3:
            self._bytewise(((offset, size),), stamp, clock, writes=True)
        elif size:
            self._words(self._state_of[offset >> 2 : (offset + size) >> 2], ((offset, size),), stamp, clock, True)
        self.data[:, offset : offset + size] = data

    def check_read(self, offset: int, size: int, stamp: Stamp, clock: Clock) -> None:
        """The checks and bookkeeping of `read`, without the bytes."""
        self._check_bounds(offset, size, stamp)
        if offset & 3 or size & 3:
            self._bytewise(((offset, size),), stamp, clock, writes=False)
        elif size:
            self._words(self._state_of[offset >> 2 : (offset + size) >> 2], ((offset, size),), stamp, clock, False)

    def check_write(self, offset: int, size: int, stamp: Stamp, clock: Clock) -> None:
        """The checks and bookkeeping of `write`, without the bytes."""
        self._check_bounds(offset, size, stamp)
        self._check_unsealed(offset, offset + size, stamp, True)
        if offset & 3 or size & 3:
            self._bytewise(((offset, size),), stamp, clock, writes=True)
        elif size:
            self._words(self._state_of[offset >> 2 : (offset + size) >> 2], ((offset, size),), stamp, clock, True)

    def read_pattern(
        self, offset: int, sizes: Sequence[int], strides: Sequence[int], stamp: Stamp, clock: Clock
    ) -> np.ndarray:
        """The bytes an n-d pattern visits in each run, in visiting order (a `[runs, n]` copy),
        each byte checked."""
        layout = self.check_pattern(offset, sizes, strides, stamp, clock, writes=False)
        if layout is not None:
            return np.array(_view(self.words, *layout), order="C").reshape(self.runs, -1).view(np.uint8)
        starts, run = pattern_runs(offset, sizes, strides)
        return self.data[:, (starts[:, None] + np.arange(run)).ravel()]

    def write_pattern(
        self, offset: int, sizes: Sequence[int], strides: Sequence[int], data: np.ndarray,
        stamp: Stamp, clock: Clock,
    ) -> None:
        """Store `data` (bytes in visiting order: `[runs, n]`, or `[n]` for every run) through
        an n-d pattern, each byte checked."""
        layout = self.check_pattern(offset, sizes, strides, stamp, clock, writes=True)
        data = np.broadcast_to(data, (self.runs, data.shape[-1]))
        if layout is not None:
            words = np.ascontiguousarray(data).view(np.uint32)
            _view(self.words, *layout)[...] = words.reshape((self.runs, *layout[1]))
            return
        starts, run = pattern_runs(offset, sizes, strides)
        chunks = data.reshape(self.runs, len(starts), run)
        for i, start in enumerate(starts.tolist()):  # in order: a byte visited twice keeps the last
            self.data[:, start : start + run] = chunks[:, i]

    def check_pattern(
        self, offset: int, sizes: Sequence[int], strides: Sequence[int], stamp: Stamp, clock: Clock,
        writes: bool,
    ) -> tuple[int, tuple[int, ...], tuple[int, ...]] | None:
        """The bookkeeping of `read_pattern` or `write_pattern`, bounds included, without the
        bytes. Returns how to view the words the pattern visits, in order (first word, shape
        and strides for `_view`), for moving them a word at a time, or None when that cannot be
        done (a pattern that is not word-aligned, a write visiting a word twice)."""
        layout = _pattern_layout(tuple(sizes), tuple(strides)) if offset % 4 == 0 else None
        if layout is None:
            starts, run = pattern_runs(offset, sizes, strides)
            self._check_bounds(int(starts.min()), int(starts.max()) + run - int(starts.min()), stamp)
            self._check_unsealed(int(starts.min()), int(starts.max()) + run, stamp, writes)
            self._bytewise(tuple((s, run) for s in starts.tolist()), stamp, clock, writes)
            return None
        shape, word_strides, lo, hi, run, repeats = layout
        self._check_bounds(offset + lo, hi - lo, stamp)
        view = (offset >> 2, shape, word_strides)
        if self._sealed[0]:
            if not writes and self._inside_sealed(offset + lo, offset + hi):
                return view
            self._check_unsealed(offset + lo, offset + hi, stamp, writes)
        self._words(_view(self._state_of, *view), _PatternRuns(offset, sizes, strides), stamp, clock, writes)
        return None if writes and repeats else view

    def load(self, offset: int, data: bytes | np.ndarray) -> None:
        """Initial contents (the data image: bytes or `[n]`, the same in every run; inputs:
        `[runs, n]`): defined from the start of the run."""
        data = np.frombuffer(bytes(data), dtype=np.uint8) if isinstance(data, bytes) else data
        self.write(offset, data, INITIAL, {})
        self._loaded.append((offset, offset + data.shape[-1]))

    def define(self, offset: int, size: int) -> None:
        """Initial contents whose bytes do not matter (a run that computes nothing)."""
        self.check_write(offset, size, INITIAL, {})
        self._loaded.append((offset, offset + size))

    def writers(self, offset: int, size: int) -> set[Stamp | None]:
        """The stamps that wrote the bytes `[offset, offset+size)` (None: undefined bytes)."""
        if size > 0 and offset % 4 == 0 and size % 4 == 0:
            states = _distinct(self._state_of[offset // 4 : (offset + size) // 4])
            if states[0] != SPLIT_STATE:
                return {self._stamps[state >> 32] for state in states}
        return {self._stamps[w] for w, _ in (self._state(b) for b in range(offset, offset + size))}

    # -- bookkeeping ------------------------------------------------------------------------

    def _check_bounds(self, offset: int, size: int, stamp: Stamp) -> None:
        if offset < 0 or offset + size > self.size:
            raise AccessError(
                f"record {stamp.record} accesses bytes [{offset},{offset + size}) outside "
                f"{self.name} of {self.size} bytes"
            )

    def _inside_sealed(self, start: int, end: int) -> bool:
        starts, ends = self._sealed
        i = bisect.bisect_right(starts, start) - 1
        return i >= 0 and end <= ends[i]

    def _check_unsealed(self, start: int, end: int, stamp: Stamp, writes: bool) -> None:
        if not writes or not self._sealed[0]:
            return
        starts, ends = self._sealed
        i = bisect.bisect_right(starts, end - 1) - 1
        if i >= 0 and ends[i] > start:
            raise AccessError(
                f"record {stamp.record} writes bytes [{max(start, starts[i])},{min(end, ends[i])}) of "
                f"{self.name}, which the run sealed as never written (an executor error)"
            )

    def _stamp_id(self, stamp: Stamp) -> int:
        sid = self._stamp_ids.get(stamp)
        if sid is None:
            sid = self._stamp_ids[stamp] = len(self._stamps)
            self._stamps.append(stamp)
        return sid

    def _set_id(self, members: tuple[int, ...]) -> int:
        rid = self._set_ids.get(members)
        if rid is None:
            rid = self._set_ids[members] = len(self._sets)
            self._sets.append(members)
        return rid

    def _with_reader(self, readers: int, sid: int, stamp: Stamp, clock: Clock) -> int:
        """Reader set `readers` after a read by `stamp`: it replaces the readers it is ordered
        after (and its agent's earlier reads)."""
        if readers == NO_READERS:
            return self._set_id((sid,))
        stamps = self._stamps
        kept = tuple(
            r for r in self._sets[readers]
            if r != sid and stamps[r].agent != stamp.agent and not stamps[r].before(clock)
        )
        return self._set_id(kept + (sid,))

    def _bad_writer(self, writer: int, sid: int, clock: Clock, writes: bool) -> bool:
        if writer == UNDEFINED:
            return not writes
        if writes and writer == sid:
            return False
        return not self._stamps[writer].before(clock)

    def _bad_readers(self, readers: int, stamp: Stamp, clock: Clock) -> bool:
        stamps = self._stamps
        return any(stamps[r].agent != stamp.agent and not stamps[r].before(clock) for r in self._sets[readers])

    def _words(self, state: np.ndarray, runs: Sequence[tuple[int, int]], stamp: Stamp, clock: Clock,
               writes: bool) -> None:
        """Check and record an access to whole words: `state` is the view of their states, in
        visiting order, `runs` the access's byte runs (start, length), in order."""
        states = _distinct(state)
        if states[0] == SPLIT_STATE:
            self._bytewise(runs, stamp, clock, writes)
            return
        sid = self._stamp_id(stamp)
        stamps = self._stamps
        vector = type(clock) is np.ndarray
        agents = len(clock) if vector else 0
        bad = []
        for pair in states:
            writer, readers = pair >> 32, pair & 0xFFFFFFFF
            if writer == UNDEFINED:
                if not writes:
                    bad.append(pair)
                    continue
            elif not (writes and writer == sid):
                other = stamps[writer]
                if vector:
                    ordered = other.agent < 0 or (other.agent < agents and clock[other.agent] >= other.epoch)
                else:
                    ordered = other.before(clock)
                if not ordered:
                    bad.append(pair)
                    continue
            if writes and readers and self._bad_readers(readers, stamp, clock):
                bad.append(pair)
        if bad:
            i = int(np.argmax(np.isin(state, bad)))
            self._fail(runs, i * 4, stamp, clock, writes)
        if writes:
            state[...] = sid << 32
        elif len(states) == 1:
            pair = states[0]
            state[...] = (pair >> 32 << 32) | self._with_reader(pair & 0xFFFFFFFF, sid, stamp, clock)
        else:  # `states` is sorted
            updated = np.array(
                [(pair >> 32 << 32) | self._with_reader(pair & 0xFFFFFFFF, sid, stamp, clock) for pair in states],
                dtype=np.int64)
            state[...] = updated[np.searchsorted(states, state)]

    # The byte-exact path: accesses that are not whole words, or touch split words.

    def _state(self, byte: int) -> tuple[int, int]:
        """(writer id, reader-set id) of one byte."""
        word = byte // 4
        state = int(self._state_of[word])
        if state == SPLIT_STATE:
            writers, readers = self._bytes[word]
            return writers[byte % 4], readers[byte % 4]
        return state >> 32, state & 0xFFFFFFFF

    def _set_state(self, byte: int, writer: int, readers: int) -> None:
        word = byte // 4
        state = int(self._state_of[word])
        if state != SPLIT_STATE:
            self._bytes[word] = ([state >> 32] * 4, [state & 0xFFFFFFFF] * 4)
            self._state_of[word] = SPLIT_STATE
        writers, reader_sets = self._bytes[word]
        writers[byte % 4], reader_sets[byte % 4] = writer, readers
        if writers.count(writers[0]) == 4 and reader_sets.count(reader_sets[0]) == 4:
            del self._bytes[word]  # whole again
            self._state_of[word] = writers[0] << 32 | reader_sets[0]

    def _bytewise(self, runs: Sequence[tuple[int, int]], stamp: Stamp, clock: Clock, writes: bool) -> None:
        """Check, then record, an access to the byte runs `runs` (start, length), in order."""
        sid = self._stamp_id(stamp)
        position = 0
        for start, length in runs:
            for byte in range(start, start + length):
                writer, readers = self._state(byte)
                if self._bad_writer(writer, sid, clock, writes) or (
                        writes and self._bad_readers(readers, stamp, clock)):
                    self._fail(runs, position, stamp, clock, writes)
                position += 1
        for start, length in runs:
            for byte in range(start, start + length):
                writer, readers = self._state(byte)
                if writes:
                    self._set_state(byte, sid, NO_READERS)
                else:
                    self._set_state(byte, writer, self._with_reader(readers, sid, stamp, clock))

    def _fail(self, runs: Sequence[tuple[int, int]], position: int, stamp: Stamp, clock: Clock,
              writes: bool) -> None:
        """Raise the error of the access's `position`-th byte (in visiting order), naming the
        bytes of its run from there that share its history."""
        for start, length in runs:
            if position < length:
                break
            position -= length
        first = start + position
        state = self._state(first)
        end = first + 1
        while end < start + length and self._state(end) == state:
            end += 1
        writer, readers = state
        span = f"bytes [{first},{end}) of {self.name}"
        verb = "writes" if writes else "reads"
        if writer == UNDEFINED and not writes:
            raise AccessError(f"record {stamp.record} reads {span}, which nothing wrote before")
        if self._bad_writer(writer, self._stamp_id(stamp), clock, writes):
            other = self._stamps[writer]
            raise AccessError(
                f"record {stamp.record} {verb} {span} concurrently with record {other.record}, which writes them")
        for r in self._sets[readers]:
            other = self._stamps[r]
            if other.agent != stamp.agent and not other.before(clock):
                raise AccessError(
                    f"record {stamp.record} {verb} {span} concurrently with record {other.record}, which reads them")
        raise AssertionError("no conflict at the reported byte")  # pragma: no cover


def _union(ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Byte ranges [start, end) as sorted, disjoint, non-adjacent ranges."""
    merged: list[list[int]] = []
    for start, end in sorted(r for r in ranges if r[0] < r[1]):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def _subtract(ranges: list[tuple[int, int]], holes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of sorted disjoint `ranges` outside sorted disjoint `holes`."""
    result, h = [], 0
    for start, end in ranges:
        while h < len(holes) and holes[h][1] <= start:
            h += 1
        i = h
        while start < end:
            if i < len(holes) and holes[i][0] < end:
                if holes[i][0] > start:
                    result.append((start, holes[i][0]))
                start = max(start, holes[i][1])
                i += 1
            else:
                result.append((start, end))
                break
    return result


def _distinct(values: np.ndarray) -> list[int]:
    """The distinct values of a non-empty int array, sorted. Accesses meet runs of equal values
    (usually one), so the values at the changes are enough."""
    if values.ndim > 1:
        first = values.item(0)
        if not (values != first).any():
            return [first]
        values = values.reshape(-1)
    changes = (values[1:] != values[:-1]).nonzero()[0]
    if not changes.size:
        return [int(values[0])]
    if changes.size > 256:
        return np.unique(values).tolist()
    return sorted({int(values[0]), *values[changes + 1].tolist()})


class _PatternRuns(Sequence):
    """The byte runs (start, length) of a pattern, in visiting order, computed when asked for."""

    def __init__(self, offset: int, sizes: Sequence[int], strides: Sequence[int]):
        self.pattern = (offset, sizes, strides)
        self._runs: list[tuple[int, int]] | None = None

    def _list(self) -> list[tuple[int, int]]:
        if self._runs is None:
            starts, run = pattern_runs(*self.pattern)
            self._runs = [(int(start), run) for start in starts]
        return self._runs

    def __getitem__(self, i):
        return self._list()[i]

    def __len__(self) -> int:
        return len(self._list())


def pattern_runs(offset: int, sizes: Sequence[int], strides: Sequence[int]) -> tuple[np.ndarray, int]:
    """Start offsets of the contiguous runs an n-d pattern visits, in order, and the run length.

    Dimensions that continue the run contiguously are merged into it, so a block of whole rows
    is one run per channel::

        >>> pattern_runs(100, sizes=(2, 3, 8), strides=(64, 8, 1))
        (array([100, 164]), 24)
    """
    sizes, strides = list(sizes), list(strides)
    run = 1
    while sizes and strides[-1] == run:
        run *= sizes.pop()
        strides.pop()
    starts = np.full((1,), offset, dtype=np.int64)
    for size, stride in zip(sizes, strides):
        starts = (starts[:, None] + np.arange(size, dtype=np.int64) * stride).ravel()
    return starts, run
