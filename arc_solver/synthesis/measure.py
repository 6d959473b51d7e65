"""The program source alone on a task set: task score and per-task rows.

    .venv/bin/python -m arc_solver.synthesis --tasks arc-agi-1/training --time-limit 3 --workers 1
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
import time

import numpy as np

from ..tasks import Task, load_tasks
from .chain_search import candidates_from, search


log = logging.getLogger("arc_solver.synthesis")

def _score_task(task: Task, time_limit_s: float) -> dict:
    t0 = time.monotonic()
    try:
        progs = search(task, time_limit_s)
    except Exception as e:
        progs = []
        log.warning("task %s: %s", task.id, e)
    cands = candidates_from(progs, len(task.test))
    solved_by = []  # the family of the program that gave each solved output
    for pair, cs in zip(task.test, cands):
        hit = next((c for c in cs[:2] if pair.output is not None and np.array_equal(c.grid, pair.output)), None)
        if hit is not None:
            solved_by.append(hit.detail)
    return {"task_id": task.id, "solved": len(solved_by), "outputs": len(task.test),
            "seconds": round(time.monotonic() - t0, 3), "programs": [p.name for p in progs[:3]],
            "solved_by": solved_by, "found": len(progs)}


def _count(names) -> dict[str, int]:
    counts: dict[str, int] = {}
    for n in names:
        counts[n] = counts.get(n, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def evaluate(spec: str, time_limit_s: float = 5.0, workers: int = 1, limit: int | None = None,
             out: str | None = None) -> dict:
    """Task score (pass@2, averaged over tasks) of the program source alone on a task set."""
    from joblib import Parallel, delayed
    from tqdm import tqdm

    tasks = [t for t in load_tasks(spec).tasks if t.has_solutions][:limit]
    jobs = (delayed(_score_task)(t, time_limit_s) for t in tasks)
    rows = []
    bar = tqdm(total=len(tasks), desc=f"programs on {spec}", unit="task", file=sys.stderr)
    for row in Parallel(n_jobs=workers, return_as="generator_unordered")(jobs):
        rows.append(row)
        bar.update(1)
        bar.set_postfix(solved=sum(r["solved"] == r["outputs"] for r in rows))
    bar.close()
    rows.sort(key=lambda r: r["task_id"])
    n = len(rows)
    summary = {
        "spec": spec, "tasks": n, "time_limit_s": time_limit_s,
        "task_score": round(sum(r["solved"] / r["outputs"] for r in rows) / n, 4) if n else 0.0,
        "solved_tasks": sum(r["solved"] == r["outputs"] for r in rows),
        "tasks_with_programs": sum(r["found"] > 0 for r in rows),
        "seconds_per_task": round(sum(r["seconds"] for r in rows) / n, 3) if n else 0.0,
        "max_seconds": max((r["seconds"] for r in rows), default=0.0),
        "solved_outputs_by_family": _count(f for r in rows for f in r["solved_by"]),
    }
    if out:
        with open(out, "w") as f:
            json.dump({"summary": summary, "rows": rows}, f, indent=1)
    return summary


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m arc_solver.synthesis", description=__doc__.splitlines()[0])
    ap.add_argument("--tasks", default="arc-agi-1/training")
    ap.add_argument("--time-limit", type=float, default=5.0)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--out", default=None, help="JSON file for per-task rows")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr)
    print(json.dumps(evaluate(args.tasks, args.time_limit, args.workers, args.limit, args.out), indent=1))

