"""Symmetry and periodic patterns: mirror overlays, completing a masked symmetric or periodic picture.

    .venv/bin/python -m pytest tests/test_programs_symmetry.py -q
"""
from __future__ import annotations

import numpy as np
from numba import njit

from .base import MAX_SIDE, as_grid, remembered, resolve_bg


def symmetrize(grid: np.ndarray, kind: str, bg: int = 0) -> np.ndarray | None:
    """Overlay the grid with its mirror images: background cells take the colour of their mirror.
    kind: lr, ud, both (lr+ud+rot180), rot (4-fold, square only), diag (transpose, square only)."""
    b = resolve_bg(grid, bg)
    h, w = grid.shape
    if kind == "lr":
        images = [grid[:, ::-1]]
    elif kind == "ud":
        images = [grid[::-1]]
    elif kind == "both":
        images = [grid[:, ::-1], grid[::-1], grid[::-1, ::-1]]
    elif kind == "rot":
        if h != w:
            return None
        images = [np.rot90(grid, k) for k in (1, 2, 3)]
    elif kind == "diag":
        if h != w:
            return None
        images = [grid.T]
    else:
        raise ValueError(kind)
    out = grid.copy()
    for im in images:
        hole = out == b
        out[hole] = im[hole]
    return out


def symmetrize_about(grid: np.ndarray, pivot: int, kind: str, bg: int = 0) -> np.ndarray | None:
    """symmetrize about the centre of the pivot colour's bounding box instead of the grid's: every cell
    of another colour mirrored left-right (lr), up-down (ud) or both ways and rotated (both), onto
    background cells (a shape drawn once beside a small centre mark, completed in its four corners).
    Mirror images that leave the grid are cut off. pivot=-1: the colour whose cells are themselves
    symmetric both ways (the smallest such, when alone in that size). None when there is no pivot or
    nothing to add."""
    b = resolve_bg(grid, bg)
    if pivot < 0:
        pivot = _symmetric_colour(grid, b)
    ys, xs = np.nonzero(grid == pivot)
    if pivot == b or len(ys) == 0:
        return None
    cy2, cx2 = int(ys.min() + ys.max()), int(xs.min() + xs.max())  # twice the centre: mirrors stay whole
    sy, sx = np.nonzero((grid != b) & (grid != pivot))
    if len(sy) == 0:
        return None
    flips = {"lr": ((False, True),), "ud": ((True, False),), "both": ((False, True), (True, False), (True, True))}
    h, w = grid.shape
    out = grid.copy()
    for fy, fx in flips[kind]:
        ty = cy2 - sy if fy else sy
        tx = cx2 - sx if fx else sx
        inside = (ty >= 0) & (ty < h) & (tx >= 0) & (tx < w)
        ty, tx, src = ty[inside], tx[inside], grid[sy[inside], sx[inside]]
        free = out[ty, tx] == b
        out[ty[free], tx[free]] = src[free]
    return None if np.array_equal(out, grid) else out


def _symmetric_colour(grid: np.ndarray, bg: int) -> int:
    """The non-background colour with the fewest cells among those whose cells, in their bounding box, are
    mirror-symmetric left-right and up-down; -1 when there is none or two tie."""
    found = []
    for c in np.unique(grid):
        if c == bg:
            continue
        ys, xs = np.nonzero(grid == c)
        m = grid[ys.min():ys.max() + 1, xs.min():xs.max() + 1] == c
        if (m == m[:, ::-1]).all() and (m == m[::-1]).all():
            found.append((len(ys), int(c)))
    found.sort()
    return found[0][1] if found and (len(found) == 1 or found[1][0] > found[0][0]) else -1


@njit(cache=True)
def _span(n, a):
    """How many t in [0, n) have their mirror a - t in [0, n) too."""
    return max(0, min(n - 1, a) - max(0, a - n + 1) + 1)


@njit(cache=True)
def symmetry_stats_kernel(grid, m, min_overlap=0.0):
    """Agreement of the grid with each mirror/rotation, ignoring cells of colour m.

    Returns rows (kind, a, b, matches, conflicts, overlap) where the cell (y, x) has partner
      kind 0 (left-right mirror):  (y, a - x)
      kind 1 (up-down mirror):     (a - y, x)
      kind 2 (rotation by 180):    (a - y, b - x)
      kind 3 (transpose mirror):   (x - a, y + a)      a = column offset, may be negative
      kind 4 (anti-transpose):     (a - x, a - y)
    overlap counts cell pairs whose partner lies inside the grid. Counting stops at the first
    conflict (conflicts is then 1 and the other counts partial): only conflict-free rows are used.
    Mirrors and rotations (kinds 0-2) whose overlap is below min_overlap cells are left out unread:
    their overlap is known from the centre alone, and most centres are far off the grid's middle."""
    h, w = grid.shape
    n_rows = (2 * w - 1) + (2 * h - 1) + (2 * h - 1) * (2 * w - 1) + (h + w - 1) + (h + w - 1)
    out = np.zeros((n_rows, 6), np.int64)
    r = 0
    for kind in range(5):
        if kind == 0:
            na, nb = 2 * w - 1, 1
        elif kind == 1:
            na, nb = 2 * h - 1, 1
        elif kind == 2:
            na, nb = 2 * h - 1, 2 * w - 1
        else:
            na, nb = h + w - 1, 1
        for a0 in range(na):
            for b in range(nb):
                a = a0 - (h - 1) if kind == 3 else a0
                if kind == 0:
                    known = h * (_span(w, a) - (1 - a % 2))
                elif kind == 1:
                    known = w * (_span(h, a) - (1 - a % 2))
                elif kind == 2:
                    known = _span(h, a) * _span(w, b) - (1 - a % 2) * (1 - b % 2)
                else:
                    known = min_overlap
                if known < min_overlap:
                    continue
                match = 0
                conflict = 0
                overlap = 0
                for y in range(h):
                    if conflict:
                        break
                    for x in range(w):
                        if kind == 0:
                            py, px = y, a - x
                        elif kind == 1:
                            py, px = a - y, x
                        elif kind == 2:
                            py, px = a - y, b - x
                        elif kind == 3:
                            py, px = x - a, y + a
                        else:
                            py, px = a - x, a - y
                        if py < 0 or py >= h or px < 0 or px >= w or (py == y and px == x):
                            continue
                        overlap += 1
                        u = grid[y, x]
                        v = grid[py, px]
                        if u == m or v == m:
                            continue
                        if u == v:
                            match += 1
                        else:
                            conflict = 1  # one conflict rules the symmetry out: stop counting
                            break
                out[r, 0] = kind
                out[r, 1] = a
                out[r, 2] = b
                out[r, 3] = match
                out[r, 4] = conflict
                out[r, 5] = overlap
                r += 1
    return out[:r]


@njit(cache=True)
def symmetry_fill_kernel(grid, m, syms):
    """Fill cells of colour m from their partners under the accepted symmetries, until stable."""
    h, w = grid.shape
    out = grid.copy()
    changed = True
    while changed:
        changed = False
        for y in range(h):
            for x in range(w):
                if out[y, x] != m:
                    continue
                for s in range(syms.shape[0]):
                    kind = syms[s, 0]
                    a = syms[s, 1]
                    b = syms[s, 2]
                    if kind == 0:
                        py, px = y, a - x
                    elif kind == 1:
                        py, px = a - y, x
                    elif kind == 2:
                        py, px = a - y, b - x
                    elif kind == 3:
                        py, px = x - a, y + a
                    else:
                        py, px = a - x, a - y
                    if 0 <= py < h and 0 <= px < w and out[py, px] != m:
                        out[y, x] = out[py, px]
                        changed = True
                        break
    return out


def find_symmetries(grid: np.ndarray, mask_colour: int, min_overlap: float = 0.5,
                    min_agree: float = 0.5) -> np.ndarray:
    """Symmetries (rows kind, a, b) the visible cells obey without a single conflict, with a partner
    for at least `min_overlap` of the cells and agreement on at least `min_agree` of those pairs."""
    return _symmetries_of(grid, int(mask_colour), float(min_overlap), float(min_agree))


@remembered
def _symmetries_of(grid: np.ndarray, mask_colour: int, min_overlap: float, min_agree: float) -> np.ndarray:
    n = grid.size
    stats = symmetry_stats_kernel(grid, np.uint8(mask_colour), float(min_overlap * n))
    ok = (stats[:, 4] == 0) & (stats[:, 5] >= min_overlap * n) & (stats[:, 3] >= min_agree * stats[:, 5])
    syms = np.ascontiguousarray(stats[ok, :3])
    syms.flags.writeable = False
    return syms


def complete_symmetry(grid: np.ndarray, mask_colour: int, crop: bool = False) -> np.ndarray | None:
    """Repaint the cells of `mask_colour` from their mirror/rotation partners. crop=True returns
    only what was under the mask's bounding box (the usual 'what is hidden here?' question)."""
    hidden = grid == mask_colour
    if not hidden.any() or hidden.all():
        return None
    syms = find_symmetries(grid, mask_colour)
    if len(syms) == 0:
        return None
    out = symmetry_fill_kernel(as_grid(grid), np.uint8(mask_colour), syms)
    if np.array_equal(out, grid):
        return None
    if not crop:
        return out
    ys, xs = np.nonzero(hidden)
    part = out[ys.min():ys.max() + 1, xs.min():xs.max() + 1]
    if (part == mask_colour).any():
        return None
    return as_grid(part)


def is_symmetric(grid: np.ndarray, kind: str) -> bool:
    if kind == "lr":
        return bool((grid == grid[:, ::-1]).all())
    if kind == "ud":
        return bool((grid == grid[::-1]).all())
    if kind == "rot180":
        return bool((grid == grid[::-1, ::-1]).all())
    if kind == "diag":
        return grid.shape[0] == grid.shape[1] and bool((grid == grid.T).all())
    if kind == "antidiag":
        return grid.shape[0] == grid.shape[1] and bool((grid == grid[::-1, ::-1].T).all())
    raise ValueError(kind)




@njit(cache=True)
def _period_ok(grid, m, py, px, s, tile):
    h, w = grid.shape
    tile[:, :] = 255
    for y in range(h):
        for x in range(w):
            v = grid[y, x]
            if v == m:
                continue
            ty = y % py
            tx = (x - s * (y // py)) % px
            if tile[ty, tx] == 255:
                tile[ty, tx] = v
            elif tile[ty, tx] != v:
                return False
    return True


@njit(cache=True)
def period_kernel(grid, m):
    """Smallest lattice the visible cells (colour != m) repeat on: cell (y, x) belongs to class
    (y % py, (x - s * (y // py)) % px). Tiles larger than half the grid do not count (nothing would
    repeat). Returns (py, px, s, tile with 255 = never seen), py = 0 if none."""
    h, w = grid.shape
    tile = np.empty((h, w), np.int64)
    # A lattice of width px puts (y, x) and (y, x + px) in one class: the widths that some row's visible
    # cells contradict are ruled out once, not for every height and shift.
    row_ok = np.ones(w + 1, np.bool_)
    for px in range(1, w):
        for y in range(h):
            for x in range(w - px):
                u = grid[y, x]
                v = grid[y, x + px]
                if u != m and v != m and u != v:
                    row_ok[px] = False
                    break
            if not row_ok[px]:
                break
    for area in range(1, h * w // 2 + 1):
        for py in range(1, h + 1):
            if area % py != 0:
                continue
            px = area // py
            if px > w or not row_ok[px]:
                continue
            n_shift = px if py < h else 1
            for s in range(n_shift):
                if _period_ok(grid, m, py, px, s, tile[:py, :px]):
                    return py, px, s, tile[:py, :px].copy()
    return 0, 0, 0, tile[:1, :1].copy()


def find_period(grid: np.ndarray, mask_colour: int) -> tuple[int, int, int, np.ndarray] | None:
    """(py, px, shift, tile) of the repeating pattern, see period_kernel; None if there is none.
    The tile is read-only: answers are remembered per grid (the search asks for the same grid's
    pattern again with and without the crop)."""
    return _period_of(grid, int(mask_colour))


@remembered
def _period_of(grid: np.ndarray, mask_colour: int):
    py, px, s, tile = period_kernel(grid, np.uint8(mask_colour))
    tile.flags.writeable = False
    return None if py == 0 else (int(py), int(px), int(s), tile)


def complete_pattern(grid: np.ndarray, mask_colour: int, crop: bool = False) -> np.ndarray | None:
    """Repaint the cells of `mask_colour` from a repeating (periodic) pattern the rest of the grid
    follows; crop=True returns only the part under the mask's bounding box."""
    hidden = grid == mask_colour
    if not hidden.any() or hidden.all():
        return None
    found = find_period(grid, mask_colour)
    if found is None:
        return None
    py, px, s, tile = found
    h, w = grid.shape
    ys, xs = np.nonzero(hidden)
    vals = tile[ys % py, (xs - s * (ys // py)) % px]
    if (vals == 255).any():
        return None
    out = grid.copy()
    out[ys, xs] = vals
    if not crop:
        return out
    return as_grid(out[ys.min():ys.max() + 1, xs.min():xs.max() + 1])


@njit(cache=True)
def _row_period(grid, dividing):
    n, w = grid.shape
    for p in range(1, n):
        if dividing and n % p:
            continue
        ok = True
        for y in range(n - p):
            for x in range(w):
                if grid[y + p, x] != grid[y, x]:
                    ok = False
                    break
            if not ok:
                break
        if ok:
            return p
    return n


def line_period(grid: np.ndarray, axis: int, dividing: bool = False) -> int:
    """Smallest p such that every row (axis 0) or column (axis 1) equals the one p further on (and,
    with `dividing`, p divides their number); the grid's own length when nothing repeats."""
    g = as_grid(grid)
    return int(_row_period(g if axis == 0 else np.ascontiguousarray(g.T), dividing))


def tile_unit(grid: np.ndarray) -> np.ndarray | None:
    """The tile a grid is made of, when it is whole copies of a smaller tile (periods that divide the sides)."""
    h, w = grid.shape
    py, px = line_period(grid, 0, True), line_period(grid, 1, True)
    if (py, px) == (h, w):
        return None
    return as_grid(grid[:py, :px])


def extend_periodic(grid: np.ndarray, height: int, width: int) -> np.ndarray | None:
    """The grid's repeating rows and columns continued (or cut) to height x width."""
    if not (1 <= height <= MAX_SIDE and 1 <= width <= MAX_SIDE):
        return None
    py, px = line_period(grid, 0), line_period(grid, 1)
    ys, xs = np.arange(height) % py, np.arange(width) % px
    return as_grid(grid[ys[:, None], xs[None, :]])


def _shift_rows(rows: np.ndarray, s: int, bg: int) -> np.ndarray:
    """Every row moved s cells sideways (right for s > 0), background coming in."""
    out = np.full_like(rows, bg)
    w = rows.shape[-1]
    if abs(s) >= w:
        return out
    if s >= 0:
        out[..., s:] = rows[..., :w - s]
    else:
        out[..., :s] = rows[..., -s:]
    return out


@njit(cache=True)
def _staircase(grid, bg):
    """(p, k) of extend_shifted, (0, 0) when there is none."""
    h, w = grid.shape
    for p in range(1, h):
        for k in (0, 1, -1, 2, -2, 3, -3):
            ok = True
            for y in range(h - p):
                for x in range(w):
                    v = grid[y, x - k] if 0 <= x - k < w else bg
                    if grid[y + p, x] != v:
                        ok = False
                        break
                if not ok:
                    break
            if ok:
                return p, k
    return 0, 0


def extend_shifted(grid: np.ndarray, height: int, width: int, bg: int = 0) -> np.ndarray | None:
    """A staircase continued: the smallest p and shift k (|k| <= 3, 0 first) such that every row equals
    the row p above it moved k cells sideways, the rows continued down to `height` the same way (or,
    with the rows' length unchanged and `width` larger, the same along the columns)."""
    h, w = grid.shape
    if (height, width) == (h, w) or not (1 <= height <= MAX_SIDE and 1 <= width <= MAX_SIDE):
        return None
    if height == h and width > w:
        t = extend_shifted(grid.T, width, height, bg)
        return None if t is None else as_grid(t.T)
    if width != w or height < h:
        return None
    b = resolve_bg(grid, bg)
    p, k = _staircase(as_grid(grid), np.uint8(b))
    if p == 0:
        return None
    rows = list(grid)
    while len(rows) < height:
        rows.append(_shift_rows(rows[-p], k, b))
    return as_grid(np.array(rows))


def repeat_runs(grid: np.ndarray, bg: int = 0) -> np.ndarray | None:
    """Every row (then every column) whose non-background cells are one run of two or more cells: the run
    repeated along the whole line in step with where it stands (the arms of a cross continued); where a
    repeated row and column cross, the column's cell stays."""
    b = resolve_bg(grid, bg)
    out = grid.copy()
    for g, o in ((grid, out), (grid.T, out.T)):  # out.T is a view: columns written into out
        for y in range(g.shape[0]):
            xs = np.nonzero(g[y] != b)[0]
            if len(xs) < 2 or xs[-1] - xs[0] + 1 != len(xs):
                continue
            x0, n = int(xs[0]), len(xs)
            o[y] = g[y, x0 + (np.arange(g.shape[1]) - x0) % n]
    return None if np.array_equal(out, grid) else out


def repeat_content(grid: np.ndarray, axis: int, bg: int = 0) -> np.ndarray | None:
    """The band of rows (axis 0) or columns (axis 1) that holds every non-background cell, repeated
    across the whole grid in step with where it stands ("the stripe pattern continues")."""
    b = resolve_bg(grid, bg)
    g = grid if axis == 0 else grid.T
    used = np.nonzero((g != b).any(axis=1))[0]
    if len(used) == 0:
        return None
    y0, y1 = int(used[0]), int(used[-1]) + 1
    if y1 - y0 == len(g):
        return None
    rows = y0 + (np.arange(len(g)) - y0) % (y1 - y0)
    out = g[rows]
    return as_grid(out if axis == 0 else out.T)

