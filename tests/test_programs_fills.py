"""Fills against plain references (the border-reach kernel against a flood fill) or by hand."""
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from arc_solver import programs as P
from grid_helpers import RING, G, eq, random_grids


def test_fill_enclosed():
    assert eq(P.fill_enclosed(RING, 4), np.where((np.arange(5)[:, None] == 2) & (np.arange(5) == 2), 4, RING))
    assert eq(P.fill_enclosed(RING, -1), np.where((np.arange(5)[:, None] == 2) & (np.arange(5) == 2), 3, RING))
    assert P.fill_enclosed(np.zeros((3, 3), np.uint8), 4) is None
    # an opening to the edge means nothing is enclosed
    open_ring = RING.copy()
    open_ring[1, 2] = 0
    assert P.fill_enclosed(open_ring, 4) is None


def _reach_reference(grid: np.ndarray, start) -> np.ndarray:
    """Background (0) cells reached side by side from the background cells in `start`."""
    h, w = grid.shape
    todo = [(y, x) for y, x in start if grid[y, x] == 0]
    seen = np.zeros((h, w), bool)
    for y, x in todo:
        seen[y, x] = True
    while todo:
        y, x = todo.pop()
        for ny, nx in ((y + 1, x), (y - 1, x), (y, x + 1), (y, x - 1)):
            if 0 <= ny < h and 0 <= nx < w and not seen[ny, nx] and grid[ny, nx] == 0:
                seen[ny, nx] = True
                todo.append((ny, nx))
    return seen


@settings(max_examples=40, deadline=None)
@given(random_grids)
def test_border_reach_matches_reference(grid):
    h, w = grid.shape
    edge = [(y, x) for y in range(h) for x in range(w) if y in (0, h - 1) or x in (0, w - 1)]
    assert np.array_equal(P.border_reach_kernel(P.as_grid(grid), np.uint8(0)), _reach_reference(grid, edge))


@settings(max_examples=40, deadline=None)
@given(random_grids)
def test_flood_from_matches_reference(grid):
    g = P.as_grid(grid)
    h, w = g.shape
    for colour in range(1, 4):
        if not (g == colour).any():
            assert P.flood_from(g, colour) is None
            continue
        touching = [(y, x) for y in range(h) for x in range(w)
                    if any(0 <= y + dy < h and 0 <= x + dx < w and g[y + dy, x + dx] == colour
                           for dy, dx in ((1, 0), (-1, 0), (0, 1), (0, -1)))]
        want = np.where(_reach_reference(g, touching), colour, g)
        assert np.array_equal(P.flood_from(g, colour), want)


@settings(max_examples=40, deadline=None)
@given(random_grids)
def test_fill_colour_boxes_matches_reference(grid):
    g = P.as_grid(grid)
    if not g.any():
        assert P.fill_colour_boxes(g) is None
        return
    out = g.copy()
    # every empty cell takes the colour of the smallest box holding it (plain loops, no sorting)
    for y, x in zip(*np.nonzero(g == 0)):
        best = None
        for c in range(1, 10):
            ys, xs = np.nonzero(g == c)
            if len(ys) and ys.min() <= y <= ys.max() and xs.min() <= x <= xs.max():
                area = (ys.max() - ys.min() + 1) * (xs.max() - xs.min() + 1)
                if best is None or (area, c) < best:
                    best = (area, c)
        if best:
            out[y, x] = best[1]
    assert np.array_equal(P.fill_colour_boxes(g), out)


def test_fill_boxes():
    g = G([[2, 2, 2, 0],
           [2, 0, 0, 0],
           [2, 2, 2, 0]])
    assert eq(P.fill_boxes(g, 5), [[2, 2, 2, 0], [2, 5, 5, 0], [2, 2, 2, 0]])


def _between_corners_reference(g: np.ndarray, colour: int) -> np.ndarray:
    """Every rectangle whose four corner cells share a (non-zero) colour and have no neighbour of it: its
    strict inside's zeros painted."""
    h, w = g.shape
    out = g.copy()

    def lone(y, x):
        return all(not (0 <= y + dy < h and 0 <= x + dx < w) or g[y + dy, x + dx] != g[y, x]
                   for dy in (-1, 0, 1) for dx in (-1, 0, 1) if dy or dx)

    for y0, x0, y1, x1 in np.ndindex(h, w, h, w):
        if y1 > y0 + 1 and x1 > x0 + 1 and g[y0, x0] != 0 and \
                g[y0, x0] == g[y0, x1] == g[y1, x0] == g[y1, x1] and \
                all(lone(y, x) for y, x in ((y0, x0), (y0, x1), (y1, x0), (y1, x1))):
            inside = out[y0 + 1:y1, x0 + 1:x1]
            inside[g[y0 + 1:y1, x0 + 1:x1] == 0] = colour
    return out


def test_fill_between_corners():
    g = np.zeros((7, 10), np.uint8)
    g[[1, 1, 4, 4], [1, 5, 1, 5]] = 4  # a rectangle's corners
    g[2, 3] = 7  # inside, not background: stays
    g[6, 6] = 4  # a corner without the other three marks nothing
    g[4:7, 7:10] = 3
    g[5, 8] = 0  # nor do the corners of a hollow square: they are no lone markers
    want = g.copy()
    want[2:4, 2:5] = np.where(g[2:4, 2:5] == 0, 2, g[2:4, 2:5])
    assert eq(P.fill_between_corners(g, 2), want)
    assert P.fill_between_corners(np.eye(4, dtype=np.uint8), 2) is None


@settings(max_examples=60, deadline=None)
@given(random_grids)
def test_fill_between_corners_matches_reference(grid):
    sparse = np.where(grid <= 2, grid, 0).astype(np.uint8)  # few marker cells per colour
    got = P.fill_between_corners(sparse, 5, 0)
    want = _between_corners_reference(sparse, 5)
    many = max(int((sparse == c).sum()) for c in (1, 2)) > 40  # such a colour is no marker
    if not many:
        assert np.array_equal(sparse if got is None else got, want)


@settings(max_examples=60, deadline=None)
@given(random_grids)
def test_fill_squares_matches_reference(grid):
    g = P.as_grid(grid)
    h, w = g.shape
    for k in (1, 2, 3):
        want = g.copy()
        for y in range(h - k + 1):
            for x in range(w - k + 1):
                if (g[y:y + k, x:x + k] == 0).all():
                    want[y:y + k, x:x + k] = 7
        got = P.fill_squares(g, k, 7)
        assert (got is None and np.array_equal(want, g)) or np.array_equal(got, want)


def test_move_into_frame():
    g = np.zeros((8, 9), np.uint8)
    g[[1, 1, 6, 6], [1, 7, 1, 7]] = 3  # the frame's corners: inside rows 2-5, columns 2-6
    g[0, 3:5] = 2
    g[1, 3] = 2  # a 2x2-box piece above the frame
    want = np.where(g == 2, 0, g).astype(np.uint8)
    want[3, 3:5] = 2  # to the middle of the 4x5 inside, rounded up and left
    want[4, 3] = 2
    assert eq(P.move_into_frame(g), want)
    assert P.move_into_frame(want) is None  # already there
    g[0, 0:9] = 2  # too wide for the inside
    assert P.move_into_frame(g) is None


def _project_reference(g: np.ndarray) -> np.ndarray:
    h, w = g.shape

    def lone(y, x):
        return g[y, x] != 0 and all(not (0 <= y + dy < h and 0 <= x + dx < w) or g[y + dy, x + dx] != g[y, x]
                                    for dy in (-1, 0, 1) for dx in (-1, 0, 1) if dy or dx)

    out = g.copy()
    for y, x in np.ndindex(h, w):
        if lone(y, x):
            for dy, dx in ((1, 0), (-1, 0), (0, 1), (0, -1)):
                k = 1
                while 0 <= y + k * dy < h and 0 <= x + k * dx < w and g[y + k * dy, x + k * dx] == 0:
                    k += 1
                yy, xx = y + k * dy, x + k * dx
                if 0 <= yy < h and 0 <= xx < w and not lone(yy, xx):
                    out[yy, xx] = g[y, x]
    return out


def test_project_markers():
    g = np.zeros((8, 8), np.uint8)
    g[3:6, 3:6] = 8
    g[0, 4], g[4, 7], g[7, 0] = 9, 2, 6  # above the block, right of it, and seeing nothing
    want = g.copy()
    want[3, 4], want[4, 5] = 9, 2
    assert eq(P.project_markers(g), want)
    noise = np.zeros((16, 16), np.uint8)
    noise[::2, ::2] = 3  # 64 lone cells: noise, not markers
    noise[5:8, 5:8] = 8
    assert P.project_markers(noise) is None
    rng = np.random.default_rng(4)
    for _ in range(40):
        g = np.where(rng.random((8, 9)) < 0.2, rng.integers(1, 4, (8, 9)), 0).astype(np.uint8)
        g[2:5, 3:6] = 5
        got = P.project_markers(g)
        if (g != 0).sum() - 9 <= 30:  # (more lone cells than that: noise, None)
            assert eq(g if got is None else got, _project_reference(g))


def test_centre_lines():
    g = np.zeros((7, 9), np.uint8)
    g[1:4, 1:4] = 1
    g[2, 2] = 0  # a 3x3 ring: its middle cell is (2, 2)
    g[5, 6:8] = 4  # a 1x2 bar has no middle cell
    want = g.copy()
    want[2][want[2] == 0] = 6
    want[:, 2][want[:, 2] == 0] = 6
    assert eq(P.centre_lines(g, 6), want)
    assert P.centre_lines(np.zeros((3, 3), np.uint8), 6) is None


def _enclosed_reference(grid, bg):
    """Background cells no 4-connected path of background cells joins to the edge (plain BFS)."""
    h, w = grid.shape
    reach = np.zeros((h, w), bool)
    todo = [(y, x) for y in range(h) for x in range(w) if (y in (0, h - 1) or x in (0, w - 1)) and grid[y, x] == bg]
    for y, x in todo:
        reach[y, x] = True
    while todo:
        y, x = todo.pop()
        for yy, xx in ((y + 1, x), (y - 1, x), (y, x + 1), (y, x - 1)):
            if 0 <= yy < h and 0 <= xx < w and not reach[yy, xx] and grid[yy, xx] == bg:
                reach[yy, xx] = True
                todo.append((yy, xx))
    return (grid == bg) & ~reach


@settings(max_examples=80, deadline=None)
@given(random_grids)
def test_enclosed_against_a_plain_flood_twice(grid):
    for _ in range(2):  # the second answer comes from the memo
        assert np.array_equal(P.enclosed(grid, 0), _enclosed_reference(grid, 0))


def test_largest_rectangle_kernel_against_brute_force():
    rng = np.random.default_rng(12)
    for _ in range(200):
        h, w = rng.integers(1, 9, 2)
        free = rng.random((h, w)) < rng.uniform(0.4, 0.95)
        best, rects = 0, []
        for y0 in range(h):
            for y1 in range(y0 + 1, h):
                for x0 in range(w):
                    for x1 in range(x0 + 1, w):
                        if free[y0:y1 + 1, x0:x1 + 1].all():
                            a = (y1 - y0 + 1) * (x1 - x0 + 1)
                            if a > best:
                                best, rects = a, [(y0, x0, y1, x1)]
                            elif a == best:
                                rects.append((y0, x0, y1, x1))
        area, ties, *box = P.largest_rectangle_kernel(free)
        assert (area, ties) == (best, len(rects))
        if rects:
            assert tuple(box) in rects
        g = np.where(free, 0, 5).astype(np.uint8)
        got = P.fill_largest_rectangle(g, 6)
        if len(rects) == 1:
            y0, x0, y1, x1 = rects[0]
            want = g.copy()
            want[y0:y1 + 1, x0:x1 + 1] = 6
            assert eq(got, want)
        else:
            assert got is None


@settings(max_examples=80, deadline=None)
@given(st.integers(0, 10_000))
def test_fill_leaky_box_against_a_drawn_answer(seed):
    # One hollow box with a one-cell gap in a wall (not a corner): the expected grid is drawn directly.
    rng = np.random.default_rng(seed)
    h, w = int(rng.integers(6, 13)), int(rng.integers(6, 13))
    bh, bw = int(rng.integers(3, h - 1)), int(rng.integers(3, w - 1))
    top, left = int(rng.integers(0, h - bh + 1)), int(rng.integers(0, w - bw + 1))
    g = np.zeros((h, w), np.uint8)
    g[top:top + bh, left:left + bw] = 5
    g[top + 1:top + bh - 1, left + 1:left + bw - 1] = 0
    side = int(rng.integers(4))
    if side < 2:  # top or bottom wall
        gy, gx, dy, dx = (top, left + int(rng.integers(1, bw - 1)), -1, 0) if side == 0 else \
            (top + bh - 1, left + int(rng.integers(1, bw - 1)), 1, 0)
    else:
        gy, gx, dy, dx = (top + int(rng.integers(1, bh - 1)), left, 0, -1) if side == 2 else \
            (top + int(rng.integers(1, bh - 1)), left + bw - 1, 0, 1)
    g[gy, gx] = 0
    want = g.copy()
    want[top + 1:top + bh - 1, left + 1:left + bw - 1] = 8
    y, x = gy, gx
    while 0 <= y < h and 0 <= x < w:
        want[y, x] = 8
        y, x = y + dy, x + dx
    eq(P.fill_leaky_box(g, 8), want)
    closed = g.copy()
    closed[gy, gx] = 5
    assert P.fill_leaky_box(closed, 8) is None  # no gap: nothing leaks (fill_enclosed's case)


def _empty_lines_reference(g, colour, rows, cols, bg=0):
    out = g.copy()
    h, w = g.shape
    for along_rows, on in ((True, rows), (False, cols)):
        for i in range(h if along_rows else w) if on else ():
            line = [g[i, x] for x in range(w)] if along_rows else [g[y, i] for y in range(h)]
            if line[0] != bg and line[-1] != bg and all(v == bg for v in line[1:-1]):
                for k in range(1, len(line) - 1):
                    if along_rows:
                        out[i, k] = colour
                    else:
                        out[k, i] = colour
    return None if np.array_equal(out, g) or min(g.shape) < 3 else out


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 10_000), st.sampled_from([(True, True), (True, False), (False, True)]))
def test_fill_empty_lines_matches_a_plain_loop(seed, mode):
    rng = np.random.default_rng(seed)
    h, w = int(rng.integers(3, 10)), int(rng.integers(3, 10))
    g = np.zeros((h, w), np.uint8)
    g[[0, -1], :], g[:, [0, -1]] = 8, 8  # a frame, with a few cells inside and a few holes in it
    for _ in range(int(rng.integers(0, 4))):
        g[rng.integers(h), rng.integers(w)] = int(rng.choice([0, 2]))
    got, want = P.fill_empty_lines(g, 3, 0, *mode), _empty_lines_reference(g, 3, *mode)
    assert (got is None and want is None) or eq(got, want), g
