"""Write the weight store the rcb-emit-bytecode tests read: `python emit_weight_store.py OUT`.

    w   f32 [2, 2]   1.0, 2.0, 3.0, 4.0   (16 bytes: 0000803f 00000040 00004040 00008040)
    q   i8  [8]      0 .. 7
    big i64 [2]      a dtype the RCB data image cannot hold
"""

import sys

import numpy as np

from rcbc.frontend.weights import WeightStore

store = WeightStore()
store.add("w", np.arange(1, 5, dtype=np.float32).reshape(2, 2))
store.add("q", np.arange(8, dtype=np.int8))
store.add("big", np.arange(2, dtype=np.int64))
store.save(sys.argv[1])
