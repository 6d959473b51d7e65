"""Objects: connected components (Numba), selection, extraction, removal, recolouring by size, outlines,
per-object properties. (Moving cells and objects: moving.py.)

    .venv/bin/python -m pytest tests/test_programs_objects.py -q
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np
from numba import njit

from .base import as_grid, framed, resolve_bg


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


class once:
    """A method computed on first access and then stored as the instance's attribute (functools'
    cached_property without its lock, which costs more than most of these take to compute)."""

    def __init__(self, fn):
        self.fn, self.name = fn, fn.__name__

    def __get__(self, obj, cls=None):
        if obj is None:
            return self
        value = obj.__dict__[self.name] = self.fn(obj)
        return value


@dataclass(eq=False)
class Obj:
    """One connected component: its bounding box placement, cell mask and colours. The mask and the
    patch are cut from the labelled grid when first asked for (most objects a search meets are only
    ranked by size or place). Not frozen: a frozen dataclass's __init__ costs 3x more, and a search
    makes hundreds of thousands of these; nothing assigns to one."""

    top: int
    left: int
    height: int
    width: int
    colour: int  # most common colour of the object
    size: int
    labels: np.ndarray = field(repr=False)  # the whole grid's labels, and this object's label
    index: int = field(repr=False)
    grid: np.ndarray = field(repr=False)  # a copy: a primitive may paint over the grid it took objects from
    fill: int = field(repr=False)  # the patch's colour outside the object

    @classmethod
    def from_patch(cls, mask: np.ndarray, patch: np.ndarray, colour: int, top: int = 0, left: int = 0,
                   fill: int = 0) -> "Obj":
        """An object given by its mask and colours, placed at (top, left) of an otherwise empty grid."""
        h, w = mask.shape
        labels = np.full((top + h, left + w), -1, np.int64)
        labels[top:, left:][mask] = 0
        grid = np.full((top + h, left + w), fill, np.uint8)
        grid[top:, left:] = patch
        return cls(top, left, h, w, colour, int(mask.sum()), labels, 0, grid, fill)

    @property
    def shape(self) -> tuple[int, int]:
        return self.height, self.width

    @once
    def mask(self) -> np.ndarray:
        """bool (h, w), bounding-box local."""
        return self.labels[self.top:self.top + self.height, self.left:self.left + self.width] == self.index

    @once
    def patch(self) -> np.ndarray:
        """uint8 (h, w): the object's colours, `fill` elsewhere."""
        box = self.grid[self.top:self.top + self.height, self.left:self.left + self.width]
        return np.where(self.mask, box, np.uint8(self.fill))

    # An object's measures are asked for again and again in one search (every selector, every step that
    # selects): each is computed once.
    @once
    def n_colours(self) -> int:
        return int(np.count_nonzero(self.colour_cells))

    @once
    def _shape_key(self) -> bytes:
        return bytes(self.mask.shape) + np.packbits(self.mask).tobytes()

    def shape_key(self) -> bytes:
        return self._shape_key

    @once
    def symmetric(self) -> bool:
        p = self.patch
        return bool((p == p[:, ::-1]).all() or (p == p[::-1]).all())

    @once
    def colour_cells(self) -> np.ndarray:
        """How many of the object's cells have each colour (10 counts)."""
        return np.bincount(self.patch[self.mask], minlength=10)

    @once
    def minor_cells(self) -> int:
        """Cells not of the object's main colour."""
        return self.size - int((self.patch[self.mask] == self.colour).sum())


def label(grid: np.ndarray, bg: int = 0, diag: bool = False, by_colour: bool = True) -> tuple[np.ndarray, int]:
    return label_kernel(as_grid(grid), np.int64(resolve_bg(grid, bg)), diag, by_colour)


def objects(grid: np.ndarray, bg: int = 0, diag: bool = False, by_colour: bool = True) -> list[Obj]:
    """Connected components (4- or 8-connected; of one colour each, or of any non-background colours)."""
    bg = resolve_bg(grid, bg)
    labels, n = label_kernel(as_grid(grid), np.int64(bg), diag, by_colour)
    if n == 0:
        return []
    boxes, sizes = boxes_kernel(labels, n)
    inside = labels >= 0
    # every object's colour counts at once: (label, colour) pairs counted over the grid
    counts = np.bincount(labels[inside] * 10 + grid[inside], minlength=n * 10).reshape(n, 10)
    main = counts.argmax(axis=1).tolist()
    fill = bg if bg < 10 else 0
    kept = np.array(grid, np.uint8)  # a copy, for the patches cut later
    return [Obj(y0, x0, y1 - y0, x1 - x0, main[k], size, labels, k, kept, fill)
            for k, ((y0, x0, y1, x1), size) in enumerate(zip(boxes.tolist(), sizes.tolist()))]


def unique_extreme(values: list, largest: bool) -> int | None:
    """Index of the single largest (or smallest) value; None if it is tied."""
    if not values:
        return None
    best = max(values) if largest else min(values)
    idx = [i for i, v in enumerate(values) if v == best]
    return idx[0] if len(idx) == 1 else None


def unique_by_key(keys: list) -> int | None:
    """Index of the one object whose key no other object shares (e.g. its colour or its shape)."""
    counts: dict = {}
    for k in keys:
        counts[k] = counts.get(k, 0) + 1
    idx = [i for i, k in enumerate(keys) if counts[k] == 1]
    return idx[0] if len(idx) == 1 and len(keys) > 1 else None


# Object selectors: name -> function(objects) -> index or None. Used by synthesis to enumerate.
SELECTORS: tuple[tuple[str, Callable[[list[Obj]], int | None]], ...] = (
    ("largest", lambda os: unique_extreme([o.size for o in os], True)),
    ("smallest", lambda os: unique_extreme([o.size for o in os], False)),
    ("biggest_box", lambda os: unique_extreme([o.shape[0] * o.shape[1] for o in os], True)),
    ("smallest_box", lambda os: unique_extreme([o.shape[0] * o.shape[1] for o in os], False)),
    ("most_colours", lambda os: unique_extreme([o.n_colours for o in os], True)),
    # most cells not of the object's own main colour ("the box with the most dots")
    ("most_minor", lambda os: unique_extreme([o.minor_cells for o in os], True)),
    ("unique_colour", lambda os: unique_by_key([o.colour for o in os])),
    ("unique_shape", lambda os: unique_by_key([o.shape_key() for o in os])),
    ("unique_size", lambda os: unique_by_key([o.size for o in os])),
    ("densest", lambda os: unique_extreme([o.size / o.mask.size for o in os], True)),
    ("sparsest", lambda os: unique_extreme([o.size / o.mask.size for o in os], False)),
    ("symmetric", lambda os: unique_by_key([o.symmetric for o in os])),
    ("top", lambda os: unique_extreme([o.top for o in os], False)),
    ("bottom", lambda os: unique_extreme([o.top + o.shape[0] for o in os], True)),
    ("leftmost", lambda os: unique_extreme([o.left for o in os], False)),
    ("rightmost", lambda os: unique_extreme([o.left + o.shape[1] for o in os], True)),
)
SELECTOR = dict(SELECTORS)


def selector_fn(name: str) -> Callable[[list[Obj]], int | None]:
    """A named selector (SELECTORS), or most_of_<c>: the object with the most cells of colour c ("the
    box with the most red dots")."""
    if name.startswith("most_of_"):
        c = int(name[len("most_of_"):])
        return lambda os: unique_extreme([int(o.colour_cells[c]) for o in os], True)
    return SELECTOR[name]


def select_object(grid: np.ndarray, selector: str, bg: int = 0, diag: bool = False,
                  by_colour: bool = True, objs: list[Obj] | None = None) -> tuple[list[Obj], int] | None:
    """(objects, index of the selected one); `objs` = the grid's objects if already computed."""
    objs = objects(grid, bg, diag, by_colour) if objs is None else objs
    if not objs:
        return None
    picks = getattr(objs, "picks", None)  # a search's cached objects remember their selections
    if picks is None:
        i = selector_fn(selector)(objs)
    else:
        i = picks[selector] = picks[selector] if selector in picks else selector_fn(selector)(objs)
    return None if i is None else (objs, i)


class Objects(list):
    """A grid's objects as a search caches them, with the selectors' answers once computed."""

    def __init__(self, objs: list[Obj]):
        super().__init__(objs)
        self.picks: dict[str, int | None] = {}


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


def _dense_rank(values: list, descending: bool) -> list[int]:
    order = sorted(set(values), reverse=descending)
    return [order.index(v) for v in values]


def hole_mask(o: Obj) -> np.ndarray:
    """Cells of the object's box, not its own, that cannot reach the box's edge (4-connected): its holes."""
    free = framed(~o.mask, True).astype(np.uint8)
    labels, _ = label_kernel(free, np.int64(0), False, True)
    return ((labels >= 0) & (labels != labels[0, 0]))[1:-1, 1:-1]


def _holes(o: Obj) -> int:
    return int(hole_mask(o).sum())


def _square_holes(o: Obj) -> bool:
    """Whether the object has holes and every one (4-connected) is a solid square."""
    m = hole_mask(o)
    if not m.any():
        return False
    labels, n = label_kernel(m.astype(np.uint8), np.int64(0), False, True)
    boxes, sizes = boxes_kernel(labels, n)
    return all(y1 - y0 == x1 - x0 and size == (y1 - y0) * (x1 - x0) for (y0, x0, y1, x1), size in zip(boxes, sizes))


def _canonical_shape(o: Obj) -> bytes:
    """The object's mask up to rotation and reflection (the smallest encoding of its 8 images)."""
    m, t = o.mask, o.mask.T
    # the 8 images by slicing (np.rot90 costs ~25 us a call, and every object of every search pays 8)
    images = (m, m[::-1], m[:, ::-1], m[::-1, ::-1], t, t[::-1], t[:, ::-1], t[::-1, ::-1])
    return min(bytes(i.shape) + np.packbits(i).tobytes() for i in images)


def object_properties(objs: list[Obj], grid_shape: tuple[int, int]) -> dict[str, list]:
    """Per property name, one hashable value per object: what a per-object rule may depend on (its
    colour, size and size rank, shape, box and whether its sides are odd, holes (and whether they are
    squares), symmetry, whether it touches the edge, how many objects share its colour or shape)."""
    h, w = grid_shape
    sizes = [o.size for o in objs]
    colours = [o.colour for o in objs]
    shapes = [o.shape_key() for o in objs]
    holes = [_holes(o) for o in objs]
    return {
        "colour": colours,
        "size": sizes,
        "size_rank": _dense_rank(sizes, True),
        "size_rank_asc": _dense_rank(sizes, False),
        "largest": [s == max(sizes) for s in sizes],
        "smallest": [s == min(sizes) for s in sizes],
        "height": [o.shape[0] for o in objs],
        "width": [o.shape[1] for o in objs],
        "height_parity": [o.shape[0] % 2 for o in objs],  # "odd-sided boxes get a red centre, even ones blue"
        "width_parity": [o.shape[1] % 2 for o in objs],
        "shape": shapes,
        "shape_any_turn": [_canonical_shape(o) for o in objs],
        "solid_box": [o.size == o.mask.size for o in objs],
        "touches_edge": [o.top == 0 or o.left == 0 or o.top + o.shape[0] == h or o.left + o.shape[1] == w
                         for o in objs],
        "holes": holes,
        "has_holes": [n > 0 for n in holes],
        "square_holes": [n > 0 and _square_holes(o) for n, o in zip(holes, objs)],
        "n_colours": [o.n_colours for o in objs],
        "symmetric": [o.symmetric for o in objs],
        "colour_count": [colours.count(c) for c in colours],
        "shape_count": [shapes.count(k) for k in shapes],
    }


def recolour_objects(grid: np.ndarray, objs: list[Obj], colours: list[int | None]) -> np.ndarray:
    """Each object painted one colour (None: left as it is)."""
    out = grid.copy()
    for o, c in zip(objs, colours):
        if c is not None:
            h, w = o.shape
            out[o.top:o.top + h, o.left:o.left + w][o.mask] = c
    return out


def component_sizes(grid: np.ndarray, b: int, diag: bool = True, by_colour: bool = True) -> np.ndarray:
    """Per cell, how many cells its component has (0 on background)."""
    labels, n = label(grid, b, diag, by_colour)
    if n == 0:
        return np.zeros(grid.shape, np.int64)
    sizes = np.bincount(labels[labels >= 0], minlength=n)
    return np.where(labels >= 0, sizes[np.maximum(labels, 0)], 0)


def remove_small(grid: np.ndarray, max_size: int, bg: int = 0, diag: bool = True,
                 by_colour: bool = True) -> np.ndarray | None:
    """Erase components of at most `max_size` cells (noise)."""
    b = resolve_bg(grid, bg)
    size = component_sizes(grid, b, diag, by_colour)
    small = (size > 0) & (size <= max_size)
    if not small.any():
        return None
    return np.where(small, np.uint8(b), grid).astype(np.uint8)


def remove_inside_boxes(grid: np.ndarray, bg: int = 0, diag: bool = True) -> np.ndarray | None:
    """Erase every object (one colour each) that lies wholly inside the bounding box of a larger object:
    what sits inside a shape's outline goes, what only touches it stays (9720b24f). None when nothing
    lies inside another, or for more than 60 objects."""
    b = resolve_bg(grid, bg)
    objs = objects(grid, b, diag, True)
    if len(objs) > 60:
        return None
    out = grid.copy()
    inside = False
    for a in objs:
        if any(o.size > a.size and o.top <= a.top and o.left <= a.left and a.top + a.height <= o.top + o.height
               and a.left + a.width <= o.left + o.width for o in objs):
            out[a.top:a.top + a.height, a.left:a.left + a.width][a.mask] = b
            inside = True
    return out if inside else None


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
    size = component_sizes(grid, resolve_bg(grid, bg), diag, False)
    if not 0 < size.max() <= 9:
        return None
    return size.astype(np.uint8)


def interior_cells(mask: np.ndarray) -> np.ndarray:
    """Cells of the mask whose 4 neighbours are all in it (outside the array counts as not)."""
    m = framed(mask, False)
    return mask & m[:-2, 1:-1] & m[2:, 1:-1] & m[1:-1, :-2] & m[1:-1, 2:]


def grow_mask(mask: np.ndarray, diag: bool = True) -> np.ndarray:
    """The mask grown by one cell: its 8 neighbours (4 without diag) join it."""
    m = framed(mask)
    h, w = mask.shape
    out = mask.copy()
    for dy in (0, 1, 2):
        for dx in (0, 1, 2):
            if diag or dy == 1 or dx == 1:
                out |= m[dy:dy + h, dx:dx + w]
    return out


def halo(grid: np.ndarray, colour: int, bg: int = 0, diag: bool = True, min_size: int = 1) -> np.ndarray | None:
    """Background cells touching a non-background cell (diagonals too with diag) painted `colour`; with
    min_size > 1 only cells of objects (4-connected, one colour) of at least that many cells count: pairs
    get a ring, lone cells do not (b27ca6d3)."""
    b = resolve_bg(grid, bg)
    fg = grid != b
    if min_size > 1:
        fg &= component_sizes(grid, b, False, True) >= min_size
    ring = grow_mask(fg, diag) & (grid == b)
    if not ring.any():
        return None
    out = grid.copy()
    out[ring] = colour
    return out


def outline(grid: np.ndarray, bg: int = 0) -> np.ndarray:
    """Hollow out: erase non-background cells whose 4 neighbours are all non-background."""
    b = resolve_bg(grid, bg)
    return np.where(interior_cells(grid != b), np.uint8(b), grid).astype(np.uint8)
