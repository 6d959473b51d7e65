import os
import subprocess
import sys

import numba
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from arc_solver.kernels import (CanvasBatch, Packed, canvas_side, decode_packed, decode_ragged, decode_views,
                                decode_views_reference, encode_packed, encode_ragged, encode_views,
                                encode_views_reference, hash_grid, hash_grid_reference, hash_grids, hash_packed,
                                pack_grids, pack_views, plan_groups, threads, usable_cores,
                                _block_stride)
from arc_solver.views import View, apply_view, sample_views


def random_grids(rng, n, max_side=30):
    return [rng.integers(0, 10, (int(rng.integers(1, max_side + 1)), int(rng.integers(1, max_side + 1))),
                         dtype=np.uint8) for _ in range(n)]


def random_views_for(rng, grids, translate=True):
    """One random view per grid, translated so it fits a 30x30 canvas with its EOS."""
    out = []
    for g in grids:
        out.append(sample_views(2, rng, translate=translate, max_shape=g.shape)[1])
    return out


def assert_same_grids(a, b):
    assert len(a) == len(b)
    for x, y in zip(a, b):
        if x is None or y is None:
            assert x is None and y is None
        else:
            assert x.shape == y.shape and np.array_equal(x, y)


# --- encoding -------------------------------------------------------------------

def test_golden_encoding():
    g = np.array([[0, 1, 2],
                  [3, 4, 5]], np.uint8)
    # rot90 ccw -> [[2,5],[1,4],[0,3]]; swap colours 1 and 2 -> [[1,5],[2,4],[0,3]]; +2 for tokens.
    v = View(1, (0, 2, 1, 3, 4, 5, 6, 7, 8, 9), (1, 1))
    expected = np.array([[0, 0, 0, 0, 0],
                         [0, 3, 7, 1, 0],
                         [0, 4, 6, 1, 0],
                         [0, 2, 5, 1, 0],
                         [0, 1, 1, 1, 0]], np.uint8)
    assert canvas_side([g], [v]) == 5
    assert np.array_equal(encode_views([g], [v])[0], expected)
    assert np.array_equal(encode_views([g], [v], 5)[0], expected)
    assert np.array_equal(encode_views_reference([g], [v], 5)[0], expected)
    assert decode_views(expected[None], [v])[0].tolist() == g.tolist()
    # At the canvas edge the EOS row/column is dropped; in a bigger canvas it is written, corner too.
    one = np.array([[7]], np.uint8)
    assert encode_views([one], [View()], 1).tolist() == [[[9]]]
    assert encode_views([one], [View()], 3).tolist() == [[[9, 1, 0], [1, 1, 0], [0, 0, 0]]]
    assert encode_views([one], [View(offset=(0, 2))], 3).tolist() == [[[0, 0, 9], [0, 0, 1], [0, 0, 0]]]


def test_canvas_side():
    g = np.zeros((2, 3), np.uint8)
    assert canvas_side([g], [View()]) == 4
    assert canvas_side([g], [View(1)]) == 4
    assert canvas_side([g, g], [View(offset=(5, 0)), View(1, offset=(0, 2))]) == 8
    assert canvas_side([np.zeros((29, 30), np.uint8)], [View()]) == 30
    assert canvas_side([np.zeros((28, 3), np.uint8)], [View()]) == 29
    with pytest.raises(ValueError):
        canvas_side([np.zeros((29, 3), np.uint8)], [View(offset=(2, 0))])
    with pytest.raises(ValueError):
        encode_views([g], [View()], 2)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**31))
def test_encode_kernel_matches_reference(seed):
    rng = np.random.default_rng(seed)
    grids = random_grids(rng, 64, max_side=int(rng.integers(1, 31)))
    views = random_views_for(rng, grids, translate=bool(rng.integers(2)))
    side = canvas_side(grids, views)
    assert np.array_equal(encode_views(grids, views, side), encode_views_reference(grids, views, side))
    # At 30 too (other padding, EOS fitting or not).
    assert np.array_equal(encode_views(grids, views, 30), encode_views_reference(grids, views, 30))


def test_encode_with_grid_index_and_out():
    rng = np.random.default_rng(3)
    grids = random_grids(rng, 5, max_side=10)
    idx = rng.integers(0, 5, 40)
    views = [sample_views(2, rng)[1] for _ in idx]
    out = np.full((40, 11, 11), 255, np.uint8)  # garbage must be overwritten
    res = encode_packed(pack_grids(grids), pack_views(views), 11, grid_index=idx, out=out)
    assert res is out
    assert np.array_equal(out, encode_views_reference([grids[i] for i in idx], views, 11))
    with pytest.raises(ValueError):
        encode_packed(pack_grids(grids), pack_views(views), 11, grid_index=idx + 5)


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**31))
def test_grouped_ragged_encoding(seed):
    rng = np.random.default_rng(seed)
    grids = random_grids(rng, 12)
    packed = pack_grids(grids)
    gi = rng.integers(0, len(grids), 100)
    views = [sample_views(2, rng, translate=bool(rng.integers(2)), max_shape=grids[i].shape)[1] for i in gi]
    pv = pack_views(views)
    order, sides = plan_groups(packed, pv, gi)
    assert sorted(order.tolist()) == list(range(100))
    batch = encode_ragged(packed, pv.take(order), sides, gi[order])
    seen = 0
    for lo, hi, canvases in batch.groups():
        assert np.shares_memory(canvases, batch.flat)
        members = order[lo:hi]
        side = canvases.shape[1]
        # Each group's side is the smallest that fits its members.
        assert side == canvas_side([grids[gi[b]] for b in members], [views[b] for b in members])
        expected = encode_views_reference([grids[gi[b]] for b in members], [views[b] for b in members], side)
        assert np.array_equal(canvases, expected)
        seen += hi - lo
    assert seen == 100 and len({c.shape[1] for _, _, c in batch.groups()}) == len(batch.groups())
    decoded = decode_ragged(batch, pv.take(order)).unpack()
    assert_same_grids(decoded, [grids[gi[b]] for b in order])


def test_canvas_batch_layout():
    batch = CanvasBatch.empty(np.array([2, 2, 3, 1], np.int32))
    assert batch.flat.size == 4 + 4 + 9 + 1 and batch.starts.tolist() == [0, 4, 8, 17]
    assert [(lo, hi, c.shape) for lo, hi, c in batch.groups()] == [(0, 2, (2, 2, 2)), (2, 3, (1, 3, 3)),
                                                                  (3, 4, (1, 1, 1))]
    assert batch.canvas(2).shape == (3, 3)


# --- decoding -------------------------------------------------------------------

def test_round_trip_every_shape_every_dihedral():
    rng = np.random.default_rng(7)
    grids, views = [], []
    for h in range(1, 31):
        for w in range(1, 31):
            for d in range(8):
                g = rng.integers(0, 10, (h, w), dtype=np.uint8)
                hh, ww = View(d).shape(h, w)
                offset = (int(rng.integers(0, 31 - hh)), int(rng.integers(0, 31 - ww)))
                grids.append(g)
                views.append(View(d, (0, *(int(x) + 1 for x in rng.permutation(9))), offset))
    canvases = encode_views(grids, views, 30)
    decoded = decode_views(canvases, views)
    assert all(x is not None and np.array_equal(x, g) for x, g in zip(decoded, grids))
    # The reference agrees (on a slice: it is the slow one).
    assert_same_grids(decode_views_reference(canvases[::37], views[::37]), decoded[::37])


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**31))
def test_round_trip_per_batch_canvas(seed):
    rng = np.random.default_rng(seed)
    grids = random_grids(rng, 32, max_side=int(rng.integers(1, 31)))
    views = random_views_for(rng, grids)
    canvases = encode_views(grids, views)  # smallest canvas for the batch
    assert_same_grids(decode_views(canvases, views), grids)
    assert_same_grids(decode_views_reference(canvases, views), grids)


@settings(max_examples=50, deadline=None)
@given(seed=st.integers(0, 2**31), pad_rate=st.sampled_from([0.0, 0.02, 0.1, 0.5]))
def test_decode_kernel_matches_reference_on_garbage(seed, pad_rate):
    rng = np.random.default_rng(seed)
    side = int(rng.integers(1, 31))
    n = 32
    canvases = rng.integers(2, 12, (n, side, side)).astype(np.uint8)
    holes = rng.random((n, side, side)) < pad_rate
    canvases[holes] = rng.choice(np.array([0, 1, 12, 255], np.uint8), holes.sum())  # non-colour tokens
    views = [View(int(rng.integers(8)), (0, *(int(x) + 1 for x in rng.permutation(9))),
                  (int(rng.integers(0, side + 2)), int(rng.integers(0, side + 2)))) for _ in range(n)]
    assert_same_grids(decode_views(canvases, views), decode_views_reference(canvases, views))


def test_decode_empty_and_malformed_is_none():
    v = View(3, offset=(1, 2))
    empty = np.zeros((2, 5, 5), np.uint8)
    assert decode_views(empty, [v, View()]) == [None, None]
    eos = np.ones((1, 5, 5), np.uint8)
    assert decode_views(eos, [View()]) == [None]
    outside = np.full((1, 5, 5), 5, np.uint8)
    assert decode_views(outside, [View(offset=(5, 0))]) == [None]
    assert decode_views_reference(outside, [View(offset=(5, 0))]) == [None]
    # Colour at the offset but PAD elsewhere: decodes the top-left rectangle only.
    c = np.zeros((1, 4, 4), np.uint8)
    c[0, :2, :3] = [[2, 3, 4], [5, 6, 0]]
    assert decode_views(c, [View()])[0].tolist() == [[0, 1, 2]]
    c[0, 1, 2] = 7
    assert decode_views(c, [View()])[0].tolist() == [[0, 1, 2], [3, 4, 5]]
    packed = decode_packed(np.zeros((1, 3, 3), np.uint8), pack_views([View()]))
    assert packed.shapes.tolist() == [[0, 0]] and packed.grid(0) is None


# --- hashing --------------------------------------------------------------------

def test_hash_matches_reference_and_batch():
    rng = np.random.default_rng(11)
    grids = random_grids(rng, 300)
    hs = hash_packed(pack_grids(grids))
    assert hs.dtype == np.uint64
    for g, h in zip(grids, hs):
        assert hash_grid(g) == hash_grid_reference(g) == int(h)
        assert 0 <= hash_grid(g) < 2**64
    g = grids[0]
    assert hash_grid(np.asfortranarray(g).astype(np.int64)) == hash_grid(g)
    assert hash_grids(grids) == [hash_grid_reference(g) for g in grids] and hash_grids([]) == []


def test_hash_shape_matters():
    a = np.array([[1, 2, 3, 4]], np.uint8)
    assert hash_grid(a) != hash_grid(a.reshape(4, 1)) != hash_grid(a.reshape(2, 2))
    assert hash_grid(np.zeros((2, 3), np.uint8)) != hash_grid(np.zeros((3, 2), np.uint8))


def test_hash_no_collisions():
    rng = np.random.default_rng(12)
    grids = random_grids(rng, 2000, max_side=6)
    # Near-duplicates: one cell changed, and all-zero grids of every shape.
    for g in grids[:1000]:
        t = g.copy()
        t[int(rng.integers(t.shape[0])), int(rng.integers(t.shape[1]))] ^= 1
        grids.append(t)
    grids += [np.zeros((h, w), np.uint8) for h in range(1, 31) for w in range(1, 31)]
    keys = {g.tobytes() + bytes(g.shape) for g in grids}
    hashes = set(hash_packed(pack_grids(grids)).tolist())
    assert len(hashes) == len(keys)


# --- packing and threads ----------------------------------------------------------

def test_pack_round_trip():
    rng = np.random.default_rng(13)
    grids = random_grids(rng, 20)
    p = pack_grids(grids)
    assert isinstance(p, Packed) and p.data.dtype == np.uint8 and p.shapes.dtype == np.int32
    assert p.starts.dtype == np.int64 and len(p) == 20
    assert_same_grids(p.unpack(), grids)
    assert len(pack_grids([])) == 0
    with pytest.raises(ValueError):
        pack_grids([np.full((2, 2), 10, np.uint8)])


def test_threads_context_restores():
    before = numba.get_num_threads()
    with threads(1) as n:
        assert n == 1 and numba.get_num_threads() == 1
        g = np.arange(6, dtype=np.uint8).reshape(2, 3)
        assert np.array_equal(decode_views(encode_views([g], [View(2)]), [View(2)])[0], g)
    assert numba.get_num_threads() == before
    assert np.array_equal(apply_view(g, View()), g)


@pytest.mark.parametrize("nb", [1, 2, 3, 5, 8, 13, 64, 100, 1563, 4096])
def test_block_order_visits_every_block_once(nb):
    # The kernels walk blocks in (q * stride) % nb order so threads get a fair mix of canvas sizes.
    stride = _block_stride(nb)
    assert sorted((q * stride) % nb for q in range(nb)) == list(range(nb))


def test_large_sorted_ragged_batch_two_threads():
    # Many blocks, sorted by canvas size (as the model batches them), kernel vs reference.
    rng = np.random.default_rng(11)
    grids = random_grids(rng, 40)
    packed = pack_grids(grids)
    gi = rng.integers(0, len(grids), 1000)
    pv = pack_views([sample_views(2, rng)[1] for _ in gi])
    order, sides = plan_groups(packed, pv, gi)
    with threads(2):
        batch = encode_ragged(packed, pv.take(order), sides, gi[order])
        decoded = decode_ragged(batch, pv.take(order)).unpack()
    for lo, hi, canvases in batch.groups():
        members = order[lo:hi]
        views = [View(int(pv.dihedral[b]), tuple(int(x) for x in pv.perm[b])) for b in members]
        assert np.array_equal(canvases, encode_views_reference([grids[gi[b]] for b in members], views,
                                                               canvases.shape[1]))
    assert_same_grids(decoded, [grids[gi[b]] for b in order])


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="no CPU affinity on this platform")
def test_usable_cores_follow_the_process_affinity():
    # A process pinned to one core (taskset, a container's cpuset) must not size its thread share by the machine.
    code = ("import os; os.sched_setaffinity(0, {min(os.sched_getaffinity(0))}); "
            "from arc_solver.kernels import usable_cores; print(usable_cores(), os.cpu_count())")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    pinned, machine = map(int, done.stdout.split())
    assert pinned == 1 and machine == os.cpu_count()
    assert usable_cores() == len(os.sched_getaffinity(0))
