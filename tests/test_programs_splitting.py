"""Splitting by separator lines and halves, combining and selecting parts."""
import numpy as np

from arc_solver import programs as P
from grid_helpers import G, eq


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


def test_split_into_n_equal_parts_against_slicing():
    rng = np.random.default_rng(0)
    for _ in range(50):
        n = int(rng.integers(2, 5))
        h, k = (int(v) for v in rng.integers(1, 6, 2))
        g = rng.integers(0, 10, (h, n * k)).astype(np.uint8)
        parts = P.split(g, f"h{n}")
        assert len(parts) == n and all(eq(p, g[:, i * k:(i + 1) * k]) for i, p in enumerate(parts))
        assert all(eq(p, g.T[i * k:(i + 1) * k]) for i, p in enumerate(P.split(g.T, f"v{n}")))
    assert P.split(G([[1, 2, 3, 4]]), "h3") is None  # 3 does not divide 4


def test_split_into_corner_windows_folds_a_picture():
    g = G([[0, 8, 0, 0, 0, 8, 0],
           [8, 8, 0, 0, 0, 8, 8],
           [0, 0, 0, 0, 0, 0, 0],
           [8, 8, 0, 0, 0, 8, 8],
           [0, 8, 0, 0, 0, 8, 0]])
    parts = P.split(g, "c3x3")
    assert [p.shape for p in parts] == [(3, 3)] * 4
    assert eq(parts[0], g[:3, :3]) and eq(parts[1], g[:3, 4:]) and eq(parts[2], g[2:, :3]) and eq(parts[3], g[2:, 4:])
    assert eq(P.overlay_parts(g, False, "c3x3"), [[0, 8, 0], [8, 8, 8], [0, 8, 0]])  # the corners folded together
    assert P.split(g, "c6x3") is None and P.split(g, "c5x7") is None  # too tall; the whole grid
    assert P.split(g, "c1x1") is None  # four cells of 35 are no fold


def test_select_part_first_last_and_odd_colours():
    g = G([[1, 2, 2, 1, 1, 2]])  # thirds: [1 2] [2 1] [1 2]
    assert eq(P.select_part(g, "first", "h3"), [[1, 2]]) and eq(P.select_part(g, "last", "h3"), [[1, 2]])
    assert eq(P.select_part(g, "unique", "h3"), [[2, 1]])
    parts = G([[1, 1, 0, 3, 1, 0, 1, 0],
               [1, 0, 0, 1, 1, 0, 1, 1]])  # the middle part alone uses colour 3
    assert eq(P.select_part(parts, "unique_colours"), [[3, 1], [1, 1]])


def test_split_into_a_grid_of_parts_against_slicing():
    rng = np.random.default_rng(1)
    for _ in range(50):
        n = int(rng.integers(2, 4))
        ky, kx = (int(v) for v in rng.integers(1, 5, 2))
        g = rng.integers(0, 10, (n * ky, n * kx)).astype(np.uint8)
        parts = P.split(g, f"g{n}")
        want = [g[i * ky:(i + 1) * ky, j * kx:(j + 1) * kx] for i in range(n) for j in range(n)]
        assert len(parts) == n * n and all(eq(p, w) for p, w in zip(parts, want))
    assert P.split(G([[1, 2, 3], [4, 5, 6]]), "g2") is None  # 2 does not divide 3


def test_odd_symmetry_part_and_the_only_filled_part():
    sym = G([[1, 0, 1], [2, 2, 2], [1, 0, 1]])
    odd = G([[1, 2, 0], [1, 2, 0], [0, 0, 3]])
    g = np.concatenate([sym, odd, sym[::-1]])  # thirds stacked: only the middle one has no mirror symmetry
    assert P.symmetries(sym) == (True, True, False, False) and not any(P.symmetries(odd))
    assert eq(P.select_part(g, "odd_symmetry", "v3"), odd)
    assert P.select_part(np.concatenate([sym, sym, sym]), "odd_symmetry", "v3") is None
    big = np.zeros((9, 6), np.uint8)
    big[3:6, 2:4] = [[0, 4], [4, 4], [0, 4]]
    assert eq(P.only_filled_part(big, 3), big[3:6, 2:4])
    big[0, 0] = 1  # a second part with content: no single answer
    assert P.only_filled_part(big, 3) is None


def overlay_reference(grid, beats, mode, bg):
    """Cell by cell: the colour among those the parts put there that beats every other one."""
    parts = P.split(grid, mode)
    out = np.full_like(parts[0], bg)
    for y in range(out.shape[0]):
        for x in range(out.shape[1]):
            here = {int(p[y, x]) for p in parts} - {bg}
            winners = [c for c in here if all(beats[c, d] for d in here if d != c)]
            if here and len(winners) != 1:
                return None
            if here:
                out[y, x] = winners[0]
    return out


def test_overlay_by_precedence_against_a_cell_loop():
    rng = np.random.default_rng(2)
    order = [5, 6, 9, 4]  # 5 beats everything, then 6, ...
    beats = np.zeros((10, 10), bool)
    for i, a in enumerate(order):
        for b in order[i + 1:]:
            beats[a, b] = True
    for trial in range(60):
        parts = [np.where(rng.random((4, 5)) < 0.4, c, 0).astype(np.uint8) for c in order]
        if trial % 3 == 0:
            parts[1][0, 0] = 7  # a colour with no precedence: a cell where it meets another has no winner
            parts[0][0, 0] = 5
        grid = np.concatenate([np.concatenate(parts[:2], 1), np.concatenate(parts[2:], 1)])
        got, want = P.overlay_by_precedence(grid, beats, "g2"), overlay_reference(grid, beats, "g2", 0)
        assert (got is None) == (want is None) and (got is None or eq(got, want))
        assert (trial % 3 == 0) == (got is None)


def test_mask_by_key_scales_the_key_up_to_the_mask():
    g = np.zeros((9, 9), np.uint8)
    g[0:2, 0:2] = [[2, 4], [1, 6]]  # the key, beyond a separator line of 8s
    g[2, :] = 8
    g[:, 2] = 8
    pattern = np.array([[1, 0, 1, 0, 0, 1], [0, 1, 0, 1, 1, 0], [1, 1, 1, 0, 0, 0],
                        [0, 0, 0, 1, 1, 1], [1, 0, 0, 0, 1, 0], [0, 1, 1, 1, 0, 1]], bool)
    g[3:9, 3:9] = np.where(pattern, 3, 0)
    key_up = np.repeat(np.repeat(np.array([[2, 4], [1, 6]]), 3, 0), 3, 1)
    assert eq(P.mask_by_key(g), np.where(pattern, key_up, 0))
    # the mask scaled down to the key instead: a 3x3 block is set when most of its cells are
    down = [[pattern[y:y + 3, x:x + 3].mean() > 0.5 for x in (0, 3)] for y in (0, 3)]
    assert eq(P.mask_by_key(g, at_key_size=True), np.where(down, [[2, 4], [1, 6]], 0))


def test_mask_by_key_reads_objects_and_refuses_what_does_not_divide():
    g = np.zeros((12, 12), np.uint8)
    g[0:4, 0:4] = 5
    g[4:8, 4:8] = 5  # touching diagonally: one mask object, 8x8, a 2x2 checker of 4x4 blocks
    g[10, 9:11] = [7, 8]
    g[11, 9:11] = [9, 1]
    assert eq(P.mask_by_key(g, at_key_size=True), [[7, 0], [0, 1]])
    odd = g.copy()
    odd[10:12, 9:12] = [[7, 8, 2], [9, 1, 3]]  # a 2x3 key does not divide the 8x8 mask
    assert P.mask_by_key(odd, at_key_size=True) is None
    assert P.mask_by_key(np.where(g == 5, 5, 0).astype(np.uint8)) is None  # no key


def test_kron_by_key_puts_the_mask_in_each_key_cell_colour():
    key = G([[2, 0, 4], [0, 3, 0], [0, 0, 0]])
    mask = G([[8, 0, 0], [8, 8, 8], [0, 8, 0]])
    g = np.concatenate([key, mask], axis=1)
    out = P.kron_by_key(g, "h2")
    assert out.shape == (9, 9)
    for ky in range(3):
        for kx in range(3):
            for my in range(3):
                for mx in range(3):
                    want = key[ky, kx] if key[ky, kx] and mask[my, mx] else 0
                    assert out[ky * 3 + my, kx * 3 + mx] == want
    assert eq(P.kron_by_key(np.concatenate([mask, key], axis=1), "h2"), out)  # either side may be the key
    assert P.kron_by_key(np.concatenate([key, key], axis=1), "h2") is None  # no one-colour mask


def _separator_lines_reference(grid):
    """Every colour tried in turn (the same preference order as separator_lines)."""
    from arc_solver.programs.splitting import false_runs
    bg, best = P.most_common(grid), None
    for c in range(10):
        rows, cols = (grid == c).all(axis=1), (grid == c).all(axis=0)
        rr, cc = false_runs(rows), false_runs(cols)
        if (not rows.any() and not cols.any()) or len(rr) * len(cc) < 2:
            continue
        only_lines = not ((grid == c) & ~rows[:, None] & ~cols[None, :]).any()
        equal = len({b - a for a, b in rr}) == 1 and len({b - a for a, b in cc}) == 1
        key = (only_lines, equal, c != bg, int(rows.sum() + cols.sum()))
        if best is None or key > best[0]:
            best = (key, c, rows, cols)
    return None if best is None else best[1:]


def test_separator_lines_against_every_colour_tried():
    rng = np.random.default_rng(9)
    found = 0
    for _ in range(400):
        g = rng.integers(0, 3, tuple(int(v) for v in rng.integers(2, 9, 2))).astype(np.uint8)
        for _ in range(int(rng.integers(0, 3))):  # planted full lines of some colour
            c = int(rng.integers(0, 10))
            if rng.random() < 0.5:
                g[int(rng.integers(0, g.shape[0]))] = c
            else:
                g[:, int(rng.integers(0, g.shape[1]))] = c
        want, got = _separator_lines_reference(g), P.separator_lines(g)
        assert (want is None) == (got is None)
        if want is not None:
            found += 1
            assert want[0] == got[0] and np.array_equal(want[1], got[1]) and np.array_equal(want[2], got[2])
    assert found > 50


def test_part_counts_counts_each_cells_dots():
    g = G([[6, 0, 8, 0, 0, 8, 6, 6],
           [0, 6, 8, 0, 0, 8, 0, 6],
           [8, 8, 8, 8, 8, 8, 8, 8],
           [0, 0, 8, 0, 6, 8, 0, 0],
           [0, 0, 8, 0, 0, 8, 0, 0]])
    assert eq(P.part_counts(g), [[2, 0, 3], [0, 1, 0]])
    assert P.part_counts(G([[1, 2], [3, 4]])) is None  # no separator lines
    full = np.full((5, 5), 4, np.uint8)
    full[2] = 8
    full[:, 2] = 8
    full[0, 0] = 0  # the cells' own background is their most common colour, 4 here
    assert eq(P.part_counts(full), [[1, 0], [0, 0]])


def test_split_long2_halves_the_longer_side():
    rng = np.random.default_rng(2)
    for _ in range(20):
        h, w = rng.integers(1, 9, 2)
        g = rng.integers(0, 5, (h, w)).astype(np.uint8)
        got = P.split(g, "long2")
        if h == w:
            assert got is None
            continue
        want = P.split(g, "h2" if w > h else "v2")
        assert (got is None) == (want is None)
        if got is not None:
            assert all(np.array_equal(a, b) for a, b in zip(got, want))
            assert got[0].shape == ((h, w // 2) if w > h else (h // 2, w))


def _lattice(rng, rows, cols, h, w):
    """A grid of rows x cols parts of h x w random cells (colours 0-4) between separator lines of 5, and
    the parts' boxes in reading order."""
    g = np.full((rows * (h + 1) - 1, cols * (w + 1) - 1), 5, np.uint8)
    boxes = []
    for i in range(rows):
        for j in range(cols):
            t, l = i * (h + 1), j * (w + 1)
            g[t:t + h, l:l + w] = np.where(rng.random((h, w)) < 0.5, rng.integers(1, 5, (h, w)), 0)
            boxes.append((t, t + h, l, l + w))
    return g, boxes


def test_spread_part_paints_each_part_with_the_chosen_parts_cell():
    rng = np.random.default_rng(1)
    for _ in range(20):
        rows, cols = int(rng.integers(2, 5)), int(rng.integers(2, 5))
        g, boxes = _lattice(rng, rows, cols, rows, cols)
        want = g.copy()
        first = g[boxes[0][0]:boxes[0][1], boxes[0][2]:boxes[0][3]].copy()
        for k, (t, b, l, r) in enumerate(boxes):
            want[t:b, l:r] = first[k // cols, k % cols]
        assert eq(P.spread_part(g, "first"), want)
        g2, _ = _lattice(rng, rows, cols, rows + 1, cols)  # parts not rows x cols cells: no answer
        assert P.spread_part(g2, "first") is None


def test_part_to_marker_moves_the_marked_part_to_the_marks_place():
    rng = np.random.default_rng(2)
    for _ in range(20):
        rows, cols = int(rng.integers(2, 4)), int(rng.integers(2, 4))
        h, w = rows * int(rng.integers(1, 3)), cols * int(rng.integers(1, 3))
        g, boxes = _lattice(rng, rows, cols, h, w)
        k = int(rng.integers(len(boxes)))
        t, b, l, r = boxes[k]
        y, x = int(rng.integers(h)), int(rng.integers(w))
        g[t + y, l + x] = 9
        g[t + (y + 1) % h, l] = 5  # the separators' colour inside the part: noise, not copied
        part = np.where(g[t:b, l:r] == 5, 0, g[t:b, l:r])
        want = g.copy()
        for t2, b2, l2, r2 in boxes:
            want[t2:b2, l2:r2] = 0
        t2, b2, l2, r2 = boxes[(y * rows // h) * cols + x * cols // w]
        want[t2:b2, l2:r2] = part
        assert eq(P.part_to_marker(g, 9), want)
        t, b, l, r = boxes[(k + 1) % len(boxes)]
        g[t, l] = 9  # a second part with the marker: no answer
        assert P.part_to_marker(g, 9) is None


def test_split_into_objects_and_overlay_cards_on_their_own_base():
    # three 3x3 cards of colour 3 on a table of 2, each with its own marks, in scrambled places
    g = np.full((12, 13), 2, np.uint8)
    cards = [(6, 1), (1, 8), (0, 2)]  # (top, left); reading order: (0, 2), (1, 8), (6, 1)
    marks = [{(0, 0): 6}, {(1, 1): 1, (2, 2): 4}, {(2, 0): 6, (0, 2): 9}]
    for (y, x), m in zip(cards, marks):
        g[y:y + 3, x:x + 3] = 3
        for (dy, dx), c in m.items():
            g[y + dy, x + dx] = c
    parts = P.split(g, "obj")
    assert [p.shape for p in parts] == [(3, 3)] * 3
    assert [int(p[p != 3][0]) for p in parts] == [9, 1, 6]  # reading order of the boxes
    # each card's own colour is the one seen through; the first card's marks lie on top
    stack = parts[::-1]
    want = np.full((3, 3), 3, np.uint8)
    for p in stack:
        want = np.where(p != 3, p, want)
    assert eq(P.overlay_parts(g, False, "obj", own_base=True), want)
    assert eq(P.overlay_parts(g, False, "obj"), parts[0])  # background 0: the whole first card on top
    assert P.split(np.full((4, 4), 2, np.uint8), "obj") is None  # no object
    many = np.zeros((9, 9), np.uint8)
    many[::2, ::2] = 5  # 25 single cells: scattered things, not cards
    assert P.split(many, "obj") is None


def test_broadcast_part_into_the_marked_parts_only():
    # a 3 x 3 lattice of 3x3 parts (separators of 0): one pattern, two parts marked by a centre dot of
    # 0, the rest plain 7
    g = np.zeros((11, 11), np.uint8)
    tops = [0, 4, 8]
    for y in tops:
        for x in tops:
            g[y:y + 3, x:x + 3] = 7
    pattern = G([[7, 9, 9], [7, 9, 7], [9, 9, 7]])
    g[0:3, 4:7] = pattern
    g[5, 1] = g[9, 9] = 0
    want = g.copy()
    want[4:7, 0:3] = want[8:11, 8:11] = pattern
    assert eq(P.broadcast_part(g, "unique", marked=True), want)
    everywhere = g.copy()
    for y in tops:
        for x in tops:
            everywhere[y:y + 3, x:x + 3] = pattern
    assert eq(P.broadcast_part(g, "unique"), everywhere)
    g[5, 1] = g[9, 9] = 7  # no marks: nothing to copy into
    assert P.broadcast_part(g, "most_colours", marked=True) is None
    # as many dotted parts as plain ones (4 each): the first in reading order, dotted, counts as the
    # commonest, so the copies go into the plain parts
    g[[1, 1, 5, 9], [9, 1, 9, 1]] = 0
    want = g.copy()
    for y, x in ((4, 0), (4, 4), (8, 4), (8, 8)):
        want[y:y + 3, x:x + 3] = pattern
    assert eq(P.broadcast_part(g, "unique", marked=True), want)
