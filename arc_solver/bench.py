"""Benchmarks that print one JSON line.

    arc-solver bench kernels            # Numba vs NumPy: apply view + encode, decode + invert
    arc-solver bench infer              # views/s of the model source's augmented inference

bench_kernels: views of every input/output grid of ARC-AGI-2 training, random dihedral and colour
permutation (offset 0), grouped by the canvas side they need (`kernels.plan_groups`) so each
group gets its own S, all groups in one kernel call (`kernels.encode_ragged`). Times are the best of several passes after JIT warm-up; the NumPy
reference is timed single-threaded on a subset and its per-view rate is reported.
"""
from __future__ import annotations

import logging
import time
from dataclasses import replace

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


# --- model benchmarks (model helper) ----------------------------------------------
#
#   arc-solver bench train --preset tiny     # variable canvas vs fixed 30x30, same batches
#   arc-solver bench learn --minutes 10      # does the recursion learn? tiny on 30 small tasks

# bench learn: ARC-AGI-1 training tasks whose every grid (demonstrations and test pairs) is at most
# 6x6, the first 30 by id. Not hand-picked: the rule fixes the list. Their test outputs are held out.
BENCH_LEARN_MAX_SIDE = 6
BENCH_LEARN_TASKS = (
    "0d3d703e", "1e0a9b12", "25d8a9c8", "25ff71a9", "27a28665", "3618c87e", "3c9b0459", "44f52bb0",
    "46442a0e", "49d1d64f", "4c4377d9", "5582e5ca", "6150a2bd", "62c24649", "67385a82", "67e8384a",
    "6d0aefbc", "6e02f1e3", "6fa7a44f", "74dd1130", "794b24be", "7fe24cdd", "88a62173", "8be77c9e",
    "93b581b8", "9565186b", "9af7a82c", "9dfd6313", "a79310a0", "a85d4709",
)


def bench_train(preset: str = "tiny", device: str = "cpu", steps: int = 36, batch_size: int | None = None,
                seed: int = 0, tasks: str = "arc-agi-2/training", compile: bool = False,
                cell_budget: int = 0) -> dict:
    """Training throughput with the variable canvas vs the reference's fixed 30x30 canvas (and, with
    `compile`, the variable canvas again with the network compiled).

    The same `steps` batches (canvas sides stratified by the share of examples of each size, samples
    drawn from ARC-AGI-2 training, 8 views, no translation) are run once on their own canvas side and
    once on 30x30, by the same model from the same initial weights, each one supervision step from a
    fresh state (every supervision step costs the same). Each batch is cut into micro-batches by the
    memory plan (`memory.py`: from free memory on CUDA, or `cell_budget`), as in training.
    Warm-up, not timed: one batch of every canvas side a mode uses; its extra time with compile on is
    the compile time. cells = input + output grid cells (not PAD) of the batch. Peak memory: CUDA's
    allocator peak per mode.
    """
    import torch

    from . import dataset as D
    from . import train as T
    from .memory import plan_memory
    from .model import ModelConfig, PuzzleEmbedding, RecursiveModel

    dev = torch.device(device)
    cfg = T.TrainConfig.preset_for(preset, translate=False, seed=seed,
                                   **({"batch_size": batch_size} if batch_size else {}))
    mcfg = ModelConfig.preset(cfg.preset)
    data = T.load_dataset(replace(cfg, tasks=(tasks,), eval_tasks=()))
    stream = D.Stream(data, cfg, mcfg.n_sup, 0, 1, dev)
    rng = np.random.default_rng(seed)
    batches = []
    # Stratified sides: step i takes the side at quantile (i + 0.5) / steps of the examples' sides,
    # so a short run sees the training distribution of canvas sizes, not a lucky or unlucky draw.
    cum = np.cumsum(stream.p)
    for q in [(i + 0.5) / steps for i in range(steps)]:
        b = min(int(np.searchsorted(cum, q)), len(cum) - 1)
        S, members = stream.buckets[b]
        ex = members[rng.integers(0, len(members), cfg.batch_size)]
        view = rng.integers(0, data.n_views, cfg.batch_size)
        cells = sum(data.examples[e].input.size + data.examples[e].output.size for e in ex)
        batches.append((S, ex, view, cells))
    torch.manual_seed(seed)
    init = RecursiveModel(mcfg).state_dict()
    sync = torch.cuda.synchronize if dev.type == "cuda" else (lambda: None)

    def run(fixed: bool, compiled: bool) -> dict:
        model = RecursiveModel(mcfg).to(dev)
        model.load_state_dict(init)
        emb = PuzzleEmbedding(len(data.rows()), mcfg.puzzle_dim).to(dev)
        opt = T.make_optimizer(model, cfg)
        sides = [D.MAX_SIDE] if fixed else sorted({S for S, *_ in batches})
        plan = plan_memory(model, sides, cfg.batch_size, emb.rows, dev, cell_budget, cfg.memory_fraction)
        if compiled:
            model.compile_network()
        if dev.type == "cuda":
            torch.cuda.reset_peak_memory_stats(dev)

        def step(S: int, ex: np.ndarray, view: np.ndarray) -> float:
            side = D.MAX_SIDE if fixed else S
            inp, tgt = D.encode_pairs(data, ex, view, np.zeros((len(ex), 2), np.int64), side)
            inp = torch.as_tensor(inp, device=dev).long()
            tgt = torch.as_tensor(tgt, device=dev).long()
            rows = torch.as_tensor(np.array([data.examples[e].task for e in ex]) * data.n_views + view, device=dev)
            y, z = model.initial_state(len(ex), side)
            sync()
            t0 = time.perf_counter()
            T.supervision_step(model, model, emb, opt, inp, tgt, rows, y, z, cfg, 1.0,
                               chunks=plan.chunks(side, len(ex)))
            sync()
            return time.perf_counter() - t0

        first = {S: (ex, view) for S, ex, view, _ in batches}
        warm = sum(step(S, ex, view) for S, (ex, view) in sorted(first.items()))
        elapsed = sum(step(S, ex, view) for S, ex, view, _ in batches)
        return {"seconds": elapsed, "warmup_seconds": warm, "samples": cfg.batch_size * len(batches),
                "cells": sum(c for *_, c in batches), "plan": plan,
                "peak_gb": round(torch.cuda.max_memory_allocated(dev) / 2**30, 2) if dev.type == "cuda" else None}

    out = {"preset": preset, "tasks": tasks, "device": str(dev), "batch_size": cfg.batch_size, "steps": steps,
           "threads": torch.get_num_threads(), "parameters": RecursiveModel(mcfg).num_parameters(),
           "canvas_sides_drawn": sorted({S for S, *_ in batches})}
    modes = [("variable", False, False), ("fixed30", True, False)] + ([("compiled", False, True)] if compile else [])
    for name, fixed, compiled in modes:
        log.info("bench train: %s", name)
        r = run(fixed, compiled)
        out[f"{name}_seconds"] = round(r["seconds"], 3)
        out[f"{name}_samples_per_s"] = round(r["samples"] / r["seconds"], 2)
        out[f"{name}_cells_per_s"] = round(r["cells"] / r["seconds"], 1)
        out[f"{name}_steps_per_s"] = round(steps / r["seconds"], 3)
        out[f"{name}_warmup_seconds"] = round(r["warmup_seconds"], 2)
        out[f"{name}_peak_memory_gb"] = r["peak_gb"]
        out[f"{name}_micro_batch_per_side"] = r["plan"].summary()["micro_batch_per_side"]
    out["cell_budget"] = {"source": r["plan"].source, "tokens": r["plan"].cell_budget}
    out["mean_tokens_variable"] = round(float(np.mean([S * S for S, *_ in batches])), 1)
    out["cells_per_s_ratio_variable_vs_fixed"] = round(out["variable_cells_per_s"] / out["fixed30_cells_per_s"], 2)
    if compile:
        out["compile_seconds"] = round(out["compiled_warmup_seconds"] - out["variable_warmup_seconds"], 2)
        out["compile_speedup"] = round(out["variable_seconds"] / out["compiled_seconds"], 2)
    out["command"] = f"arc-solver bench train --preset {preset} --device {device}" + (" --compile" if compile else "")
    return out


def bench_learn(minutes: float = 10.0, device: str = "cpu", views: int = 8, seed: int = 0,
                save_dir: str | None = None) -> dict:
    """Train `tiny` for `minutes` on the demonstrations of BENCH_LEARN_TASKS, then predict their test outputs.

    Every test input is run under each of the task's `views` views (each with its trained embedding
    row) for the model's N_sup supervision steps with the EMA weights; the decoded grids vote
    (vote.top2, the test input as fallback). pass2 = solved test outputs / all test outputs.
    copy_input_pass2 = the same score for answering with the test input.
    save_dir: also write the trained checkpoint (learn.pt) and the 30 tasks in Kaggle layout
    (arc-agi_learn_challenges.json + solutions) there, e.g. for `arc-solver sweep`.
    """
    from . import train as T
    from .model import ModelConfig
    from .tasks import load_tasks

    by_id = load_tasks("arc-agi-1/training").by_id()
    tasks = [by_id[t] for t in BENCH_LEARN_TASKS]
    sides = (4, 5, 6, 7, 30)
    # No translation: test inputs sit at offset 0, and on 30 tasks the shift only slows learning.
    cfg = T.TrainConfig.preset_for("tiny", views=views, minutes=minutes, canvas_sides=sides, translate=False,
                                   seed=seed, save_every=0, log_every=100)
    mcfg = ModelConfig.preset("tiny")
    data = T.build_dataset(T.merge_tasks([], eval_tasks=tasks), cfg.views, cfg.seed)  # test outputs held out
    assert all(e.kind == "train" for e in data.examples)
    trainer = T.Trainer.create(cfg, mcfg, device, data=data)
    summary = trainer.run(None)
    if save_dir:
        from pathlib import Path

        from .tasks import TaskSet, export_kaggle

        trainer.save(Path(save_dir) / "learn.pt")
        export_kaggle(TaskSet("bench-learn", tasks), save_dir, "learn")
    scored = predict_trained(trainer, data, sides)
    return {"pass2": scored["pass2"], "copy_input_pass2": scored["copy_input_pass2"], "solved": scored["solved"],
            "test_outputs": scored["test_outputs"], "tasks": len(tasks), "views": views,
            "steps": summary["step"], "minutes": round(summary["minutes"], 2),
            "predict_seconds": scored["predict_seconds"], "final_train_exact": summary.get("exact"),
            "command": f"arc-solver bench learn --minutes {minutes:g}"}


def predict_trained(trainer, data, sides) -> dict:
    """Predict every test output of the trainer's tasks with their trained rows (EMA weights, every view,
    the model's N_sup steps), vote to two attempts (test input as fallback) and score them.
    Returns pass2 (solved outputs / outputs), the task score (ARC rule), the solved task ids, the
    first attempts' share of right cells, and both for answering with the test input (copy_input_*)."""
    import torch

    from . import train as T
    from .vote import Candidate, top2

    model = T.RecursiveModel(trainer.model_cfg).to(trainer.device)
    model.load_state_dict(trainer.ema.shadow if trainer.ema else trainer.model.state_dict())
    model.eval()
    solved = copied = total = 0
    task_scores, solved_tasks, cells, copy_cells = [], [], [], []
    t0 = time.monotonic()
    for ti, task in enumerate(data.tasks):
        K = data.n_views
        grids = [p.input for p in task.test for _ in range(K)]
        task_views = [v for _ in task.test for v in data.views[ti]]
        rows = torch.tensor([data.row(ti, k) for _ in task.test for k in range(K)], device=trainer.device)
        # The canvas from the grids a solver sees (as in submit), never from the answers' sizes.
        final = T.predict(model, trainer.emb.weight[rows], grids, task_views, T.inference_side(task, sides))[-1]
        right = 0
        for j, pair in enumerate(task.test):
            cands = [Candidate(g, 1.0, conf) for g, conf in final[j * K:(j + 1) * K] if g is not None]
            attempts, _ = top2(cands, pair.input)
            right += any(np.array_equal(a, pair.output) for a in attempts)
            # A softer figure than exact answers: the first attempt's share of right cells (0 if misshapen).
            for got, into in ((attempts[0], cells), (pair.input, copy_cells)):
                into.append(float((got == pair.output).mean()) if got.shape == pair.output.shape else 0.0)
            copied += np.array_equal(pair.input, pair.output)
            total += 1
        solved += right
        task_scores.append(right / len(task.test))
        if right:
            solved_tasks.append(task.id)
    return {"pass2": round(solved / max(total, 1), 4), "copy_input_pass2": round(copied / max(total, 1), 4),
            "solved": solved, "test_outputs": total, "task_score": round(float(np.mean(task_scores or [0])), 4),
            "solved_tasks": solved_tasks, "first_attempt_cells": round(float(np.mean(cells or [0])), 4),
            "copy_input_cells": round(float(np.mean(copy_cells or [0])), 4),
            "predict_seconds": round(time.monotonic() - t0, 1)}


def bench_ttt(checkpoint: str | None, tasks: str = "arc-agi-1/evaluation", max_side: int = 8, minutes: float = 10.0,
              views: int = 8, device: str = "cpu", seed: int = 0, lr: float | None = None, steps: int = 0,
              lr_min_ratio: float = 1.0) -> dict:
    """Joint test-time training, measured: start the network from `checkpoint` (random `tiny` when None),
    give every selected task `views` new zero rows, train network + rows together on the demonstrations
    only (test outputs never targets) for `minutes`, then predict and score their test outputs.

    Selected: the tasks of `tasks` whose every grid is at most max_side x max_side (a fixed rule, so
    checkpoints are compared on the same tasks). task_score_of_set counts the set's other tasks as 0.
    Compare checkpoints with the same command: only what the network starts from differs (`steps` > 0
    trains a fixed number of steps instead of minutes: a comparison that machine load cannot tilt).
    """
    from . import train as T
    from .checkpoint import load_checkpoint
    from .flags import config_from_dict
    from .model import ModelConfig
    from .tasks import load_tasks

    every = load_tasks(tasks).tasks
    chosen = [t for t in every
              if max(max(g.shape) for p in (*t.train, *t.test) for g in (p.input, p.output) if g is not None) <= max_side]
    if not chosen:
        raise ValueError(f"no task of {tasks} has every grid within {max_side}x{max_side}")
    mcfg = config_from_dict(ModelConfig, load_checkpoint(checkpoint)["model_config"]) if checkpoint \
        else ModelConfig.preset("tiny")
    sides = (*range(3, max_side + 2), 30)
    cfg = T.TrainConfig.preset_for("tiny", views=views, minutes=0.0 if steps else minutes, steps=steps,
                                   canvas_sides=sides, translate=False,
                                   seed=seed, save_every=0, log_every=50, init_from=checkpoint or "",
                                   lr_min_ratio=lr_min_ratio, **({"lr": lr} if lr else {}))
    data = T.build_dataset(T.merge_tasks([], eval_tasks=chosen), cfg.views, cfg.seed)
    assert all(e.kind == "train" for e in data.examples)  # demonstrations only
    trainer = T.Trainer.create(cfg, mcfg, device, data=data)
    summary = trainer.run(None)
    scored = predict_trained(trainer, data, sides)
    return {"checkpoint": checkpoint or "random tiny", "tasks": tasks, "max_side": max_side,
            "selected_tasks": len(chosen), "set_tasks": len(every), **scored,
            "task_score_of_set": round(scored["task_score"] * len(chosen) / len(every), 4),
            "views": views, "steps": summary["step"], "minutes": round(summary["minutes"], 2),
            "lr": cfg.lr, "lr_min_ratio": cfg.lr_min_ratio, "final_train_exact": summary.get("exact"),
            "command": f"arc-solver bench ttt --checkpoint {checkpoint} --tasks {tasks} --max-side {max_side} "
                       + (f"--steps {steps}" if steps else f"--minutes {minutes:g}") + f" --views {views}"
                       + (f" --lr-min-ratio {lr_min_ratio:g}" if lr_min_ratio < 1 else "")}


def bench_infer(checkpoint: str | None = None, device: str = "cpu", views: int = 8, steps: int | None = None,
                tasks: str = "arc-agi-2/evaluation", max_tasks: int = 40, seed: int = 0) -> dict:
    """Augmented inference throughput of the model source: every test input of the first `max_tasks`
    tasks under `views` views, run for `steps` supervision steps (default: the model's N_sup), decoded
    and inverted, one task (one canvas side) per batch as in `submit`. views_per_s counts a view once
    however many steps it thinks; view_steps_per_s multiplies by the steps."""
    import torch

    from .search import ModelSource, SearchConfig, task_seed
    from .tasks import load_tasks

    source = ModelSource.load(checkpoint, SearchConfig(views=views, steps=steps, device=device), seed)
    n_steps = steps or source.model.cfg.n_sup
    chosen = load_tasks(tasks).tasks[:max_tasks]
    n_views, elapsed = 0, 0.0
    for i, task in enumerate([chosen[0], *chosen]):  # the first pass over task 0 warms up
        rng = np.random.default_rng(task_seed(task.id, seed))
        vs, rows, S = source.start(task, views, rng)
        if torch.device(device).type == "cuda":
            torch.cuda.synchronize()
        t0 = time.perf_counter()
        source.predict([p.input for p in task.test], vs, rows, S)
        if torch.device(device).type == "cuda":
            torch.cuda.synchronize()
        if i > 0:
            elapsed += time.perf_counter() - t0
            n_views += len(task.test) * len(vs)
    return {"model": source.origin, "device": device, "threads": torch.get_num_threads(), "tasks": len(chosen),
            "views": n_views, "steps": n_steps, "seconds": round(elapsed, 3),
            "views_per_s": round(n_views / elapsed, 1), "view_steps_per_s": round(n_views * n_steps / elapsed, 1)}
