"""Periodic patterns: a masked periodic picture completed, a grid's period along rows or columns, its tile,
a pattern extended to a new size (repeated, or shifted row by row as a staircase), runs and content
repeated (Numba).

    .venv/bin/python -m pytest tests/test_programs_patterns.py -q
"""
from __future__ import annotations

import numpy as np
from numba import njit

from .base import MAX_SIDE, as_grid, remembered, resolve_bg


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


def complete_lines_by_analogy(grid: np.ndarray, axis: int, bg: int = 0) -> np.ndarray | None:
    """Full rows (axis 0; columns for axis 1) with no background cell are templates; every other line
    whose cells, where set, are a template's under a one-to-one renaming of every colour the template has
    becomes that template renamed ("the first row shows the pattern, the others begin it in their own
    colours": 82819916). The first template that fits wins; None when no line changes."""
    g = as_grid(grid) if axis == 0 else as_grid(grid).T
    b = resolve_bg(g, bg)
    full = [r for r in g if (r != b).all()]
    if not full or len(full) == len(g):
        return None
    out = g.copy()
    for i, row in enumerate(g):
        set_ = row != b
        if set_.all() or not set_.any():
            continue
        for t in full:
            names = np.full(10, -1, np.int64)
            ok = True
            for a, c in zip(t[set_].tolist(), row[set_].tolist()):
                if names[a] == -1:
                    names[a] = c
                elif names[a] != c:
                    ok = False
                    break
            used = names[t]
            if not ok or (used < 0).any() or len(np.unique(names[names >= 0])) != (names >= 0).sum():
                continue  # a template colour the line does not name, or two colours named alike
            out[i] = used
            break
    if np.array_equal(out, g):
        return None
    return out if axis == 0 else as_grid(out.T)
