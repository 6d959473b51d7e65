"""Symmetry: mirror overlays, completing a masked symmetric picture, four-fold turns about a found centre.

    .venv/bin/python -m pytest tests/test_programs_symmetry.py -q
"""
from __future__ import annotations

import numpy as np
from numba import njit

from .base import as_grid, remembered, resolve_bg


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
    Mirror images that leave the grid are cut off. When the pivot colour fills a whole row and a whole
    column, their crossing is the centre (a quadrant mirrored across a cross of lines). pivot=-1: the
    colour of such a cross, or else the colour whose cells are themselves symmetric both ways (the
    smallest such, when alone in that size; _symmetric_colour). None when there is no pivot or nothing
    to add."""
    b = resolve_bg(grid, bg)
    if pivot < 0:
        pivot = _symmetric_colour(grid, b)
    ys, xs = np.nonzero(grid == pivot)
    if pivot == b or len(ys) == 0:
        return None
    cy2, cx2 = int(ys.min() + ys.max()), int(xs.min() + xs.max())  # twice the centre: mirrors stay whole
    full_rows, full_cols = _full_lines(grid, pivot)
    if len(full_rows) and len(full_cols):  # a cross of full lines: its crossing is the centre
        cy2, cx2 = int(full_rows.min() + full_rows.max()), int(full_cols.min() + full_cols.max())
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


# A quarter turn and its powers, then the four mirrors, as maps of offsets (dy, dx) from the centre.
_TURNS = ((lambda dy, dx: (dx, -dy)), (lambda dy, dx: (-dy, -dx)), (lambda dy, dx: (-dx, dy)))
_MIRRORS = ((lambda dy, dx: (dy, -dx)), (lambda dy, dx: (-dy, dx)), (lambda dy, dx: (dx, dy)),
            (lambda dy, dx: (-dx, -dy)))


def complete_rotation(grid: np.ndarray, paint: int = -1, bg: int = 0, mirrors: bool = False) -> np.ndarray | None:
    """Complete the figure's four-fold turn symmetry (and its mirror symmetry with `mirrors`) about a
    centre read off the figure itself (_symmetry_images). The images' background cells take their cell's
    colour, or `paint` (e40b9e2f; 1b60fb0c with paint). None when no centre has the figure at least a
    third symmetric already, or nothing changes."""
    g = as_grid(grid)
    b = resolve_bg(g, bg)
    found = _symmetry_images(g, b, mirrors)
    if found is None:
        return None
    images, cs = found
    out = g.copy()
    for ty, tx in images:
        free = out[ty, tx] == b
        out[ty[free], tx[free]] = cs[free] if paint < 0 else paint
    return None if np.array_equal(out, g) else out


@remembered
def _symmetry_images(g: np.ndarray, b: int, mirrors: bool) -> tuple[tuple, np.ndarray] | None:
    """Where the figure's cells land under the quarter turns (and mirrors) about the best centre, and the
    cells' colours: each pair of same-coloured cells votes for the one centre a quarter turn maps the first
    onto the second, and of the most voted centres the one whose images agree with the most cells (and
    clash with none, and stay inside the grid) wins; None when none agrees with a third of them.
    Remembered: complete_rotation asks once per paint colour about the same grid."""
    h, w = g.shape
    ys, xs = np.nonzero(g != b)
    if not 2 <= len(ys) <= 200:
        return None
    cs = g[ys, xs]
    # doubled coordinates keep a centre between cells an integer
    py, px, qy, qx = 2 * ys[:, None], 2 * xs[:, None], 2 * ys[None, :], 2 * xs[None, :]
    cx = (qx - qy + px + py) // 2
    cy = qy - px + cx
    same = (cs[:, None] == cs[None, :]) & ~np.eye(len(ys), dtype=bool)
    if not same.any():
        return None
    # one int per centre, in (row, column) order (a sort of ints: np.unique over rows took 70% of the time);
    # a 30 x 30 grid's doubled centres lie within -90..150, inside the +-128 offset and 512 stride
    keys, votes = np.unique((cy[same] + 128) * 512 + cx[same] + 128, return_counts=True)
    maps = _TURNS + (_MIRRORS if mirrors else ())
    best, best_agree = None, len(ys) - 1  # at least a third of the turned images must land on their colour
    for key in keys[np.argsort(-votes, kind="stable")[:4]].tolist():
        cy2, cx2 = key // 512 - 128, key % 512 - 128
        images, agree = [], 0
        for f in maps:
            ty, tx = f(2 * ys - cy2, 2 * xs - cx2)
            ty, tx = ty + cy2, tx + cx2
            if ((ty | tx) & 1).any():
                break  # a half-cell image: not this centre
            ty, tx = ty // 2, tx // 2
            if ty.min() < 0 or tx.min() < 0 or ty.max() >= h or tx.max() >= w:
                break
            there = g[ty, tx]
            if ((there != b) & (there != cs)).any():
                break
            agree += int((there == cs).sum())
            images.append((ty, tx))
        else:
            if agree > best_agree:
                best, best_agree = images, agree
    if best is None:
        return None
    for a in [cs] + [a for im in best for a in im]:
        a.setflags(write=False)
    return tuple(best), cs


def _full_lines(grid: np.ndarray, colour: int) -> tuple[np.ndarray, np.ndarray]:
    """The rows and the columns that are all of `colour`."""
    on = grid == colour
    return np.flatnonzero(on.all(1)), np.flatnonzero(on.all(0))


@remembered
def _symmetric_colour(grid: np.ndarray, bg: int) -> int:
    """The one non-background colour that fills a whole row and a whole column; else the one with the
    fewest cells among those whose cells, in their bounding box, are mirror-symmetric left-right and
    up-down; -1 when there is none or two tie. Remembered: symmetrize_about asks it about the same grid
    for each of its three kinds (finding it was most of that step's time, the search's costliest step)."""
    crosses = [int(c) for c in np.unique(grid) if c != bg and all(len(lines) for lines in _full_lines(grid, c))]
    if len(crosses) == 1:  # a cross of full lines is a centre however it sits in the grid
        return crosses[0]
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
