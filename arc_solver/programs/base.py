"""Shared basics of the grid primitives: legal grids, colour counts, background choice.

    .venv/bin/python -m pytest tests/test_programs_base.py -q
"""
from __future__ import annotations

from functools import lru_cache, wraps

import numpy as np
from numba import njit


MAX_SIDE = 30
NO_BG = 10  # a "background" colour no cell has: every cell belongs to some object

Grid = np.ndarray


def as_grid(a) -> np.ndarray:
    """Contiguous uint8 copy-or-view (Numba kernels are compiled for C-contiguous uint8 only)."""
    return np.ascontiguousarray(a, dtype=np.uint8)


def same_grid(a: np.ndarray, b: np.ndarray) -> bool:
    """np.array_equal for two contiguous uint8 grids (what every primitive returns), ~9x faster: the
    search compares every state it meets with the outputs."""
    return a.shape == b.shape and a.tobytes() == b.tobytes()


def valid(grid: np.ndarray | None) -> bool:
    return grid is not None and grid.ndim == 2 and 1 <= grid.shape[0] <= MAX_SIDE and 1 <= grid.shape[1] <= MAX_SIDE


def checked(grid: np.ndarray | None) -> np.ndarray | None:
    """The grid as contiguous uint8 if it is a legal ARC grid, else None."""
    return as_grid(grid) if valid(grid) else None


def colour_counts(grid: np.ndarray) -> np.ndarray:
    return np.bincount(grid.ravel(), minlength=10)[:10]


def most_common(grid: np.ndarray) -> int:
    return int(np.argmax(colour_counts(grid)))


def resolve_bg(grid: np.ndarray, bg: int) -> int:
    return most_common(grid) if bg < 0 else bg


def remembered(fn):
    """fn(grid, *args) remembered per grid contents and args, for pure functions the search asks about the
    same grid again and again (a grid's holes for every fill colour, its pattern with and without the
    crop). fn gets the grid read-only and must return read-only arrays: the answers are shared."""
    @lru_cache(maxsize=1024)
    def cached(shape, data, *args):
        return fn(np.frombuffer(data, np.uint8).reshape(shape), *args)

    @wraps(fn)
    def call(grid, *args):
        g = as_grid(grid)
        return cached(g.shape, g.tobytes(), *args)

    return call


def framed(a: np.ndarray, value=0, k: int = 1) -> np.ndarray:
    """np.pad(a, k, constant_values=value) for a 2-D array, ~10x faster: np.pad's generality costs tens
    of microseconds a call, and steps that frame a grid run hundreds of thousands of times a search."""
    h, w = a.shape
    out = np.full((h + 2 * k, w + 2 * k), value, a.dtype)
    out[k:k + h, k:k + w] = a
    return out


def same_neighbours(grid: np.ndarray) -> np.ndarray:
    """Per cell, how many of its 8 neighbours have its colour (0: a lone cell; 1: the end of a line)."""
    return _same_neighbours_kernel(as_grid(grid))


@njit(cache=True)
def _same_neighbours_kernel(grid):
    h, w = grid.shape
    out = np.zeros((h, w), np.int64)
    for y in range(h):
        for x in range(w):
            n = 0
            for dy in range(-1, 2):
                for dx in range(-1, 2):
                    yy, xx = y + dy, x + dx
                    if (dy or dx) and 0 <= yy < h and 0 <= xx < w and grid[yy, xx] == grid[y, x]:
                        n += 1
            out[y, x] = n
    return out