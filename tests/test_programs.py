"""Primitives on hand-made grids, expected outputs written out; Numba kernels against numpy references."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arc_solver import programs as P


def G(rows):
    return np.array(rows, dtype=np.uint8)


def eq(a, b):
    return a is not None and a.shape == np.asarray(b).shape and np.array_equal(a, np.asarray(b))


random_grids = st.builds(
    lambda h, w, seed, k: np.random.default_rng(seed).integers(0, k, size=(h, w)).astype(np.uint8),
    st.integers(1, 9), st.integers(1, 9), st.integers(0, 10_000), st.integers(1, 4))


# ----------------------------------------------------------------------------- whole grid

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


def test_compress_lines():
    g = G([[0, 0, 0], [1, 0, 2], [0, 0, 0]])
    assert eq(P.remove_empty_lines(g), [[1, 2]])
    d = G([[1, 1, 2], [1, 1, 2], [3, 3, 4]])
    assert eq(P.dedupe_lines(d), [[1, 2], [3, 4]])
    assert eq(P.concat_mirror(G([[1, 2]]), 1), [[1, 2, 2, 1]])
    assert eq(P.concat_mirror(G([[1], [2]]), 0, flip_first=True), [[2], [1], [1], [2]])


# ----------------------------------------------------------------------------- colour

def test_colour_primitives():
    g = G([[0, 1, 2], [2, 2, 0]])
    assert eq(P.keep_colour(g, 2), [[0, 0, 2], [2, 2, 0]])
    assert eq(P.remove_colour(g, 2), [[0, 1, 0], [0, 0, 0]])
    assert P.ranked_colour(g, 0) == 2 and P.ranked_colour(g, -1) == 1
    assert eq(P.colour_pixel(g, 0), [[2]])
    assert P.colour_pixel(G([[1, 2]]), 0) is None  # tie
    assert eq(P.recolour_nonbg(g, -1), [[0, 1, 1], [1, 1, 0]])


def test_learn_colour_map():
    a, b = G([[1, 2], [0, 1]]), G([[3, 2], [0, 3]])
    m = P.learn_colour_map([(a, b)])
    assert eq(P.apply_colour_map(G([[1, 5]]), m), [[3, 5]])  # unseen 5 stays
    assert P.learn_colour_map([(a, G([[3, 2], [0, 4]]))]) is None  # 1 -> 3 and 1 -> 4
    assert P.learn_colour_map([(a, G([[1]]))]) is None


# ----------------------------------------------------------------------------- objects

def label_reference(grid, bg, diag, by_colour):
    """Plain BFS labelling in the same scan order as the kernel."""
    h, w = grid.shape
    lab = -np.ones((h, w), int)
    n = 0
    for y in range(h):
        for x in range(w):
            if lab[y, x] >= 0 or grid[y, x] == bg:
                continue
            lab[y, x] = n
            todo = [(y, x)]
            while todo:
                cy, cx = todo.pop()
                for dy in (-1, 0, 1):
                    for dx in (-1, 0, 1):
                        if (dy, dx) == (0, 0) or (not diag and dy and dx):
                            continue
                        ny, nx = cy + dy, cx + dx
                        if 0 <= ny < h and 0 <= nx < w and lab[ny, nx] < 0 and grid[ny, nx] != bg and \
                                (not by_colour or grid[ny, nx] == grid[y, x]):
                            lab[ny, nx] = n
                            todo.append((ny, nx))
            n += 1
    return lab, n


@settings(max_examples=60, deadline=None)
@given(random_grids, st.booleans(), st.booleans())
def test_label_kernel_matches_reference(grid, diag, by_colour):
    lab, n = P.label(grid, 0, diag, by_colour)
    ref, m = label_reference(grid, 0, diag, by_colour)
    assert n == m and np.array_equal(lab, ref)
    boxes, sizes = P.boxes_kernel(lab, n)
    for k in range(n):
        ys, xs = np.nonzero(ref == k)
        assert sizes[k] == len(ys)
        assert tuple(boxes[k]) == (ys.min(), xs.min(), ys.max() + 1, xs.max() + 1)


def test_objects_and_connectivity():
    g = G([[1, 0, 2],
           [0, 1, 2],
           [0, 0, 0]])
    assert len(P.objects(g, diag=False)) == 3
    four = P.objects(g, diag=True)
    assert sorted(o.size for o in four) == [2, 2]
    multi = P.objects(G([[1, 2], [0, 0]]), by_colour=False)
    assert len(multi) == 1 and multi[0].n_colours == 2 and eq(multi[0].patch, [[1, 2]])


SCENE = G([[1, 1, 0, 0, 0],
           [1, 1, 0, 3, 0],
           [0, 0, 0, 0, 0],
           [2, 2, 2, 0, 0],
           [2, 2, 2, 0, 0]])


def test_crop_keep_remove_objects():
    assert eq(P.crop_object(SCENE, "largest"), [[2, 2, 2], [2, 2, 2]])
    assert eq(P.crop_object(SCENE, "smallest"), [[3]])
    assert eq(P.crop_object(SCENE, "top"), [[1, 1], [1, 1]])
    assert eq(P.crop_object(SCENE, "rightmost"), [[3]])
    assert eq(P.crop_object(SCENE, "bottom"), [[2, 2, 2], [2, 2, 2]])
    assert P.crop_object(G([[1, 0, 1]]), "largest") is None  # a tie selects nothing
    assert eq(P.crop_object(SCENE, "largest", region=True), [[2, 2, 2], [2, 2, 2]])
    kept = P.keep_object(SCENE, "smallest")
    assert eq(kept, np.where(SCENE == 3, 3, 0))
    removed = P.keep_object(SCENE, "largest", remove=True)
    assert eq(removed, np.where(SCENE == 2, 0, SCENE))


def test_selectors_unique_colour_and_shape():
    g = G([[1, 0, 1, 0, 4],
           [0, 0, 0, 0, 4]])
    assert eq(P.crop_object(g, "unique_colour"), [[4], [4]])
    assert eq(P.crop_object(g, "unique_shape"), [[4], [4]])
    assert eq(P.crop_object(g, "biggest_box"), [[4], [4]])


def test_remove_small_and_size_recolour():
    g = G([[1, 0, 0, 2],
           [0, 0, 0, 2],
           [3, 3, 0, 2]])
    assert eq(P.remove_small(g, 1), [[0, 0, 0, 2], [0, 0, 0, 2], [3, 3, 0, 2]])
    assert eq(P.recolour_by_size(g), [[1, 0, 0, 3], [0, 0, 0, 3], [2, 2, 0, 3]])
    assert eq(P.recolour_by_size_rank(g), [[3, 0, 0, 1], [0, 0, 0, 1], [2, 2, 0, 1]])


def test_outline():
    g = np.full((3, 3), 5, np.uint8)
    assert eq(P.outline(g), [[5, 5, 5], [5, 0, 5], [5, 5, 5]])


# ----------------------------------------------------------------------------- gravity

def test_gravity_four_directions():
    g = G([[1, 0],
           [0, 2],
           [0, 0]])
    assert eq(P.gravity(g, "down"), [[0, 0], [0, 0], [1, 2]])
    assert eq(P.gravity(g, "up"), [[1, 2], [0, 0], [0, 0]])
    assert eq(P.gravity(g, "right"), [[0, 1], [0, 2], [0, 0]])
    assert eq(P.gravity(g, "left"), [[1, 0], [2, 0], [0, 0]])


@settings(max_examples=40, deadline=None)
@given(random_grids)
def test_gravity_kernel_matches_reference(grid):
    out = P.gravity_down_kernel(P.as_grid(grid), np.uint8(0))
    ref = np.zeros_like(grid)
    for x in range(grid.shape[1]):
        col = grid[:, x][grid[:, x] != 0]
        if len(col):
            ref[-len(col):, x] = col
    assert np.array_equal(out, ref)


def test_object_gravity_keeps_shapes_rigid():
    g = G([[1, 1, 0],
           [0, 1, 0],
           [0, 0, 0],
           [0, 0, 2]])
    assert eq(P.object_gravity(g, "down"), [[0, 0, 0], [0, 0, 0], [1, 1, 0], [0, 1, 2]])


# ----------------------------------------------------------------------------- fills and lines

RING = G([[0, 0, 0, 0, 0],
          [0, 3, 3, 3, 0],
          [0, 3, 0, 3, 0],
          [0, 3, 3, 3, 0],
          [0, 0, 0, 0, 0]])


def test_fill_enclosed():
    assert eq(P.fill_enclosed(RING, 4), np.where((np.arange(5)[:, None] == 2) & (np.arange(5) == 2), 4, RING))
    assert eq(P.fill_enclosed(RING, -1), np.where((np.arange(5)[:, None] == 2) & (np.arange(5) == 2), 3, RING))
    assert P.fill_enclosed(np.zeros((3, 3), np.uint8), 4) is None
    # an opening to the edge means nothing is enclosed
    open_ring = RING.copy()
    open_ring[1, 2] = 0
    assert P.fill_enclosed(open_ring, 4) is None


@settings(max_examples=40, deadline=None)
@given(random_grids)
def test_border_reach_matches_reference(grid):
    h, w = grid.shape
    seen = np.zeros((h, w), bool)
    todo = [(y, x) for y in range(h) for x in range(w)
            if (y in (0, h - 1) or x in (0, w - 1)) and grid[y, x] == 0]
    for y, x in todo:
        seen[y, x] = True
    while todo:
        y, x = todo.pop()
        for ny, nx in ((y + 1, x), (y - 1, x), (y, x + 1), (y, x - 1)):
            if 0 <= ny < h and 0 <= nx < w and not seen[ny, nx] and grid[ny, nx] == 0:
                seen[ny, nx] = True
                todo.append((ny, nx))
    assert np.array_equal(P.border_reach_kernel(P.as_grid(grid), np.uint8(0)), seen)


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
    blocked = G([[1, 0, 2, 0]])
    assert eq(P.draw_lines(blocked, "right", through=False), [[1, 1, 2, 2]])
    assert eq(P.draw_lines(blocked, "right", through=True), [[1, 1, 2, 1]])  # first ray painted wins
    assert P.draw_lines(G([[1, 1, 0]]), "right", single_only=True) is None  # no lone cell: nothing drawn


def test_connect():
    g = G([[3, 0, 0, 3],
           [0, 0, 0, 0],
           [3, 0, 0, 4]])
    assert eq(P.connect(g), [[3, 3, 3, 3], [3, 0, 0, 0], [3, 0, 0, 4]])
    assert eq(P.connect(g, rows=False), [[3, 0, 0, 3], [3, 0, 0, 0], [3, 0, 0, 4]])


# ----------------------------------------------------------------------------- symmetry

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


# ----------------------------------------------------------------------------- splitting

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


@pytest.mark.parametrize("fn", [
    lambda g: P.crop_object(g, "largest"), lambda g: P.complete_symmetry(g, 0),
    lambda g: P.fill_enclosed(g, 1), lambda g: P.object_gravity(g, "left"), lambda g: P.cells_to_pixels(g),
    lambda g: P.combine_parts(g, "xor"), lambda g: P.draw_lines(g, "all"), lambda g: P.kron_self(g),
    lambda g: P.complete_pattern(g, 0), lambda g: P.cell_features(g) is None or None,
])
def test_primitives_survive_tiny_and_uniform_grids(fn):
    for g in (G([[0]]), G([[7]]), np.full((30, 30), 3, np.uint8), G([[1, 0, 1]])):
        out = fn(g)
        assert out is None or P.valid(out)
