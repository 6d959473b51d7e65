"""Splitting a grid by separator lines or halves, and combining, overlaying, selecting or broadcasting
its parts.

    .venv/bin/python -m pytest tests/test_programs_splitting.py -q
"""
from __future__ import annotations

import numpy as np

from .base import MAX_SIDE, as_grid, most_common, resolve_bg
from .geometry import crop_to_content
from .objects import objects, unique_by_key, unique_extreme
from .symmetry import is_symmetric


def separator_lines(grid: np.ndarray) -> tuple[int, np.ndarray, np.ndarray] | None:
    """The colour of full-length separator lines and masks of separator rows/columns, or None.
    The lines must cut the grid into at least two parts. Preferred: a colour found only on its
    full lines, then parts of equal shape, then a non-background colour."""
    full_rows = (grid == grid[:, :1]).all(axis=1)
    full_cols = (grid == grid[:1, :]).all(axis=0)
    if not full_rows.any() and not full_cols.any():
        return None
    # only a colour that fills some row or column can make separator lines
    candidates = set(grid[full_rows, 0].tolist()) | set(grid[0, full_cols].tolist())
    bg = most_common(grid)
    best = None
    for c in sorted(candidates):
        is_c = grid == c
        rows = is_c.all(axis=1)
        cols = is_c.all(axis=0)
        if not rows.any() and not cols.any():
            continue
        rr, cc = false_runs(rows), false_runs(cols)
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


def false_runs(mask: np.ndarray) -> list[tuple[int, int]]:
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


MAX_OBJECT_PARTS = 9  # more objects than this are scattered things, not parts to combine


def split(grid: np.ndarray, mode: str = "sep") -> list[np.ndarray] | None:
    """Parts of the grid in reading order: between separator lines (mode 'sep', which may be empty
    lines of the background); halves side by side ('h2', an odd middle column left out) or stacked
    ('v2'); n equal parts side by side ('hN') or stacked ('vN') when n divides the side; an n x n grid
    of equal parts ('gN', n dividing both sides); the four corner windows of H x W cells ('cHxW': a
    picture folded onto itself, so together they leave out at most a middle line); the halves across the
    longer side ('long2': side by side in a wide grid, stacked in a tall one); the bounding boxes of the
    objects on the background, in reading order ('obj': several cards laid on a table, at most
    MAX_OBJECT_PARTS). None if there are fewer than two parts."""
    h, w = grid.shape
    if mode == "obj":
        objs = objects(grid, most_common(grid), True, False)
        if not 2 <= len(objs) <= MAX_OBJECT_PARTS:
            return None
        objs.sort(key=lambda o: (o.top, o.left))
        return [as_grid(grid[o.top:o.top + o.height, o.left:o.left + o.width]) for o in objs]
    if mode == "long2":
        if h == w:
            return None
        mode = "h2" if w > h else "v2"
    if mode[0] == "c":
        ky, kx = (int(v) for v in mode[1:].split("x"))
        if ky > h or kx > w or (ky, kx) == (h, w) or 2 * ky + 1 < h or 2 * kx + 1 < w:
            return None
        return [as_grid(grid[y:y + ky, x:x + kx]) for y in (0, h - ky) for x in (0, w - kx)]
    if mode[0] == "g" and mode[1:].isdigit():
        n = int(mode[1:])
        if n < 2 or h % n or w % n:
            return None
        ky, kx = h // n, w // n
        return [as_grid(grid[y:y + ky, x:x + kx]) for y in range(0, h, ky) for x in range(0, w, kx)]
    if mode[0] in "hv" and mode[1:].isdigit():
        n, side = int(mode[1:]), (w if mode[0] == "h" else h)
        if n < 2 or side < n or (n > 2 and side % n):
            return None
        k = side // n
        starts = [0, side - k] if n == 2 else range(0, side, k)
        return [as_grid(grid[:, a:a + k] if mode[0] == "h" else grid[a:a + k]) for a in starts]
    sep = separator_lines(grid)
    if sep is None:
        return None
    _, rows, cols = sep
    parts = [as_grid(grid[y0:y1, x0:x1]) for y0, y1 in false_runs(rows) for x0, x1 in false_runs(cols)]
    return parts if len(parts) >= 2 else None


def split_layout(grid: np.ndarray) -> tuple[int, int, list[np.ndarray]] | None:
    """(rows of parts, columns of parts, parts) for a grid cut by separator lines."""
    sep = separator_lines(grid)
    if sep is None:
        return None
    _, rows, cols = sep
    rr, cc = false_runs(rows), false_runs(cols)
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
    b = resolve_bg(grid, bg)
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


def mask_by_key(grid: np.ndarray, at_key_size: bool = False, bg: int = 0) -> np.ndarray | None:
    """Two pictures, one a one-colour mask and the other a key of several colours, whose sizes differ by
    an integer factor: the key's colours shown where the mask is set ("colour the shape by the key,
    scaled"). At the mask's size the key is scaled up; at the key's size (at_key_size) the mask is scaled
    down, a block counting as set when most of its cells are. The pictures are the non-empty parts between
    separator lines, else the objects (cells touching, diagonals included, of any colours), cropped."""
    g = as_grid(grid)
    b = resolve_bg(g, bg)
    for parts in _picture_pairs(g, b):
        pair = _mask_and_key(parts, b)
        if pair is None:
            continue
        mask, key = pair
        (mh, mw), (kh, kw) = mask.shape, key.shape
        if mh % kh or mw % kw or (mh, mw) == (kh, kw):
            continue
        fy, fx = mh // kh, mw // kw
        if not at_key_size:
            return as_grid(np.where(mask != b, np.repeat(np.repeat(key, fy, 0), fx, 1), b))
        share = (mask != b).reshape(kh, fy, kw, fx).mean(axis=(1, 3))
        return as_grid(np.where(share > 0.5, key, b))
    return None


def kron_by_key(grid: np.ndarray, mode: str = "h2", bg: int = 0) -> np.ndarray | None:
    """The grid cut in two parts (split's `mode`), a one-colour mask and a key of several colours: each key
    cell becomes a copy of the mask in that cell's colour (empty where the key is background), so the
    result is the key's size times the mask's."""
    g = as_grid(grid)
    b = resolve_bg(g, bg)
    parts = split(g, mode)
    pair = None if parts is None or len(parts) != 2 else _mask_and_key(parts, b)
    if pair is None:
        return None
    mask, key = pair
    (mh, mw), (kh, kw) = mask.shape, key.shape
    if kh * mh > MAX_SIDE or kw * mw > MAX_SIDE:
        return None
    on = mask != b
    big_key = np.repeat(np.repeat(key, mh, 0), mw, 1)
    return as_grid(np.where(np.tile(on, (kh, kw)) & (big_key != b), big_key, b))


def _mask_and_key(parts: list[np.ndarray], b: int) -> tuple[np.ndarray, np.ndarray] | None:
    """(mask, key) of two pictures when one has a single non-background colour and the other several."""
    n_colours = [len(set(np.unique(p).tolist()) - {b}) for p in parts]
    if sorted(n_colours)[0] != 1 or max(n_colours) < 2:
        return None
    return (parts[0], parts[1]) if n_colours[0] == 1 else (parts[1], parts[0])


def _picture_pairs(g: np.ndarray, b: int):
    """Two pictures of the grid, each way mask_by_key reads them: the non-empty parts between separator
    lines (cropped to their content when the lines are rows of background), then the objects."""
    parts = split(g, "sep")
    if parts is not None:
        parts = [p for p in parts if (p != b).any()]
        if len(parts) == 2:
            yield [crop_to_content(p, b) for p in parts] if separator_lines(g)[0] == b else parts
    objs = objects(g, b, True, False)
    boxes = [as_grid(o.patch) for o in objs]  # the object alone: another may lie inside its box
    if len(objs) == 2:
        yield boxes
    elif len(objs) > 2:  # the one object of several colours is the key; the rest, together, the mask
        keys = [i for i, o in enumerate(objs) if o.n_colours > 1]
        if len(keys) == 1:
            o = objs[keys[0]]
            rest = g.copy()
            rest[o.top:o.top + o.shape[0], o.left:o.left + o.shape[1]][o.mask] = b
            yield [boxes[keys[0]], crop_to_content(rest, b)]


def overlay_parts(grid: np.ndarray, reverse: bool = False, mode: str = "sep", bg: int = 0,
                  own_base: bool = False) -> np.ndarray | None:
    """Stack the parts: the first part's non-background cells on top (or the last, reverse=True). With
    `own_base`, the parts' own most common colour is the see-through one (cards of one colour, each
    with a few marks, laid on top of each other)."""
    parts = split(grid, mode)
    if parts is None or len({p.shape for p in parts}) != 1:
        return None
    b = most_common(np.concatenate([p.ravel() for p in parts])[None]) if own_base else resolve_bg(grid, bg)
    order = parts if reverse else parts[::-1]
    out = np.full_like(parts[0], b)
    for p in order:
        out = np.where(p != b, p, out)
    return as_grid(out)


def overlay_by_precedence(grid: np.ndarray, beats: np.ndarray, mode: str = "sep", bg: int = 0) -> np.ndarray | None:
    """Stack the equal parts, each cell taking, of the colours the parts put there, the one that beats
    all the others (beats[a, b]: colour a wins over colour b); background where no part has a colour.
    None when a cell's colours have no single winner."""
    parts = split(grid, mode)
    if parts is None or len({p.shape for p in parts}) != 1:
        return None
    b = resolve_bg(grid, bg)
    stack = np.stack(parts)
    present = [(stack == c).any(axis=0) & (c != b) for c in range(10)]
    out = np.full_like(parts[0], b)
    decided = np.zeros(parts[0].shape, bool)
    for c in range(10):
        wins = present[c].copy()
        for d in range(10):
            if d != c and not beats[c, d]:
                wins &= ~present[d]
        if (wins & decided).any():
            return None
        out[wins] = c
        decided |= wins
    if (np.logical_or.reduce(present) & ~decided).any():
        return None
    return as_grid(out)


PART_SELECTORS = ("unique", "unique_colours", "most_cells", "fewest_cells", "most_colours", "fewest_colours",
                  "first", "last", "odd_symmetry")


def select_part(grid: np.ndarray, how: str, mode: str = "sep", bg: int = 0) -> np.ndarray | None:
    """One part of a split grid: the odd one out (by content, by its set of colours, or by which mirror
    symmetries it has), the one with most/fewest cells or colours, or the first or last."""
    b = resolve_bg(grid, bg)
    parts = split(grid, mode)
    if parts is None:
        return None
    i = _pick_part(parts, how, b)
    return None if i is None else parts[i]


def _pick_part(parts: list[np.ndarray], how: str, b: int) -> int | None:
    if how in ("first", "last"):
        return 0 if how == "first" else len(parts) - 1
    if how == "unique":
        return unique_by_key([p.shape + (p.tobytes(),) for p in parts])
    if how == "unique_colours":
        return unique_by_key([tuple(np.unique(p[p != b])) for p in parts])
    if how == "odd_symmetry":
        return unique_by_key([symmetries(p) for p in parts])
    if how in ("most_cells", "fewest_cells"):
        return unique_extreme([int((p != b).sum()) for p in parts], how == "most_cells")
    return unique_extreme([len(np.unique(p[p != b])) for p in parts], how == "most_colours")


def symmetries(grid: np.ndarray) -> tuple[bool, ...]:
    """Which of the mirror symmetries (left-right, up-down, both diagonals) the grid has."""
    return tuple(is_symmetric(grid, kind) for kind in ("lr", "ud", "diag", "antidiag"))


def only_filled_part(grid: np.ndarray, n: int, bg: int = 0) -> np.ndarray | None:
    """The grid cut into an n x n grid of equal parts: the one part with any non-background cell."""
    parts = split(grid, f"g{n}")
    if parts is None:
        return None
    b = resolve_bg(grid, bg)
    filled = [i for i, p in enumerate(parts) if (p != b).any()]
    return parts[filled[0]] if len(filled) == 1 else None


def part_boxes(grid: np.ndarray) -> list[tuple[int, int, int, int]] | None:
    """(top, bottom, left, right) of each part of a grid cut by separator lines into two or more parts
    of one shape, in reading order; None otherwise."""
    sep = separator_lines(grid)
    if sep is None:
        return None
    _, rows, cols = sep
    boxes = [(y0, y1, x0, x1) for y0, y1 in false_runs(rows) for x0, x1 in false_runs(cols)]
    if len(boxes) < 2 or len({(y1 - y0, x1 - x0) for y0, y1, x0, x1 in boxes}) != 1:
        return None
    return boxes


def pick_part(grid: np.ndarray, boxes: list[tuple[int, int, int, int]], how: str, bg: int = 0) -> int | None:
    """Which of the parts in `boxes` `how` (PART_SELECTORS) picks."""
    return _pick_part([grid[y0:y1, x0:x1] for y0, y1, x0, x1 in boxes], how, resolve_bg(grid, bg))


def _chosen_part(grid: np.ndarray, how: str, bg: int) -> tuple[list[tuple[int, int, int, int]], int] | None:
    """(the parts' boxes, the index of the one `how` picks) for a grid cut by separator lines into equal
    parts; None when it is not so cut or `how` picks none."""
    boxes = part_boxes(grid)
    i = None if boxes is None else pick_part(grid, boxes, how, bg)
    return None if i is None else (boxes, i)


def broadcast_part(grid: np.ndarray, how: str, bg: int = 0, marked: bool = False) -> np.ndarray | None:
    """A grid cut by separator lines into equal parts: the part chosen by `how` copied into every part;
    with `marked`, only into the parts that differ from the commonest one (the first in reading order
    among equally common ones; a dot marks where the copies go, the plain parts stay). None when
    `marked` finds no such part."""
    chosen = _chosen_part(grid, how, bg)
    if chosen is None:
        return None
    boxes, i = chosen
    y0, y1, x0, x1 = boxes[i]
    if marked:
        keys = [grid[t:b, l:r].tobytes() for t, b, l, r in boxes]
        plain = max(keys, key=keys.count)  # (not over a set: its order follows the string hash seed)
        boxes = [box for box, k in zip(boxes, keys) if k != plain]
        if len(boxes) < 2:
            return None
    out = grid.copy()
    for t, b, l, r in boxes:
        out[t:b, l:r] = grid[y0:y1, x0:x1]
    return as_grid(out)


def _lattice(boxes: list[tuple[int, int, int, int]]) -> tuple[int, int]:
    """(rows, columns) of parts in a lattice of part_boxes."""
    return len({b[0] for b in boxes}), len({b[2] for b in boxes})


def spread_part(grid: np.ndarray, how: str, bg: int = 0) -> np.ndarray | None:
    """A grid cut by separator lines into R x C equal parts of R x C cells: the colour of cell (i, j) of the
    part chosen by `how` painted over the whole of part (i, j) (a background cell empties its part)."""
    chosen = _chosen_part(grid, how, bg)
    if chosen is None:
        return None
    boxes, i = chosen
    shape = _lattice(boxes)
    y0, y1, x0, x1 = boxes[i]
    if (y1 - y0, x1 - x0) != shape:
        return None
    chosen = grid[y0:y1, x0:x1]
    out = grid.copy()
    for k, (t, b, l, r) in enumerate(boxes):
        out[t:b, l:r] = chosen[divmod(k, shape[1])]
    return as_grid(out)


def part_to_marker(grid: np.ndarray, colour: int, bg: int = 0) -> np.ndarray | None:
    """A grid cut by separator lines into R x C equal parts of at least R x C cells: the one part holding a
    single cell of `colour` copied to the part whose place in the lattice is that cell's place in its part
    (its row and column in the part, scaled down to the lattice when the part is larger); every other
    part emptied to the background. Cells of the separators' colour inside the part are not copied (they
    are noise there)."""
    boxes = part_boxes(grid)
    if boxes is None:
        return None
    holding = [k for k, (t, b, l, r) in enumerate(boxes) if (grid[t:b, l:r] == colour).any()]
    if len(holding) != 1:
        return None
    t, b, l, r = boxes[holding[0]]
    part = grid[t:b, l:r]
    ys, xs = np.nonzero(part == colour)
    rows, cols = _lattice(boxes)
    if len(ys) != 1 or part.shape[0] < rows or part.shape[1] < cols:
        return None
    target = int(ys[0]) * rows // part.shape[0], int(xs[0]) * cols // part.shape[1]
    b_ = resolve_bg(grid, bg)
    out = grid.copy()
    for t2, b2, l2, r2 in boxes:
        out[t2:b2, l2:r2] = b_
    t2, b2, l2, r2 = boxes[target[0] * cols + target[1]]
    out[t2:b2, l2:r2] = np.where(part == separator_lines(grid)[0], b_, part)
    return as_grid(out)


def part_counts(grid: np.ndarray) -> np.ndarray | None:
    """A grid divided by separator lines -> one pixel per cell: how many of the cell's cells are not the
    cells' background (the most common colour inside the cells), at most 9. A colour map after it says
    what each count means ("a cell holding two dots lights up")."""
    lay = split_layout(grid)
    if lay is None:
        return None
    nr, nc, parts = lay
    b = most_common(np.concatenate([p.ravel() for p in parts]))
    counts = [min(9, int((p != b).sum())) for p in parts]
    return as_grid(np.array(counts, np.uint8).reshape(nr, nc))


def cells_to_pixels(grid: np.ndarray) -> np.ndarray | None:
    """A grid divided by separator lines -> one pixel per cell (the cell's most common colour)."""
    lay = split_layout(grid)
    if lay is None:
        return None
    nr, nc, parts = lay
    colours = [most_common(p) for p in parts]
    return as_grid(np.array(colours, np.uint8).reshape(nr, nc))
