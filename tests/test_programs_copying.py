"""A template pasted onto marker groups, against a plain loop."""
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from arc_solver import programs as P
from grid_helpers import G, eq


def test_paste_on_a_single_marker_and_on_a_box():
    g = G([[0, 2, 0, 0, 0, 0],
           [2, 2, 1, 0, 0, 0],
           [0, 1, 3, 0, 0, 0],
           [0, 0, 0, 0, 0, 0],
           [0, 0, 0, 0, 5, 0],
           [0, 0, 0, 0, 0, 0]])
    want = g.copy()
    want[3:6, 3:6] = g[0:3, 0:3]
    assert eq(P.paste_on_markers(g, 5), want)
    box = g.copy()
    box[4, 4] = 0
    box[3:6, 3:6] = 5  # a marker box the template's size is replaced by it
    assert eq(P.paste_on_markers(box, 5), want)
    assert P.paste_on_markers(g, 7) is None  # no marker
    two = g.copy()
    two[5, 0] = 4  # two templates
    assert P.paste_on_markers(two, 5) is None


def reference(grid, marker):
    """Plain loops: clear the markers, then for each marker group (8-connected, flood by hand) paste
    the template centred on the group's box."""
    h, w = grid.shape
    out = np.where(grid == marker, 0, grid)
    ty, tx = np.nonzero(out)
    top, left = ty.min(), tx.min()
    th, tw = ty.max() - top + 1, tx.max() - left + 1
    seen = np.zeros_like(grid, bool)
    for y in range(h):
        for x in range(w):
            if grid[y, x] != marker or seen[y, x]:
                continue
            stack, cells = [(y, x)], []
            seen[y, x] = True
            while stack:
                cy, cx = stack.pop()
                cells.append((cy, cx))
                for dy in (-1, 0, 1):
                    for dx in (-1, 0, 1):
                        ny, nx = cy + dy, cx + dx
                        if 0 <= ny < h and 0 <= nx < w and not seen[ny, nx] and grid[ny, nx] == marker:
                            seen[ny, nx] = True
                            stack.append((ny, nx))
            ys, xs = zip(*cells)
            if (max(ys) - min(ys) + 1 - th) % 2 or (max(xs) - min(xs) + 1 - tw) % 2:
                return None  # the centres cannot meet
            oy = min(ys) + (max(ys) - min(ys) + 1 - th) // 2
            ox = min(xs) + (max(xs) - min(xs) + 1 - tw) // 2
            for a, b in zip(ty, tx):
                y2, x2 = a - top + oy, b - left + ox
                if 0 <= y2 < h and 0 <= x2 < w:
                    out[y2, x2] = grid[a, b]
    return out


def test_paste_on_markers_against_plain_loops():
    rng = np.random.default_rng(1)
    checked = 0
    for _ in range(200):
        g = np.zeros((12, 12), np.uint8)
        t = rng.integers(1, 4, (3, 3)).astype(np.uint8)  # full 3x3: one 8-connected template
        g[:3, :3] = t
        for _ in range(int(rng.integers(1, 4))):
            y, x = (int(v) for v in rng.integers(4, 12, 2))
            g[y, x] = 5
        got, want = P.paste_on_markers(g, 5), reference(g, 5)
        assert (got is None) == (want is None) and (got is None or eq(got, want))
        checked += want is not None
    assert checked > 100  # most draws have no odd margin


def test_move_onto_markers_against_a_direct_placement():
    rng = np.random.default_rng(7)
    checked = 0
    for _ in range(150):
        # a 3x3 body of colour 8 with three tips of colours 1, 3, 4 on distinct border cells
        body = np.full((3, 3), 8, np.uint8)
        border = [(0, 0), (0, 1), (0, 2), (1, 0), (1, 2), (2, 0), (2, 1), (2, 2)]
        for k, i in enumerate(rng.permutation(8)[:3]):
            body[border[i]] = (1, 3, 4)[k]
        d = int(rng.integers(8))
        turned = P.dihedral(body, d)
        g = np.zeros((14, 14), np.uint8)
        g[1:4, 1:4] = body
        want = np.zeros_like(g)
        top, left = 8, 8
        want[top:top + 3, left:left + 3] = turned
        for y, x in zip(*np.nonzero(turned != 8)):
            g[top + y, left + x] = turned[y, x]
        # loose cells must not touch side by side, and the body's tips must say which turn it is
        if len(P.objects(g, 0, False, False)) != 4:
            continue
        turns = {P.dihedral(body, e).tobytes() for e in range(8)
                 if all(P.dihedral(body, e)[y, x] == turned[y, x] for y, x in zip(*np.nonzero(turned != 8)))}
        if len(turns) != 1:
            continue
        checked += 1
        assert eq(P.move_onto_markers(g), want), d
    assert checked > 20


def test_move_onto_markers_none_without_a_place():
    g = np.zeros((8, 8), np.uint8)
    g[1:3, 1:3] = [[8, 1], [8, 8]]
    assert P.move_onto_markers(g) is None  # no loose cell
    g[6, 6] = 2
    assert P.move_onto_markers(g) is None  # a loose cell of another colour


def test_paste_on_markers_leaves_a_separator_line_out_of_the_template():
    g = np.zeros((7, 9), np.uint8)
    g[:, 3] = 5  # a separator line, touching the template
    g[0:3, 0:3] = [[4, 2, 2], [2, 6, 2], [6, 4, 4]]
    g[4, 7] = 1
    want = g.copy()
    want[3:6, 6:9] = g[0:3, 0:3]
    assert eq(P.paste_on_markers(g, 1), want)


def test_repeat_towards_markers_against_a_plain_loop():
    rng = np.random.default_rng(9)
    checked = 0
    for _ in range(80):
        shape = rng.random((3, 3)) < 0.7
        shape[0, 0] = shape[2, 2] = shape[1, 1] = True  # spans its box; one 8-connected piece
        shape[0, 2] = shape[2, 0] = True
        g = np.zeros((20, 20), np.uint8)
        g[8:11, 8:11][shape] = 5
        want = g.copy()
        dy, dx = [(-1, 0), (1, 0), (0, -1), (0, 1), (1, 1), (-1, 1)][rng.integers(6)]
        gap = 1
        sy, sx = dy * (3 + gap), dx * (3 + gap)
        part = shape & (rng.random((3, 3)) < 0.5)
        if not part.any():
            continue
        ys, xs = np.nonzero(part)
        g[8 + sy + ys, 8 + sx + xs] = 2  # a marker: part of the first copy
        for k in range(1, 10):
            for y, x in zip(*np.nonzero(shape)):
                yy, xx = 8 + k * sy + y, 8 + k * sx + x
                if 0 <= yy < 20 and 0 <= xx < 20:
                    want[yy, xx] = 2
        if len(P.objects(g, 0, True, True)) != 2:
            continue  # the marker fell apart into pieces
        checked += 1
        assert eq(P.repeat_towards_markers(g, gap), want)
        assert P.repeat_towards_markers(g, 3) is None or not eq(P.repeat_towards_markers(g, 3), want)
    assert checked > 20


def test_complete_templates_against_direct_copies():
    plus = G([[0, 8, 0], [8, 6, 8], [0, 8, 0]])
    ex = G([[1, 0, 1], [0, 3, 0], [1, 0, 1]])
    g = np.zeros((16, 16), np.uint8)
    g[0:3, 0:3], g[0:3, 5:8] = plus, ex  # the templates
    want = g.copy()
    spots = [(6, 1, plus, [(1, 1)]),  # the 6 alone: once in its template
             (6, 9, plus, [(0, 1), (1, 0), (1, 2), (2, 1)]),  # the ring without its centre
             (11, 3, ex, [(0, 0), (2, 2)]),  # two corners across: one place only
             (11, 11, ex, [(1, 1)])]
    for top, left, t, cells in spots:
        want[top:top + 3, left:left + 3] = t
        for y, x in cells:
            g[top + y, left + x] = t[y, x]
    assert eq(P.complete_templates(g), want)
    lone8 = np.zeros((16, 16), np.uint8)
    lone8[0:3, 0:3] = plus
    lone8[10, 10] = 8  # one 8: four places in the plus would hold it
    assert P.complete_templates(lone8) is None
    side = np.zeros((16, 16), np.uint8)
    side[0:3, 0:3] = ex
    side[10, 10] = side[12, 10] = 1  # two corners one above the other: the left side or the right
    assert P.complete_templates(side) is None


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 7), st.integers(0, 10_000))
def test_complete_templates_with_turns_against_direct_copies(d, seed):
    # An L template of three colours; a turned (or mirrored) copy keeps its two-coloured stem and must get
    # its tip back, turned the same way: the direct copy of the turned template is the answer.
    rng = np.random.default_rng(seed)
    template = G([[4, 0, 0],
                  [4, 0, 0],
                  [4, 2, 3]])
    turned = P.dihedral(template, d)
    g = np.zeros((14, 14), np.uint8)
    g[0:3, 0:3] = template
    top, left = int(rng.integers(5, 11)), int(rng.integers(5, 11))
    want = g.copy()
    want[top:top + 3, left:left + 3] = turned
    part = np.where(turned == 3, 0, turned)  # the copy lacks the tip's 3
    g[top:top + 3, left:left + 3] = part
    assert eq(P.complete_templates(g, 0, True), want)
    assert P.complete_templates(g, 0, False) is None or d == 0  # unturned templates fit only the unturned copy


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 3), st.integers(0, 10_000))
def test_stamp_scaled_template_against_a_direct_kron(k, seed):
    # The template: a plus of 3s with its anchor 1 on the right arm's end. A copy k times larger keeps
    # only its anchor block and the block beside it, in colour 6; the answer is the scaled template there.
    rng = np.random.default_rng(seed)
    template = G([[0, 3, 0],
                  [3, 3, 1],
                  [0, 3, 0]])
    g = np.zeros((20, 20), np.uint8)
    g[0:3, 0:3] = template
    top, left = int(rng.integers(4, 20 - 3 * k)), int(rng.integers(4, 20 - 3 * k))
    big = np.kron(np.where(template == 3, 6, template), np.ones((k, k), np.uint8))
    want = g.copy()
    region = want[top:top + 3 * k, left:left + 3 * k]
    region[big > 0] = big[big > 0]
    g[top + k:top + 2 * k, left + k:left + 3 * k] = big[k:2 * k, k:3 * k]  # the anchor block and its neighbour
    assert eq(P.stamp_scaled_template(g), want)


def test_stamp_scaled_template_refuses_an_anchor_that_is_no_square():
    g = np.zeros((12, 12), np.uint8)
    g[0:3, 0:3] = G([[0, 3, 0], [3, 3, 1], [0, 3, 0]])
    g[6, 6:9] = [6, 1, 1]  # the anchor's colour as a 1 x 2 bar: no scale
    assert P.stamp_scaled_template(g) is None
