"""Whole-grid primitives: dihedral maps, crops, scaling, tiling, padding, shifts, line compression.

    .venv/bin/python -m pytest tests/test_programs_geometry.py -q
"""
from __future__ import annotations

import numpy as np

from .base import MAX_SIDE, as_grid, checked, framed, most_common, resolve_bg


# counter-clockwise quarter turns as slices (np.rot90's argument handling costs more than the turn)
_TURNS = (lambda g: g, lambda g: g[:, ::-1].T, lambda g: g[::-1, ::-1], lambda g: g.T[:, ::-1])


def dihedral(grid: np.ndarray, d: int) -> np.ndarray:
    """d in 0..3: rotate 90 degrees counter-clockwise d times; 4..7: transpose, then rotate d-4 times."""
    g = grid if d < 4 else grid.T
    return as_grid(_TURNS[d % 4](g))


def inverse_dihedral(d: int) -> int:
    return (4 - d) % 4 if d < 4 else d  # transposes-then-rotations are all reflections: self-inverse


def crop_to_content(grid: np.ndarray, bg: int = 0) -> np.ndarray | None:
    """Bounding box of the cells that are not background."""
    bg = resolve_bg(grid, bg)
    ys, xs = np.nonzero(grid != bg)
    if len(ys) == 0:
        return None
    return as_grid(grid[ys.min():ys.max() + 1, xs.min():xs.max() + 1])


def crop_border(grid: np.ndarray, k: int = 1) -> np.ndarray | None:
    """Drop k rows/columns on every side."""
    h, w = grid.shape
    if h <= 2 * k or w <= 2 * k:
        return None
    return as_grid(grid[k:h - k, k:w - k])


def scale_up(grid: np.ndarray, ky: int, kx: int) -> np.ndarray | None:
    """Each cell becomes a ky x kx block."""
    return checked(np.repeat(np.repeat(grid, ky, axis=0), kx, axis=1))


def scale_by_colours(grid: np.ndarray, bg: int = 0) -> np.ndarray | None:
    """Scale up by the number of non-background colours the grid has."""
    b = resolve_bg(grid, bg)
    k = len(np.unique(grid[grid != b]))
    return scale_up(grid, k, k) if k > 1 else None


def scale_down(grid: np.ndarray, ky: int, kx: int, uniform: bool = True) -> np.ndarray | None:
    """Each ky x kx block becomes one cell: blocks must be one colour (uniform) or the block's
    most common colour wins (uniform=False, e.g. a noisy upscaled picture)."""
    h, w = grid.shape
    if h % ky or w % kx or (ky == 1 and kx == 1):
        return None
    blocks = grid.reshape(h // ky, ky, w // kx, kx).transpose(0, 2, 1, 3).reshape(h // ky, w // kx, ky * kx)
    first = blocks[:, :, 0]
    if uniform:
        if not (blocks == first[:, :, None]).all():
            return None
        return as_grid(first)
    counts = (blocks[:, :, :, None] == np.arange(10)[None, None, None, :]).sum(axis=2)
    return as_grid(np.argmax(counts, axis=2))


def tile(grid: np.ndarray, ny: int, nx: int, mirror: bool = False) -> np.ndarray | None:
    """ny x nx copies; mirror=True flips every other copy (a kaleidoscope)."""
    h, w = grid.shape
    if h * ny > MAX_SIDE or w * nx > MAX_SIDE:
        return None
    if not mirror:
        return as_grid(np.tile(grid, (ny, nx)))
    rows = []
    for i in range(ny):
        row = []
        for j in range(nx):
            g = grid[::-1] if i % 2 else grid
            row.append(g[:, ::-1] if j % 2 else g)
        rows.append(np.concatenate(row, axis=1))
    return as_grid(np.concatenate(rows, axis=0))


def kron_self(grid: np.ndarray, invert: bool = False, bg: int = 0, colour: int | None = None,
              own_colour: bool = False) -> np.ndarray | None:
    """Fractal: each non-background cell (or each background cell, invert=True) becomes a copy of the
    grid; with `colour`, the cells of that colour do (-1: the grid's most common colour). With
    `own_colour`, each non-background cell's copy keeps only the cells of that cell's colour."""
    h, w = grid.shape
    if h * h > MAX_SIDE or w * w > MAX_SIDE:
        return None
    bg = resolve_bg(grid, bg)
    if colour is None:
        mask = (grid == bg) if invert else (grid != bg)
    else:
        mask = grid == resolve_bg(grid, colour)
    out = np.full((h * h, w * w), bg, np.uint8)
    for y, x in zip(*np.nonzero(mask)):
        out[y * h:(y + 1) * h, x * w:(x + 1) * w] = np.where(grid == grid[y, x], grid, bg) if own_colour else grid
    return out


def shear(grid: np.ndarray, axis: int = 1, reverse: bool = False, bg: int = 0) -> np.ndarray | None:
    """The grid slanted: row i moved i cells right (axis=1; the grid grows by its height less one), or
    column j moved j cells down (axis=0); with `reverse`, the last row (column) stays and the first moves
    furthest. The cells uncovered are background."""
    g = grid if axis == 1 else grid.T
    h, w = g.shape
    if w + h - 1 > MAX_SIDE:
        return None
    out = np.full((h, w + h - 1), resolve_bg(grid, bg), np.uint8)
    for i in range(h):
        k = h - 1 - i if reverse else i
        out[i, k:k + w] = g[i]
    return out if axis == 1 else np.ascontiguousarray(out.T)


def roll_lines(grid: np.ndarray, axis: int, parity: int, shift: int) -> np.ndarray | None:
    """Every other row (axis=1; columns with axis=0), those whose index counted from the first row with a
    non-background cell has `parity`, rolled cyclically by `shift` cells (right / down when positive): a
    pattern staggered like brickwork. None on a grid with no such line, or when nothing changes."""
    g = grid if axis == 1 else grid.T
    filled = np.flatnonzero((g != most_common(g)).any(1))
    first = int(filled[0]) + parity if len(filled) else g.shape[0]
    if first >= g.shape[0]:
        return None
    out = g.copy()
    out[first::2] = np.roll(g[first::2], shift, axis=1)
    if np.array_equal(out, g):
        return None
    return out if axis == 1 else np.ascontiguousarray(out.T)


CORNERS = ("tl", "tr", "bl", "br")


def embed(grid: np.ndarray, ky: int, kx: int, corner: str = "tl", bg: int = 0) -> np.ndarray | None:
    """The grid in one corner of an empty canvas ky times as tall and kx times as wide (room for what a
    later step draws beyond it: rays, copies)."""
    h, w = grid.shape
    out = np.full((h * ky, w * kx), bg, np.uint8)
    y = 0 if corner[0] == "t" else h * ky - h
    x = 0 if corner[1] == "l" else w * kx - w
    out[y:y + h, x:x + w] = grid
    return checked(out)


def pad(grid: np.ndarray, colour: int, k: int = 1) -> np.ndarray | None:
    """Surround with a k-wide frame of `colour`."""
    return checked(framed(grid, colour, k))


def pad_edges(grid: np.ndarray, corner: int = 0) -> np.ndarray | None:
    """Surround with a frame that repeats the edge cells beside it; its four corners are `corner`."""
    out = np.pad(grid, 1, mode="edge")
    out[0, 0] = out[0, -1] = out[-1, 0] = out[-1, -1] = corner
    return checked(out)


def draw_border(grid: np.ndarray, colour: int) -> np.ndarray:
    """Paint the outermost ring of cells."""
    out = grid.copy()
    out[0, :] = out[-1, :] = colour
    out[:, 0] = out[:, -1] = colour
    return out


def shift(grid: np.ndarray, dy: int, dx: int, bg: int = 0, wrap: bool = False) -> np.ndarray:
    """Move the whole picture by (dy, dx); cells pushed out are lost (or wrap round)."""
    if wrap:
        return as_grid(np.roll(grid, (dy, dx), axis=(0, 1)))
    bg = resolve_bg(grid, bg)
    h, w = grid.shape
    out = np.full_like(grid, bg)
    ys, yd = (slice(0, h - dy), slice(dy, h)) if dy >= 0 else (slice(-dy, h), slice(0, h + dy))
    xs, xd = (slice(0, w - dx), slice(dx, w)) if dx >= 0 else (slice(-dx, w), slice(0, w + dx))
    out[yd, xd] = grid[ys, xs]
    return out


def remove_empty_lines(grid: np.ndarray, bg: int = 0) -> np.ndarray | None:
    """Delete every row and column that is all background."""
    bg = resolve_bg(grid, bg)
    keep_r = (grid != bg).any(axis=1)
    keep_c = (grid != bg).any(axis=0)
    if not keep_r.any():
        return None
    return as_grid(grid[keep_r][:, keep_c])


def dedupe_lines(grid: np.ndarray) -> np.ndarray:
    """Collapse runs of identical consecutive rows, then of identical consecutive columns."""
    keep_r = np.ones(grid.shape[0], bool)
    keep_r[1:] = (grid[1:] != grid[:-1]).any(axis=1)
    g = grid[keep_r]
    keep_c = np.ones(g.shape[1], bool)
    keep_c[1:] = (g[:, 1:] != g[:, :-1]).any(axis=0)
    return as_grid(g[:, keep_c])


def _bands(g: np.ndarray, bg: int) -> list[tuple[int, int]]:
    """Runs of consecutive rows, each agreeing with what its run shows so far (each column's last colour
    other than the background) in at least half the columns where both show one, and in one at least:
    noise in a block is mostly holes. A row all of background starts a run."""
    starts = [0]
    seen = g[0].copy()
    for y in range(1, g.shape[0]):
        row = g[y]
        both = (row != bg) & (seen != bg)
        agree = int((both & (row == seen)).sum())
        if agree and 2 * agree >= both.sum():
            seen = np.where(row != bg, row, seen)
        else:
            starts.append(y)
            seen = row.copy()
    return list(zip(starts, starts[1:] + [g.shape[0]]))


def mosaic_cells(grid: np.ndarray, bg: int = 0) -> np.ndarray | None:
    """A mosaic of solid blocks of any sizes, speckled with background holes, as one pixel per block: rows
    (and columns) are one band while each agrees with the band so far (_bands), and a block's pixel is
    its most common colour other than the background (background when it has no other). The margin
    round the mosaic, and bands all of background, are left out. None when that leaves fewer than two
    blocks or changes nothing."""
    b = resolve_bg(grid, bg)
    grid = crop_to_content(grid, b)
    if grid is None:
        return None
    rows = [(y0, y1) for y0, y1 in _bands(grid, b) if (grid[y0:y1] != b).any()]
    cols = [(x0, x1) for x0, x1 in _bands(grid.T, b) if (grid[:, x0:x1] != b).any()]
    if len(rows) * len(cols) < 2 or (len(rows), len(cols)) == grid.shape:
        return None
    out = np.empty((len(rows), len(cols)), np.uint8)
    for i, (y0, y1) in enumerate(rows):
        for j, (x0, x1) in enumerate(cols):
            counts = np.bincount(grid[y0:y1, x0:x1].ravel(), minlength=10)
            counts[b] = 0
            out[i, j] = counts.argmax() if counts.any() else b
    return out


def keep_middle_line(grid: np.ndarray, axis: int, bg: int = 0) -> np.ndarray | None:
    """Only the middle row (axis 0) or column (axis 1) kept, the rest background; None for an even side."""
    n = grid.shape[axis]
    if n % 2 == 0 or n < 3:
        return None
    out = np.full_like(grid, resolve_bg(grid, bg))
    mid = n // 2
    if axis == 0:
        out[mid] = grid[mid]
    else:
        out[:, mid] = grid[:, mid]
    return as_grid(out)


def sort_lines(grid: np.ndarray, axis: int, bg: int = 0) -> np.ndarray | None:
    """Rows (axis 0) or columns (axis 1) reordered by their number of non-background cells, fewest
    first (ties keep their order: bars stacked by length); None when the order does not change."""
    b = resolve_bg(grid, bg)
    counts = (grid != b).sum(axis=1 - axis)
    order = np.argsort(counts, kind="stable")
    if (order == np.arange(len(order))).all():
        return None
    return as_grid(grid[order] if axis == 0 else grid[:, order])


def reflect_extend(grid: np.ndarray, k: int, axis: int) -> np.ndarray | None:
    """The grid reflected back and forth along an axis without repeating its edge lines (rows 0 1 2 1 0
    1 2 ...), k times its length less one, plus one: a zigzag or bounce pattern continued."""
    n = grid.shape[axis]
    if n < 2 or k < 1:
        return None
    period = 2 * (n - 1)
    j = np.arange(k * (n - 1) + 1) % period
    idx = np.where(j < n, j, period - j)
    return checked(np.take(grid, idx, axis=axis))


def concat_mirror(grid: np.ndarray, axis: int, flip_first: bool = False) -> np.ndarray | None:
    """The grid next to its mirror image: below (axis=0) or to the right (axis=1)."""
    m = grid[::-1] if axis == 0 else grid[:, ::-1]
    parts = (m, grid) if flip_first else (grid, m)
    return checked(np.concatenate(parts, axis=axis))
