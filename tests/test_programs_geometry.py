"""Whole-grid primitives on hand-made grids, expected outputs written out."""
import numpy as np

from arc_solver import programs as P
from grid_helpers import G, eq


def test_dihedral_group():
    g = G([[1, 2, 3], [4, 5, 6]])
    assert eq(P.dihedral(g, 0), g)
    assert eq(P.dihedral(g, 1), [[3, 6], [2, 5], [1, 4]])  # counter-clockwise
    assert eq(P.dihedral(g, 2), [[6, 5, 4], [3, 2, 1]])
    assert eq(P.dihedral(g, 4), [[1, 4], [2, 5], [3, 6]])  # transpose
    assert eq(P.dihedral(g, 5), [[4, 5, 6], [1, 2, 3]])  # up-down flip
    assert eq(P.dihedral(g, 7), [[3, 2, 1], [6, 5, 4]])  # left-right flip
    for d in range(8):
        assert eq(P.dihedral(P.dihedral(g, d), P.inverse_dihedral(d)), g)
    rng = np.random.default_rng(0)
    for _ in range(20):  # the slices against numpy's own rotation
        r = rng.integers(0, 10, tuple(rng.integers(1, 7, 2))).astype(np.uint8)
        for d in range(8):
            assert eq(P.dihedral(r, d), np.rot90(r if d < 4 else r.T, d % 4))


def test_crops():
    g = G([[0, 0, 0, 0], [0, 3, 0, 0], [0, 0, 4, 0], [0, 0, 0, 0]])
    assert eq(P.crop_to_content(g), [[3, 0], [0, 4]])
    assert P.crop_to_content(np.zeros((3, 3), np.uint8)) is None
    assert eq(P.crop_border(g), [[3, 0], [0, 4]])
    assert eq(P.crop_to_content(G([[5, 5, 5], [5, 1, 5]]), bg=-1), [[1]])


def test_scale_up_down():
    g = G([[1, 2], [3, 0]])
    up = P.scale_up(g, 2, 3)
    assert eq(up, [[1, 1, 1, 2, 2, 2], [1, 1, 1, 2, 2, 2], [3, 3, 3, 0, 0, 0], [3, 3, 3, 0, 0, 0]])
    assert eq(P.scale_down(up, 2, 3), g)
    assert P.scale_down(G([[1, 2], [1, 1]]), 2, 2) is None  # not uniform blocks
    assert eq(P.scale_down(G([[1, 2], [1, 1]]), 2, 2, uniform=False), [[1]])
    assert P.scale_up(np.zeros((16, 1), np.uint8), 2, 2) is None  # would exceed 30


def test_tile_and_kron():
    g = G([[1, 2]])
    assert eq(P.tile(g, 2, 2), [[1, 2, 1, 2], [1, 2, 1, 2]])
    assert eq(P.tile(G([[1, 2], [3, 4]]), 2, 2, mirror=True),
              [[1, 2, 2, 1], [3, 4, 4, 3], [3, 4, 4, 3], [1, 2, 2, 1]])
    k = P.kron_self(G([[1, 0], [0, 1]]))
    assert eq(k, [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]])
    assert eq(P.kron_self(G([[1, 0], [0, 0]]), invert=True),
              [[0, 0, 1, 0], [0, 0, 0, 0], [1, 0, 1, 0], [0, 0, 0, 0]])


def test_pad_border_shift():
    g = G([[1]])
    assert eq(P.pad(g, 4), [[4, 4, 4], [4, 1, 4], [4, 4, 4]])
    assert eq(P.draw_border(np.zeros((3, 3), np.uint8), 2), [[2, 2, 2], [2, 0, 2], [2, 2, 2]])
    s = G([[1, 2], [3, 4]])
    assert eq(P.shift(s, 1, 0), [[0, 0], [1, 2]])
    assert eq(P.shift(s, 0, -1), [[2, 0], [4, 0]])
    assert eq(P.shift(s, 1, 0, wrap=True), [[3, 4], [1, 2]])
    assert eq(P.pad_edges(s), [[0, 1, 2, 0], [1, 1, 2, 2], [3, 3, 4, 4], [0, 3, 4, 0]])
    assert P.pad_edges(np.zeros((29, 2), np.uint8)) is None  # 31 rows: too big



def test_keep_middle_line():
    g = G([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
    assert eq(P.keep_middle_line(g, 1), [[0, 2, 0], [0, 5, 0], [0, 8, 0]])
    assert eq(P.keep_middle_line(g, 0), [[0, 0, 0], [4, 5, 6], [0, 0, 0]])
    assert P.keep_middle_line(G([[1, 2]]), 1) is None


def test_sort_lines_against_sorted():
    rng = np.random.default_rng(5)
    for _ in range(50):
        g = np.where(rng.random((6, 5)) < 0.5, 0, rng.integers(1, 10, (6, 5))).astype(np.uint8)
        got = P.sort_lines(g, 0)
        want = sorted(g.tolist(), key=lambda row: sum(v != 0 for v in row))  # sorted() is stable
        assert (got is None and want == g.tolist()) or eq(got, want)
        got_t = P.sort_lines(g.T.copy(), 1)
        assert (got_t is None and want == g.tolist()) or eq(got_t.T, want)


def test_compress_lines():
    g = G([[0, 0, 0], [1, 0, 2], [0, 0, 0]])
    assert eq(P.remove_empty_lines(g), [[1, 2]])
    d = G([[1, 1, 2], [1, 1, 2], [3, 3, 4]])
    assert eq(P.dedupe_lines(d), [[1, 2], [3, 4]])
    assert eq(P.concat_mirror(G([[1, 2]]), 1), [[1, 2, 2, 1]])
    assert eq(P.concat_mirror(G([[1], [2]]), 0, flip_first=True), [[2], [1], [1], [2]])


def test_kron_self_by_colour_and_scale_by_colours():
    g = G([[1, 2], [2, 2]])
    # the cells of colour 2 (here also the most common) become copies of the grid, the rest background
    want = np.zeros((4, 4), np.uint8)
    for y, x in ((0, 1), (1, 0), (1, 1)):
        want[2 * y:2 * y + 2, 2 * x:2 * x + 2] = g
    assert eq(P.kron_self(g, colour=2), want)
    assert eq(P.kron_self(g, colour=-1), want)
    assert eq(P.kron_self(g, colour=1), [[1, 2, 0, 0], [2, 2, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]])
    # two colours besides the background: twice as large
    h = G([[0, 3], [4, 4]])
    assert eq(P.scale_by_colours(h), P.scale_up(h, 2, 2))
    assert P.scale_by_colours(G([[0, 3], [3, 3]])) is None  # one colour: nothing to scale by


def test_embed_puts_the_grid_in_a_corner_of_an_empty_canvas():
    rng = np.random.default_rng(4)
    for _ in range(20):
        g = rng.integers(1, 9, size=(int(rng.integers(1, 5)), int(rng.integers(1, 5)))).astype(np.uint8)
        ky, kx = int(rng.integers(1, 4)), int(rng.integers(1, 4))
        h, w = g.shape
        for corner in P.CORNERS:
            out = P.embed(g, ky, kx, corner)
            assert out.shape == (h * ky, w * kx)
            y0 = 0 if corner[0] == "t" else h * ky - h
            x0 = 0 if corner[1] == "l" else w * kx - w
            for y in range(h * ky):
                for x in range(w * kx):
                    inside = y0 <= y < y0 + h and x0 <= x < x0 + w
                    assert out[y, x] == (g[y - y0, x - x0] if inside else 0)
    assert P.embed(np.ones((11, 2), np.uint8), 3, 1) is None  # 33 rows: too tall


def test_reflect_extend_against_a_bouncing_index():
    rng = np.random.default_rng(3)
    for _ in range(30):
        h, w, k = int(rng.integers(2, 5)), int(rng.integers(1, 5)), int(rng.integers(1, 5))
        g = rng.integers(0, 10, (h, w)).astype(np.uint8)
        rows, i, step = [], 0, 1
        for _ in range(k * (h - 1) + 1):  # walk down and up, turning at the first and last row
            rows.append(g[i])
            if not 0 <= i + step < h:
                step = -step
            i += step
        assert eq(P.reflect_extend(g, k, 0), np.array(rows))
        assert eq(P.reflect_extend(g.T, k, 1), np.array(rows).T)
    assert P.reflect_extend(G([[1, 2]]), 3, 0) is None  # one row: nothing to reflect


def test_kron_self_own_colour_against_a_plain_loop():
    rng = np.random.default_rng(21)
    for _ in range(20):
        g = rng.integers(0, 4, size=(rng.integers(1, 6), rng.integers(1, 6))).astype(np.uint8)
        h, w = g.shape
        want = np.zeros((h * h, w * w), np.uint8)
        for y in range(h):
            for x in range(w):
                if g[y, x]:
                    for i in range(h):
                        for j in range(w):
                            if g[i, j] == g[y, x]:
                                want[y * h + i, x * w + j] = g[i, j]
        assert eq(P.kron_self(g, own_colour=True), want)


def test_shear_against_a_plain_loop():
    rng = np.random.default_rng(22)
    for _ in range(20):
        g = rng.integers(0, 5, size=(rng.integers(1, 8), rng.integers(1, 8))).astype(np.uint8)
        h, w = g.shape
        rows = np.zeros((h, w + h - 1), np.uint8)
        rows_rev = rows.copy()
        for i in range(h):
            for j in range(w):
                rows[i, i + j] = g[i, j]
                rows_rev[i, h - 1 - i + j] = g[i, j]
        assert eq(P.shear(g, 1), rows) and eq(P.shear(g, 1, reverse=True), rows_rev)
        # down the columns: the same slant on the transposed grid
        assert eq(P.shear(g, 0), P.shear(g.T.copy(), 1).T) and eq(P.shear(g, 0, True), P.shear(g.T.copy(), 1, True).T)
    assert P.shear(np.ones((16, 16), np.uint8), 1) is None  # 31 columns: too wide


def test_roll_lines_against_a_plain_loop():
    rng = np.random.default_rng(37)
    for _ in range(30):
        h, w = rng.integers(2, 8), rng.integers(2, 8)
        g = np.where(rng.random((h, w)) < 0.3, rng.integers(1, 5, size=(h, w)), 0).astype(np.uint8)
        g[:int(rng.integers(0, h))] = 0  # a blank margin above: parity counts from the first row with a cell
        if not g.any() or P.most_common(g) != 0:
            continue
        top = int(np.flatnonzero(g.any(1))[0])
        for parity in (0, 1):
            for shift in (1, -1):
                want = g.copy()
                for y in range(top + parity, h, 2):
                    for x in range(w):
                        want[y, (x + shift) % w] = g[y, x]
                got = P.roll_lines(g, 1, parity, shift)
                assert (got is None and eq(want, g)) or eq(got, want)
                down = P.roll_lines(g.T.copy(), 0, parity, shift)
                assert (down is None and eq(want, g)) or eq(down, want.T)
    assert P.roll_lines(np.zeros((3, 3), np.uint8), 1, 0, 1) is None  # nothing changes


def test_mosaic_cells_reads_one_pixel_per_noisy_block():
    rng = np.random.default_rng(5)
    for _ in range(20):
        heights, widths = rng.integers(2, 6, rng.integers(1, 4)), rng.integers(2, 6, rng.integers(2, 4))
        colours = rng.integers(1, 10, (len(heights), len(widths))).astype(np.uint8)
        for i in range(1, len(heights)):  # neighbouring blocks differ, so their edge shows
            colours[i] = np.where(colours[i] == colours[i - 1], colours[i] % 9 + 1, colours[i])
        for j in range(1, len(widths)):
            colours[:, j] = np.where(colours[:, j] == colours[:, j - 1], colours[:, j] % 9 + 1, colours[:, j])
        mosaic = np.repeat(np.repeat(colours, heights, 0), widths, 1)
        holes = rng.random(mosaic.shape) < 0.15  # background speckle, well under half of any line
        g = np.zeros((mosaic.shape[0] + 4, mosaic.shape[1] + 3), np.uint8)  # a margin round it
        g[2:-2, 1:-2] = np.where(holes, 0, mosaic)
        # inside a block, the cells of two neighbouring lines that are not holes agree; across a block's
        # edge, none do
        assert eq(P.mosaic_cells(g, 0), colours)
        assert eq(P.mosaic_cells(np.pad(mosaic, 1), 0), colours)
    assert P.mosaic_cells(G([[0, 0], [0, 3]]), 0) is None  # one block
