"""Colour primitives on hand-made grids."""
import numpy as np

from arc_solver import programs as P
from grid_helpers import G, eq


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


def test_line_majority_by_hand_and_along_the_stripes():
    g = G([[1, 1, 2, 1],
           [3, 3, 3, 4],
           [5, 6, 5, 5]])
    assert eq(P.line_majority(g, 0), [[1, 1, 1, 1], [3, 3, 3, 3], [5, 5, 5, 5]])
    stripes = G([[1, 2, 3], [1, 2, 3], [1, 7, 3], [4, 2, 3]])  # vertical stripes with two noisy cells
    assert eq(P.line_majority(stripes, -1), [[1, 2, 3]] * 4)
    assert P.line_majority(G([[1, 1], [2, 2]]), 0) is None  # nothing to change


def neighbour_reference(grid, colour, how):
    """Plain loops: flood each 4-connected group of `colour`, scan every other-colour cell for the
    nearest (in the group's rows or columns for 'aligned'; for 'consume', lone cells beside the group,
    and then every lone cell is erased)."""
    h, w = grid.shape
    out, seen = grid.copy(), np.zeros((h, w), bool)

    def lone(y, x):
        return all(not (0 <= y + dy < h and 0 <= x + dx < w) or grid[y + dy, x + dx] != grid[y, x]
                   for dy in (-1, 0, 1) for dx in (-1, 0, 1) if dy or dx)
    for y in range(h):
        for x in range(w):
            if grid[y, x] != colour or seen[y, x]:
                continue
            group, stack = [], [(y, x)]
            seen[y, x] = True
            while stack:
                cy, cx = stack.pop()
                group.append((cy, cx))
                for ny, nx in ((cy + 1, cx), (cy - 1, cx), (cy, cx + 1), (cy, cx - 1)):
                    if 0 <= ny < h and 0 <= nx < w and not seen[ny, nx] and grid[ny, nx] == colour:
                        seen[ny, nx] = True
                        stack.append((ny, nx))
            rows, cols = {gy for gy, _ in group}, {gx for _, gx in group}
            best, colours = None, set()
            for oy in range(h):
                for ox in range(w):
                    v = grid[oy, ox]
                    if v in (0, colour) or (how == "aligned" and oy not in rows and ox not in cols) \
                            or (how == "consume" and not lone(oy, ox)):
                        continue
                    d = min(abs(oy - gy) + abs(ox - gx) for gy, gx in group)
                    if best is None or d < best:
                        best, colours = d, {v}
                    elif d == best:
                        colours.add(v)
            if how == "consume" and best != 1:
                continue  # touches no marker: keeps its colour
            if len(colours) != 1:
                return None
            for gy, gx in group:
                out[gy, gx] = next(iter(colours))
    if how == "consume":
        for y in range(h):
            for x in range(w):
                if grid[y, x] not in (0, colour) and lone(y, x):
                    out[y, x] = 0
    return None if np.array_equal(out, grid) else out


def test_recolour_by_neighbour_against_plain_loops():
    g = G([[1, 0, 0, 0, 0, 2],
           [1, 5, 5, 0, 0, 2],
           [1, 0, 0, 0, 5, 2]])  # the left group is nearer to 1, the right cell to 2
    assert eq(P.recolour_by_neighbour(g, 5), [[1, 0, 0, 0, 0, 2], [1, 1, 1, 0, 0, 2], [1, 0, 0, 0, 2, 2]])
    assert P.recolour_by_neighbour(G([[1, 0, 5, 0, 2]]), 5) is None  # a tie
    # markers dissolve into the shapes they touch, and vanish; a shape touching none keeps its colour
    assert eq(P.recolour_by_neighbour(G([[3, 5, 5, 0, 5], [0, 0, 0, 0, 4], [2, 0, 0, 0, 0]]), 5, "consume"),
              [[0, 3, 3, 0, 4], [0, 0, 0, 0, 0], [0, 0, 0, 0, 0]])
    rng = np.random.default_rng(2)
    answered = 0
    for _ in range(300):
        grid = np.where(rng.random((7, 7)) < 0.7, 0, rng.integers(1, 4, (7, 7))).astype(np.uint8)
        grid[rng.random((7, 7)) < 0.15] = 5
        for how in P.NEIGHBOUR_MODES:
            got, want = P.recolour_by_neighbour(grid, 5, how), neighbour_reference(grid, 5, how)
            assert (got is None) == (want is None) and (got is None or eq(got, want)), (grid, how)
            answered += got is not None
    assert answered > 50


def test_keep_ranked_colour():
    g = G([[1, 1, 1, 0],
           [2, 2, 0, 4]])
    assert eq(P.keep_ranked_colour(g, -1), [[0, 0, 0, 0], [0, 0, 0, 4]])  # the odd one out
    assert eq(P.keep_ranked_colour(g, 0), [[1, 1, 1, 0], [0, 0, 0, 0]])
    assert P.keep_ranked_colour(G([[1, 2, 0]]), 0) is None  # a tie names no colour
    assert P.keep_ranked_colour(G([[1, 1, 0]]), 0) is None  # nothing else to remove


def _learn_colour_map_reference(pairs):
    mapping = {}
    for a, b in pairs:
        if a.shape != b.shape:
            return None
        for y in range(a.shape[0]):
            for x in range(a.shape[1]):
                if mapping.setdefault(int(a[y, x]), int(b[y, x])) != b[y, x]:
                    return None
    return np.array([mapping.get(c, c) for c in range(10)], np.uint8)


def test_learn_colour_map_against_cell_by_cell_reference():
    rng = np.random.default_rng(7)
    maps = 0
    for _ in range(300):
        pairs = []
        perm = rng.permutation(10).astype(np.uint8)
        for _ in range(int(rng.integers(1, 4))):
            a = rng.integers(0, 4, tuple(int(v) for v in rng.integers(1, 5, 2))).astype(np.uint8)
            b = perm[a] if rng.random() < 0.6 else rng.integers(0, 4, a.shape).astype(np.uint8)
            pairs.append((a, b if rng.random() < 0.95 else b[:1]))
        want, got = _learn_colour_map_reference(pairs), P.learn_colour_map(pairs)
        assert (want is None) == (got is None)
        if want is not None:
            maps += 1
            assert np.array_equal(got, want)
    assert maps > 100


def test_band_colours_against_a_plain_ring_walk():
    rng = np.random.default_rng(3)
    for _ in range(40):
        h, w = rng.integers(1, 10, 2)
        n_rings = (min(h, w) + 1) // 2
        ring_colours = rng.integers(0, 4, n_rings)
        g = np.zeros((h, w), np.uint8)
        for y in range(h):
            for x in range(w):
                g[y, x] = ring_colours[min(y, x, h - 1 - y, w - 1 - x)]
        order = []
        for c in ring_colours:
            if int(c) not in order:
                order.append(int(c))
        for how in ("reverse", "inward", "outward"):
            got = P.band_colours(g, how)
            if len(order) < 2:
                assert got is None
                continue
            k = len(order)
            step = {"inward": 1, "outward": -1}.get(how)
            want = g.copy()
            for y in range(h):
                for x in range(w):
                    i = order.index(int(g[y, x]))
                    want[y, x] = order[k - 1 - i] if how == "reverse" else order[(i + step) % k]
            assert eq(got, want), (how, ring_colours)
    assert P.band_colours(G([[1, 2, 1], [1, 1, 1], [1, 1, 1]]), "reverse") is None  # a ring of two colours


def test_recolour_like_odd_one():
    plus = G([[0, 1, 0], [1, 1, 1], [0, 1, 0]])
    g = np.zeros((12, 12), np.uint8)
    g[0:5, 0:5] = 5
    g[1:4, 1:4] = 0  # a frame
    g[1:4, 1:4] = plus * 2  # the template inside it
    g[7:10, 0:3] = plus  # a copy in another colour
    g[7:10, 6:9] = 1  # a 3x3 block of that colour: another shape
    want = g.copy()
    want[7:10, 0:3] = plus * 2
    assert eq(P.recolour_like_odd_one(g), want)
    # one odd colour each in two of the same shape, neither framed: nothing says which way
    pair = np.zeros((5, 9), np.uint8)
    pair[1:4, 0:3], pair[1:4, 6:9] = plus * 2, plus * 3
    assert P.recolour_like_odd_one(pair) is None
    # framed: the framed one decides
    pair2 = np.zeros((7, 12), np.uint8)
    pair2[0:5, 0:5] = 5
    pair2[1:4, 1:4] = plus * 2
    pair2[1:4, 8:11] = plus * 3
    want2 = pair2.copy()
    want2[1:4, 8:11] = plus * 2
    assert eq(P.recolour_like_odd_one(pair2), want2)


def _scatter_with_legend(rng, pairs, bg):
    """A 14x14 grid: the pairs as a solid legend block two columns wide at the top left, and lone cells
    (no two touching, none beside the legend) of random colours elsewhere."""
    g = np.full((14, 14), bg, np.uint8)
    for i, (a, b) in enumerate(pairs):
        g[i, 0], g[i, 1] = a, b
    colours = [c for c in range(10) if c != bg]
    for y in range(0, 14, 2):
        for x in range(4, 14, 2):
            if rng.random() < 0.5:
                g[y, x] = rng.choice(colours)
    return g


def test_recolour_by_legend_against_plain_substitutions():
    rng = np.random.default_rng(5)
    for _ in range(40):
        bg = int(rng.choice([0, 7]))
        colours = [c for c in range(10) if c != bg]
        sources = rng.choice(colours, size=3, replace=False)
        pairs = [(int(a), int(rng.choice([c for c in colours if c != a]))) for a in sources]
        g = _scatter_with_legend(rng, pairs, bg)
        found, mask = P.legend_pairs(g, 1, bg)
        assert found == pairs and mask.sum() == 2 * len(pairs) and mask[:len(pairs), :2].all()
        legend = np.zeros(g.shape, bool)
        legend[:len(pairs), :2] = True
        # plain references, cell by cell, the legend left alone
        chain, mapped, swapped = g.copy(), g.copy(), g.copy()
        table, trade = dict(pairs), {**{b: a for a, b in pairs}, **dict(pairs)}
        for y, x in zip(*np.nonzero(~legend)):
            c = int(g[y, x])
            for a, b in pairs:
                c = b if c == a else c
            chain[y, x] = c
            mapped[y, x] = table.get(int(g[y, x]), g[y, x])
            swapped[y, x] = trade.get(int(g[y, x]), g[y, x])
        for how, want in (("chain", chain), ("map", mapped), ("swap", swapped)):
            got = P.recolour_by_legend(g, 1, how, bg)
            if np.array_equal(want, g):
                assert got is None
            elif how == "swap" and len({v for p in pairs for v in p}) < 2 * len(pairs):
                pass  # a colour in two pairs: the trades may disagree, and then there is no answer
            else:
                assert eq(got, want), how
        # read the other way, the block is a legend no longer (three cells tall, not two)
        assert P.legend_pairs(g, 0, bg)[0] == [] and P.recolour_by_legend(g, 0, "map", bg) is None


def _text(*rows):
    return np.array([[0 if c == "." else int(c) for c in r] for r in rows], np.uint8)


def test_recolour_by_legend_refuses_disagreeing_pairs_and_grids_without_one():
    g = _text("12...", ".....", "13...", ".....", "1.1..")  # 1 -> 2 and 1 -> 3
    assert P.legend_pairs(g, 1)[0] == [(1, 2), (1, 3)]
    assert P.recolour_by_legend(g, 1, "map") is None
    assert eq(P.recolour_by_legend(g, 1, "chain"), _text("12...", ".....", "13...", ".....", "2.2.."))
    assert P.recolour_by_legend(_text("1.2", "...", "3.4"), 1, "map") is None
