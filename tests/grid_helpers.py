"""Helpers shared by the primitive tests: literal grids, comparison, random grids for property tests."""
import numpy as np
from hypothesis import strategies as st


def G(rows):
    return np.array(rows, dtype=np.uint8)


def eq(a, b):
    return a is not None and a.shape == np.asarray(b).shape and np.array_equal(a, np.asarray(b))


random_grids = st.builds(
    lambda h, w, seed, k: np.random.default_rng(seed).integers(0, k, size=(h, w)).astype(np.uint8),
    st.integers(1, 9), st.integers(1, 9), st.integers(0, 10_000), st.integers(1, 4))


# A 3x3 ring of colour 3 around one background cell.
RING = G([[0, 0, 0, 0, 0],
          [0, 3, 3, 3, 0],
          [0, 3, 0, 3, 0],
          [0, 3, 3, 3, 0],
          [0, 0, 0, 0, 0]])
