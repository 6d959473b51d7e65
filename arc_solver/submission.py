"""Kaggle submission files: fallback, merge, validation, progress.

submission.json = {task_id: [{"attempt_1": grid, "attempt_2": grid}, ...]}, one
entry per test input in test order, every task id present, both attempts always.

    arc-solver submit --tasks arc-agi-2/evaluation --out submissions/submission.json
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np

from .files import atomic_write_json, atomic_write_text
from .tasks import MAX_SIDE, TaskSet, grid_to_list


class SubmissionError(ValueError):
    """A submission that breaks the Kaggle rules; the message lists every problem."""


FALLBACK_GRID = [[0]]


def fallback_submission(ts: TaskSet) -> dict[str, list[dict[str, list]]]:
    """A complete, valid submission: each attempt is the test input itself (or [[0]] for a broken task)."""
    by_id = ts.by_id()
    sub: dict[str, list[dict[str, list]]] = {}
    for task_id, n in ts.test_counts.items():
        task = by_id.get(task_id)
        entries = []
        for i in range(n):
            g = grid_to_list(task.test[i].input) if task is not None and i < len(task.test) else FALLBACK_GRID
            entries.append({"attempt_1": g, "attempt_2": [row[:] for row in g]})
        sub[task_id] = entries
    return sub


def set_answers(sub: dict, task_id: str, attempts: list[list[np.ndarray]]) -> None:
    """Put one task's attempts ([attempt_1, attempt_2] per test input) into the submission."""
    if task_id not in sub:
        raise KeyError(f"task {task_id} is not in this submission")
    if len(attempts) != len(sub[task_id]):
        raise ValueError(f"task {task_id}: {len(attempts)} answers for {len(sub[task_id])} test inputs")
    sub[task_id] = [{"attempt_1": grid_to_list(a1), "attempt_2": grid_to_list(a2)} for a1, a2 in attempts]


def grid_problem(g: Any) -> str | None:
    if not isinstance(g, list) or not g or not all(isinstance(r, list) for r in g):
        return "not a non-empty list of rows"
    if len({len(r) for r in g}) != 1:
        return "ragged rows"
    if not (1 <= len(g) <= MAX_SIDE and 1 <= len(g[0]) <= MAX_SIDE):
        return f"size {len(g)}x{len(g[0])} outside 1..{MAX_SIDE}"
    if any(isinstance(c, bool) or not isinstance(c, int) or not 0 <= c <= 9 for r in g for c in r):
        return "colour outside 0..9"
    return None


def validate(sub: Any, ts: TaskSet) -> None:
    """Raise SubmissionError unless `sub` covers every task and test input with two valid grids."""
    problems = []
    if not isinstance(sub, dict):
        raise SubmissionError("submission must be a JSON object {task_id: [...]}")
    for task_id, n in ts.test_counts.items():
        entries = sub.get(task_id)
        if entries is None:
            problems.append(f"task {task_id}: missing")
            continue
        if not isinstance(entries, list) or len(entries) != n:
            problems.append(f"task {task_id}: expected a list of {n} entries")
            continue
        for i, e in enumerate(entries):
            if not isinstance(e, dict) or set(e) != {"attempt_1", "attempt_2"}:
                problems.append(f"task {task_id} test {i}: needs exactly attempt_1 and attempt_2")
                continue
            for k in ("attempt_1", "attempt_2"):
                p = grid_problem(e[k])
                if p:
                    problems.append(f"task {task_id} test {i} {k}: {p}")
    extra = set(sub) - set(ts.test_counts)
    if extra:
        problems.append(f"unknown task ids: {sorted(extra)[:5]}")
    if problems:
        raise SubmissionError(f"{len(problems)} problems: " + "; ".join(problems[:20]))


def write_submission(path: str | Path, sub: dict, ts: TaskSet) -> Path:
    """Validate, then write atomically."""
    validate(sub, ts)
    return atomic_write_json(path, sub)


def read_submission(path: str | Path) -> dict:
    """A submission file as written by `submit` (ValueError naming the file when it is not JSON)."""
    with open(path) as f:
        try:
            return json.load(f)
        except json.JSONDecodeError as e:
            raise ValueError(f"{path}: not valid JSON ({e.msg} at line {e.lineno})") from None


def read_progress(path: Path, header: dict) -> dict[str, dict]:
    """Finished-task records of a progress file whose first line is `header`; anything unreadable (a torn
    line from a kill, stray bytes, another run's header, a file that is not text) is passed over."""
    try:
        lines = path.read_bytes().decode("utf-8", errors="replace").splitlines()
    except OSError:
        return {}
    try:
        if not lines or json.loads(lines[0]) != header:
            return {}
    except json.JSONDecodeError:
        return {}
    done: dict[str, dict] = {}
    for line in lines[1:]:
        try:
            rec = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(rec, dict) and isinstance(rec.get("task_id"), str) and "attempts" in rec:
            done[rec["task_id"]] = rec
    return done


class Progress:
    """Append-only JSONL beside the output: one line per finished task.

    The first line records what the run is (task spec, sources); a rerun with the
    same header skips the tasks already listed and keeps their answers. A torn
    last line (kill -9 mid-write) is ignored.
    """

    def __init__(self, path: str | Path, header: dict):
        self.path = Path(path)
        self.header = header
        self.done: dict[str, dict] = {}
        self.done = read_progress(self.path, header)
        if not self.done:
            atomic_write_text(self.path, json.dumps(header) + "\n")
        else:
            # Rewrite without any torn line so later appends start on a fresh line.
            atomic_write_text(self.path, "".join(json.dumps(x) + "\n" for x in [header, *self.done.values()]))

    def add(self, record: dict) -> None:
        self.done[record["task_id"]] = record
        with open(self.path, "a") as f:
            f.write(json.dumps(record) + "\n")
            f.flush()
            os.fsync(f.fileno())
