"""Colour primitives: keep / remove a colour, ranked colours, recolouring, learned colour maps.

    .venv/bin/python -m pytest tests/test_programs_colour.py -q
"""
from __future__ import annotations

import numpy as np
from numba import njit

from .base import as_grid, colour_counts, resolve_bg, same_neighbours
from .fills import enclosed
from .objects import objects


def keep_colour(grid: np.ndarray, colour: int, bg: int = 0) -> np.ndarray:
    bg = resolve_bg(grid, bg)
    return np.where(grid == colour, grid, np.uint8(bg)).astype(np.uint8)


def remove_colour(grid: np.ndarray, colour: int, bg: int = 0) -> np.ndarray:
    bg = resolve_bg(grid, bg)
    return np.where(grid == colour, np.uint8(bg), grid).astype(np.uint8)


def ranked_colour(grid: np.ndarray, rank: int, bg: int = 0) -> int | None:
    """Non-background colour by frequency: rank 0 = most common, -1 = least common; None on a tie."""
    bg = resolve_bg(grid, bg)
    counts = colour_counts(grid)
    present = [(int(counts[c]), c) for c in range(10) if counts[c] and c != bg]
    if not present:
        return None
    present.sort(reverse=True)
    i = rank if rank >= 0 else len(present) + rank
    if not 0 <= i < len(present):
        return None
    if (i > 0 and present[i - 1][0] == present[i][0]) or (i + 1 < len(present) and present[i + 1][0] == present[i][0]):
        return None  # ambiguous
    return present[i][1]


def colour_pixel(grid: np.ndarray, rank: int, bg: int = 0) -> np.ndarray | None:
    """A 1x1 grid holding the rank-th most common non-background colour."""
    c = ranked_colour(grid, rank, bg)
    return None if c is None else np.full((1, 1), c, np.uint8)


def keep_ranked_colour(grid: np.ndarray, rank: int, bg: int = 0) -> np.ndarray | None:
    """Only the cells of the rank-th most common non-background colour stay (-1: the rarest, the odd
    one out among noise)."""
    c = ranked_colour(grid, rank, bg)
    if c is None:
        return None
    b = resolve_bg(grid, bg)
    out = np.where(grid == c, grid, np.uint8(b)).astype(np.uint8)
    return None if np.array_equal(out, grid) else out


def recolour_nonbg(grid: np.ndarray, rank: int, bg: int = 0) -> np.ndarray | None:
    """Paint every non-background cell with the grid's rank-th most common non-background colour."""
    c = ranked_colour(grid, rank, bg)
    if c is None:
        return None
    bg = resolve_bg(grid, bg)
    return np.where(grid != bg, np.uint8(c), grid).astype(np.uint8)


def apply_colour_map(grid: np.ndarray, mapping: np.ndarray) -> np.ndarray:
    """mapping: uint8[10], colour c -> mapping[c]."""
    return mapping[grid]


@njit(cache=True)
def _pair_colours(a, b, to):
    """Record in `to` (to[c] = -1: unseen) the colour each colour of a becomes in b; False at the first
    colour that would become two."""
    fa, fb = a.ravel(), b.ravel()
    for i in range(fa.size):
        c, d = fa[i], fb[i]
        if to[c] < 0:
            to[c] = d
        elif to[c] != d:
            return False
    return True


def learn_colour_map(pairs) -> np.ndarray | None:
    """The single colour map taking each input to its output, cell by cell, or None.
    Colours never seen map to themselves."""
    to = np.full(10, -1, np.int64)
    for a, b in pairs:
        if a.shape != b.shape or not _pair_colours(as_grid(a), as_grid(b), to):
            return None
    return np.where(to >= 0, to, np.arange(10)).astype(np.uint8)


def line_majority(grid: np.ndarray, axis: int) -> np.ndarray | None:
    """Every row (axis 0) or column (axis 1) painted its most common colour (noise on stripes);
    axis -1: along whichever of the two changes fewer cells (the way the stripes run)."""
    if axis == -1:
        got = [r for r in (line_majority(grid, 0), line_majority(grid, 1)) if r is not None]
        return min(got, key=lambda r: int((r != grid).sum())) if got else None
    g = grid if axis == 0 else grid.T
    counts = (g[:, :, None] == np.arange(10)[None, None, :]).sum(axis=1)
    out = np.repeat(counts.argmax(axis=1).astype(np.uint8)[:, None], g.shape[1], axis=1)
    out = out if axis == 0 else out.T
    return None if np.array_equal(out, grid) else np.ascontiguousarray(out)


NEIGHBOUR_MODES = ("nearest", "aligned", "consume")


def recolour_by_neighbour(grid: np.ndarray, colour: int, how: str = "nearest", bg: int = 0) -> np.ndarray | None:
    """Each 4-connected object of `colour` takes the colour of its nearest cell of another colour
    ('nearest', by city-block distance), or of the nearest one in its rows or columns ('aligned'), or
    of the marker cells touching its side ('consume': markers are lone cells of other colours; they
    dissolve into the shapes they touch, and every marker vanishes; an object touching none keeps its
    colour). None when an object has no such cell (with 'consume': when its markers disagree) or its
    nearest ones disagree."""
    b = resolve_bg(grid, bg)
    if colour == b:
        return None
    others = (grid != b) & (grid != colour)
    if how == "consume":  # only lone cells are markers
        others &= same_neighbours(grid) == 0
    oy, ox = np.nonzero(others)
    if len(oy) == 0:
        return None
    out = grid.copy()
    for o in objects(keep_colour(grid, colour, b), b, False, True):
        ys, xs = np.nonzero(o.mask)
        ys, xs = ys + o.top, xs + o.left
        # distance from every other-colour cell to the object: min over the object's cells
        dist = (np.abs(oy[:, None] - ys[None, :]) + np.abs(ox[:, None] - xs[None, :])).min(axis=1)
        if how == "aligned":
            in_rows = (oy >= o.top) & (oy < o.top + o.shape[0])
            in_cols = (ox >= o.left) & (ox < o.left + o.shape[1])
            dist = np.where(in_rows | in_cols, dist, np.iinfo(dist.dtype).max)
            if not (in_rows | in_cols).any():
                return None
        if how == "consume" and dist.min() > 1:
            continue
        near = np.unique(grid[oy[dist == dist.min()], ox[dist == dist.min()]])
        if len(near) != 1:
            return None
        out[ys, xs] = near[0]
    if how == "consume":
        out[others] = b
    return None if np.array_equal(out, grid) else out


def band_colours(grid: np.ndarray, how: str) -> np.ndarray | None:
    """A grid of concentric rectangular bands (every ring of cells at one distance from the edge is one
    colour): its colours, listed from the outside in, permuted: `reverse` (the outermost colour trades
    with the innermost), `inward` (each colour takes the place of the next one in), `outward`. None when
    a ring holds two colours or there are fewer than two colours."""
    g = as_grid(grid)
    h, w = g.shape
    ys, xs = np.indices((h, w))
    ring = np.minimum(np.minimum(ys, xs), np.minimum(h - 1 - ys, w - 1 - xs))
    order: list[int] = []
    for r in range(int(ring.max()) + 1):
        cols = np.unique(g[ring == r])
        if len(cols) != 1:
            return None
        if int(cols[0]) not in order:
            order.append(int(cols[0]))
    k = len(order)
    if k < 2:
        return None
    table = np.arange(10, dtype=np.uint8)
    for i, c in enumerate(order):
        j = k - 1 - i if how == "reverse" else (i + 1) % k if how == "inward" else (i - 1) % k
        table[c] = order[j]
    return table[g]


def recolour_like_odd_one(grid: np.ndarray, bg: int = 0) -> np.ndarray | None:
    """Among objects of one shape (8-connected, one colour each), when exactly one has a colour the
    others of that shape lack (or, of two such, exactly one lies inside a frame), they all take its
    colour ("every copy of the framed shape turns its colour"). None when no object changes."""
    g = as_grid(grid)
    b = resolve_bg(g, bg)
    groups: dict[bytes, list] = {}
    for o in objects(g, b, True, True):
        groups.setdefault(o.shape_key(), []).append(o)
    out = g.copy()
    for same in groups.values():
        counts = np.bincount([o.colour for o in same], minlength=10)
        odd = [o for o in same if counts[o.colour] == 1]
        if len(odd) == 2:  # two colours once each: the one inside a frame shows the way
            odd = [o for o in odd if _inside_frame(g, o, b)]
        if len(same) < 2 or len(odd) != 1 or np.count_nonzero(counts) != 2:
            continue
        c = odd[0].colour
        for o in same:
            out[o.top:o.top + o.height, o.left:o.left + o.width][o.mask] = c
    return None if np.array_equal(out, g) else out


def _inside_frame(g: np.ndarray, o, b: int) -> bool:
    """Whether the object, were it gone, would leave a hole: it lies inside some frame."""
    rest = g.copy()
    rest[o.top:o.top + o.height, o.left:o.left + o.width][o.mask] = b
    ys, xs = np.nonzero(o.mask)
    return bool(enclosed(rest, b)[o.top + ys[0], o.left + xs[0]])


LEGEND_MODES = ("map", "swap", "chain")


def legend_pairs(grid: np.ndarray, axis: int, bg: int = 0) -> tuple[list[tuple[int, int]], np.ndarray]:
    """A legend written into the grid: every solid block two cells wide (axis=1; each row a pair, left
    colour then right) or two cells tall (axis=0; each column a pair, top then bottom) whose two colours
    differ in every pair. Returns the pairs in reading order and the mask of the legend's cells."""
    g = as_grid(grid)
    b = resolve_bg(g, bg)
    pairs: list[tuple[int, int]] = []
    mask = np.zeros(g.shape, bool)
    for o in objects(g, b, False, False):
        across = o.width if axis == 1 else o.height  # a pair's two cells lie across the legend
        if o.size != o.height * o.width or across != 2:
            continue
        box = o.patch if axis == 1 else o.patch.T
        if (box[:, 0] == box[:, 1]).any():
            continue
        pairs += [(int(x), int(y)) for x, y in box]
        mask[o.top:o.top + o.height, o.left:o.left + o.width] = True
    return pairs, mask


def recolour_by_legend(grid: np.ndarray, axis: int, how: str = "map", bg: int = 0) -> np.ndarray | None:
    """Every cell outside the grid's legend (legend_pairs) recoloured by it: each pair (a, b) turns a
    into b ('map'), or a and b trade ('swap'), or the pairs are applied one after another in reading
    order, so that a cell may pass through several ('chain': 1->4 then 4->6 makes a 1 a 6). The legend
    stays. None without a legend, when two pairs disagree ('map', 'swap'), or when nothing changes."""
    g = as_grid(grid)
    pairs, mask = legend_pairs(g, axis, bg)
    if not pairs or mask.all():
        return None
    out = g.copy()
    free = ~mask
    if how == "chain":
        for a, b in pairs:
            out[free & (out == a)] = b
    else:
        table = np.arange(10, dtype=np.uint8)
        for a, b in pairs if how == "map" else pairs + [(b, a) for a, b in pairs]:
            if table[a] not in (a, b):
                return None
            table[a] = b
        out[free] = table[g[free]]
    return None if np.array_equal(out, g) else out
