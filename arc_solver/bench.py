"""Benchmarks that print one JSON line.

    arc-solver bench kernels            # Numba vs NumPy: apply view + encode, decode + invert

bench_kernels: views of every input/output grid of ARC-AGI-2 training, random dihedral and colour
permutation (offset 0), grouped by the canvas side they need (`kernels.plan_groups`) so each
group gets its own S, all groups in one kernel call (`kernels.encode_ragged`). Times are the best of several passes after JIT warm-up; the NumPy
reference is timed single-threaded on a subset and its per-view rate is reported.
"""
from __future__ import annotations

import logging
import time

import numba
import numpy as np

from . import kernels as K
from .views import View

log = logging.getLogger("arc_solver.bench")

def best_time(fn, reps: int) -> float:
    best = float("inf")
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def task_grids(spec: str = "arc-agi-2/training") -> list[np.ndarray]:
    from .tasks import load_tasks

    ts = load_tasks(spec)
    return [g for t in ts.tasks for p in (*t.train, *t.test) for g in (p.input, p.output) if g is not None]


def random_view_arrays(n: int, rng: np.random.Generator) -> K.PackedViews:
    perm = np.zeros((n, 10), dtype=np.uint8)
    perm[:, 1:] = rng.permuted(np.tile(np.arange(1, 10, dtype=np.uint8), (n, 1)), axis=1)
    return K.PackedViews(rng.integers(0, 8, n).astype(np.uint8), perm, np.zeros((n, 2), np.int32))


def bench_kernels(n_views: int = 100_000, seed: int = 0, reps: int = 5, n_numpy: int = 10_000,
                  spec: str = "arc-agi-2/training") -> dict:
    rng = np.random.default_rng(seed)
    grids = task_grids(spec)
    packed = K.pack_grids(grids)
    gi = rng.integers(0, len(grids), n_views)
    pv = random_view_arrays(n_views, rng)
    # Canvas-size groups, all encoded by one kernel call into one buffer (as the model batches).
    order, sides = K.plan_groups(packed, pv, gi)
    gi, pv = gi[order], pv.take(order)
    batch = K.encode_ragged(packed, pv, sides, gi)  # JIT warm-up, and first touch of the buffer
    K.decode_ragged(batch, pv)
    fixed = K.encode_packed(packed, pv, 30, grid_index=gi)
    groups = batch.groups()

    all_threads = numba.config.NUMBA_NUM_THREADS
    res: dict = {"views": n_views, "grids_in_pool": len(grids), "source": spec, "threads": all_threads,
                 "groups": {str(c.shape[1]): hi - lo for lo, hi, c in groups},
                 "mean_canvas_cells": round(float((sides.astype(np.int64) ** 2).mean()), 1),
                 "fixed_canvas_cells": 900}
    timings = {}
    for label, nt in (("1thread", 1), ("all", all_threads)):
        with K.threads(nt):
            log.info("numba, %d thread(s)", nt)
            timings[f"enc_{label}"] = best_time(lambda: K.encode_ragged(packed, pv, sides, gi, out=batch), reps)
            timings[f"dec_{label}"] = best_time(lambda: K.decode_ragged(batch, pv), reps)
            timings[f"enc30_{label}"] = best_time(lambda: K.encode_packed(packed, pv, 30, grid_index=gi, out=fixed), reps)

    # NumPy reference on a subset (it is tens of times slower), same groups; per-view rate reported.
    m = min(n_numpy, n_views)
    keep = np.zeros(n_views, bool)
    keep[rng.choice(n_views, m, replace=False)] = True
    ref_groups = []
    for lo, hi, c in groups:
        idx = lo + np.flatnonzero(keep[lo:hi])
        if len(idx):
            views = [View(int(pv.dihedral[b]), tuple(int(x) for x in pv.perm[b])) for b in idx]
            ref_groups.append((c.shape[1], [grids[gi[b]] for b in idx], views))
    log.info("numpy reference on %d views", m)
    t_np_enc = best_time(lambda: [K.encode_views_reference(gs, vs, side) for side, gs, vs in ref_groups], 1)
    ref_canvases = [(K.encode_views_reference(gs, vs, side), vs) for side, gs, vs in ref_groups]
    t_np_dec = best_time(lambda: [K.decode_views_reference(c, vs) for c, vs in ref_canvases], 1)

    for prefix, t_np, key in (("", t_np_enc, "enc"), ("decode_", t_np_dec, "dec")):
        np_rate = m / t_np
        one, allt = n_views / timings[f"{key}_1thread"], n_views / timings[f"{key}_all"]
        res.update({
            f"{prefix}numpy_views_per_s": round(np_rate),
            f"{prefix}numba_views_per_s_1thread": round(one),
            f"{prefix}numba_views_per_s_all": round(allt),
            f"{prefix}speedup_vs_numpy_1thread": round(one / np_rate, 2),
            f"{prefix}speedup_vs_numpy_all": round(allt / np_rate, 2),
            f"{prefix}thread_scaling": round(allt / one, 2),
        })
    res["fixed30_numba_views_per_s_1thread"] = round(n_views / timings["enc30_1thread"])
    res["fixed30_numba_views_per_s_all"] = round(n_views / timings["enc30_all"])
    res["numpy_views_timed"] = m
    res["timing"] = (f"best of {reps} passes after JIT warm-up (numba: one ragged kernel call over all groups, "
                     f"output buffer reused); numpy reference single-threaded on {m} of the views, once, "
                     f"per-view rate extrapolated")
    res["command"] = "arc-solver bench kernels"
    return res
