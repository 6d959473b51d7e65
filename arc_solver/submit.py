"""The submit run: tasks -> candidate sources -> vote -> submission.json, inside a time budget.

    arc-solver submit --tasks arc-agi-2/evaluation --out submissions/submission.json --time-budget 1200

The file on disk is complete and valid from the first second (a fallback for
every task) and is rewritten atomically as tasks finish, so a kill or a
deadline always leaves a valid submission. A progress file beside it lets a
rerun skip the tasks already done.
"""
from __future__ import annotations

import json
import logging
import os
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Callable

import numpy as np
from tqdm import tqdm

from . import scoring
from .errors import first_line
from .files import atomic_write_json
from .submission import Progress, fallback_submission, read_progress, set_answers, write_submission
from .tasks import Task, TaskSet, load_tasks
from .vote import Candidate, detail_of, grid_key, top2

log = logging.getLogger("arc_solver.submit")

SOURCE_NAMES = ("programs", "model", "baseline")


@dataclass(frozen=True)
class SubmitConfig:
    tasks: str = "arc-agi-2/evaluation"
    out: str = "submissions/submission.json"
    solutions: str | None = None
    time_budget: float = 1200.0  # seconds for the whole run
    margin: float = 0.05  # fraction of the budget kept back for writing and stragglers
    workers: int = 1
    seed: int = 0
    sources: tuple[str, ...] = ("programs", "model", "baseline")
    # Cap per task for the program search; 0 = none, each task gets its fair share of the time left. A 10 s cap
    # left half of an hour unused on ARC-AGI-1 evaluation (1,710 s: 24.12%); without it 3,378 s gave 24.37%.
    program_time_limit: float = 0.0
    # Model source (test-time training + augmented inference); see arc_solver.search.
    checkpoint: str | None = None
    views: int = 8
    steps: int | None = None  # supervision steps at test time; None = the checkpoint's N_sup
    ttt_steps: int = 100
    finetune_lr: float = 0.0  # > 0: test-time training also fine-tunes the network at this rate
    freeze_on_halt: bool = True  # a view keeps the answer its halting head first accepted
    device: str = "cpu"
    # "probability": verified programs first, then the model's log-probability of each candidate; "count":
    # votes. Measured on the same runs (README): model alone on ARC-AGI-1 evaluation 1.25% vs 0.75%.
    scoring: str = "probability"
    # Joint test-time training (joint.py): > 0 = programs first, then network + rows trained together on the
    # tasks without a verified program for this share of the budget, then the model predicts them. 0 = the
    # older per-task path (new rows trained alone, `ttt_steps`), which measured no held-out solve (README).
    # 0.5: at 0.75 the programs lost 2 outputs on ARC-AGI-1 evaluation in an hour while the model gained 1;
    # at half the budget the programs keep at least the 120 s in which they reach their hour's score.
    joint_share: float = 0.5
    joint_max_side: int = 0  # canvas policy of the joint phase: 0 = 12 on CPU, 30 on CUDA
    joint_batch: int = 0  # global batch of the joint phase; 0 = 256 on CUDA, the checkpoint's (32 for tiny) on CPU
    programs_first: float = 1.0  # seconds per task of the programs' first turn (joint mode)
    joint_save_minutes: float = 2.0  # the joint phase's state is saved this often (a killed run resumes it)


def baseline_source(task: Task, time_limit_s: float, seed: int) -> list[list[Candidate]]:
    """Honest baseline: the answer is the test input itself (right for a few identity-like tasks)."""
    return [[Candidate(p.input.copy(), weight=0.01, confidence=0.0, source="baseline")] for p in task.test]


def make_source(name: str, cfg: SubmitConfig) -> Callable[[Task, float, int], list[list[Candidate]]]:
    """The candidate source called `name`, configured from `cfg`."""
    if name == "baseline":
        return baseline_source
    if name == "programs":
        from .synthesis import solve as programs_solve

        return programs_solve
    if name == "model":
        from .search import ModelSource

        return ModelSource.from_submit_config(cfg)
    raise ValueError(f"unknown source {name!r}; choose from {', '.join(SOURCE_NAMES)}")


def start_model_source(cfg: SubmitConfig, ts: TaskSet, warn: bool = True):
    """(cfg, model source or None, lost sources): the model source is loaded once, before any task.
    A checkpoint that cannot be used (unreadable, inconsistent, non-finite weights) switches the
    source off with one warning line, and the run goes on with the others. A checkpoint that trained
    on the test outputs of tasks being solved is named in a warning (scores on them are not honest)."""
    if "model" not in cfg.sources:
        return cfg, None, {}
    try:
        source = make_source("model", cfg)
    except Exception as e:  # any failure to load loses this source only
        reason = first_line(e)
        if warn:
            log.warning("model source switched off: %s", reason)
        return replace(cfg, sources=tuple(n for n in cfg.sources if n != "model")), None, {"model": reason}
    seen, exact = source.seen_with_answers(ts.tasks)
    if seen and warn:
        how = "trained on the test outputs of" if exact else "has puzzle rows (so may have trained on the test outputs) of"
        log.warning("the model's %s %s %d of the tasks solved here: %s%s", source.origin, how, len(seen),
                    ", ".join(seen[:10]), " ..." if len(seen) > 10 else "")
    return cfg, source, {}


def solve_task(task: Task, cfg: SubmitConfig, time_limit: float, sources: dict | None = None) -> dict:
    """Run every source on one task within `time_limit` seconds, vote, return a progress record."""
    t0 = time.monotonic()
    deadline = t0 + time_limit
    sources = sources if sources is not None else {n: make_source(n, cfg) for n in cfg.sources}
    per_test: list[list[Candidate]] = [[] for _ in task.test]
    errors, skipped = [], []
    for name, fn in sources.items():
        left = deadline - time.monotonic()
        if left <= 0 and name != "baseline":
            skipped.append(name)  # the task's share of the budget went to the sources before it
            continue
        limit = min(left, cfg.program_time_limit) if name == "programs" and cfg.program_time_limit > 0 else left
        try:
            cands = fn(task, max(limit, 0.0), cfg.seed)
            for i, c in enumerate(cands[: len(task.test)]):
                per_test[i].extend(c)
        except Exception as e:  # one source failing must not lose the others' answers
            errors.append(f"{name}: {type(e).__name__}: {e}")
            log.warning("task %s: source %s failed: %s", task.id, name, e)
    # The scores reuse the model's forward passes, so both rankings cost nothing more: the record keeps the
    # other method's attempts too, and the report compares count voting and probability on the same run.
    scores = candidate_scores(task, per_test, sources.get("model"))
    ranked = {}
    for method in ("count", "probability") if scores else ("count",):
        attempts, srcs, details = [], [], []
        for i, (pair, cands) in enumerate(zip(task.test, per_test)):
            grids, names = top2(cands, pair.input, scores[i] if method == "probability" else None)
            attempts.append([np.asarray(g, dtype=np.uint8).tolist() for g in grids])
            srcs.append(names)
            details.append([detail_of(g, cands, n) for g, n in zip(grids, names)])
        ranked[method] = attempts, srcs, details
    attempts, srcs, details = ranked.get(cfg.scoring, ranked["count"])
    rec = {"task_id": task.id, "attempts": attempts, "sources": srcs, "details": details,
           "seconds": round(time.monotonic() - t0, 3), "errors": errors, "skipped": skipped}
    if scores:
        other = "count" if cfg.scoring == "probability" else "probability"
        rec["other_scoring"] = {"method": other, "attempts": ranked[other][0], "sources": ranked[other][1],
                                "details": ranked[other][2]}
    return rec


# While tasks finish, the submission is rewritten (validated, atomically) at most this often: one write of a
# 400-task file takes ~50 ms of the cores the search runs on, ~20 s of a 120 s run when done after every
# task. Every finished task is in the progress file at once, and a rerun resumes from it.
WRITE_EVERY_SECONDS = 10.0

# Kept back for the model's predictions after a model-alone phase: fixed + per picked task, by device kind.
# Measured: cpu, 116 tasks in 34 s on 2 CPU workers (0.3 s each); cuda, 400 tasks in 57-63 s on one H100
# with one worker (0.15 s each).
PREDICT_SECONDS = {"cpu": (30.0, 0.75), "cuda": (30.0, 0.25)}


def joint_seconds(cfg: SubmitConfig, left: float, picked: int) -> float:
    """The joint phase's length: its share of the budget, and never more than 80% of the `left` seconds
    when other sources search after it. With the model alone nothing else needs the time: only the
    predictions are kept back (measured: an hour's model-alone run at share 0.85 left 800 s unused)."""
    if any(n not in ("model", "baseline") for n in cfg.sources):
        cap = 0.8 * left
    else:
        fixed, per_task = PREDICT_SECONDS["cuda" if cfg.device.startswith("cuda") else "cpu"]
        cap = left - fixed - per_task * picked
    return max(0.0, min(cfg.time_budget * cfg.joint_share, cap))


def run_joint(cfg: SubmitConfig, todo: list[Task], all_tasks: list[Task], out: Path, deadline: float, solve_all,
              finish, provisional, save, show_progress: bool, rank: int = 0, world: int = 1) -> None:
    """Programs first, then the joint training phase, then the model on the tasks it trained on (joint.py).
    `save(now=True)` writes the submission as it stands.

    Under torchrun every rank runs the programs' first turn on its shard, the ranks agree on the tasks
    left unsolved, train one model together (DDP), and each predicts its share of them."""
    from .joint import pick_tasks, train_joint
    from .search import DEFAULT_CHECKPOINT

    no_model = tuple(n for n in cfg.sources if n != "model")
    cap = cfg.program_time_limit
    # The programs' first turn is short (programs_first, within any cap); 0 skips it (0 as a cap means none).
    first_sources = no_model if cfg.programs_first > 0 else tuple(n for n in no_model if n != "programs")
    first_cfg = replace(cfg, sources=first_sources,
                        program_time_limit=min(cfg.programs_first, cap) if cap > 0 else cfg.programs_first)
    unsolved: list[str] = []

    def first(rec: dict) -> None:
        if rec["sources"] and all(s and s[0] == "programs" for s in rec["sources"]):
            finish(rec)  # a verified program answers every test input: done
        else:
            provisional(rec)  # in the submission, but the task is not done
            unsolved.append(rec["task_id"])

    solve_all(todo, first_cfg, first, "programs first")
    save(now=True)  # the first turn's answers on disk before the long phase: a kill there keeps them
    if world > 1:
        import torch.distributed as dist

        everyone: list = [None] * world
        dist.all_gather_object(everyone, unsolved)
        unsolved = [tid for ids in everyone for tid in ids]
    ids = set(unsolved)  # of every rank: all_tasks in its own order, so every rank splits them alike
    picked, left_out = pick_tasks([t for t in all_tasks if t.id in ids], cfg.device, cfg.joint_max_side)
    seconds = [joint_seconds(cfg, max(0.0, deadline - time.monotonic()), len(picked))]
    if world > 1:
        dist.broadcast_object_list(seconds, 0)  # rank 0's clock
    checkpoint = cfg.checkpoint or (str(DEFAULT_CHECKPOINT) if DEFAULT_CHECKPOINT.exists() else None)
    if rank == 0:
        log.info("joint phase: %d tasks without a verified program, %d picked for training, %d left to the "
                 "programs, %.0f s%s", len(ids), len(picked), len(left_out), seconds[0],
                 f" on {world} ranks" if world > 1 else "")
    slim = train_joint(picked, checkpoint, out, seconds[0], cfg.views, cfg.device, cfg.seed, cfg.joint_save_minutes,
                       cfg.joint_max_side, cfg.joint_batch, progress=show_progress and rank == 0)
    model_cfg = replace(cfg, checkpoint=str(slim), ttt_steps=0) if slim else cfg
    # The model predicts first (no training left to do: it takes seconds), then the programs search again
    # with their full share: a task the model took must not lose a program that needed more than the first
    # turn (measured: two ARC-AGI-1 evaluation tasks were lost that way). Every task left, picked or not,
    # gets the same share of the clock.
    mine, theirs = picked[rank::world], left_out[rank::world]
    model_first = ("model", *(n for n in cfg.sources if n != "model"))
    solve_all(mine, replace(model_cfg, sources=model_first), finish, "model", after=len(theirs))
    solve_all(theirs, replace(cfg, sources=no_model), finish, "programs")


def candidate_scores(task: Task, per_test: list[list[Candidate]], model_source) -> list[dict] | None:
    """Per test input, {grid key: the model's log-probability} of every distinct candidate of every source
    (the test input itself included), or None when the model did not predict this task."""
    if model_source is None or not hasattr(model_source, "score"):
        return None
    distinct = [{grid_key(c.grid): c.grid for c in [*cands, Candidate(pair.input)]}
                for pair, cands in zip(task.test, per_test)]
    scored = model_source.score(task, [list(d.values()) for d in distinct])
    if scored is None:
        return None
    return [dict(zip(d.keys(), map(float, s))) for d, s in zip(distinct, scored)]


def warm_up_sources(cfg: SubmitConfig) -> None:
    """Load what the program search runs (once per process), so the first task's share is not spent on it."""
    if "programs" in cfg.sources:
        from .synthesis import warm_up

        warm_up()


def _solve_in_worker(task: Task, cfg: SubmitConfig, time_limit: float, threads: int) -> dict:
    from .kernels import set_thread_share

    set_thread_share(threads)  # this worker's share of the cores, in torch and Numba, whatever runs first
    warm_up_sources(cfg)
    return solve_task(task, cfg, time_limit)


def dist_rank_world() -> tuple[int, int]:
    """(rank, world size) under torchrun, (0, 1) otherwise."""
    return int(os.environ.get("RANK", 0)), int(os.environ.get("WORLD_SIZE", 1))


def run_submit(cfg: SubmitConfig, ts: TaskSet | None = None, show_progress: bool = True) -> dict:
    """Solve every task of cfg.tasks, write cfg.out, return a summary dict.

    Under torchrun the tasks are sharded across ranks (each rank keeps its own
    progress file); rank 0 waits for all, merges and writes the one validated file.
    """
    start = time.monotonic()
    deadline = start + cfg.time_budget * (1.0 - cfg.margin)
    rank, world = dist_rank_world()
    if world > 1:
        import torch.distributed as dist

        if not dist.is_initialized():
            # gloo is enough: ranks only synchronise at the end, never exchange tensors.
            dist.init_process_group("gloo")
    if ts is None:
        ts = load_tasks(cfg.tasks, cfg.solutions)
        for note in ts.notes if rank == 0 else ():
            log.warning("%s", note)
    cfg, model_source, lost = start_model_source(cfg, ts, warn=rank == 0)
    out = Path(cfg.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if rank == 0:
        atomic_write_json(out.with_name(out.stem + ".config.json"), asdict(cfg), indent=2)
        for task_id, err in ts.errors.items():
            log.warning("fallback for %s", err)
    sub = fallback_submission(ts)
    header = {"tasks": cfg.tasks, "sources": list(cfg.sources), "seed": cfg.seed, "checkpoint": cfg.checkpoint}
    suffix = f".progress.rank{rank}.jsonl" if world > 1 else ".progress.jsonl"
    progress = Progress(out.with_name(out.stem + suffix), header)
    # Tasks finished by any earlier run (any rank layout) are kept, not redone.
    details = load_progress_records(out, header)
    for tid, rec in details.items():
        if tid in sub:
            set_answers(sub, tid, rec["attempts"])
    if rank == 0:
        write_submission(out, sub, ts)

    # Shard the whole list (not what is left) so every rank agrees on the split.
    todo = [t for t in ts.tasks[rank::world] if t.id not in details]
    if details and rank == 0:
        log.info("resuming: %d tasks already done", len(details))
    workers = max(1, cfg.workers)
    last_write = [time.monotonic()]

    def save(now: bool = False) -> None:
        if rank == 0 and (now or time.monotonic() - last_write[0] >= WRITE_EVERY_SECONDS):
            write_submission(out, sub, ts)
            last_write[0] = time.monotonic()

    def finish(rec: dict) -> None:
        set_answers(sub, rec["task_id"], rec["attempts"])
        details[rec["task_id"]] = rec
        progress.add(rec)
        save()
        for e in rec["errors"]:
            log.warning("task %s: %s", rec["task_id"], e)

    def solve_all(tasks: list[Task], run_cfg: SubmitConfig, done: Callable[[dict], None], desc: str,
                  given: dict | None = None, after: int = 0) -> None:
        """Solve `tasks` with run_cfg's sources, each task within a fair share of the time left (shared
        with `after` more tasks that a later call solves)."""
        left = [len(tasks)]

        def share() -> float:  # recomputed each time a task starts
            return max(0.0, (deadline - time.monotonic()) * workers / max(1, left[0] + after))

        bar = tqdm(total=len(tasks), desc=f"{desc} (rank {rank})" if world > 1 else desc, unit="task",
                   disable=not show_progress or not tasks)

        def take(rec: dict) -> None:
            left[0] -= 1
            done(rec)
            bar.update(1)

        if workers == 1:
            sources = {n: (given or {}).get(n) or make_source(n, run_cfg) for n in run_cfg.sources}
            warm_up_sources(run_cfg)
            for task in tasks:
                take(solve_task(task, run_cfg, share(), sources))
        else:
            from joblib import Parallel, delayed

            from .kernels import usable_cores

            threads = max(1, usable_cores() // workers)
            jobs = (delayed(_solve_in_worker)(t, run_cfg, share(), threads) for t in tasks)
            for rec in Parallel(n_jobs=workers, return_as="generator_unordered")(jobs):
                take(rec)
        bar.close()

    if cfg.joint_share > 0 and model_source is not None:
        def provisional(rec: dict) -> None:
            set_answers(sub, rec["task_id"], rec["attempts"])
            save()

        run_joint(cfg, todo, ts.tasks, out, deadline, solve_all, finish, provisional, save, show_progress, rank,
                  world)
    else:
        solve_all(todo, cfg, finish, "tasks", given={"model": model_source})
    save(now=True)

    if world > 1:
        import torch.distributed as dist

        dist.barrier()
        if rank != 0:
            return {"rank": rank, "shard_tasks": len(todo), "seconds": round(time.monotonic() - start, 1)}
        details = load_progress_records(out, header)
        for tid, rec in details.items():
            set_answers(sub, tid, rec["attempts"])
        write_submission(out, sub, ts)

    failed = {tid: str(e) for tid, e in ts.errors.items()}
    for tid, rec in details.items():
        if rec.get("errors"):
            failed.setdefault(tid, "; ".join(rec["errors"]))
    atomic_write_json(out.with_name(out.stem + ".details.json"), details)
    summary = {"submission": str(out), "tasks": len(ts.test_counts), "tasks_done": len(details),
               "failed_tasks": len(ts.errors), "tasks_with_source_errors": len(failed) - len(ts.errors),
               "seconds": round(time.monotonic() - start, 1), "sources": list(cfg.sources)}
    if lost:  # a source switched off for the whole run (e.g. an unusable checkpoint)
        summary["lost_sources"] = lost
    skipped = [n for rec in details.values() for n in rec.get("skipped", [])]
    if skipped:  # not errors: the budget ran out for these sources on these tasks
        summary["skipped_for_time"] = {n: skipped.count(n) for n in dict.fromkeys(skipped)}
    task_seconds = [rec["seconds"] for rec in details.values()]
    if task_seconds:
        summary["seconds_per_task"] = {"mean": round(float(np.mean(task_seconds)), 2),
                                       "median": round(float(np.median(task_seconds)), 2),
                                       "max": round(float(np.max(task_seconds)), 2)}
    if any(t.has_solutions for t in ts.tasks):
        report = score_records(sub, ts, details)
        scoring.write_report(report, out)
        summary["score"] = report.totals
        other = other_scoring_totals(sub, ts, details)
        if other:
            summary["score_other_scoring"] = other
    summary["failed"] = failed
    return summary


def score_records(sub: dict, ts: TaskSet, records: dict[str, dict]) -> scoring.Report:
    """pass@2 report of `sub`, each solved output credited to the source (and detail, e.g. the program
    family) that the task's progress record names for that attempt."""
    return scoring.score(sub, ts, {tid: rec["sources"] for tid, rec in records.items()},
                         {tid: rec.get("details", []) for tid, rec in records.items()})


def other_scoring_totals(sub: dict, ts: TaskSet, records: dict[str, dict]) -> dict | None:
    """The score the same run gets with the other scoring method on the tasks the model predicted (the
    rest keep their attempts), or None when the model scored no task."""
    others = {tid: rec["other_scoring"] for tid, rec in records.items() if rec.get("other_scoring")}
    if not others:
        return None
    alt, alt_records = dict(sub), dict(records)  # set_answers replaces a task's entry, never edits it
    for tid, o in others.items():
        set_answers(alt, tid, o["attempts"])
        alt_records[tid] = {**records[tid], **o}
    totals = score_records(alt, ts, alt_records).totals
    return {"method": next(iter(others.values()))["method"], "tasks_scored_both_ways": len(others), **totals}


def load_progress_records(out: Path, header: dict) -> dict[str, dict]:
    """Finished-task records from every progress file of this output with this header."""
    records: dict[str, dict] = {}
    for path in sorted(out.parent.glob(out.stem + ".progress*.jsonl")):
        records.update(read_progress(path, header))
    return records


def load_details(submission_path: str | Path) -> dict:
    p = Path(submission_path)
    d = p.with_name(p.stem + ".details.json")
    return json.loads(d.read_text()) if d.exists() else {}
