"""Splitting by separator lines and halves, combining and selecting parts."""
import numpy as np

from arc_solver import programs as P
from grid_helpers import G, eq


SPLIT = G([[1, 0, 5, 1, 1],
           [0, 1, 5, 0, 1],
           [0, 0, 5, 0, 0]])


def test_split_by_separator_and_halves():
    parts = P.split(SPLIT)
    assert len(parts) == 2 and eq(parts[0], [[1, 0], [0, 1], [0, 0]]) and eq(parts[1], [[1, 1], [0, 1], [0, 0]])
    h2 = P.split(G([[1, 2, 3, 4]]), "h2")
    assert eq(h2[0], [[1, 2]]) and eq(h2[1], [[3, 4]])
    assert P.split(G([[1, 2], [3, 4]])) is None


def test_combine_and_overlay_parts():
    assert eq(P.combine_parts(SPLIT, "and"), [[1, 0], [0, 1], [0, 0]])
    assert eq(P.combine_parts(SPLIT, "or"), [[1, 1], [0, 1], [0, 0]])
    assert eq(P.combine_parts(SPLIT, "xor"), [[0, 1], [0, 0], [0, 0]])
    assert eq(P.combine_parts(SPLIT, "nor"), [[0, 0], [1, 0], [1, 1]])
    assert eq(P.combine_parts(SPLIT, "right_only"), [[0, 1], [0, 0], [0, 0]])
    two = G([[1, 0, 5, 2, 2],
             [0, 0, 5, 0, 2]])
    assert eq(P.overlay_parts(two), [[1, 2], [0, 2]])
    assert eq(P.overlay_parts(two, reverse=True), [[2, 2], [0, 2]])


def test_select_part_and_cells_to_pixels():
    g = G([[1, 1, 5, 1, 1, 5, 2, 2],
           [1, 1, 5, 1, 1, 5, 2, 2]])
    assert eq(P.select_part(g, "unique"), [[2, 2], [2, 2]])
    assert eq(P.cells_to_pixels(g), [[1, 1, 2]])
    assert eq(P.select_part(G([[1, 0, 5, 1, 1], [0, 0, 5, 0, 1]]), "most_cells"), [[1, 1], [0, 1]])


def test_broadcast_part():
    g = G([[0, 0, 5, 1, 2, 5, 0, 0],
           [0, 0, 5, 0, 3, 5, 0, 0],
           [5, 5, 5, 5, 5, 5, 5, 5],
           [0, 0, 5, 0, 0, 5, 0, 0],
           [0, 0, 5, 0, 0, 5, 0, 0]])
    out = P.broadcast_part(g, "most_cells")
    assert out.shape == g.shape and (out[2] == 5).all() and (out[:, [2, 5]] == 5).all()
    for y0 in (0, 3):
        for x0 in (0, 3, 6):
            assert eq(out[y0:y0 + 2, x0:x0 + 2], [[1, 2], [0, 3]])
    assert P.broadcast_part(g, "fewest_cells") is None  # five empty parts tie
    assert P.broadcast_part(G([[1, 2], [3, 4]]), "unique") is None  # no separators


def test_split_into_n_equal_parts_against_slicing():
    rng = np.random.default_rng(0)
    for _ in range(50):
        n = int(rng.integers(2, 5))
        h, k = (int(v) for v in rng.integers(1, 6, 2))
        g = rng.integers(0, 10, (h, n * k)).astype(np.uint8)
        parts = P.split(g, f"h{n}")
        assert len(parts) == n and all(eq(p, g[:, i * k:(i + 1) * k]) for i, p in enumerate(parts))
        assert all(eq(p, g.T[i * k:(i + 1) * k]) for i, p in enumerate(P.split(g.T, f"v{n}")))
    assert P.split(G([[1, 2, 3, 4]]), "h3") is None  # 3 does not divide 4


def test_select_part_first_last_and_odd_colours():
    g = G([[1, 2, 2, 1, 1, 2]])  # thirds: [1 2] [2 1] [1 2]
    assert eq(P.select_part(g, "first", "h3"), [[1, 2]]) and eq(P.select_part(g, "last", "h3"), [[1, 2]])
    assert eq(P.select_part(g, "unique", "h3"), [[2, 1]])
    parts = G([[1, 1, 0, 3, 1, 0, 1, 0],
               [1, 0, 0, 1, 1, 0, 1, 1]])  # the middle part alone uses colour 3
    assert eq(P.select_part(parts, "unique_colours"), [[3, 1], [1, 1]])
