"""The shared basics of the primitives against plain numpy."""
import numpy as np

from arc_solver import programs as P
from arc_solver.programs.base import same_neighbours


def test_same_grid_agrees_with_array_equal_on_random_pairs():
    rng = np.random.default_rng(0)
    for _ in range(500):
        h, w = rng.integers(1, 6, 2)
        a = P.as_grid(rng.integers(0, 3, (h, w)))
        # equal copies, one changed cell, the same bytes in another shape, and a transposed view
        b = a.copy()
        if rng.random() < 0.5:
            b[rng.integers(h), rng.integers(w)] ^= 1
        for other in (b, P.as_grid(a.reshape(w, h)), P.as_grid(a.T)):
            assert P.same_grid(a, other) == np.array_equal(a, other)


def test_framed_equals_np_pad():
    rng = np.random.default_rng(6)
    for dtype, value in ((np.uint8, 0), (np.uint8, 255), (bool, True), (bool, False), (np.int64, 10)):
        for _ in range(20):
            a = rng.integers(0, 3, tuple(int(v) for v in rng.integers(1, 6, 2))).astype(dtype)
            for k in (1, 2):
                want = np.pad(a, k, constant_values=value)
                got = P.framed(a, value, k)
                assert got.dtype == want.dtype and np.array_equal(got, want)


def test_same_neighbours_against_numpy_shifts():
    rng = np.random.default_rng(12)
    for _ in range(100):
        g = rng.integers(0, 3, tuple(int(v) for v in rng.integers(1, 8, 2))).astype(np.uint8)
        h, w = g.shape
        p = np.pad(g.astype(int), 1, constant_values=-1)
        want = sum((p[1 + dy:1 + dy + h, 1 + dx:1 + dx + w] == g) for dy in (-1, 0, 1) for dx in (-1, 0, 1)
                   if dy or dx)
        assert same_neighbours(g).tolist() == want.tolist()
