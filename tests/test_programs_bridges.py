"""Bars between facing objects: bridge against a per-cell reference on random rectangles, and by hand."""
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from arc_solver import programs as P
from grid_helpers import G, eq


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
