"""Lines: rays, joins of same-colour cells, tails, zigzags and corner rays against plain references or by
hand; bars between facing objects against a per-cell reference on random rectangles."""
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from arc_solver import programs as P
from grid_helpers import G, eq, random_grids


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


def bridge_reference(grid, colour, rows, cols, inset, bg=0):
    """A background cell takes the bar's colour when two objects' boxes lie on either side of it, along a
    row or a column, it is inside both boxes' shared span less the inset, and every cell of the gap over
    that whole span is background."""
    boxes = [(o.top, o.left, o.top + o.height - 1, o.left + o.width - 1) for o in P.objects(grid, bg)]
    if not 2 <= len(boxes) <= 40:
        return None
    out = grid.copy()
    h, w = grid.shape
    for y in range(h):
        for x in range(w):
            for a in boxes:
                for b in boxes:
                    for along_rows in [flag for flag, on in ((True, rows), (False, cols)) if on]:
                        # (p, q): the cell along the bar and across it; boxes as (across lo, hi, along lo, hi)
                        p, q = (x, y) if along_rows else (y, x)
                        ka = (a[0], a[2], a[1], a[3]) if along_rows else (a[1], a[3], a[0], a[2])
                        kb = (b[0], b[2], b[1], b[3]) if along_rows else (b[1], b[3], b[0], b[2])
                        lo, hi = max(ka[0], kb[0]), min(ka[1], kb[1])
                        if not (ka[3] < p < kb[2] and lo + inset <= q <= hi - inset):
                            continue
                        gap = [(qq, pp) for qq in range(lo, hi + 1) for pp in range(ka[3] + 1, kb[2])]
                        cells = [grid[c] if along_rows else grid[c[::-1]] for c in gap]
                        if all(v == bg for v in cells):
                            out[y, x] = colour
    return None if np.array_equal(out, grid) else out


@st.composite
def rectangles(draw):
    h, w = draw(st.integers(6, 14)), draw(st.integers(6, 14))
    g = np.zeros((h, w), np.uint8)
    for _ in range(draw(st.integers(2, 5))):
        top, left = draw(st.integers(0, h - 2)), draw(st.integers(0, w - 2))
        bh, bw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
        g[top:top + bh, left:left + bw] = draw(st.integers(1, 7))
    return g


@settings(max_examples=150, deadline=None)
@given(rectangles(), st.sampled_from([(True, True, 0), (True, False, 0), (False, True, 0), (True, True, 1)]))
def test_bridge_matches_the_per_cell_reference(g, mode):
    rows, cols, inset = mode
    eq(P.bridge(g, 9, rows, cols, inset), bridge_reference(g, 9, rows, cols, inset))


def T(text):
    """A grid from rows of digits, '.' for 0."""
    return G([[0 if ch == "." else int(ch) for ch in row] for row in text.split()])


def test_bridge_by_hand():
    g = T(""".22......
             .22...33.
             .22...33.
             .22......
             .........
             4444.....""")
    # rows: the 2s and 3s share rows 1-2; columns: the 2s and 4s share columns 1-2
    eq(P.bridge(g, 8, True, False, 0), T(""".22......
                                           .22888 33.
                                           .22888 33.
                                           .22......
                                           .........
                                           4444.....""".replace(" 33", "33")))
    eq(P.bridge(g, 8, False, True, 0), T(""".22......
                                           .22...33.
                                           .22...33.
                                           .22......
                                           .88......
                                           4444....."""))
    # inset 1: only the inner rows of a shared span of 3 or more; a span of 2 leaves nothing
    assert P.bridge(g, 8, True, False, 1) is None
    # a third object inside the gap blocks the bar over the whole shared span; it faces each side itself
    blocked = g.copy()
    blocked[2, 4] = 5
    eq(P.bridge(blocked, 8, True, False, 0), T(""".22......
                                                 .22...33.
                                                 .22858 33.
                                                 .22......
                                                 .........
                                                 4444.....""".replace(" 33", "33")))


def _broken_lines_reference(g, paint, bg=0):
    cells = [(y, x) for y in range(g.shape[0]) for x in range(g.shape[1]) if g[y, x] != bg]
    if not cells:
        return None
    top, bottom = min(y for y, _ in cells), max(y for y, _ in cells)
    left, right = min(x for _, x in cells), max(x for _, x in cells)
    out = g.copy()
    lines = [[(y, x) for x in range(left, right + 1)] for y in range(g.shape[0])] + \
            [[(y, x) for y in range(top, bottom + 1)] for x in range(g.shape[1])]
    for line in lines:
        seen = [g[c] for c in line if g[c] != bg]
        if 2 * len(seen) > len(line) and len(set(seen)) == 1:
            for c in line:
                if g[c] == bg:
                    out[c] = seen[0] if paint < 0 else paint
    return None if np.array_equal(out, g) else out


@settings(max_examples=150, deadline=None)
@given(random_grids, st.sampled_from([-1, 7]))
def test_complete_broken_lines_matches_a_plain_loop(grid, paint):
    g = np.where(grid == 2, 0, grid).astype(np.uint8)
    got, want = P.complete_broken_lines(g, paint), _broken_lines_reference(g, paint)
    assert (got is None and want is None) or eq(got, want)


def test_complete_broken_lines_by_hand():
    # a dashed outline: its rows and columns are more than half there; the inner row is not
    g = G([[1, 0, 1, 1, 1],
           [1, 0, 0, 0, 1],
           [0, 0, 0, 0, 0],
           [1, 1, 0, 1, 1]])
    eq(P.complete_broken_lines(g, 2), G([[1, 2, 1, 1, 1],
                                         [1, 0, 0, 0, 1],
                                         [2, 0, 0, 0, 2],
                                         [1, 1, 2, 1, 1]]))


@settings(max_examples=80, deadline=None)
@given(st.integers(0, 10_000), st.booleans())
def test_hole_lines_stretch_pinholes_across_bands(seed, turn):
    # Wide bands of distinct colours stacked down the grid, a few pinholes (0) in each: every pinhole
    # becomes a line of 0 down its band (across its shorter side); turned, the lines run across.
    rng = np.random.default_rng(seed)
    w, heights = int(rng.integers(8, 15)), [int(rng.integers(2, 5)) for _ in range(3)]
    g = np.concatenate([np.full((hb, w), c, np.uint8) for hb, c in zip(heights, (4, 8, 5))])
    want = g.copy()
    top = 0
    for hb in heights:
        for _ in range(int(rng.integers(1, 3))):
            y, x = top + int(rng.integers(hb)), int(rng.integers(w))
            g[y, x] = 0
            want[top:top + hb, x] = 0
        top += hb
    if turn:
        g, want = g.T.copy(), want.T.copy()
    eq(P.hole_lines(g, 0), want)
    assert P.hole_lines(np.where(want == 0, 3, want), 0) is None  # no pinholes: nothing to do


def _ray_mask_reference(g: np.ndarray, colour: int, dy: int, dx: int, mode: str, bg: int) -> np.ndarray:
    """Per start cell, walk the ray; "front" starts are the cells of an 8-connected one-colour component
    that no other cell of it passes along the direction."""
    h, w = g.shape
    cells = {(y, x) for y in range(h) for x in range(w) if g[y, x] == colour}
    starts = set(cells)
    if mode == "front":
        starts = set()
        left = set(cells)
        while left:  # components by flood fill
            todo, comp = [left.pop()], set()
            while todo:
                y, x = todo.pop()
                comp.add((y, x))
                for ny in range(y - 1, y + 2):
                    for nx in range(x - 1, x + 2):
                        if (ny, nx) in left:
                            left.discard((ny, nx))
                            todo.append((ny, nx))
            best = max(y * dy + x * dx for y, x in comp)
            starts |= {(y, x) for y, x in comp if y * dy + x * dx == best}
    out = np.zeros((h, w), bool)
    for y, x in starts:
        ny, nx = y + dy, x + dx
        while 0 <= ny < h and 0 <= nx < w:
            if g[ny, nx] == bg:
                out[ny, nx] = True
            elif mode != "through":
                break
            ny, nx = ny + dy, nx + dx
    return out


@settings(max_examples=60, deadline=None)
@given(random_grids, st.sampled_from(P.RAY_MODES),
       st.sampled_from([(dy, dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1) if dy or dx]), st.integers(1, 3))
def test_ray_mask_matches_a_plain_walk(g, mode, d, colour):
    assert (P.ray_mask(g, colour, *d, mode) == _ray_mask_reference(g, colour, *d, mode, 0)).all()


def test_colour_rays_each_colour_its_own_directions_later_colours_on_top():
    g = G([[0, 0, 0, 0, 0],
           [0, 2, 0, 0, 0],
           [0, 0, 0, 0, 0],
           [0, 0, 0, 3, 0],
           [0, 0, 0, 0, 0]])
    rules = {2: ((1, 0, "stop"), (-1, 0, "stop")), 3: ((0, -1, "stop"), (0, 1, "stop"))}
    assert eq(P.colour_rays(g, rules, (2, 3)), [[0, 2, 0, 0, 0], [0, 2, 0, 0, 0], [0, 2, 0, 0, 0],
                                                [3, 3, 3, 3, 3], [0, 2, 0, 0, 0]])
    assert P.colour_rays(g, rules, (3, 2))[3, 1] == 2  # the other order: red on top
    # a 2x2 block shoots one diagonal ray from its leading corner ("front"), a band from every cell ("stop")
    block = G([[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 1, 1], [0, 0, 1, 1]])
    assert eq(P.colour_rays(block, {1: ((-1, -1, "front"),)}, (1,)),
              [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 1], [0, 0, 1, 1]])
    assert P.colour_rays(block, {1: ((-1, -1, "stop"),)}, (1,))[1, 2] == 1
    assert P.colour_rays(block, {4: ((-1, -1, "stop"),)}, (4,)) is None  # no such colour: nothing drawn


def test_elbow_against_a_walk_on_random_grids():
    rng = np.random.default_rng(3)
    for _ in range(200):
        h, w = int(rng.integers(2, 12)), int(rng.integers(2, 12))
        g = np.where(rng.random((h, w)) < 0.2, rng.integers(5, 8, (h, w)), 0).astype(np.uint8)
        cells = rng.choice(h * w, 2, replace=False)
        (ya, xa), (yb, xb) = (divmod(int(c), w) for c in cells)
        g[ya, xa], g[yb, xb] = 1, 2
        want = g.copy()
        x = xa  # a walk: along a's row to b's column, then along that column to b
        while True:
            if want[ya, x] == 0:
                want[ya, x] = 4
            if x == xb:
                break
            x += 1 if xb > xa else -1
        for y in range(min(ya, yb), max(ya, yb) + 1):
            if want[y, xb] == 0:
                want[y, xb] = 4
        assert eq(P.elbow(g, 1, 2, 4), want)
    g[g == 2] = 1  # two cells of colour 1 and none of 2: no elbow
    assert P.elbow(g, 1, 2, 4) is None


def test_extend_segments_against_plain_loops():
    rng = np.random.default_rng(4)
    for trial in range(200):
        h, w = int(rng.integers(1, 10)), int(rng.integers(1, 10))
        g = np.where(rng.random((h, w)) < 0.3, rng.integers(1, 4, (h, w)), 0).astype(np.uint8)
        rows_last = bool(trial % 2)
        row_colour, col_colour = {}, {}
        for y in range(h):
            for x in range(w):
                if g[y, x] and x + 1 < w and g[y, x + 1] == g[y, x]:
                    row_colour[y] = g[y, x]  # the last segment met in reading order
        for y in range(h):
            for x in range(w):
                if g[y, x] and y + 1 < h and g[y + 1, x] == g[y, x]:
                    col_colour[x] = g[y, x]
        if not row_colour and not col_colour:
            assert P.extend_segments(g, rows_last) is None
            continue
        want = g.copy()
        first, last = (col_colour, row_colour) if rows_last else (row_colour, col_colour)
        for lines, is_rows in ((first, not rows_last), (last, rows_last)):
            for i, c in lines.items():
                if is_rows:
                    want[i, :] = c
                else:
                    want[:, i] = c
        assert eq(P.extend_segments(g, rows_last), want), trial


def test_join_diagonal_links_facing_corners_in_every_direction():
    rng = np.random.default_rng(4)
    for _ in range(40):
        g = np.zeros((22, 22), np.uint8)
        s, t, k = (int(v) for v in rng.integers(1, 4, 3))  # two squares' sides, then the gap's length
        y0, x0 = int(rng.integers(0, 4)), int(rng.integers(0, 4))
        c = int(rng.integers(1, 10))
        g[y0:y0 + s, x0:x0 + s] = c
        y1, x1 = y0 + s + k, x0 + s + k  # the second square's top-left corner faces the first's bottom-right
        g[y1:y1 + t, x1:x1 + t] = c
        want = g.copy()
        for i in range(1, k + 1):
            want[y0 + s - 1 + i, x0 + s - 1 + i] = c
        other = (c % 9) + 1  # three objects of another colour: not a pair, left alone
        for y, x in ((20, 0), (20, 5), (15, 0)):
            g[y, x] = want[y, x] = other
        d = int(rng.integers(0, 8))
        assert eq(P.join_diagonal(P.dihedral(g, d)), P.dihedral(want, d)), (s, t, k, d)


def test_join_diagonal_leaves_a_tie_and_three_of_a_colour():
    g = np.zeros((8, 8), np.uint8)
    g[2:4, 2] = g[5:7, 5] = 2  # two bars side by side on two diagonals: two shortest runs, no choice
    assert P.join_diagonal(g) is None
    g[6, 5] = 0  # one cell left below: only the upper bar's top cell sees it along a diagonal
    want = g.copy()
    want[3, 3] = want[4, 4] = 2
    assert eq(P.join_diagonal(g), want)
    g[0, 7] = 2  # a third object of the colour: not a pair
    assert P.join_diagonal(g) is None
