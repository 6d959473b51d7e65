"""Symmetry: mirror overlays, masked symmetric pictures, centre marks and four-fold turns."""
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

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
    turned = np.array([[1, 2, 0], [3, 4, 2], [5, 3, 1]], np.uint8)  # mirrored about the anti-diagonal only
    assert P.is_symmetric(turned, "antidiag") and not P.is_symmetric(turned, "diag")


def test_symmetry_with_offset_axis():
    # mirror axis between columns 2 and 3 of a 7-wide grid: partner of x is 5 - x
    row = [9, 1, 2, 2, 1, 9, 8]
    g = G([row, row[::1]])
    masked = g.copy()
    masked[0, 4] = 0
    syms = P.find_symmetries(masked, 0, min_overlap=0.3, min_agree=0.3)
    assert any(k == 0 and a == 5 for k, a, _ in syms.tolist())


def partner(kind, a, b, y, x):
    return {0: (y, a - x), 1: (a - y, x), 2: (a - y, b - x), 3: (x - a, y + a), 4: (a - x, a - y)}[kind]


def symmetries_reference(grid, m, min_overlap=0.5, min_agree=0.5):
    """Every mirror/rotation the visible cells obey without a conflict, by a plain loop over cells."""
    h, w = grid.shape
    found = set()
    params = ([(0, a, 0) for a in range(2 * w - 1)] + [(1, a, 0) for a in range(2 * h - 1)]
              + [(2, a, b) for a in range(2 * h - 1) for b in range(2 * w - 1)]
              + [(3, a, 0) for a in range(-(h - 1), w)] + [(4, a, 0) for a in range(h + w - 1)])
    for kind, a, b in params:
        match = conflict = overlap = 0
        for y in range(h):
            for x in range(w):
                py, px = partner(kind, a, b, y, x)
                if not (0 <= py < h and 0 <= px < w) or (py, px) == (y, x):
                    continue
                overlap += 1
                u, v = grid[y, x], grid[py, px]
                if m in (u, v):
                    continue
                match += u == v
                conflict += u != v
        if conflict == 0 and overlap >= min_overlap * grid.size and match >= min_agree * overlap:
            found.add((kind, a, b))
    return found


def test_find_symmetries_against_a_plain_loop():
    rng = np.random.default_rng(3)
    for trial in range(40):
        h, w = (int(v) for v in rng.integers(2, 9, 2))
        if trial % 2:
            w = h
        g = rng.integers(0, 3, (h, w)).astype(np.uint8)
        g = [g, np.maximum(g, g[:, ::-1]), np.maximum(g, g[::-1, ::-1]),
             np.maximum(g, g.T) if h == w else g][trial % 4]  # planted mirror / rotation / transpose
        g = g.copy()
        g[rng.random((h, w)) < 0.15] = 9  # hidden cells
        got = {tuple(int(v) for v in row) for row in P.find_symmetries(g, 9)}
        assert got == symmetries_reference(g, 9)


def test_symmetry_stats_leaves_out_only_the_centres_whose_overlap_is_too_small():
    # one colour: no conflict anywhere, so every row's overlap is counted in full and says what the
    # centres left out unread would have had
    for h in range(1, 8):
        for w in range(1, 8):
            g = np.zeros((h, w), np.uint8)
            every = P.symmetry_stats_kernel(g, np.uint8(9))
            for frac in (0.3, 0.5, 0.8):
                kept = P.symmetry_stats_kernel(g, np.uint8(9), frac * g.size)
                want = {tuple(r) for r in every.tolist() if r[0] > 2 or r[5] >= frac * g.size}
                assert {tuple(r) for r in kept.tolist()} == want


def _symmetrize_about_reference(grid, pivot, kind):
    h, w = grid.shape
    ys, xs = np.nonzero(grid == pivot)
    cy2, cx2 = ys.min() + ys.max(), xs.min() + xs.max()
    out = grid.copy()
    flips = {"lr": [(0, 1)], "ud": [(1, 0)], "both": [(0, 1), (1, 0), (1, 1)]}[kind]
    for fy, fx in flips:
        for y in range(h):
            for x in range(w):
                if grid[y, x] in (0, pivot):
                    continue
                ty, tx = (cy2 - y if fy else y), (cx2 - x if fx else x)
                if 0 <= ty < h and 0 <= tx < w and out[ty, tx] == 0:
                    out[ty, tx] = grid[y, x]
    return out


def test_symmetrize_about_a_centre_mark():
    g = np.zeros((9, 9), np.uint8)
    g[4, 4] = 3  # the mark
    g[1:3, 1] = 2
    g[1, 2] = 2  # an L up-left of it
    out = P.symmetrize_about(g, 3, "both")
    assert eq(out, np.maximum.reduce([g, g[:, ::-1], g[::-1], g[::-1, ::-1]]))  # the mark is the grid's centre
    assert P.symmetrize_about(g, 5, "both") is None  # no such mark
    assert eq(P.symmetrize_about(g, -1, "both"), out)  # the one piece symmetric in itself: the mark
    g[7, 3:6] = 4  # a wider piece symmetric in itself: the mark (fewer cells) stays the pivot
    assert eq(P.symmetrize_about(g, -1, "lr"), P.symmetrize_about(g, 3, "lr"))
    assert P.symmetrize_about(out, 3, "both") is None  # already symmetric: nothing to add
    rng = np.random.default_rng(13)
    for _ in range(100):
        g = (rng.random((int(rng.integers(2, 9)), int(rng.integers(2, 9)))) < 0.2) * rng.integers(1, 4)
        g = g.astype(np.uint8)
        g[int(rng.integers(0, g.shape[0])), int(rng.integers(0, g.shape[1]))] = 7
        for kind in ("lr", "ud", "both"):
            got, want = P.symmetrize_about(g, 7, kind), _symmetrize_about_reference(g, 7, kind)
            assert eq(g if got is None else got, want)


@settings(max_examples=120, deadline=None)
@given(st.integers(0, 10_000), st.booleans())
def test_complete_rotation_restores_a_turned_figure(seed, mirrors):
    # A figure made four-fold symmetric (with mirrors too) about a random centre, whole or between cells,
    # loses some of its images; completion must give the whole figure back.
    rng = np.random.default_rng(seed)
    n = 15
    cy2, cx2 = int(rng.integers(10, 20)), int(rng.integers(10, 20))
    cx2 += (cy2 - cx2) % 2  # a quarter turn about the centre lands on whole cells only at matching parity
    seeds = [(int(rng.integers(0, n)), int(rng.integers(0, n)), int(rng.integers(1, 4))) for _ in range(4)]
    whole = np.zeros((n, n), np.uint8)
    orbits = []
    for y, x, c in seeds:
        dy, dx = 2 * y - cy2, 2 * x - cx2
        offsets = [(dy, dx), (dx, -dy), (-dy, -dx), (-dx, dy)]
        if mirrors:
            offsets += [(dy, -dx), (-dy, dx), (dx, dy), (-dx, -dy)]
        cells = {((cy2 + a) // 2, (cx2 + b) // 2) for a, b in offsets}
        if any(not (0 <= a < n and 0 <= b < n) or whole[a, b] not in (0, c) for a, b in cells):
            continue
        for a, b in cells:
            whole[a, b] = c
        orbits.append(sorted(cells))
    if not orbits or all(len(o) == 1 for o in orbits):
        return
    broken = whole.copy()
    for orbit in orbits:  # each orbit keeps its first cell and loses a few others, never most of them
        for a, b in orbit[1:][: len(orbit) // 3]:
            broken[a, b] = 0
    got = P.complete_rotation(broken, -1, 0, mirrors)
    if np.array_equal(broken, whole):
        assert got is None
    else:
        assert eq(got, whole)


def test_complete_rotation_by_hand():
    # the plus sign's arms are turned onto each other about its centre (2, 2); the new cells painted 7
    g = G([[0, 0, 1, 0, 0],
           [0, 0, 1, 0, 0],
           [0, 0, 3, 1, 1],
           [0, 0, 0, 0, 0],
           [0, 0, 0, 0, 0]])
    eq(P.complete_rotation(g, 7), G([[0, 0, 1, 0, 0],
                                     [0, 0, 1, 0, 0],
                                     [7, 7, 3, 1, 1],
                                     [0, 0, 7, 0, 0],
                                     [0, 0, 7, 0, 0]]))
    assert P.complete_rotation(np.array([[1, 0], [0, 2]], np.uint8)) is None  # no two cells alike: no centre


def test_symmetrize_about_a_cross_of_full_lines():
    # a quadrant mirrored across a cross of full lines that does not sit in the grid's middle: the
    # crossing is the centre, and images past the edge are cut off
    g = np.full((7, 9), 7, np.uint8)
    g[2, :] = 1
    g[:, 6] = 1
    g[0, 7] = 3
    g[1, 8] = 4
    want = g.copy()
    for y, x in ((0, 7), (1, 8)):
        for ty, tx in ((y, 12 - x), (4 - y, x), (4 - y, 12 - x)):
            if 0 <= ty < 7 and 0 <= tx < 9:
                want[ty, tx] = g[y, x]
    assert eq(P.symmetrize_about(g, 1, "both", bg=-1), want)
    assert eq(P.symmetrize_about(g, -1, "both", bg=-1), want)  # the cross's colour is the pivot found

