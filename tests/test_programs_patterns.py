"""Periodic patterns against plain references: periods, tiles, extensions, staircases, repeated runs."""
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from arc_solver import programs as P
from grid_helpers import G, eq, random_grids


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


def _line_period_reference(g: np.ndarray, axis: int, dividing: bool = False) -> int:
    n = g.shape[axis]
    lines = [g[i] if axis == 0 else g[:, i] for i in range(n)]
    return next(p for p in range(1, n + 1) if all(np.array_equal(lines[i], lines[i + p]) for i in range(n - p))
                and not (dividing and n % p))


@settings(max_examples=80, deadline=None)
@given(random_grids, st.integers(1, 3), st.integers(1, 3))
def test_line_period_tile_unit_and_extension_on_tiled_grids(tile, ny, nx):
    g = np.tile(tile, (ny, nx))
    for axis in (0, 1):
        for dividing in (False, True):
            assert P.line_period(g, axis, dividing) == _line_period_reference(g, axis, dividing)
    unit = P.tile_unit(g)
    if (ny, nx) != (1, 1) or unit is not None:
        # the unit tiles the grid back exactly
        assert unit is not None and np.array_equal(np.tile(unit, (g.shape[0] // unit.shape[0],
                                                                   g.shape[1] // unit.shape[1])), g)
    # continuing a grid's own pattern and cutting it back changes nothing
    big = P.extend_periodic(tile, min(30, tile.shape[0] * 3), min(30, tile.shape[1] * 2))
    assert np.array_equal(big[:tile.shape[0], :tile.shape[1]], tile)
    assert np.array_equal(P.extend_periodic(big, *tile.shape), tile)


def test_extend_periodic_by_hand():
    g = G([[0, 1, 0], [1, 1, 0], [0, 1, 0], [0, 1, 1], [0, 1, 0], [1, 1, 0]])  # rows repeat every 4
    out = P.extend_periodic(g, 9, 3)
    assert eq(out[6:], [[0, 1, 0], [0, 1, 1], [0, 1, 0]])
    assert P.extend_periodic(g, 31, 3) is None
    assert P.tile_unit(g) is None  # 4 does not divide 6


def test_repeat_content_against_a_plain_loop():
    rng = np.random.default_rng(6)
    for _ in range(50):
        h, w = (int(v) for v in rng.integers(4, 10, 2))
        g = np.zeros((h, w), np.uint8)
        y0 = int(rng.integers(0, h - 1))
        y1 = int(rng.integers(y0 + 1, h))
        g[y0:y1] = rng.integers(0, 4, (y1 - y0, w))
        g[y0] = np.maximum(g[y0], 1)  # the band's first and last rows hold colour, so it is the content's band
        g[y1 - 1] = np.maximum(g[y1 - 1], 1)
        want = np.array([g[y0 + (y - y0) % (y1 - y0)] for y in range(h)])
        got = P.repeat_content(g, 0)
        assert (got is None) == (y1 - y0 == h) and (got is None or eq(got, want))
        assert got is None or eq(P.repeat_content(g.T.copy(), 1).T, want)


def test_repeat_runs_continues_the_arms_of_a_cross():
    g = np.zeros((6, 7), np.uint8)
    g[3, 0:3] = [8, 3, 2]  # a row's one run
    g[1:4, 2] = [8, 3, 2]  # a column's, sharing the cell (3, 2)
    g[5, 5] = 4  # a lone cell: no run, stays as it is
    out = P.repeat_runs(g)
    assert eq(out[3], [8, 3, 2, 8, 3, 2, 8])
    assert eq(out[:, 2], [2, 8, 3, 2, 8, 3])  # in step with the run in rows 1-3
    rest = np.ones_like(g, bool)
    rest[3] = rest[:, 2] = False
    assert eq(out[rest], g[rest])
    assert P.repeat_runs(G([[1, 0, 1], [0, 0, 0]])) is None  # a broken run is no run


def test_extend_shifted_continues_a_staircase():
    g = G([[1, 1, 1, 0, 0, 0, 0],
           [0, 0, 1, 0, 0, 0, 0],
           [0, 0, 1, 1, 1, 0, 0],
           [0, 0, 0, 0, 1, 0, 0]])
    out = P.extend_shifted(g, 6, 7)
    assert eq(out[:4], g) and eq(out[4], [0, 0, 0, 0, 1, 1, 1]) and eq(out[5], [0, 0, 0, 0, 0, 0, 1])
    assert eq(P.extend_shifted(g.T, 7, 6), out.T)  # along the columns
    assert eq(P.extend_shifted(G([[1, 0], [0, 1], [1, 0]]), 5, 2), [[1, 0], [0, 1], [1, 0], [0, 1], [1, 0]])
    assert P.extend_shifted(G([[1, 2], [3, 4]]), 4, 2) is None  # no shift of any row gives the next


def _extend_shifted_reference(grid, height, bg):
    """Row by row: the smallest p, then k, with every row equal to the row p above moved k cells."""
    h, w = grid.shape

    def shift(row, k):
        out = np.full(w, bg, grid.dtype)
        for x in range(w):
            if 0 <= x - k < w:
                out[x] = row[x - k]
        return out

    for p in range(1, h):
        for k in (0, 1, -1, 2, -2, 3, -3):
            if all((grid[y + p] == shift(grid[y], k)).all() for y in range(h - p)):
                rows = list(grid)
                while len(rows) < height:
                    rows.append(shift(rows[-p], k))
                return np.array(rows)
    return None


def test_extend_shifted_against_row_by_row_reference():
    rng = np.random.default_rng(5)
    found = 0
    for _ in range(300):
        h, w = int(rng.integers(2, 6)), int(rng.integers(1, 6))
        if rng.random() < 0.5:  # a real staircase now and then: a row, then shifted copies of it
            k, row = int(rng.integers(-3, 4)), rng.integers(0, 3, w).astype(np.uint8)
            g = np.array([np.roll(row, k * y) if abs(k) < w else row for y in range(h)], np.uint8)
            g = np.where(rng.random((h, w)) < 0.1, 0, g).astype(np.uint8)
        else:
            g = rng.integers(0, 2, (h, w)).astype(np.uint8)
        want = _extend_shifted_reference(g, h + 3, 0)
        got = P.extend_shifted(g, h + 3, w)
        assert (got is None) == (want is None)
        if want is not None:
            found += 1
            assert np.array_equal(got, want)
    assert found > 30


def _period_reference(grid, m):
    """The first lattice (by area, then height, then shift) every visible cell agrees with, in plain Python."""
    h, w = grid.shape
    for area in range(1, h * w // 2 + 1):
        for py in range(1, h + 1):
            px = area // py
            if area % py or px > w:
                continue
            for s in range(px if py < h else 1):
                tile = {}
                if all(tile.setdefault((y % py, (x - s * (y // py)) % px), grid[y, x]) == grid[y, x]
                       for y in range(h) for x in range(w) if grid[y, x] != m):
                    return py, px, s
    return None


def test_find_period_against_plain_python():
    rng = np.random.default_rng(11)
    found = 0
    for _ in range(150):
        py, px = int(rng.integers(1, 4)), int(rng.integers(1, 4))
        tile = rng.integers(0, 3, (py, px)).astype(np.uint8)
        h, w = int(rng.integers(2, 9)), int(rng.integers(2, 9))
        g = np.tile(tile, (h // py + 1, w // px + 1))[:h, :w].copy() if rng.random() < 0.7 else \
            rng.integers(0, 3, (h, w)).astype(np.uint8)
        g[rng.random((h, w)) < 0.2] = 9
        want, got = _period_reference(g, 9), P.find_period(g, 9)
        assert (want is None) == (got is None)
        if want is not None:
            found += 1
            assert got[:3] == want
    assert found > 50


def test_complete_lines_by_analogy_renames_the_template_row():
    rng = np.random.default_rng(3)
    for _ in range(200):
        w = int(rng.integers(4, 12))
        k = int(rng.integers(2, 4))
        template = rng.integers(1, 1 + k, w).astype(np.uint8)
        template[:k] = np.arange(1, k + 1)  # every template colour seen in the first k cells
        grid = np.zeros((5, w), np.uint8)
        want = grid.copy()
        grid[0] = want[0] = template
        for y in (2, 4):
            names = np.concatenate([[0], rng.permutation(np.arange(1, 10))[:k]]).astype(np.uint8)
            shown = int(rng.integers(k, w))  # a prefix naming every colour
            grid[y, :shown] = names[template[:shown]]
            want[y] = names[template]
        got = P.complete_lines_by_analogy(grid, 0)
        assert eq(got, want) or (np.array_equal(grid, want) and got is None)
        assert eq(P.complete_lines_by_analogy(grid.T, 1), want.T) or np.array_equal(grid, want)
    # a line that names only some template colours is left alone; so is one that two colours would share
    g = G([[1, 2, 3, 1], [4, 5, 0, 0], [4, 4, 0, 0]])
    assert P.complete_lines_by_analogy(g, 0) is None
