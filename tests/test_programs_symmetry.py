"""Symmetry and periodic-pattern completion."""
import numpy as np

from arc_solver import programs as P
from grid_helpers import G, eq


def test_symmetrize():
    g = G([[1, 0, 0],
           [2, 0, 0]])
    assert eq(P.symmetrize(g, "lr"), [[1, 0, 1], [2, 0, 2]])
    assert eq(P.symmetrize(g, "ud"), g)  # overlay only fills background cells
    assert eq(P.symmetrize(G([[1, 0], [0, 0]]), "rot"), [[1, 1], [1, 1]])
    assert P.symmetrize(g, "rot") is None


def test_complete_symmetry_fills_the_mask():
    full = G([[1, 2, 3, 3, 2, 1],
              [4, 5, 6, 6, 5, 4],
              [7, 1, 2, 2, 1, 7],
              [7, 1, 2, 2, 1, 7],
              [4, 5, 6, 6, 5, 4],
              [1, 2, 3, 3, 2, 1]])
    masked = full.copy()
    masked[1:3, 3:5] = 0
    assert eq(P.complete_symmetry(masked, 0), full)
    assert eq(P.complete_symmetry(masked, 0, crop=True), full[1:3, 3:5])
    assert P.complete_symmetry(full, 0) is None  # nothing hidden
    assert P.is_symmetric(full, "lr") and P.is_symmetric(full, "ud") and not P.is_symmetric(full, "diag")


def test_symmetry_with_offset_axis():
    # mirror axis between columns 2 and 3 of a 7-wide grid: partner of x is 5 - x
    row = [9, 1, 2, 2, 1, 9, 8]
    g = G([row, row[::1]])
    masked = g.copy()
    masked[0, 4] = 0
    syms = P.find_symmetries(masked, 0, min_overlap=0.3, min_agree=0.3)
    assert any(k == 0 and a == 5 for k, a, _ in syms.tolist())




def test_complete_pattern():
    tile = G([[1, 2, 3], [3, 1, 2]])
    full = np.tile(tile, (3, 3))  # 6x9, period (2, 3)
    masked = full.copy()
    masked[2:4, 4:7] = 0
    assert eq(P.complete_pattern(masked, 0), full)
    assert eq(P.complete_pattern(masked, 0, crop=True), full[2:4, 4:7])
    # a diagonal (shifted) lattice: each row is the previous one moved one step right
    diag = np.array([[(x - y) % 4 + 1 for x in range(8)] for y in range(8)], np.uint8)
    hole = diag.copy()
    hole[3:5, 2:6] = 0
    assert eq(P.complete_pattern(hole, 0), diag)
    # nothing repeats: no answer rather than a guess
    noise = np.random.default_rng(0).integers(1, 10, (6, 6)).astype(np.uint8)
    noise[0, 0] = 0
    assert P.complete_pattern(noise, 0) is None
    assert P.complete_pattern(full, 0) is None  # nothing hidden
