"""Jigsaw pieces: fit_together against a brute-force reference on rectangles cut in two, holes filled by the
piece of their shape."""
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from arc_solver import programs as P
from grid_helpers import G, eq


def tilings_reference(a_cells, a_col, b_cells, b_col):
    """Every distinct rectangle that two cell sets (lists of (y, x)) tile when the second is translated."""
    found = []
    for dy in range(-12, 13):
        for dx in range(-12, 13):
            cells = {c: a_col for c in a_cells}
            moved = [(y + dy, x + dx) for y, x in b_cells]
            if any(c in cells for c in moved):
                continue
            cells.update({c: b_col for c in moved})
            ys, xs = [y for y, _ in cells], [x for _, x in cells]
            top, left = min(ys), min(xs)
            h, w = max(ys) - top + 1, max(xs) - left + 1
            if h * w != len(cells):
                continue
            rect = np.zeros((h, w), np.uint8)
            for (y, x), c in cells.items():
                rect[y - top, x - left] = c
            if not any(np.array_equal(rect, f) for f in found):
                found.append(rect)
    return found


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 5), st.integers(2, 5), st.integers(0, 10_000))
def test_fit_together_matches_reference_on_cut_rectangles(h, w, seed):
    rng = np.random.default_rng(seed)
    cuts = np.sort(rng.integers(1, w, h))[::-1]  # a staircase: both sides stay connected
    rect = np.where(np.arange(w)[None, :] < cuts[:, None], 3, 6).astype(np.uint8)
    canvas = np.zeros((14, 14), np.uint8)
    a = [(int(y), int(x)) for y, x in zip(*np.nonzero(rect == 3))]
    b = [(int(y), int(x)) for y, x in zip(*np.nonzero(rect == 6))]
    for y, x in a:
        canvas[y, x] = 3
    for y, x in b:
        canvas[y + 8, x + 7] = 6  # far from the other piece
    expected = tilings_reference(a, 3, b, 6)
    assert any(np.array_equal(rect, f) for f in expected)  # the cut rectangle is one of the tilings
    got = P.fit_together(canvas)
    if len(expected) == 1:
        assert eq(got, expected[0])
    else:
        assert got is None  # two ways to fit: the grid does not say which


def test_fit_together_needs_two_pieces():
    assert P.fit_together(G([[1, 0, 2, 0, 3]])) is None
    assert P.fit_together(G([[1, 0, 0]])) is None
    # two pieces that make no rectangle
    assert P.fit_together(G([[1, 1, 0, 0], [0, 0, 0, 2], [0, 0, 2, 2]])) is None


def test_fill_holes_with_pieces():
    grid = G([[5, 5, 5, 5, 0, 0, 0],
              [5, 0, 0, 5, 0, 3, 3],
              [5, 5, 0, 5, 0, 0, 3],
              [5, 5, 5, 5, 0, 0, 0],
              [0, 0, 0, 0, 0, 4, 0],
              [2, 0, 2, 2, 0, 4, 0]])
    expected = G([[5, 5, 5, 5, 0, 0, 0],
                  [5, 3, 3, 5, 0, 0, 0],
                  [5, 5, 3, 5, 0, 0, 0],
                  [5, 5, 5, 5, 0, 0, 0],
                  [0, 0, 0, 0, 0, 4, 0],
                  [2, 0, 2, 2, 0, 4, 0]])
    assert eq(P.fill_holes_with_pieces(grid), expected)


def test_fill_holes_prefers_the_piece_of_a_colour_of_its_own():
    # two one-cell pieces fit the one-cell hole: the scattered colour (2) stays, the lone 7 goes
    grid = G([[5, 5, 5, 0, 2, 0],
              [5, 0, 5, 0, 0, 0],
              [5, 5, 5, 0, 7, 0],
              [0, 0, 0, 0, 0, 0],
              [2, 0, 0, 0, 0, 2]])
    out = P.fill_holes_with_pieces(grid)
    assert out is not None and out[1, 1] == 7 and out[2, 4] == 0
    assert (out == 2).sum() == 3


def test_fill_holes_with_pieces_none_when_nothing_moves():
    assert P.fill_holes_with_pieces(G([[1, 1], [1, 1]])) is None  # no hole
    ring = G([[5, 5, 5, 0, 0],
              [5, 0, 5, 0, 3],
              [5, 5, 5, 0, 3]])
    assert P.fill_holes_with_pieces(ring) is None  # the one piece is not the hole's shape


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 4), st.integers(0, 10_000))
def test_stack_on_anchor_against_a_direct_overlay(n, seed):
    # n pieces drawn around an anchor (colour 5) in disjoint parts of a 3x3 window, placed apart
    rng = np.random.default_rng(seed)
    owner = rng.integers(0, n, (3, 3))
    owner[1, 1] = -1
    expected = np.zeros((3, 3), np.uint8)
    canvas = np.zeros((6, 6 * n), np.uint8)
    for k in range(n):
        colour = 1 + k
        mask = owner == k
        expected[mask] = colour
        piece = np.where(mask, colour, 0).astype(np.uint8)
        piece[1, 1] = 5
        canvas[1:4, 6 * k + 1:6 * k + 4] = piece
    expected[1, 1] = 5
    rows, cols = np.nonzero(expected)
    expected = expected[rows.min():rows.max() + 1, cols.min():cols.max() + 1]
    # a piece may be the anchor alone, or hold cells that touch it only across a gap: it splits
    pieces = P.objects(canvas, 0, True, False)
    if len(pieces) != n:
        return
    assert eq(P.stack_on_anchor(canvas, 5), expected)


def test_stack_on_anchor_refuses_conflicts_and_missing_anchors():
    a = G([[1, 5, 0, 0, 0],
           [0, 0, 0, 5, 2]])
    assert eq(P.stack_on_anchor(a, 5), [[1, 5, 2]])
    clash = G([[1, 5, 0, 2, 5]])
    assert P.stack_on_anchor(clash, 5) is None  # 1 and 2 both left of the anchor
    assert P.stack_on_anchor(G([[1, 5, 0, 2, 0]]), 5) is None  # the 2 has no anchor


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 4), st.integers(2, 4), st.integers(0, 10_000))
def test_assemble_corners_puts_each_piece_back(h, w, seed):
    # a frame cut into its four corner pieces (each an L of full box edges), scattered in random order
    rng = np.random.default_rng(seed)
    colours = rng.permutation(np.arange(1, 10))[:4]
    frame = np.zeros((2 * h, 2 * w), np.uint8)
    frame[0, :], frame[-1, :], frame[:, 0], frame[:, -1] = 1, 1, 1, 1
    corners = [(vy, vx) for vy in (0, 1) for vx in (0, 1)]
    for (vy, vx), c in zip(corners, colours):
        block = frame[vy * h:(vy + 1) * h, vx * w:(vx + 1) * w]
        block[block > 0] = c
    canvas = np.zeros((2 * h + 3, 4 * w + 8), np.uint8)
    for k, i in enumerate(rng.permutation(4)):
        vy, vx = corners[i]
        canvas[(k % 2) * (h + 2):(k % 2) * (h + 2) + h, (k // 2) * (2 * w + 3):(k // 2) * (2 * w + 3) + w] = \
            frame[vy * h:(vy + 1) * h, vx * w:(vx + 1) * w]
    assert eq(P.assemble_corners(canvas), frame)


def test_assemble_corners_needs_four_distinct_corners():
    tl = G([[1, 1], [1, 0]])
    two_tl = np.zeros((6, 6), np.uint8)
    for y, x, c in ((0, 0, 1), (0, 4, 2), (4, 0, 3), (4, 4, 4)):
        two_tl[y:y + 2, x:x + 2] = tl * c
    assert P.assemble_corners(two_tl) is None  # four top-left corners
    assert P.assemble_corners(two_tl[:3]) is None  # two pieces


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 4), st.integers(0, 10_000))
def test_stack_colours_centred_against_nested_rings(n, seed):
    # n concentric rings of distinct colours, each moved to its own place in a big grid: stacked back
    rng = np.random.default_rng(seed)
    colours = rng.permutation(np.arange(1, 10))[:n]
    side = 2 * n + 1
    rings = np.zeros((side, side), np.uint8)
    for k, c in enumerate(colours):
        rings[k:side - k, k:side - k] = c
    canvas = np.zeros((side + 2, n * (side + 2)), np.uint8)
    for k, c in enumerate(colours):
        ys, xs = np.nonzero(rings == c)
        canvas[ys - k + 1, xs - k + 1 + k * (side + 2)] = c
    got = P.stack_colours_centred(canvas)
    assert eq(got, rings)
    assert P.stack_colours_centred(canvas[:, :side + 2]) is None  # one colour: nothing to stack


def test_stack_colours_centred_refuses_mixed_parity():
    g = G([[1, 1, 0, 2, 0],
           [1, 1, 0, 0, 0]])
    assert P.stack_colours_centred(g) is None  # a 2x2 and a 1x1 share no centre cell


def test_scale_into_frame():
    g = np.zeros((12, 12), np.uint8)
    g[0:6, 0:6] = 2
    g[1:5, 1:5] = 0  # a frame with a 4x4 inside
    g[8:10, 8:10] = [[3, 0], [3, 3]]
    expected = np.full((6, 6), 2, np.uint8)
    expected[1:5, 1:5] = np.kron(np.array([[3, 0], [3, 3]], np.uint8), np.ones((2, 2), np.uint8))
    assert eq(P.scale_into_frame(g), expected)
    g[8:10, 8:11] = [[3, 0, 3], [3, 3, 3]]  # 2x3 does not divide 4x4 evenly
    assert P.scale_into_frame(g) is None
