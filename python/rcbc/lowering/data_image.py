"""The data image's layout rules, shared by `rhal-allocate` (which leaves room for it) and
`convert-rhal-to-rcb` (which fills it).

Data-image entries start at multiples of `IMAGE_ALIGNMENT`. After the constants come the
distinct kernel parameter blocks, each aligned the same way::

    >>> parameter_image_size([[1, 2, 3], [1, 2, 3], [4] * 30])
    192
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rcbc.dialects.rcb import IMAGE_ALIGNMENT


def align(n: int, to: int = IMAGE_ALIGNMENT) -> int:
    """`n` rounded up to a multiple of `to`."""
    return -(-n // to) * to


def parameter_image_size(blocks: Iterable[Sequence[int]]) -> int:
    """The bytes the distinct parameter blocks among `blocks` (each the `params` words of a
    `rhal.kernel`) take at the end of the data image, each at a multiple of 64."""
    distinct = dict.fromkeys(tuple(b) for b in blocks)
    return sum(align(4 * len(b)) for b in distinct)
