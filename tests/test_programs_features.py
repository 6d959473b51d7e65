"""Per-cell features; the rays kernel against a plain loop."""
import numpy as np
from hypothesis import given, settings

from arc_solver import programs as P
from grid_helpers import RING, G, random_grids


def test_cell_features():
    g = G([[1, 0, 0], [0, 2, 0], [0, 0, 0]])
    f = P.cell_features(g)
    assert f.shape == (9, len(P.CELL_FEATURES))
    col = {name: f[:, i].reshape(g.shape) for i, name in enumerate(P.CELL_FEATURES)}
    assert col["colour"].tolist() == g.tolist()
    assert col["n8"][1, 1] == 1 and col["n8"][0, 1] == 2 and col["n4"][0, 1] == 2
    assert col["up"][1, 1] == 0 and col["up"][0, 0] == 10 and col["up_left"][1, 1] == 1
    assert col["object_size"][0, 0] == 2  # 1 and 2 touch diagonally: one multicolour object
    assert col["ray_right"][1, 0] == 2 and col["ray_down"][0, 1] == 2 and col["ray_left"][1, 2] == 2
    assert col["touches_border"][0, 0] == 1
    assert col["n4_colours"][0, 1] == (1 << 1) | (1 << 2) and col["n4_colours"][2, 2] == 0
    assert col["n8_colours"][2, 2] == 1 << 2 and col["n8_colours"][1, 1] == 1 << 1
    assert col["row_parity_end"][:, 0].tolist() == [0, 1, 0] and col["col_parity_end"][0].tolist() == [0, 1, 0]
    assert col["row_n_colours"][:, 0].tolist() == [1, 1, 0] and col["col_n_colours"][0].tolist() == [1, 1, 0]
    h = P.cell_features(G([[3, 4, 0], [0, 0, 0], [5, 0, 0]]))
    assert h[:, P.CELL_FEATURES.index("row_n_colours")].reshape(3, 3)[:, 1].tolist() == [2, 0, 1]
    assert h[:, P.CELL_FEATURES.index("col_n_colours")].reshape(3, 3)[0].tolist() == [2, 1, 0]
    spans = P.cell_features(G([[3, 0, 0], [0, 4, 0], [3, 0, 4]]))[:, P.CELL_FEATURES.index("in_colour_boxes")]
    assert spans.reshape(3, 3).tolist() == [[8, 0, 0], [8, 16, 16], [8, 16, 16]]  # 3 spans column 0, 4 the corner
    wide = P.cell_features(np.zeros((4, 5), np.uint8))
    assert wide[:, P.CELL_FEATURES.index("col_mod3")].reshape(4, 5)[0].tolist() == [0, 1, 2, 0, 1]
    assert wide[:, P.CELL_FEATURES.index("row_mod3")].reshape(4, 5)[:, 0].tolist() == [0, 1, 2, 0]
    r = P.cell_features(RING)
    assert r[:, P.CELL_FEATURES.index("enclosed")].reshape(RING.shape)[2, 2] == 1
    assert r[:, P.CELL_FEATURES.index("object_holes")].reshape(RING.shape)[1, 1] == 1


def rays_reference(grid, bg):
    h, w = grid.shape
    out = np.full((h, w, 4), 10, np.int64)
    for y in range(h):
        for x in range(w):
            for k, (dy, dx) in enumerate(((-1, 0), (1, 0), (0, -1), (0, 1))):
                yy, xx = y + dy, x + dx
                while 0 <= yy < h and 0 <= xx < w:
                    if grid[yy, xx] != bg:
                        out[y, x, k] = grid[yy, xx]
                        break
                    yy, xx = yy + dy, xx + dx
    return out


@settings(max_examples=60, deadline=None)
@given(random_grids)
def test_rays_kernel_matches_reference(grid):
    assert np.array_equal(P.rays_kernel(grid, np.uint8(0)), rays_reference(grid, 0))


def test_in_square_against_plain_loops():
    rng = np.random.default_rng(3)
    i = P.CELL_FEATURES.index("in_square")
    for _ in range(100):
        h, w = (int(v) for v in rng.integers(1, 8, 2))
        g = rng.integers(0, 3, (h, w)).astype(np.uint8)
        want = np.zeros((h, w), int)
        for y in range(h - 1):
            for x in range(w - 1):
                if len({g[y, x], g[y + 1, x], g[y, x + 1], g[y + 1, x + 1]}) == 1:
                    want[y:y + 2, x:x + 2] = 1
        assert P.cell_features(g)[:, i].reshape(h, w).tolist() == want.tolist()


def test_n8_mask_against_plain_loops():
    rng = np.random.default_rng(4)
    i = P.CELL_FEATURES.index("n8_mask")
    for _ in range(100):
        h, w = (int(v) for v in rng.integers(1, 7, 2))
        g = rng.integers(0, 3, (h, w)).astype(np.uint8)
        want = np.zeros((h, w), int)
        for y in range(h):
            for x in range(w):
                for k, (dy, dx) in enumerate(P.NEIGHBOURS):
                    if 0 <= y + dy < h and 0 <= x + dx < w and g[y + dy, x + dx] != 0:
                        want[y, x] |= 1 << k
        assert P.cell_features(g)[:, i].reshape(h, w).tolist() == want.tolist()


def test_object_parities_count_from_each_components_box():
    g = G([[0, 0, 0, 0, 0],
           [0, 4, 4, 4, 0],
           [0, 0, 0, 0, 0],
           [3, 3, 3, 0, 0]])
    f = P.cell_features(g)
    rows = f[:, P.CELL_FEATURES.index("object_row_parity")].reshape(g.shape)
    cols = f[:, P.CELL_FEATURES.index("object_col_parity")].reshape(g.shape)
    assert cols[1, 1:4].tolist() == [0, 1, 0] and cols[3, :3].tolist() == [0, 1, 0]  # from 1 and from 0
    assert rows[1, 1] == 0 and rows[3, 0] == 0
    assert rows[:, 4].tolist() == [0, 1, 0, 1]  # the background: one component, its box from the top left


def _depth_reference(grid):
    h, w = grid.shape
    out = np.zeros((h, w), int)
    for y in range(h):
        for x in range(w):
            d = min(y + 1, x + 1, h - y, w - x)  # the first cell outside the grid
            for yy in range(h):
                for xx in range(w):
                    if grid[yy, xx] != grid[y, x]:
                        d = min(d, max(abs(yy - y), abs(xx - x)))
            out[y, x] = min(d, 9)
    return out


@settings(max_examples=80, deadline=None)
@given(random_grids)
def test_depth_kernel_against_brute_force(grid):
    assert P.depth_kernel(grid).tolist() == _depth_reference(grid).tolist()


def test_depth_of_concentric_squares():
    g = np.zeros((22, 22), np.uint8)
    for k in range(11):
        g[k:22 - k, k:22 - k] = k % 3
    assert P.depth_kernel(g)[:, 0].tolist() == [1] * 22
    assert P.depth_kernel(g)[10, :11].tolist() == [1] * 11  # every ring one cell wide: all rim
    solid = np.zeros((22, 22), np.uint8)
    assert P.depth_kernel(solid)[10, :12].tolist() == list(range(1, 10)) + [9, 9, 9]  # capped at 9
