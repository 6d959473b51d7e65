"""Fills and lines; the border-reach kernel against a flood-fill reference."""
import numpy as np
from hypothesis import given, settings

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


def test_draw_lines():
    g = G([[0, 0, 0],
           [0, 1, 0],
           [0, 0, 0]])
    assert eq(P.draw_lines(g, "h"), [[0, 0, 0], [1, 1, 1], [0, 0, 0]])
    assert eq(P.draw_lines(g, "down"), [[0, 0, 0], [0, 1, 0], [0, 1, 0]])
    assert eq(P.draw_lines(g, "diag"), [[1, 0, 1], [0, 1, 0], [1, 0, 1]])
    assert eq(P.draw_lines(g, "down_right"), [[0, 0, 0], [0, 1, 0], [0, 0, 1]])
    assert eq(P.draw_lines(g, "up_left"), [[1, 0, 0], [0, 1, 0], [0, 0, 0]])
    # one diagonal way, stopped by a cell in the way: the union of the four is the "diag" drawing
    many = G([[0, 0, 0, 0], [0, 2, 0, 0], [0, 0, 0, 3], [0, 0, 0, 0]])
    ways = [P.draw_lines(many, d, through=False) for d in P.ONE_DIAGONAL]
    assert eq(np.max(ways, axis=0), P.draw_lines(many, "diag", through=False))
    blocked = G([[1, 0, 2, 0]])
    assert eq(P.draw_lines(blocked, "right", through=False), [[1, 1, 2, 2]])
    assert eq(P.draw_lines(blocked, "right", through=True), [[1, 1, 2, 1]])  # first ray painted wins
    assert P.draw_lines(G([[1, 1, 0]]), "right", single_only=True) is None  # no lone cell: nothing drawn
    # dashed: odd distances from the start take the dash colour, even ones the ray's own
    assert eq(P.draw_lines(G([[0, 2, 0, 0, 0, 0]]), "right", through=False, dash=5), [[0, 2, 5, 2, 5, 2]])
    assert eq(P.draw_lines(G([[0, 0, 3, 0, 4, 0, 0]]), "h", through=False, dash=5), [[3, 5, 3, 5, 4, 5, 4]])


def test_connect():
    g = G([[3, 0, 0, 3],
           [0, 0, 0, 0],
           [3, 0, 0, 4]])
    assert eq(P.connect(g), [[3, 3, 3, 3], [3, 0, 0, 0], [3, 0, 0, 4]])
    assert eq(P.connect(g, rows=False), [[3, 0, 0, 3], [3, 0, 0, 0], [3, 0, 0, 4]])
    cross = G([[0, 2, 0],
               [3, 0, 3],
               [0, 2, 0]])
    assert eq(P.connect(cross), [[0, 2, 0], [3, 3, 3], [0, 2, 0]])  # the row's line stays on top
    assert eq(P.connect(cross, cols_over=True), [[0, 2, 0], [3, 2, 3], [0, 2, 0]])
    # the gap between two blocks of one colour painted a new colour; touching cells have no gap
    blocks = G([[2, 2, 0, 0, 2], [2, 2, 0, 0, 0]])
    assert eq(P.connect(blocks, cols=False, paint=9), [[2, 2, 9, 9, 2], [2, 2, 0, 0, 0]])
    assert P.connect(G([[2, 2, 2]]), paint=9) is None


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


def _connect_diagonal_reference(g: np.ndarray, bg: int) -> np.ndarray:
    """Plain loops: every pair of same-coloured cells on a diagonal with only background between."""
    h, w = g.shape
    out = g.copy()
    for sx in (1, -1):  # all down-right lines, then all down-left ones (these win where two cross)
        for y, x in np.ndindex(h, w):
            if g[y, x] != bg:
                k = 1
                while 0 <= y + k < h and 0 <= x + sx * k < w and g[y + k, x + sx * k] == bg:
                    k += 1
                if 0 <= y + k < h and 0 <= x + sx * k < w and g[y + k, x + sx * k] == g[y, x]:
                    for j in range(1, k):
                        out[y + j, x + sx * j] = g[y, x]
    return out


@settings(max_examples=60, deadline=None)
@given(random_grids)
def test_connect_diagonal_matches_reference(grid):
    sparse = np.where(grid == 1, grid, 0).astype(np.uint8) + np.where(grid == 2, 2, 0).astype(np.uint8)
    got = P.connect_diagonal_kernel(sparse, np.uint8(0))
    assert np.array_equal(got, _connect_diagonal_reference(sparse, 0))


def test_connect_diagonal_by_hand():
    g = G([[3, 0, 0, 0, 2],
           [0, 0, 0, 0, 0],
           [0, 0, 5, 0, 0],
           [0, 0, 0, 0, 0],
           [2, 0, 0, 0, 3]])
    # 3..3 and 2..2 would cross the 5: blocked; nothing to join is None
    assert P.connect_diagonal(g) is None
    g[2, 2] = 0
    assert eq(P.connect_diagonal(g),
              [[3, 0, 0, 0, 2], [0, 3, 0, 2, 0], [0, 0, 2, 0, 0], [0, 2, 0, 3, 0], [2, 0, 0, 0, 3]])


def test_extend_tails_by_hand():
    g = G([[2, 2, 0, 0, 0, 0],
           [0, 3, 3, 0, 0, 0],
           [0, 3, 3, 0, 0, 0],
           [0, 0, 0, 3, 0, 0],
           [0, 0, 0, 0, 0, 0],
           [0, 0, 0, 0, 0, 0]])
    want = G([[2, 2, 2, 2, 2, 2],
              [0, 3, 3, 0, 0, 0],
              [0, 3, 3, 0, 0, 0],
              [0, 0, 0, 3, 0, 0],
              [0, 0, 0, 0, 3, 0],
              [0, 0, 0, 0, 0, 3]])  # the diagonal tail goes on; the bar's right end runs to the edge
    assert eq(P.extend_tails(g), want)
    assert P.extend_tails(G([[0, 1, 0], [1, 1, 1], [0, 1, 0]])) is None  # no cell with one neighbour


def test_corner_rays_by_hand():
    g = G([[0, 0, 0, 0, 0],
           [0, 0, 0, 0, 0],
           [0, 7, 0, 0, 0],
           [0, 7, 7, 0, 0],
           [0, 0, 0, 0, 0]])
    want = G([[0, 0, 0, 0, 7],
              [0, 0, 0, 7, 0],
              [0, 7, 0, 0, 0],
              [0, 7, 7, 0, 0],
              [0, 0, 0, 0, 0]])  # the open corner (2, 2) stays empty; the ray starts beyond it
    assert eq(P.corner_rays(g), want)
    assert P.corner_rays(G([[1, 1], [1, 1]])) is None  # no open corner


def test_bounce_by_hand():
    g = np.zeros((6, 3), np.uint8)
    g[5, 0] = 1  # bottom-left: goes up and right, off the right wall, back
    want = np.array([[0, 1, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 1, 0], [1, 0, 0]], np.uint8)
    assert eq(P.bounce(g), want)
    narrow = np.zeros((3, 1), np.uint8)
    narrow[0, 0] = 4  # top of a one-wide shaft: straight down
    assert eq(P.bounce(narrow), np.array([[4], [4], [4]]))
    block = np.zeros((4, 4), np.uint8)
    block[2:4, 0:2] = 3  # no lone cell, nothing to do
    assert P.bounce(block) is None


def _bounce_reference(g: np.ndarray) -> np.ndarray:
    h, w = g.shape
    out = g.copy()
    for y0 in range(h):
        for x0 in range(w):
            c = g[y0, x0]
            near = g[max(0, y0 - 1):y0 + 2, max(0, x0 - 1):x0 + 2]
            if c == 0 or (near == c).sum() > 1:
                continue
            dy = -1 if y0 >= h / 2 else 1
            dx = 0 if w == 1 else 1 if x0 < (w - 1) / 2 else -1
            y, x = y0 + dy, x0
            while 0 <= y < h:
                if x + dx < 0 or x + dx >= w:
                    dx = -dx
                x += dx
                if out[y, x] == 0:
                    out[y, x] = c
                y += dy
    return out


@settings(max_examples=60, deadline=None)
@given(random_grids)
def test_bounce_matches_reference(grid):
    g = P.as_grid(grid)
    want = _bounce_reference(g)
    got = P.bounce(g)
    assert (got is None and np.array_equal(want, g)) or np.array_equal(got, want)


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
