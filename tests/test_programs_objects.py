"""Components (Numba kernel against a BFS reference), selection, recolouring, gravity."""
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from arc_solver import programs as P
from grid_helpers import G, eq, random_grids


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


def test_move_to_contact():
    g = np.zeros((7, 6), np.uint8)
    g[0, 1:3] = 2
    g[1, 2] = 2
    g[5:7, 1:3] = 8
    out = P.move_to_contact(g, 2, 8)
    want = np.zeros((7, 6), np.uint8)
    want[3, 1:3] = 2
    want[4, 2] = 2
    want[5:7, 1:3] = 8
    assert eq(out, want)
    assert P.move_to_contact(out, 2, 8) is None  # already touching: no move
    # sideways, from the right
    assert eq(P.move_to_contact(G([[8, 0, 0, 2]]), 2, 8), [[8, 2, 0, 0]])
    # neither rows nor columns overlap: no straight path
    assert P.move_to_contact(G([[8, 0], [0, 2]]), 2, 8) is None
    assert P.move_to_contact(G([[8, 0, 0]]), 2, 8) is None  # nothing to move


def test_attract_by_hand():
    band = np.zeros((7, 5), np.uint8)
    band[3] = 5
    g = band.copy()
    g[0, 1] = g[6, 3] = g[0, 4] = 2
    # single cells fly along columns to the band and take its colour
    want = band.copy()
    want[2, 1] = want[4, 3] = want[2, 4] = 5
    assert eq(P.attract(g, -2, 0, join=True, diagonal=False), want)
    # the nearer arrives first and the next one stops against it: they stack
    assert eq(P.attract(G([[5, 0, 2, 0, 2]]), 2), [[5, 2, 2, 0, 0]])
    # to their own colour, through other colours; with nothing of its colour in sight a cell stays,
    # or vanishes with remove_stray
    row = G([[3, 3, 0, 4, 4, 0, 3, 0, 7]])
    assert eq(P.attract(row, -1, 0), [[3, 3, 3, 4, 4, 0, 0, 0, 7]])
    assert eq(P.attract(row, -1, 0, remove_stray=True), [[3, 3, 3, 4, 4, 0, 0, 0, 0]])
    # diagonal flights only with `diagonal`
    d = G([[1, 0, 0], [0, 0, 0], [0, 0, 8]])
    assert P.attract(d, 1, diagonal=False) is None
    assert eq(P.attract(d, 1), [[0, 0, 0], [0, 1, 0], [0, 0, 8]])


def test_most_minor_selector_picks_the_box_with_most_dots():
    g = np.zeros((6, 9), np.uint8)
    g[0:3, 0:3] = 1
    g[1, 1] = 2
    g[0:4, 5:9] = 1
    g[0, 5] = g[2, 7] = 2  # two dots, though the other box has as many colours
    out = P.crop_object(g, "most_minor", 0, True, False)
    assert eq(out, g[0:4, 5:9])


def test_attract_with_trail_draws_lines_to_the_object_and_not_to_other_trails():
    g = np.zeros((6, 6), np.uint8)
    g[2:4, 2:4] = 3
    g[2, 5] = 1  # sees the block to its left
    g[5, 2] = 6  # below the block
    g[0, 5] = 4  # sees nothing (the trail of the 1 does not count): stays alone
    out = P.attract(g, -2, 0, trail=True, diagonal=False)
    want = g.copy()
    want[2, 4] = 1
    want[4, 2] = 6
    assert eq(out, want)


def attract_reference(grid, mover, bg=0, remove_stray=False, join=False, diagonal=True, trail=False):
    """attract() in plain Python loops (the kernel must match it cell for cell)."""
    b = P.resolve_bg(grid, bg)
    h, w = grid.shape
    if mover >= 0:
        loose = grid == mover
    else:
        loose = np.zeros((h, w), bool)
        for y in range(h):
            for x in range(w):
                loose[y, x] = grid[y, x] != b and all(
                    not (0 <= y + dy < h and 0 <= x + dx < w) or grid[y + dy, x + dx] != grid[y, x]
                    for dy, dx in P.DIRECTIONS8)
    if mover == b or not loose.any() or loose.sum() == (grid != b).sum() or loose.sum() > 40:
        return None
    out = grid.copy()
    out[loose] = b
    seen = out.copy() if trail else out

    def target(y, x, c):
        best = None
        for dy, dx in P.DIRECTIONS8 if diagonal else P.DIRECTIONS8[:4]:
            k = 1
            while 0 <= y + k * dy < h and 0 <= x + k * dx < w:
                v = seen[y + k * dy, x + k * dx]
                if v != b and (mover != -1 or v == c):
                    if best is None or k < best[0]:
                        best = (k, dy, dx, v)
                    break
                k += 1
        return best

    cells = [(y, x, grid[y, x]) for y in range(h) for x in range(w) if loose[y, x]]
    cells.sort(key=lambda yxc: (t[0] if (t := target(*yxc)) else h + w))
    for y, x, c in cells:
        best = target(y, x, c)
        if best is not None:
            k, dy, dx, v = best
            for j in range(0 if trail else k - 1, k):
                out[y + j * dy, x + j * dx] = v if join else c
        elif not remove_stray:
            out[y, x] = c
    return None if np.array_equal(out, grid) else out


def test_attract_kernel_against_plain_loops():
    rng = np.random.default_rng(7)
    compared = 0
    for _ in range(150):
        g = np.where(rng.random((8, 9)) < 0.8, 0, rng.integers(1, 4, (8, 9))).astype(np.uint8)
        g[2:4, 3:6] = int(rng.integers(1, 4))  # an object to fly to
        for mover in (-2, -1, 1):
            for flags in ((False, False, True, False), (True, True, False, False), (False, False, True, True),
                          (True, False, False, True)):
                remove_stray, join, diagonal, trail = flags
                got = P.attract(g, mover, 0, remove_stray, join, diagonal, trail)
                want = attract_reference(g, mover, 0, remove_stray, join, diagonal, trail)
                assert (got is None) == (want is None) and (got is None or eq(got, want)), (g, mover, flags)
                compared += want is not None
    assert compared > 300


def test_align_objects_by_hand():
    g = G([[2, 2, 0, 0, 0, 0],
           [0, 0, 0, 1, 0, 0],
           [0, 0, 0, 1, 0, 4],
           [0, 0, 0, 0, 0, 4]])
    assert eq(P.align_objects(g, 1, 0), [[0, 0, 0, 0, 0, 0],
                                         [2, 2, 0, 1, 0, 4],
                                         [0, 0, 0, 1, 0, 4],
                                         [0, 0, 0, 0, 0, 0]])  # every top on the 1's row
    assert P.align_objects(g, 7, 0) is None  # no anchor
    assert P.align_objects(G([[1, 0], [0, 0]]), 1, 0) is None  # nothing else to move


def test_shape_up_to_turning_matches_the_eight_turned_masks():
    """The key is the smallest encoding among the mask's 8 images (np.rot90 of it and of its transpose)."""
    from arc_solver.programs.objects import _canonical_shape
    rng = np.random.default_rng(2)
    for _ in range(50):
        g = (rng.random((int(rng.integers(1, 6)), int(rng.integers(1, 6)))) < 0.6).astype(np.uint8)
        g[0, 0] = 1
        keys = set()
        for d in range(8):
            o = P.Obj.from_patch(P.dihedral(g, d) > 0, P.dihedral(g, d), 1)
            keys.add(_canonical_shape(o))
        m = g > 0
        want = min(bytes(r.shape) + np.packbits(r).tobytes()
                   for r in (np.rot90(m if d < 4 else m.T, d % 4) for d in range(8)))
        assert keys == {want}


def _component_sizes(g: np.ndarray) -> dict:
    """(y, x) -> cells in its 4-connected one-colour component (plain breadth-first walk)."""
    h, w = g.shape
    size: dict = {}
    for start in np.ndindex(h, w):
        if g[start] == 0 or start in size:
            continue
        seen, todo = {start}, [start]
        while todo:
            y, x = todo.pop()
            for a, b in ((y + 1, x), (y - 1, x), (y, x + 1), (y, x - 1)):
                if 0 <= a < h and 0 <= b < w and (a, b) not in seen and g[a, b] == g[start]:
                    seen.add((a, b))
                    todo.append((a, b))
        size.update({c: len(seen) for c in seen})
    return size


def _halo_reference(g: np.ndarray, colour: int, diag: bool, min_size: int = 1) -> np.ndarray:
    h, w = g.shape
    out = g.copy()
    size = _component_sizes(g)
    for y, x in np.ndindex(h, w):
        if g[y, x] == 0:
            near = [(y + dy, x + dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1)
                    if (dy or dx) and (diag or not (dy and dx))]
            if any(0 <= a < h and 0 <= b < w and g[a, b] != 0 and size[a, b] >= min_size for a, b in near):
                out[y, x] = colour
    return out


@settings(max_examples=60, deadline=None)
@given(random_grids)
def test_halo_matches_reference(grid):
    sparse = np.where(grid == 1, 3, np.where(grid == 2, 5, 0)).astype(np.uint8)
    for diag in (True, False):
        for min_size in (1, 2, 3):  # min_size > 1: only objects of that many cells get a ring
            got = P.halo(sparse, 7, 0, diag, min_size)
            want = _halo_reference(sparse, 7, diag, min_size)
            assert np.array_equal(sparse if got is None else got, want)
            assert (got is None) == np.array_equal(want, sparse)


@settings(max_examples=60, deadline=None)
@given(random_grids)
def test_cached_selections_and_measures_equal_fresh_ones(grid):
    for diag, by_colour in ((False, True), (True, False)):
        cached = P.Objects(P.objects(grid, 0, diag, by_colour))
        for _ in range(2):  # the second round answers from the memo
            for name, _ in P.SELECTORS:
                fresh = P.select_object(grid, name, 0, diag, by_colour)
                got = P.select_object(grid, name, 0, diag, by_colour, cached)
                assert (fresh is None) == (got is None) and (fresh is None or fresh[1] == got[1])
        assert len(cached.picks) == len(P.SELECTORS) or not cached
        for o in cached:  # the once-computed measures, against their plain definitions
            cells = o.patch[o.mask]
            assert o.n_colours == len(set(cells.tolist()))
            assert o.minor_cells == int((cells != o.colour).sum())
            assert o.symmetric == bool((o.patch == o.patch[:, ::-1]).all() or (o.patch == o.patch[::-1]).all())


@settings(max_examples=60, deadline=None)
@given(random_grids)
def test_lazy_masks_and_patches_are_cut_from_the_grid_as_it_was(grid):
    labels, n = P.label(grid, 0, True, False)
    objs = P.objects(grid, 0, True, False)
    g = grid.copy()
    grid[:] = 9  # a primitive painting over the grid it took the objects from changes none of them
    assert len(objs) == n
    for k, o in enumerate(objs):
        ys, xs = np.nonzero(labels == k)
        assert (o.top, o.left, o.shape) == (ys.min(), xs.min(), (ys.max() - ys.min() + 1, xs.max() - xs.min() + 1))
        box = (slice(o.top, o.top + o.height), slice(o.left, o.left + o.width))
        assert np.array_equal(o.mask, labels[box] == k) and o.size == o.mask.sum()
        assert np.array_equal(o.patch, np.where(labels[box] == k, g[box], 0))


def test_most_of_colour_selector_against_plain_counts():
    rng = np.random.default_rng(5)
    for _ in range(30):
        g = np.zeros((11, 11), np.uint8)
        for top in (0, 4, 8):
            for left in (0, 4, 8):
                if rng.random() < 0.6:
                    g[top:top + 3, left:left + 3] = rng.choice([1, 2, 8], (3, 3), p=[0.2, 0.2, 0.6])
        objs = P.objects(g, 0, True, False)
        for c in (1, 2, 8):
            counts = [int((o.patch[o.mask] == c).sum()) for o in objs]
            best = [i for i, n in enumerate(counts) if n == max(counts, default=-1)]
            got = P.crop_object(g, f"most_of_{c}", 0, True, False)
            if len(best) == 1:
                assert eq(got, objs[best[0]].patch)
            else:
                assert got is None


def test_stretch_to_marker_against_a_box_drawn_to_size():
    rng = np.random.default_rng(11)

    def box(h, w):
        p = np.full((h, w), 2, np.uint8)
        p[1:-1, 1:-1] = 6
        return p

    for _ in range(40):
        h, w = rng.integers(3, 5, 2)
        g = np.zeros((16, 16), np.uint8)
        top, left = 6, 6
        g[top:top + h, left:left + w] = box(h, w)
        side = rng.integers(4)
        want = g.copy()
        if side == 0:  # below
            my, mx = rng.integers(top + h + 1, 16), left + rng.integers(w)
            want[top:my + 1, left:left + w] = box(my + 1 - top, w)
        elif side == 1:  # above
            my, mx = rng.integers(0, top - 1), left + rng.integers(w)
            want[my:top + h, left:left + w] = box(top + h - my, w)
        elif side == 2:  # right
            my, mx = top + rng.integers(h), rng.integers(left + w + 1, 16)
            want[top:top + h, left:mx + 1] = box(h, mx + 1 - left)
        else:  # left
            my, mx = top + rng.integers(h), rng.integers(0, left - 1)
            want[top:top + h, mx:left + w] = box(h, left + w - mx)
        g[my, mx] = 8
        assert eq(P.stretch_to_marker(g), want), (side, my, mx)
    g = np.zeros((9, 9), np.uint8)
    g[2:5, 2:5] = box(3, 3)
    g[8, 8] = 8  # beside no side of the box
    assert P.stretch_to_marker(g) is None


def test_mirror_across_brackets_against_a_plain_reflection():
    rng = np.random.default_rng(4)
    for _ in range(40):
        g = np.zeros((15, 15), np.uint8)
        g[3, 3:12] = 2  # a bracket opening downwards: its spine is row 3
        g[4, 3] = g[4, 11] = 2
        want = g.copy()
        piece = (rng.random((2, 3)) < 0.6).astype(np.uint8) * 5
        piece[0, 0] = 5
        top, left = int(rng.integers(0, 2)), int(rng.integers(4, 8))  # above the spine, level with it
        g[top:top + 2, left:left + 3] = np.maximum(g[top:top + 2, left:left + 3], piece)
        for y, x in zip(*np.nonzero(piece)):
            want[2 * 3 - (top + y), left + x] = 5
        if len(P.objects(g, 0, True, True)) != 2:
            continue  # the random piece fell apart
        assert eq(P.mirror_across_brackets(g, 2), want)
        assert eq(P.mirror_across_brackets(np.ascontiguousarray(g.T), 2), want.T)  # a column spine
    assert P.mirror_across_brackets(G([[5, 0, 0], [0, 0, 0]]), 2) is None  # no bracket


def test_gravity_to_own_wall_against_a_plain_slide():
    g = np.zeros((10, 8), np.uint8)
    g[0, :] = 4  # a wall of 4 on top, one of 3 at the bottom
    g[-1, :] = 3
    g[6:8, 1] = 4  # rises to rows 1-2
    g[2:4, 3] = 3  # falls to rows 7-8
    g[5, 5] = 2  # stays: no wall of its colour
    g[1, 5] = 3  # falls onto the 2 (row 4)
    want = g.copy()
    want[6:8, 1], want[1:3, 1] = 0, 4
    want[2:4, 3], want[7:9, 3] = 0, 3
    want[1, 5], want[4, 5] = 0, 3
    assert eq(P.gravity_to_own_wall(g), want)
    assert eq(P.gravity_to_own_wall(np.ascontiguousarray(g.T)), want.T)  # walls left and right
    assert P.gravity_to_own_wall(np.zeros((5, 5), np.uint8)) is None


@settings(max_examples=80, deadline=None)
@given(random_grids)
def test_remove_inside_boxes_matches_a_plain_reference(grid):
    g = np.where(grid % 3 == 0, 0, grid).astype(np.uint8)
    objs = P.objects(g, 0, True, True)
    cells = [[(o.top + y, o.left + x) for y, x in zip(*np.nonzero(o.mask))] for o in objs]
    box = [(min(y for y, _ in c), min(x for _, x in c), max(y for y, _ in c), max(x for _, x in c)) for c in cells]
    want = g.copy()
    for i, ci in enumerate(cells):
        if any(len(cj) > len(ci) and box[j][0] <= box[i][0] and box[j][1] <= box[i][1] and box[i][2] <= box[j][2]
               and box[i][3] <= box[j][3] for j, cj in enumerate(cells)):
            for y, x in ci:
                want[y, x] = 0
    got = P.remove_inside_boxes(g)
    assert (got is None and np.array_equal(want, g)) or eq(got, want)


def test_remove_inside_boxes_by_hand():
    g = G([[2, 2, 2, 2, 0, 0],
           [2, 0, 5, 0, 0, 0],
           [2, 0, 0, 2, 0, 6],
           [2, 2, 2, 2, 0, 6]])
    eq(P.remove_inside_boxes(g), G([[2, 2, 2, 2, 0, 0],
                                    [2, 0, 0, 0, 0, 0],
                                    [2, 0, 0, 2, 0, 6],
                                    [2, 2, 2, 2, 0, 6]]))


# the four images that swap a box's sides, as maps of (dy, dx) from the box's centre (numpy's rot90
# turns counter-clockwise)
_SIDE_SWAPS = {1: lambda dy, dx: (-dx, dy), 3: lambda dy, dx: (dx, -dy), 4: lambda dy, dx: (dx, dy),
               6: lambda dy, dx: (-dx, -dy)}


def test_turn_in_place_against_cells_turned_about_their_centre():
    rng = np.random.default_rng(8)
    for _ in range(30):
        g = np.zeros((20, 20), np.uint8)
        want = {d: np.zeros_like(g) for d in _SIDE_SWAPS}
        for k in range(3):  # three shapes in rows of their own, far from each other and from the edges
            h, w = rng.integers(1, 4) * 2 - 1, rng.integers(1, 4) * 2 - 1  # odd sides: a centre cell
            top, left = 6 * k + 1 + (5 - h) // 2, int(rng.integers(6, 9))
            shape = rng.random((h, w)) < 0.7
            shape[h // 2, :] = shape[:, w // 2] = True  # a plus through the centre, and what joins it
            labels, _ = P.label(shape.astype(np.uint8), 0, False, False)
            shape = labels == labels[h // 2, w // 2]
            g[top:top + h, left:left + w][shape] = rng.integers(1, 10, size=(h, w))[shape]
            cy, cx = top + h // 2, left + w // 2
            for d, turn in _SIDE_SWAPS.items():
                for y, x in zip(*np.nonzero(shape)):
                    ty, tx = turn(y - h // 2, x - w // 2)
                    want[d][cy + ty, cx + tx] = g[top + y, left + x]
        for d in _SIDE_SWAPS:
            got = P.turn_in_place(g, d)
            assert (got is None and np.array_equal(want[d], g)) or eq(got, want[d]), d


def test_turn_in_place_refuses_a_centre_between_cells_and_an_image_off_the_grid():
    bar = np.zeros((6, 6), np.uint8)
    bar[2, 1:3] = 4  # two cells lying: standing, its centre would fall between cells
    assert P.turn_in_place(bar, 1) is None
    edge = np.zeros((5, 5), np.uint8)
    edge[0, 1:4] = 3  # three cells along the top edge: standing, they would leave the grid
    assert P.turn_in_place(edge, 1) is None
    edge[0, 1:4] = 0
    edge[2, 1:4] = 3
    stood = np.zeros((5, 5), np.uint8)
    stood[1:4, 2] = 3
    assert eq(P.turn_in_place(edge, 1), stood)
