"""Grid primitives for program search (arc_solver.synthesis composes them).

A primitive maps a grid (2-D np.uint8, colours 0..9) to a new grid, or returns
None when it does not apply (no object, a tie between objects, shapes that do
not divide, a result outside 1..30 cells a side). Per-cell work (connected
components, flood fill, gravity, symmetry tests, line drawing) is in Numba
kernels (`@njit(cache=True)`); whole-array one-liners stay numpy.

Families: whole-grid (dihedral, crop, scale, tile, kron, pad, shift, compress),
colour (keep/remove a colour, most/least common colour), objects (components,
selection, extract, keep/remove, recolour by rank, move), gravity, fills,
symmetry (overlay mirror images, complete a masked symmetric picture),
splitting by separator lines and cell-wise boolean combination of the parts.

Background `bg`: a colour, or -1 = the grid's most common colour.

    .venv/bin/python -m pytest tests/test_programs.py -q
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
from numba import njit

MAX_SIDE = 30
NO_BG = 10  # a "background" colour no cell has: every cell belongs to some object

Grid = np.ndarray


def as_grid(a) -> np.ndarray:
    """Contiguous uint8 copy-or-view (Numba kernels are compiled for C-contiguous uint8 only)."""
    return np.ascontiguousarray(a, dtype=np.uint8)


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


# ----------------------------------------------------------------------------- whole grid

def dihedral(grid: np.ndarray, d: int) -> np.ndarray:
    """d in 0..3: rotate 90 degrees counter-clockwise d times; 4..7: transpose, then rotate d-4 times."""
    g = grid if d < 4 else grid.T
    return as_grid(np.rot90(g, d % 4))


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


def kron_self(grid: np.ndarray, invert: bool = False, bg: int = 0) -> np.ndarray | None:
    """Fractal: each non-background cell (or each background cell, invert=True) becomes a copy of the grid."""
    h, w = grid.shape
    if h * h > MAX_SIDE or w * w > MAX_SIDE:
        return None
    bg = resolve_bg(grid, bg)
    mask = (grid == bg) if invert else (grid != bg)
    out = np.full((h * h, w * w), bg, np.uint8)
    for y, x in zip(*np.nonzero(mask)):
        out[y * h:(y + 1) * h, x * w:(x + 1) * w] = grid
    return out


def pad(grid: np.ndarray, colour: int, k: int = 1) -> np.ndarray | None:
    """Surround with a k-wide frame of `colour`."""
    return checked(np.pad(grid, k, constant_values=colour))


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


def concat_mirror(grid: np.ndarray, axis: int, flip_first: bool = False) -> np.ndarray | None:
    """The grid next to its mirror image: below (axis=0) or to the right (axis=1)."""
    m = grid[::-1] if axis == 0 else grid[:, ::-1]
    parts = (m, grid) if flip_first else (grid, m)
    return checked(np.concatenate(parts, axis=axis))


# ----------------------------------------------------------------------------- colour

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


def learn_colour_map(pairs) -> np.ndarray | None:
    """The single colour map taking each input to its output, cell by cell, or None.
    Colours never seen map to themselves."""
    mapping = np.full(10, 255, np.int16)
    for a, b in pairs:
        if a.shape != b.shape:
            return None
        for c in np.unique(a):
            targets = np.unique(b[a == c])
            if len(targets) != 1 or (mapping[c] != 255 and mapping[c] != targets[0]):
                return None
            mapping[c] = targets[0]
    unseen = mapping == 255
    mapping[unseen] = np.arange(10)[unseen]
    return mapping.astype(np.uint8)


# ----------------------------------------------------------------------------- components (Numba)

@njit(cache=True)
def label_kernel(grid, bg, diag, by_colour):
    """Connected components of non-background cells -> (labels int32 with -1 for background, count)."""
    h, w = grid.shape
    labels = np.full((h, w), -1, np.int32)
    stack = np.empty(h * w, np.int32)
    n = 0
    for sy in range(h):
        for sx in range(w):
            c = grid[sy, sx]
            if labels[sy, sx] >= 0 or c == bg:
                continue
            labels[sy, sx] = n
            stack[0] = sy * w + sx
            top = 1
            while top > 0:
                top -= 1
                y = stack[top] // w
                x = stack[top] % w
                for dy in range(-1, 2):
                    for dx in range(-1, 2):
                        if dy == 0 and dx == 0:
                            continue
                        if not diag and dy != 0 and dx != 0:
                            continue
                        ny = y + dy
                        nx = x + dx
                        if ny < 0 or ny >= h or nx < 0 or nx >= w or labels[ny, nx] >= 0:
                            continue
                        v = grid[ny, nx]
                        if v == bg or (by_colour and v != c):
                            continue
                        labels[ny, nx] = n
                        stack[top] = ny * w + nx
                        top += 1
            n += 1
    return labels, n


@njit(cache=True)
def boxes_kernel(labels, n):
    """Per label: bounding box [top, left, bottom+1, right+1] and cell count."""
    h, w = labels.shape
    boxes = np.empty((n, 4), np.int32)
    boxes[:, 0] = h
    boxes[:, 1] = w
    boxes[:, 2] = 0
    boxes[:, 3] = 0
    sizes = np.zeros(n, np.int32)
    for y in range(h):
        for x in range(w):
            k = labels[y, x]
            if k < 0:
                continue
            sizes[k] += 1
            if y < boxes[k, 0]:
                boxes[k, 0] = y
            if x < boxes[k, 1]:
                boxes[k, 1] = x
            if y + 1 > boxes[k, 2]:
                boxes[k, 2] = y + 1
            if x + 1 > boxes[k, 3]:
                boxes[k, 3] = x + 1
    return boxes, sizes


@dataclass(frozen=True, eq=False)
class Obj:
    """One connected component: its bounding box placement, cell mask and colours."""

    top: int
    left: int
    mask: np.ndarray  # bool (h, w), bounding-box local
    patch: np.ndarray  # uint8 (h, w): the object's colours, background elsewhere
    colour: int  # most common colour of the object
    size: int

    @property
    def shape(self) -> tuple[int, int]:
        return self.mask.shape

    @property
    def n_colours(self) -> int:
        return len(np.unique(self.patch[self.mask]))

    def shape_key(self) -> bytes:
        return bytes(self.mask.shape) + np.packbits(self.mask).tobytes()


def label(grid: np.ndarray, bg: int = 0, diag: bool = False, by_colour: bool = True) -> tuple[np.ndarray, int]:
    return label_kernel(as_grid(grid), np.int64(resolve_bg(grid, bg)), diag, by_colour)


def objects(grid: np.ndarray, bg: int = 0, diag: bool = False, by_colour: bool = True) -> list[Obj]:
    """Connected components (4- or 8-connected; of one colour each, or of any non-background colours)."""
    bg = resolve_bg(grid, bg)
    labels, n = label_kernel(as_grid(grid), np.int64(bg), diag, by_colour)
    if n == 0:
        return []
    boxes, sizes = boxes_kernel(labels, n)
    out = []
    for k in range(n):
        y0, x0, y1, x1 = (int(v) for v in boxes[k])
        mask = labels[y0:y1, x0:x1] == k
        patch = np.where(mask, grid[y0:y1, x0:x1], np.uint8(bg if bg < 10 else 0)).astype(np.uint8)
        colours = np.bincount(patch[mask], minlength=10)
        out.append(Obj(y0, x0, mask, patch, int(np.argmax(colours)), int(sizes[k])))
    return out


def _unique_extreme(values: list, largest: bool) -> int | None:
    """Index of the single largest (or smallest) value; None if it is tied."""
    if not values:
        return None
    best = max(values) if largest else min(values)
    idx = [i for i, v in enumerate(values) if v == best]
    return idx[0] if len(idx) == 1 else None


def _unique_by_key(keys: list) -> int | None:
    """Index of the one object whose key no other object shares (e.g. its colour or its shape)."""
    counts: dict = {}
    for k in keys:
        counts[k] = counts.get(k, 0) + 1
    idx = [i for i, k in enumerate(keys) if counts[k] == 1]
    return idx[0] if len(idx) == 1 and len(keys) > 1 else None


def _is_symmetric(o: Obj) -> bool:
    p = o.patch
    return bool((p == p[:, ::-1]).all() or (p == p[::-1]).all())


# Object selectors: name -> function(objects) -> index or None. Used by synthesis to enumerate.
SELECTORS: tuple[tuple[str, Callable[[list[Obj]], int | None]], ...] = (
    ("largest", lambda os: _unique_extreme([o.size for o in os], True)),
    ("smallest", lambda os: _unique_extreme([o.size for o in os], False)),
    ("biggest_box", lambda os: _unique_extreme([o.shape[0] * o.shape[1] for o in os], True)),
    ("smallest_box", lambda os: _unique_extreme([o.shape[0] * o.shape[1] for o in os], False)),
    ("most_colours", lambda os: _unique_extreme([o.n_colours for o in os], True)),
    ("unique_colour", lambda os: _unique_by_key([o.colour for o in os])),
    ("unique_shape", lambda os: _unique_by_key([o.shape_key() for o in os])),
    ("unique_size", lambda os: _unique_by_key([o.size for o in os])),
    ("densest", lambda os: _unique_extreme([o.size / o.mask.size for o in os], True)),
    ("sparsest", lambda os: _unique_extreme([o.size / o.mask.size for o in os], False)),
    ("symmetric", lambda os: _unique_by_key([_is_symmetric(o) for o in os])),
    ("top", lambda os: _unique_extreme([o.top for o in os], False)),
    ("bottom", lambda os: _unique_extreme([o.top + o.shape[0] for o in os], True)),
    ("leftmost", lambda os: _unique_extreme([o.left for o in os], False)),
    ("rightmost", lambda os: _unique_extreme([o.left + o.shape[1] for o in os], True)),
)
SELECTOR = dict(SELECTORS)


def select_object(grid: np.ndarray, selector: str, bg: int = 0, diag: bool = False,
                  by_colour: bool = True, objs: list[Obj] | None = None) -> tuple[list[Obj], int] | None:
    """(objects, index of the selected one); `objs` = the grid's objects if already computed."""
    objs = objects(grid, bg, diag, by_colour) if objs is None else objs
    if not objs:
        return None
    i = SELECTOR[selector](objs)
    return None if i is None else (objs, i)


def crop_object(grid: np.ndarray, selector: str, bg: int = 0, diag: bool = False, by_colour: bool = True,
                region: bool = False, objs: list[Obj] | None = None) -> np.ndarray | None:
    """The selected object alone (region=False) or the grid inside its bounding box (region=True)."""
    sel = select_object(grid, selector, bg, diag, by_colour, objs)
    if sel is None:
        return None
    o = sel[0][sel[1]]
    if region:
        h, w = o.shape
        return as_grid(grid[o.top:o.top + h, o.left:o.left + w])
    return o.patch.copy()


def keep_object(grid: np.ndarray, selector: str, bg: int = 0, diag: bool = False, by_colour: bool = True,
                remove: bool = False, objs: list[Obj] | None = None) -> np.ndarray | None:
    """Erase every object but the selected one (or erase only the selected one, remove=True)."""
    sel = select_object(grid, selector, bg, diag, by_colour, objs)
    if sel is None:
        return None
    objs, i = sel
    b = resolve_bg(grid, bg)
    if remove:
        out = grid.copy()
        o = objs[i]
        h, w = o.shape
        out[o.top:o.top + h, o.left:o.left + w][o.mask] = b
        return out
    out = np.full_like(grid, b)
    o = objs[i]
    h, w = o.shape
    out[o.top:o.top + h, o.left:o.left + w][o.mask] = o.patch[o.mask]
    return out


def remove_small(grid: np.ndarray, max_size: int, bg: int = 0, diag: bool = True,
                 by_colour: bool = True) -> np.ndarray | None:
    """Erase components of at most `max_size` cells (noise)."""
    b = resolve_bg(grid, bg)
    labels, n = label(grid, b, diag, by_colour)
    if n == 0:
        return None
    sizes = np.bincount(labels[labels >= 0], minlength=n)
    small = (labels >= 0) & (sizes[np.maximum(labels, 0)] <= max_size)
    if not small.any():
        return None
    return np.where(small, np.uint8(b), grid).astype(np.uint8)


def recolour_by_size_rank(grid: np.ndarray, bg: int = 0, diag: bool = False) -> np.ndarray | None:
    """Each object painted with its size rank (1 = largest); ties share a rank. A colour map
    (learned by the search) then turns ranks into the task's colours."""
    b = resolve_bg(grid, bg)
    labels, n = label(grid, b, diag, False)
    if n == 0 or n > 9:
        return None
    sizes = np.bincount(labels[labels >= 0], minlength=n)
    distinct = sorted(set(sizes.tolist()), reverse=True)
    rank = np.array([distinct.index(s) + 1 for s in sizes], np.uint8)
    out = np.zeros_like(grid)
    out[labels >= 0] = rank[labels[labels >= 0]]
    return out


def recolour_by_size(grid: np.ndarray, bg: int = 0, diag: bool = False) -> np.ndarray | None:
    """Each object painted with its cell count (1..9); for rules like 'objects of 3 cells turn red'."""
    b = resolve_bg(grid, bg)
    labels, n = label(grid, b, diag, False)
    if n == 0:
        return None
    sizes = np.bincount(labels[labels >= 0], minlength=n)
    if sizes.max() > 9:
        return None
    out = np.zeros_like(grid)
    out[labels >= 0] = sizes[labels[labels >= 0]]
    return out


def outline(grid: np.ndarray, bg: int = 0) -> np.ndarray:
    """Hollow out: erase non-background cells whose 4 neighbours are all non-background."""
    b = resolve_bg(grid, bg)
    fg = np.pad(grid != b, 1, constant_values=False)
    inner = fg[1:-1, 1:-1] & fg[:-2, 1:-1] & fg[2:, 1:-1] & fg[1:-1, :-2] & fg[1:-1, 2:]
    return np.where(inner, np.uint8(b), grid).astype(np.uint8)


# ----------------------------------------------------------------------------- gravity and moves

@njit(cache=True)
def gravity_down_kernel(grid, bg):
    """Every non-background cell falls to the bottom of its column, order kept."""
    h, w = grid.shape
    out = np.full((h, w), bg, np.uint8)
    for x in range(w):
        y_out = h - 1
        for y in range(h - 1, -1, -1):
            if grid[y, x] != bg:
                out[y_out, x] = grid[y, x]
                y_out -= 1
    return out


# direction -> dihedral that turns it into "down"; rotating back uses the inverse.
_TO_DOWN = {"down": 0, "up": 2, "left": 1, "right": 3}


def gravity(grid: np.ndarray, direction: str, bg: int = 0) -> np.ndarray:
    """Cells fall towards one side (down/up/left/right)."""
    b = resolve_bg(grid, bg)
    d = _TO_DOWN[direction]
    g = dihedral(grid, d)
    return dihedral(gravity_down_kernel(g, np.uint8(b)), inverse_dihedral(d))


def object_gravity(grid: np.ndarray, direction: str, bg: int = 0, diag: bool = True) -> np.ndarray | None:
    """Rigid objects slide towards one side until they hit the edge or a settled object."""
    b = resolve_bg(grid, bg)
    d = _TO_DOWN[direction]
    g = dihedral(grid, d)
    objs = objects(g, b, diag, False)
    if not objs:
        return None
    h, w = g.shape
    occupied = np.zeros((h, w), bool)
    out = np.full_like(g, b)
    for o in sorted(objs, key=lambda o: -(o.top + o.shape[0])):
        oh, ow = o.shape
        y = o.top
        while y + oh < h and not (occupied[y + 1:y + 1 + oh, o.left:o.left + ow] & o.mask).any():
            y += 1
        occupied[y:y + oh, o.left:o.left + ow] |= o.mask
        out[y:y + oh, o.left:o.left + ow][o.mask] = o.patch[o.mask]
    return dihedral(out, inverse_dihedral(d))


# ----------------------------------------------------------------------------- fills and lines

@njit(cache=True)
def border_reach_kernel(grid, bg):
    """Background cells 4-connected to the grid's edge through background."""
    h, w = grid.shape
    seen = np.zeros((h, w), np.bool_)
    stack = np.empty(h * w, np.int32)
    top = 0
    for y in range(h):
        for x in range(w):
            if (y == 0 or x == 0 or y == h - 1 or x == w - 1) and grid[y, x] == bg:
                seen[y, x] = True
                stack[top] = y * w + x
                top += 1
    while top > 0:
        top -= 1
        y = stack[top] // w
        x = stack[top] % w
        for k in range(4):
            ny = y + (1 if k == 0 else -1 if k == 1 else 0)
            nx = x + (1 if k == 2 else -1 if k == 3 else 0)
            if 0 <= ny < h and 0 <= nx < w and not seen[ny, nx] and grid[ny, nx] == bg:
                seen[ny, nx] = True
                stack[top] = ny * w + nx
                top += 1
    return seen


def enclosed(grid: np.ndarray, bg: int = 0) -> np.ndarray:
    """Mask of background cells that cannot reach the edge (holes)."""
    b = resolve_bg(grid, bg)
    return (grid == b) & ~border_reach_kernel(as_grid(grid), np.uint8(b))


def fill_enclosed(grid: np.ndarray, colour: int, bg: int = 0) -> np.ndarray | None:
    """Paint holes with `colour`; colour=-1 paints each hole with the single colour around it."""
    b = resolve_bg(grid, bg)
    holes = enclosed(grid, b)
    if not holes.any():
        return None
    if colour >= 0:
        return np.where(holes, np.uint8(colour), grid).astype(np.uint8)
    out = grid.copy()
    labels, n = label_kernel(np.where(holes, np.uint8(0), np.uint8(1)), np.int64(1), False, True)
    padded = np.pad(grid, 1, constant_values=b)
    for k in range(n):
        m = labels == k
        ring = np.pad(m, 1)
        ring = (np.roll(ring, 1, 0) | np.roll(ring, -1, 0) | np.roll(ring, 1, 1) | np.roll(ring, -1, 1)) & ~ring
        around = np.unique(padded[ring])
        around = around[around != b]
        if len(around) != 1:
            return None
        out[m] = around[0]
    return out


def fill_boxes(grid: np.ndarray, colour: int, bg: int = 0, diag: bool = True) -> np.ndarray | None:
    """Paint the background inside each object's bounding box."""
    b = resolve_bg(grid, bg)
    objs = objects(grid, b, diag, True)
    if not objs:
        return None
    out = grid.copy()
    for o in objs:
        h, w = o.shape
        if h < 3 or w < 3:
            continue
        region = out[o.top:o.top + h, o.left:o.left + w]
        region[(region == b)] = colour
    return out


@njit(cache=True)
def lines_kernel(grid, bg, dys, dxs, through, single_only):
    """Rays from each non-background cell in the given directions, painted over background.
    through=False stops a ray at the first non-background cell; single_only draws only from
    cells with no non-background 8-neighbour."""
    h, w = grid.shape
    out = grid.copy()
    for y in range(h):
        for x in range(w):
            c = grid[y, x]
            if c == bg:
                continue
            if single_only:
                alone = True
                for ay in range(max(0, y - 1), min(h, y + 2)):
                    for ax in range(max(0, x - 1), min(w, x + 2)):
                        if (ay != y or ax != x) and grid[ay, ax] != bg:
                            alone = False
                if not alone:
                    continue
            for k in range(len(dys)):
                ny = y + dys[k]
                nx = x + dxs[k]
                while 0 <= ny < h and 0 <= nx < w:
                    if grid[ny, nx] != bg:
                        if not through:
                            break
                    elif out[ny, nx] == bg:
                        out[ny, nx] = c
                    ny += dys[k]
                    nx += dxs[k]
    return out


LINE_DIRECTIONS = {
    "h": ((0, 0), (1, -1)), "v": ((1, -1), (0, 0)), "hv": ((0, 0, 1, -1), (1, -1, 0, 0)),
    "diag": ((1, 1, -1, -1), (1, -1, 1, -1)), "all": ((0, 0, 1, -1, 1, 1, -1, -1), (1, -1, 0, 0, 1, -1, 1, -1)),
    "up": ((-1,), (0,)), "down": ((1,), (0,)), "left": ((0,), (-1,)), "right": ((0,), (1,)),
}


def draw_lines(grid: np.ndarray, directions: str, bg: int = 0, through: bool = True,
               single_only: bool = False) -> np.ndarray | None:
    """Extend each non-background cell into lines towards the edges (see lines_kernel)."""
    b = resolve_bg(grid, bg)
    dys, dxs = LINE_DIRECTIONS[directions]
    out = lines_kernel(as_grid(grid), np.uint8(b), np.array(dys, np.int64), np.array(dxs, np.int64),
                       through, single_only)
    return None if np.array_equal(out, grid) else out


@njit(cache=True)
def connect_kernel(grid, bg, rows, cols):
    """Join two same-coloured cells with a line when only background lies between them."""
    h, w = grid.shape
    out = grid.copy()
    if rows:
        for y in range(h):
            last = -1
            for x in range(w):
                if grid[y, x] != bg:
                    if last >= 0 and grid[y, last] == grid[y, x]:
                        for k in range(last + 1, x):
                            out[y, k] = grid[y, x]
                    last = x
    if cols:
        for x in range(w):
            last = -1
            for y in range(h):
                if grid[y, x] != bg:
                    if last >= 0 and grid[last, x] == grid[y, x]:
                        for k in range(last + 1, y):
                            if out[k, x] == bg:
                                out[k, x] = grid[y, x]
                    last = y
    return out


def connect(grid: np.ndarray, rows: bool = True, cols: bool = True, bg: int = 0) -> np.ndarray | None:
    b = resolve_bg(grid, bg)
    out = connect_kernel(as_grid(grid), np.uint8(b), rows, cols)
    return None if np.array_equal(out, grid) else out


# ----------------------------------------------------------------------------- symmetry

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


@njit(cache=True)
def symmetry_stats_kernel(grid, m):
    """Agreement of the grid with each mirror/rotation, ignoring cells of colour m.

    Returns rows (kind, a, b, matches, conflicts, overlap) where the cell (y, x) has partner
      kind 0 (left-right mirror):  (y, a - x)
      kind 1 (up-down mirror):     (a - y, x)
      kind 2 (rotation by 180):    (a - y, b - x)
      kind 3 (transpose mirror):   (x - a, y + a)      a = column offset, may be negative
      kind 4 (anti-transpose):     (a - x, a - y)
    overlap counts cell pairs whose partner lies inside the grid."""
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
                match = 0
                conflict = 0
                overlap = 0
                for y in range(h):
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
                            conflict += 1
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
    stats = symmetry_stats_kernel(as_grid(grid), np.uint8(mask_colour))
    n = grid.size
    ok = (stats[:, 4] == 0) & (stats[:, 5] >= min_overlap * n) & (stats[:, 3] >= min_agree * stats[:, 5])
    return np.ascontiguousarray(stats[ok, :3])


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
    raise ValueError(kind)


# ----------------------------------------------------------------------------- splitting

def separator_lines(grid: np.ndarray) -> tuple[int, np.ndarray, np.ndarray] | None:
    """The colour of full-length separator lines and masks of separator rows/columns, or None.
    The lines must cut the grid into at least two parts. Preferred: a colour found only on its
    full lines, then parts of equal shape, then a non-background colour."""
    bg = most_common(grid)
    best = None
    for c in range(10):
        is_c = grid == c
        rows = is_c.all(axis=1)
        cols = is_c.all(axis=0)
        if not rows.any() and not cols.any():
            continue
        rr, cc = _runs(rows), _runs(cols)
        if len(rr) * len(cc) < 2:
            continue
        only_lines = not (is_c & ~rows[:, None] & ~cols[None, :]).any()
        equal = len({b - a for a, b in rr}) == 1 and len({b - a for a, b in cc}) == 1
        key = (only_lines, equal, c != bg, int(rows.sum() + cols.sum()))
        if best is None or key > best[0]:
            best = (key, c, rows, cols)
    if best is None:
        return None
    return best[1], best[2], best[3]


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """Maximal runs of False in mask as (start, stop)."""
    runs, start = [], None
    for i, v in enumerate(mask):
        if not v and start is None:
            start = i
        elif v and start is not None:
            runs.append((start, i))
            start = None
    if start is not None:
        runs.append((start, len(mask)))
    return runs


def split(grid: np.ndarray, mode: str = "sep") -> list[np.ndarray] | None:
    """Parts of the grid in reading order: between separator lines (mode 'sep'), or halves
    side by side ('h2') or stacked ('v2'). None if there are fewer than two parts."""
    h, w = grid.shape
    if mode == "h2":
        if w < 2:
            return None
        k = w // 2
        return [as_grid(grid[:, :k]), as_grid(grid[:, w - k:])]
    if mode == "v2":
        if h < 2:
            return None
        k = h // 2
        return [as_grid(grid[:k]), as_grid(grid[h - k:])]
    sep = separator_lines(grid)
    if sep is None:
        return None
    _, rows, cols = sep
    parts = [as_grid(grid[y0:y1, x0:x1]) for y0, y1 in _runs(rows) for x0, x1 in _runs(cols)]
    return parts if len(parts) >= 2 else None


def split_layout(grid: np.ndarray) -> tuple[int, int, list[np.ndarray]] | None:
    """(rows of parts, columns of parts, parts) for a grid cut by separator lines."""
    sep = separator_lines(grid)
    if sep is None:
        return None
    _, rows, cols = sep
    rr, cc = _runs(rows), _runs(cols)
    parts = [as_grid(grid[y0:y1, x0:x1]) for y0, y1 in rr for x0, x1 in cc]
    if len(parts) < 2:
        return None
    return len(rr), len(cc), parts


BOOLEAN_OPS = ("and", "or", "xor", "nor", "left_only", "right_only")


def combine_parts(grid: np.ndarray, op: str, mode: str = "sep", bg: int = 0) -> np.ndarray | None:
    """Cell-wise boolean combination of the parts' non-background masks, as a 0/1 grid (the search
    learns which colours 0 and 1 stand for). 'left_only' = first and not second, etc."""
    parts = split(grid, mode)
    if parts is None or len({p.shape for p in parts}) != 1:
        return None
    b = 0 if bg < 0 else bg
    masks = [p != b for p in parts]
    if op == "and":
        r = np.logical_and.reduce(masks)
    elif op == "or":
        r = np.logical_or.reduce(masks)
    elif op == "xor":
        r = np.sum(masks, axis=0) == 1
    elif op == "nor":
        r = ~np.logical_or.reduce(masks)
    elif op == "left_only":
        r = masks[0] & ~np.logical_or.reduce(masks[1:])
    elif op == "right_only":
        r = masks[-1] & ~np.logical_or.reduce(masks[:-1])
    else:
        raise ValueError(op)
    return r.astype(np.uint8)


def overlay_parts(grid: np.ndarray, reverse: bool = False, mode: str = "sep", bg: int = 0) -> np.ndarray | None:
    """Stack the parts: the first part's non-background cells on top (or the last, reverse=True)."""
    parts = split(grid, mode)
    if parts is None or len({p.shape for p in parts}) != 1:
        return None
    b = 0 if bg < 0 else bg
    order = parts if reverse else parts[::-1]
    out = np.full_like(parts[0], b)
    for p in order:
        out = np.where(p != b, p, out)
    return as_grid(out)


PART_SELECTORS = ("unique", "most_cells", "fewest_cells", "most_colours", "fewest_colours")


def select_part(grid: np.ndarray, how: str, mode: str = "sep", bg: int = 0) -> np.ndarray | None:
    """One part of a split grid: the odd one out, or the one with most/fewest cells or colours."""
    parts = split(grid, mode)
    if parts is None:
        return None
    i = _pick_part(parts, how, 0 if bg < 0 else bg)
    return None if i is None else parts[i]


def _pick_part(parts: list[np.ndarray], how: str, b: int) -> int | None:
    if how == "unique":
        return _unique_by_key([p.shape + (p.tobytes(),) for p in parts])
    if how in ("most_cells", "fewest_cells"):
        return _unique_extreme([int((p != b).sum()) for p in parts], how == "most_cells")
    return _unique_extreme([len(np.unique(p[p != b])) for p in parts], how == "most_colours")


def broadcast_part(grid: np.ndarray, how: str, bg: int = 0) -> np.ndarray | None:
    """A grid cut by separator lines into equal parts: the part chosen by `how` copied into every part."""
    sep = separator_lines(grid)
    if sep is None:
        return None
    _, rows, cols = sep
    boxes = [(y0, y1, x0, x1) for y0, y1 in _runs(rows) for x0, x1 in _runs(cols)]
    parts = [grid[y0:y1, x0:x1] for y0, y1, x0, x1 in boxes]
    if len(parts) < 2 or len({p.shape for p in parts}) != 1:
        return None
    i = _pick_part(parts, how, 0 if bg < 0 else bg)
    if i is None:
        return None
    out = grid.copy()
    for y0, y1, x0, x1 in boxes:
        out[y0:y1, x0:x1] = parts[i]
    return as_grid(out)


def cells_to_pixels(grid: np.ndarray) -> np.ndarray | None:
    """A grid divided by separator lines -> one pixel per cell (the cell's most common colour)."""
    lay = split_layout(grid)
    if lay is None:
        return None
    nr, nc, parts = lay
    colours = [most_common(p) for p in parts]
    return as_grid(np.array(colours, np.uint8).reshape(nr, nc))


@njit(cache=True)
def rays_kernel(grid, bg):
    """Colour of the first non-background cell met looking up, down, left and right (10 = none)."""
    h, w = grid.shape
    out = np.full((h, w, 4), 10, np.int64)
    for x in range(w):
        last = 10
        for y in range(h):
            out[y, x, 0] = last
            if grid[y, x] != bg:
                last = grid[y, x]
        last = 10
        for y in range(h - 1, -1, -1):
            out[y, x, 1] = last
            if grid[y, x] != bg:
                last = grid[y, x]
    for y in range(h):
        last = 10
        for x in range(w):
            out[y, x, 2] = last
            if grid[y, x] != bg:
                last = grid[y, x]
        last = 10
        for x in range(w - 1, -1, -1):
            out[y, x, 3] = last
            if grid[y, x] != bg:
                last = grid[y, x]
    return out


CELL_FEATURES = (
    "colour", "size4", "size8", "object_size", "touches_border", "enclosed", "n4", "n8",
    "up", "down", "left", "right", "up_left", "up_right", "down_left", "down_right",
    "row_colours", "col_colours", "row_parity", "col_parity", "size_rank", "object_holes",
    "ray_up", "ray_down", "ray_left", "ray_right", "object_main_colour", "object_minor_colour", "object_edge",
    "n4_colours", "n8_colours", "row_parity_end", "col_parity_end",
)


def cell_features(grid: np.ndarray, bg: int = 0) -> np.ndarray:
    """Per-cell context (h*w, len(CELL_FEATURES)) as small ints (< 1024), for learned cell rules:
    own colour; sizes of the cell's same-colour component (4-/8-connected) and of the multicolour
    object holding it; whether its component touches the edge; whether it is an enclosed background
    cell; non-background neighbour counts; the 8 neighbours' colours (10 = outside); bit masks of
    the colours in its row and column; row/column parity; size rank of its component among those of
    its colour (0 largest, 1 second, 9 smallest, 5 other); the holes of its object; the first colour
    met along each of the 4 rays; its object's most and least common colours; whether it lies on
    the edge of its object's bounding box; bit masks of the non-background colours among its 4 and 8
    neighbours (halos, "touches colour c"); row/column parity counted from the bottom/right edge."""
    g = as_grid(grid)
    h, w = g.shape
    bg = resolve_bg(g, bg)
    c = g.astype(np.int64)
    cols = [c]
    for diag in (False, True):
        lab, n = label_kernel(g, np.int64(NO_BG), diag, True)
        sizes = np.bincount(lab.ravel(), minlength=n)
        cols.append(sizes[lab])
    olab, on = label_kernel(g, np.int64(bg), True, False)
    osizes = np.bincount(olab[olab >= 0], minlength=on) if on else np.zeros(0, np.int64)
    cols.append(np.where(olab >= 0, osizes[np.maximum(olab, 0)] if on else 0, 0))
    edge = np.zeros(n, bool)
    edge[np.unique(np.concatenate([lab[0], lab[-1], lab[:, 0], lab[:, -1]]))] = True
    cols.append(edge[lab].astype(np.int64))
    cols.append(enclosed(g, bg).astype(np.int64))
    fg = np.pad(g != bg, 1)
    cols.append(sum(fg[1 + dy:1 + dy + h, 1 + dx:1 + dx + w].astype(np.int64)
                    for dy, dx in ((-1, 0), (1, 0), (0, -1), (0, 1))))
    cols.append(sum(fg[1 + dy:1 + dy + h, 1 + dx:1 + dx + w].astype(np.int64)
                    for dy in (-1, 0, 1) for dx in (-1, 0, 1) if dy or dx))
    pc = np.pad(c, 1, constant_values=10)
    for dy, dx in ((-1, 0), (1, 0), (0, -1), (0, 1), (-1, -1), (-1, 1), (1, -1), (1, 1)):
        cols.append(pc[1 + dy:1 + dy + h, 1 + dx:1 + dx + w])
    bits = np.where(c != bg, 1 << c, 0)
    cols.append(np.bitwise_or.reduce(bits, axis=1)[:, None].repeat(w, 1))
    cols.append(np.bitwise_or.reduce(bits, axis=0)[None, :].repeat(h, 0))
    cols.append(np.arange(h)[:, None].repeat(w, 1) % 2)
    cols.append(np.arange(w)[None, :].repeat(h, 0) % 2)
    # size rank among same-colour components (8-connected: lab from the loop above)
    comp_colour = np.zeros(n, np.int64)
    comp_colour[lab.ravel()] = c.ravel()
    rank = np.zeros(n, np.int64)
    for col in np.unique(comp_colour):
        ks = np.nonzero(comp_colour == col)[0]
        order = sorted(set(sizes[ks].tolist()), reverse=True)
        for k in ks:
            r = order.index(sizes[k])
            rank[k] = r if r < 2 else (9 if sizes[k] == order[-1] else 5)
    cols.append(rank[lab])
    holes = np.zeros(max(on, 1), np.int64)
    main = np.full(max(on, 1), 10, np.int64)
    minor = np.full(max(on, 1), 10, np.int64)
    on_edge = np.zeros((h, w), np.int64)
    if on:
        boxes, _ = boxes_kernel(olab, on)
        for k in range(on):
            y0, x0, y1, x1 = boxes[k]
            m = olab[y0:y1, x0:x1] == k
            inner = enclosed(np.where(m, np.uint8(1), np.uint8(0)), 0)
            if inner.any():
                holes[k] = label_kernel(inner.astype(np.uint8), np.int64(0), False, True)[1]
            cnt = np.bincount(g[y0:y1, x0:x1][m], minlength=10)
            main[k] = int(np.argmax(cnt))
            present = np.nonzero(cnt)[0]
            minor[k] = int(present[np.argmin(cnt[present])])
            on_edge[y0, x0:x1] = on_edge[y1 - 1, x0:x1] = 1
            on_edge[y0:y1, x0] = on_edge[y0:y1, x1 - 1] = 1
    inobj = olab >= 0
    k = np.maximum(olab, 0)
    cols.append(np.where(inobj, holes[k], 0))
    rays = rays_kernel(g, np.uint8(bg))
    cols.extend(rays[:, :, i] for i in range(4))
    cols.append(np.where(inobj, main[k], 10))
    cols.append(np.where(inobj, minor[k], 10))
    cols.append(on_edge * inobj)
    near = [np.where((v != bg) & (v != 10), 1 << np.minimum(v, 9), 0)
            for v in (pc[1 + dy:1 + dy + h, 1 + dx:1 + dx + w] for dy in (-1, 0, 1) for dx in (-1, 0, 1))]
    cols.append(near[1] | near[3] | near[5] | near[7])  # (dy, dx) = (-1,0), (0,-1), (0,1), (1,0)
    cols.append(np.bitwise_or.reduce([m for i, m in enumerate(near) if i != 4]))
    cols.append((h - 1 - np.arange(h))[:, None].repeat(w, 1) % 2)
    cols.append((w - 1 - np.arange(w))[None, :].repeat(h, 0) % 2)
    return np.stack([np.asarray(x, np.int64).reshape(h * w) for x in cols], axis=1)


# ----------------------------------------------------------------------------- periodic patterns

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
    for area in range(1, h * w // 2 + 1):
        for py in range(1, h + 1):
            if area % py != 0:
                continue
            px = area // py
            if px > w:
                continue
            n_shift = px if py < h else 1
            for s in range(n_shift):
                if _period_ok(grid, m, py, px, s, tile[:py, :px]):
                    return py, px, s, tile[:py, :px].copy()
    return 0, 0, 0, tile[:1, :1].copy()


def find_period(grid: np.ndarray, mask_colour: int) -> tuple[int, int, int, np.ndarray] | None:
    """(py, px, shift, tile) of the repeating pattern, see period_kernel; None if there is none."""
    py, px, s, tile = period_kernel(as_grid(grid), np.uint8(mask_colour))
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
