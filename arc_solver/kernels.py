"""Numba kernels for views: batch apply + encode, batch decode + invert, grid hashing.

    python -m pytest tests/test_kernels.py -q
    arc-solver bench kernels

Every kernel has a plain NumPy reference (`*_reference`) that the tests compare it with.

Token vocabulary (12 tokens): PAD=0, EOS=1, colour c -> c + 2. A transformed grid of shape (H, W)
is written into an S x S canvas at its view's offset (oy, ox); the row just below it (columns
ox..ox+W, corner included) and the column just right of it (rows oy..oy+H) are EOS where they
fit inside the canvas; everything else is PAD.

Decoding reads the canvas from the view's offset: width = run of colour tokens along row oy from
column ox; height = number of consecutive rows from oy whose first `width` cells (from ox) are all
colour tokens. The rectangle is then mapped back through the inverse dihedral and colour
permutation. An empty rectangle (the offset cell is not a colour token, or the offset lies outside
the canvas) decodes to None.

Two levels of API:
  - lists of grids / `View`s: `encode_views`, `decode_views`, `canvas_side`, `hash_grid`, `hash_grids`;
  - pre-packed arrays for the hot loops (model batches): `pack_grids` -> `Packed`,
    `pack_views` -> `PackedViews`, `encode_packed` / `decode_packed` (one side S for the batch),
    `encode_ragged` / `decode_ragged` (a side per view, all in one `CanvasBatch` buffer and one
    kernel call), `plan_groups` (sort views into canvas-size groups), `canvas_side_packed`,
    `hash_packed`. Per-group canvases without copies:

        order, sides = plan_groups(packed, views, grid_index)
        batch = encode_ragged(packed, views.take(order), sides, grid_index[order])
        for lo, hi, canvases in batch.groups(): ...   # canvases: uint8 [hi-lo, S, S]
Packing itself is one `np.concatenate` (a C loop already; a Numba kernel cannot take a ragged
Python list without a conversion that costs more than the copy).

Thread count: numba's own (`numba.set_num_threads`), or the `threads(n)` context manager here.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator, Sequence

import numba
import numpy as np
from numba import njit, prange

from .views import SWAPS, View, dihedral, inverse_dihedral

PAD, EOS, COLOUR0 = 0, 1, 2  # colour c is token c + COLOUR0
MAX_SIDE = 30


# --- packed containers -------------------------------------------------------

@dataclass(frozen=True)
class Packed:
    """Ragged grids in flat buffers: grid i is data[starts[i]: starts[i] + h*w].reshape(h, w)."""
    data: np.ndarray  # uint8 [sum of h*w]
    shapes: np.ndarray  # int32 [B, 2]: (h, w); (0, 0) marks a missing grid (decode failures)
    starts: np.ndarray  # int64 [B]

    def __len__(self) -> int:
        return len(self.shapes)

    def grid(self, i: int) -> np.ndarray | None:
        h, w = int(self.shapes[i, 0]), int(self.shapes[i, 1])
        if h == 0 or w == 0:
            return None
        s = int(self.starts[i])
        return self.data[s:s + h * w].reshape(h, w)

    def unpack(self) -> list[np.ndarray | None]:
        return [self.grid(i) for i in range(len(self))]


@dataclass(frozen=True)
class PackedViews:
    dihedral: np.ndarray  # uint8 [B]
    perm: np.ndarray  # uint8 [B, 10]: colour c -> perm[b, c]
    offset: np.ndarray  # int32 [B, 2]: (oy, ox)

    def __len__(self) -> int:
        return len(self.dihedral)

    def take(self, idx: np.ndarray) -> "PackedViews":
        return PackedViews(self.dihedral[idx], self.perm[idx], self.offset[idx])

    @property
    def inverse_perm(self) -> np.ndarray:
        # argsort of a permutation is its inverse.
        return np.argsort(self.perm, axis=1).astype(np.uint8)


# Upper bounds (inclusive) of canvas-side groups for `plan_groups`.
GROUP_SIDES = (6, 8, 10, 12, 14, 16, 20, 24, 30)


@dataclass(frozen=True)
class CanvasBatch:
    """Square canvases of varying sides back to back in one buffer (one kernel call for all):
    canvas b is flat[starts[b]: starts[b] + sides[b]**2].reshape(sides[b], sides[b])."""
    flat: np.ndarray  # uint8
    sides: np.ndarray  # int32 [B]
    starts: np.ndarray  # int64 [B]

    def __len__(self) -> int:
        return len(self.sides)

    @staticmethod
    def empty(sides: np.ndarray) -> "CanvasBatch":
        sides = np.ascontiguousarray(sides, dtype=np.int32)
        cells = sides.astype(np.int64) ** 2
        starts = np.zeros(len(sides), dtype=np.int64)
        np.cumsum(cells[:-1], out=starts[1:])
        return CanvasBatch(np.empty(int(cells.sum()), dtype=np.uint8), sides, starts)

    @staticmethod
    def of_array(canvases: np.ndarray) -> "CanvasBatch":
        """Wrap a C-contiguous uint8 [B, S, S] array without copying."""
        n, side = canvases.shape[0], canvases.shape[1]
        return CanvasBatch(canvases.reshape(-1), np.full(n, side, np.int32),
                           np.arange(n, dtype=np.int64) * side * side)

    def canvas(self, b: int) -> np.ndarray:
        s, side = int(self.starts[b]), int(self.sides[b])
        return self.flat[s:s + side * side].reshape(side, side)

    def groups(self) -> list[tuple[int, int, np.ndarray]]:
        """(lo, hi, canvases[lo:hi] as one [hi-lo, S, S] array) for each run of equal sides.
        The arrays are views of `flat` when the canvases are back to back (as `empty` lays them)."""
        cuts = [0, *(np.flatnonzero(np.diff(self.sides)) + 1).tolist(), len(self)]
        out = []
        for lo, hi in zip(cuts[:-1], cuts[1:]):
            if hi > lo:
                side, s = int(self.sides[lo]), int(self.starts[lo])
                out.append((lo, hi, self.flat[s:s + (hi - lo) * side * side].reshape(hi - lo, side, side)))
        return out


def pack_grids(grids: Sequence[np.ndarray]) -> Packed:
    shapes = np.zeros((len(grids), 2), dtype=np.int32)
    flats = []
    for i, g in enumerate(grids):
        if g.ndim != 2:
            raise ValueError(f"grid {i} is not 2-D: shape {g.shape}")
        shapes[i] = g.shape
        flats.append(np.ascontiguousarray(g, dtype=np.uint8).ravel())
    data = np.concatenate(flats) if flats else np.zeros(0, np.uint8)
    if data.size and data.max() > 9:
        raise ValueError("grid values must be colours 0..9")
    sizes = shapes[:, 0].astype(np.int64) * shapes[:, 1]
    starts = np.zeros(len(grids), dtype=np.int64)
    np.cumsum(sizes[:-1], out=starts[1:])
    return Packed(data, shapes, starts)


def pack_views(views: Sequence[View] | PackedViews) -> PackedViews:
    if isinstance(views, PackedViews):
        return views
    n = len(views)
    return PackedViews(
        dihedral=np.fromiter((v.dihedral for v in views), dtype=np.uint8, count=n),
        perm=np.array([v.perm for v in views], dtype=np.uint8).reshape(n, 10),
        offset=np.array([v.offset for v in views], dtype=np.int32).reshape(n, 2),
    )


@contextmanager
def threads(n: int) -> Iterator[int]:
    """Run the kernels with n threads inside the block (clipped to numba's pool), then restore."""
    before = numba.get_num_threads()
    n = max(1, min(int(n), numba.config.NUMBA_NUM_THREADS))
    numba.set_num_threads(n)
    try:
        yield n
    finally:
        numba.set_num_threads(before)


def usable_cores() -> int:
    """The cores this process may run on: its CPU affinity (a container's or `taskset`'s cpuset), not the
    machine's count, which would oversubscribe a process limited to some of them."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # no affinity on this platform (macOS, Windows)
        return os.cpu_count() or 1


def set_thread_share(n: int) -> int:
    """Give this process n threads, in the Numba kernels and in torch alike, for the rest of the run.

    Numba's OpenMP threading layer, when it starts (at the first parallel kernel), resets OpenMP's thread
    count, which torch reads: a worker set to 1 thread would find torch back at all cores and the machine
    oversubscribed. So the layer is started here first, with a one-grid kernel call, then both are set.
    """
    import torch

    n = max(1, min(int(n), numba.config.NUMBA_NUM_THREADS))
    encode_views([np.zeros((1, 1), np.uint8)], [View(0, tuple(range(10)))], 2)
    numba.set_num_threads(n)
    torch.set_num_threads(n)
    return n


def _view_shapes(shapes: np.ndarray, dihedrals: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    swap = np.isin(dihedrals, list(SWAPS))
    return np.where(swap, shapes[:, 1], shapes[:, 0]), np.where(swap, shapes[:, 0], shapes[:, 1])


# --- Numba kernels -----------------------------------------------------------

@njit(cache=True)
def _affine(d, h, w):
    """Flat source index in the original (h, w) grid of cell (i, j) of dihedral(g, d) is
    a0 + i*ai + j*aj (table in views.py). One affine map keeps the inner loops branch-free."""
    if d == 0:
        return 0, w, 1
    if d == 1:
        return w - 1, -1, w
    if d == 2:
        return h * w - 1, -w, -1
    if d == 3:
        return (h - 1) * w, 1, -w
    if d == 4:
        return 0, 1, w
    if d == 5:
        return (h - 1) * w, -w, 1
    if d == 6:
        return h * w - 1, -1, -w
    return w - 1, w, -1


@njit(cache=True)
def _swaps(d):
    return d == 1 or d == 3 or d == 4 or d == 6


# prange hands each thread one contiguous share of the loop. Batches come sorted by canvas size
# (plan_groups), so contiguous shares would give one thread all the small canvases and another
# all the large ones (measured: 1.24x from 1 to 2 threads). The kernels therefore loop over
# blocks of BLOCK views in a strided order: any run of consecutive blocks samples the whole
# batch, so every thread gets a fair mix, while each block stays contiguous in memory.
BLOCK = 64


@njit(cache=True)
def _block_stride(nb):
    """A stride coprime to nb near nb / golden ratio: q -> (q * stride) % nb visits every block once."""
    s = max(1, int(nb * 0.6180339887))
    while True:
        a, c = s, nb
        while c:
            a, c = c, a % c
        if a == 1:
            return s
        s += 1


@njit(cache=True)
def _encode_one(b, data, shapes, starts, grid_index, dihedrals, perms, offsets, sides, cstarts, out):
    # Canvas b is out[cstarts[b]: cstarts[b] + S*S] with S = sides[b], row-major.
    g = grid_index[b]
    h, w = shapes[g, 0], shapes[g, 1]
    d = dihedrals[b]
    hh, ww = (w, h) if _swaps(d) else (h, w)
    a0, ai, aj = _affine(d, h, w)
    a0 += starts[g]
    side, c0 = sides[b], cstarts[b]
    oy, ox = offsets[b, 0], offsets[b, 1]
    for k in range(side * side):
        out[c0 + k] = 0
    for i in range(hh):
        src = a0 + i * ai
        dst = c0 + (oy + i) * side + ox
        for j in range(ww):
            out[dst + j] = perms[b, data[src + j * aj]] + 2
    if oy + hh < side:  # EOS row below, corner included
        for c in range(ox, min(ox + ww + 1, side)):
            out[c0 + (oy + hh) * side + c] = 1
    if ox + ww < side:  # EOS column to the right
        for r in range(oy, min(oy + hh + 1, side)):
            out[c0 + r * side + ox + ww] = 1


@njit(parallel=True, cache=True)
def _encode_kernel(data, shapes, starts, grid_index, dihedrals, perms, offsets, sides, cstarts, out):
    n = sides.shape[0]
    nb = (n + BLOCK - 1) // BLOCK
    stride = _block_stride(nb)
    for q in prange(nb):
        lo = (q * stride) % nb * BLOCK
        for b in range(lo, min(n, lo + BLOCK)):
            _encode_one(b, data, shapes, starts, grid_index, dihedrals, perms, offsets, sides, cstarts, out)


@njit(cache=True)
def _measure_one(b, canvases, sides, cstarts, offsets, dims):
    # View-frame (H, W) of the rectangle of colour tokens at the view's offset; (0, 0) if none.
    side, c0 = sides[b], cstarts[b]
    oy, ox = offsets[b, 0], offsets[b, 1]
    if oy >= side or ox >= side:
        return
    row0 = c0 + oy * side + ox
    ww = 0
    while ox + ww < side and 2 <= canvases[row0 + ww] <= 11:
        ww += 1
    if ww == 0:
        return
    hh = 0
    while oy + hh < side:
        ok = True
        for j in range(ww):
            t = canvases[row0 + hh * side + j]
            if t < 2 or t > 11:
                ok = False
                break
        if not ok:
            break
        hh += 1
    dims[b, 0], dims[b, 1] = hh, ww


@njit(cache=True)
def _invert_one(b, canvases, sides, cstarts, dihedrals, inv_perms, offsets, dims, shapes, starts, data):
    if dims[b, 0] == 0:
        return
    sd = sides[b]
    top = cstarts[b] + offsets[b, 0] * sd + offsets[b, 1]
    s0, si, sj = _affine(dihedrals[b], shapes[b, 0], shapes[b, 1])
    s0 += starts[b]
    for i in range(dims[b, 0]):
        row = s0 + i * si
        src = top + i * sd
        for j in range(dims[b, 1]):
            data[row + j * sj] = inv_perms[b, canvases[src + j] - 2]


@njit(parallel=True, cache=True)
def _decode_kernel(canvases, sides, cstarts, dihedrals, inv_perms, offsets):
    n = sides.shape[0]
    nb = (n + BLOCK - 1) // BLOCK
    stride = _block_stride(nb)
    dims = np.zeros((n, 2), dtype=np.int32)  # view-frame (H, W) of each decoded rectangle
    for q in prange(nb):
        lo = (q * stride) % nb * BLOCK
        for b in range(lo, min(n, lo + BLOCK)):
            _measure_one(b, canvases, sides, cstarts, offsets, dims)
    shapes = np.zeros((n, 2), dtype=np.int32)
    starts = np.zeros(n, dtype=np.int64)
    total = 0
    for b in range(n):  # serial prefix sum: n additions, negligible next to the copies
        if _swaps(dihedrals[b]):
            shapes[b, 0], shapes[b, 1] = dims[b, 1], dims[b, 0]
        else:
            shapes[b, 0], shapes[b, 1] = dims[b, 0], dims[b, 1]
        starts[b] = total
        total += dims[b, 0] * dims[b, 1]
    data = np.empty(total, dtype=np.uint8)
    for q in prange(nb):
        lo = (q * stride) % nb * BLOCK
        for b in range(lo, min(n, lo + BLOCK)):
            _invert_one(b, canvases, sides, cstarts, dihedrals, inv_perms, offsets, dims, shapes, starts, data)
    return data, shapes, starts


_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


@njit(cache=True)
def _mix64(z):
    # splitmix64 finaliser: a bijection on 64-bit words that scrambles every bit.
    z = (z ^ (z >> np.uint64(30))) * _M1
    z = (z ^ (z >> np.uint64(27))) * _M2
    return z ^ (z >> np.uint64(31))


@njit(cache=True)
def _hash_cells(data, start, h, w):
    # Sum of mixed (position, colour) keys, then the shape mixed in: equal cells in another shape
    # (1x4 vs 4x1) give another hash.
    acc = np.uint64(0)
    for k in range(h * w):
        acc += _mix64(np.uint64(k) * np.uint64(16) + np.uint64(data[start + k]) + np.uint64(1))
    shape_key = (np.uint64(h) << np.uint64(32)) | np.uint64(w)
    return _mix64(acc ^ _mix64(shape_key + _GOLDEN))


@njit(parallel=True, cache=True)
def _hash_kernel(data, shapes, starts, out):
    for b in prange(shapes.shape[0]):
        out[b] = _hash_cells(data, starts[b], shapes[b, 0], shapes[b, 1])


# --- public array API ----------------------------------------------------------

def _needed_sides(packed: Packed, views: PackedViews, grid_index: np.ndarray | None, cap: int) -> np.ndarray:
    shapes = packed.shapes if grid_index is None else packed.shapes[grid_index]
    hh, ww = _view_shapes(shapes, views.dihedral)
    ends_y, ends_x = views.offset[:, 0] + hh, views.offset[:, 1] + ww
    if len(shapes) and (ends_y.max() > cap or ends_x.max() > cap):
        raise ValueError(f"a transformed grid at its offset does not fit a {cap}x{cap} canvas")
    return np.minimum(cap, np.maximum(ends_y, ends_x) + 1)


def canvas_side_packed(packed: Packed, views: PackedViews, grid_index: np.ndarray | None = None,
                       cap: int = MAX_SIDE) -> int:
    """Smallest S fitting every transformed grid at its offset plus its EOS row/column, capped at
    `cap` (at the cap the EOS may fall outside; a grid itself must fit)."""
    need = _needed_sides(packed, views, grid_index, cap)
    return int(need.max()) if len(need) else 1


def plan_groups(packed: Packed, views: PackedViews, grid_index: np.ndarray | None = None,
                bounds: Sequence[int] = GROUP_SIDES) -> tuple[np.ndarray, np.ndarray]:
    """Order views by the canvas they need and give each group (needed side <= bound) the smallest
    side fitting all its members. Returns (order, sides): view order[k] gets a sides[k] canvas, and
    equal sides are consecutive, so `CanvasBatch.groups()` yields one [n, S, S] array per group."""
    need = _needed_sides(packed, views, grid_index, MAX_SIDE)
    bucket = np.searchsorted(np.asarray(bounds), need)
    order = np.argsort(bucket, kind="stable")
    group_side = np.zeros(len(bounds) + 1, dtype=np.int32)
    np.maximum.at(group_side, bucket, need)
    return order, group_side[bucket[order]]


def encode_ragged(packed: Packed, views: PackedViews, sides: np.ndarray, grid_index: np.ndarray | None = None,
                  out: CanvasBatch | None = None) -> CanvasBatch:
    """Apply views[b] to grid grid_index[b] (default b) and encode it into a sides[b] canvas; all
    canvases back to back in one buffer, in one parallel kernel call."""
    n = len(views)
    gi = np.arange(n, dtype=np.int64) if grid_index is None else np.ascontiguousarray(grid_index, dtype=np.int64)
    sides = np.ascontiguousarray(sides, dtype=np.int32)
    if len(gi) != n or len(sides) != n:
        raise ValueError(f"{n} views, {len(gi)} grid indices, {len(sides)} sides")
    if n and (gi.min() < 0 or gi.max() >= len(packed)):
        raise ValueError("grid_index out of range")
    if n:
        hh, ww = _view_shapes(packed.shapes[gi], views.dihedral)
        if ((views.offset[:, 0] + hh) > sides).any() or ((views.offset[:, 1] + ww) > sides).any():
            raise ValueError("a transformed grid at its offset does not fit its canvas")
    if out is None:
        out = CanvasBatch.empty(sides)
    elif not np.array_equal(out.sides, sides):
        raise ValueError("out has other canvas sides")
    _encode_kernel(packed.data, packed.shapes, packed.starts, gi,
                   np.ascontiguousarray(views.dihedral, dtype=np.uint8),
                   np.ascontiguousarray(views.perm, dtype=np.uint8),
                   np.ascontiguousarray(views.offset, dtype=np.int32), sides, out.starts, out.flat)
    return out


def encode_packed(packed: Packed, views: PackedViews, side: int, grid_index: np.ndarray | None = None,
                  out: np.ndarray | None = None) -> np.ndarray:
    """Like `encode_ragged` with one side for all: canvases uint8 [B, side, side].
    `out`, if given, is reused (must be uint8, C-contiguous, [B, side, side])."""
    n = len(views)
    if out is None:
        out = np.empty((n, side, side), dtype=np.uint8)
    elif out.shape != (n, side, side) or out.dtype != np.uint8 or not out.flags.c_contiguous:
        raise ValueError(f"out must be a C-contiguous uint8 array of shape {(n, side, side)}")
    encode_ragged(packed, views, np.full(n, side, np.int32), grid_index, CanvasBatch.of_array(out))
    return out


def decode_ragged(batch: CanvasBatch, views: PackedViews) -> Packed:
    """Decode each canvas at its view's offset and invert the view. Failures get shape (0, 0)."""
    if len(batch) != len(views):
        raise ValueError(f"{len(batch)} canvases for {len(views)} views")
    data, shapes, starts = _decode_kernel(batch.flat, batch.sides, batch.starts,
                                          np.ascontiguousarray(views.dihedral, dtype=np.uint8),
                                          views.inverse_perm,
                                          np.ascontiguousarray(views.offset, dtype=np.int32))
    return Packed(data, shapes, starts)


def decode_packed(canvases: np.ndarray, views: PackedViews) -> Packed:
    """`decode_ragged` for canvases [B, S, S] (any integer dtype; tokens outside 0..11 count as junk)."""
    if canvases.ndim != 3 or canvases.shape[1] != canvases.shape[2]:
        raise ValueError(f"canvases must be [B, S, S], got {canvases.shape}")
    if canvases.dtype != np.uint8:
        canvases = np.clip(canvases, 0, 255).astype(np.uint8)
    return decode_ragged(CanvasBatch.of_array(np.ascontiguousarray(canvases)), views)


def hash_packed(packed: Packed) -> np.ndarray:
    """64-bit hashes (uint64 [B]) of packed grids; equal to `hash_grid` of each."""
    out = np.empty(len(packed), dtype=np.uint64)
    _hash_kernel(packed.data, packed.shapes, packed.starts, out)
    return out


# --- public list API ------------------------------------------------------------

def canvas_side(grids: Sequence[np.ndarray], views: Sequence[View] | PackedViews) -> int:
    """Smallest S fitting views[i] of grids[i] at its offset plus EOS row/column, capped at 30."""
    if len(grids) != len(views):
        raise ValueError(f"{len(grids)} grids for {len(views)} views")
    shapes = np.array([g.shape for g in grids], dtype=np.int32).reshape(-1, 2)
    return canvas_side_packed(Packed(np.zeros(0, np.uint8), shapes, np.zeros(len(grids), np.int64)),
                              pack_views(views))


def encode_views(grids: Sequence[np.ndarray], views: Sequence[View] | PackedViews,
                 side: int | None = None) -> np.ndarray:
    """Canvases uint8 [B, S, S] of views[i] applied to grids[i]; S defaults to `canvas_side`."""
    if len(grids) != len(views):
        raise ValueError(f"{len(grids)} grids for {len(views)} views")
    pv = pack_views(views)
    if side is None:
        side = canvas_side(grids, pv)
    return encode_packed(pack_grids(grids), pv, side)


def decode_views(canvases: np.ndarray, views: Sequence[View] | PackedViews) -> list[np.ndarray | None]:
    """Grids in the task's own frame decoded from canvases [B, S, S]; None where nothing decodes."""
    return decode_packed(canvases, pack_views(views)).unpack()


def hash_grid(grid: np.ndarray) -> int:
    """64-bit hash (0 <= h < 2**64) of a grid's shape and cells; equal grids give equal hashes."""
    g = np.ascontiguousarray(grid, dtype=np.uint8)
    if g.ndim != 2:
        raise ValueError(f"grid must be 2-D, got shape {g.shape}")
    return int(_hash_cells(g.ravel(), 0, g.shape[0], g.shape[1]))


def hash_grids(grids: Sequence[np.ndarray]) -> list[int]:
    """`hash_grid` of each grid, in one kernel call (an empty list gives an empty list)."""
    return hash_packed(pack_grids(grids)).tolist() if len(grids) else []


# --- NumPy references ------------------------------------------------------------

def encode_views_reference(grids: Sequence[np.ndarray], views: Sequence[View], side: int) -> np.ndarray:
    out = np.zeros((len(grids), side, side), dtype=np.uint8)
    for b, (g, v) in enumerate(zip(grids, views)):
        t = np.asarray(v.perm, dtype=np.uint8)[dihedral(g, v.dihedral)] + COLOUR0
        (oy, ox), (hh, ww) = v.offset, t.shape
        out[b, oy:oy + hh, ox:ox + ww] = t
        out[b, oy + hh:oy + hh + 1, ox:ox + ww + 1] = EOS  # empty slice where it does not fit
        out[b, oy:oy + hh + 1, ox + ww:ox + ww + 1] = EOS
    return out


def decode_views_reference(canvases: np.ndarray, views: Sequence[View]) -> list[np.ndarray | None]:
    res: list[np.ndarray | None] = []
    for c, v in zip(canvases, views):
        oy, ox = v.offset
        is_colour = (c >= COLOUR0) & (c <= COLOUR0 + 9)
        row = is_colour[oy, ox:] if oy < c.shape[0] else np.zeros(0, bool)
        ww = int(np.argmin(row)) if row.size and not row.all() else row.size
        if ww == 0:
            res.append(None)
            continue
        rows_ok = is_colour[oy:, ox:ox + ww].all(axis=1)
        hh = int(np.argmin(rows_ok)) if not rows_ok.all() else rows_ok.size
        block = c[oy:oy + hh, ox:ox + ww] - COLOUR0
        inv = np.asarray(v.inverse_perm, dtype=np.uint8)
        res.append(inv[dihedral(block, inverse_dihedral(v.dihedral))])
    return res


def _mix64_reference(z: np.ndarray) -> np.ndarray:
    z = (z ^ (z >> np.uint64(30))) * _M1
    z = (z ^ (z >> np.uint64(27))) * _M2
    return z ^ (z >> np.uint64(31))


def hash_grid_reference(grid: np.ndarray) -> int:
    g = np.asarray(grid, dtype=np.uint8)
    h, w = g.shape
    with np.errstate(over="ignore"):  # wrap-around mod 2**64 is intended
        keys = np.arange(h * w, dtype=np.uint64) * np.uint64(16) + g.ravel().astype(np.uint64) + np.uint64(1)
        acc = _mix64_reference(keys).sum(dtype=np.uint64)
        shape_key = np.array([(h << 32) | w], dtype=np.uint64) + _GOLDEN
        return int(_mix64_reference(np.array([acc], dtype=np.uint64) ^ _mix64_reference(shape_key))[0])
