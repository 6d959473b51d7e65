"""pass@2 scoring against known solutions, with the three totals in use.

- task score (headline; the ARC Prize benchmarking rule): each task = solved
  outputs / its outputs, averaged over tasks;
- output score (the Kaggle page's wording): solved outputs / all outputs;
- all-correct: a task counts only if all its outputs are solved.
A task without a prediction counts as unsolved (it is never dropped).

    arc-solver score --tasks arc-agi-2/evaluation --submission submissions/submission.json
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from .tasks import TaskSet


@dataclass
class TaskRow:
    task_id: str
    outputs: int
    solved: int
    solved_by: list[str] = field(default_factory=list)  # source that gave each solved output
    solved_detail: list[str] = field(default_factory=list)  # e.g. the program family, where recorded
    missing: bool = False

    @property
    def score(self) -> float:
        return self.solved / self.outputs if self.outputs else 0.0


@dataclass
class Report:
    spec: str
    rows: list[TaskRow]
    unscored: list[str]  # tasks whose truth is unknown

    @property
    def totals(self) -> dict:
        n = len(self.rows)
        outs = sum(r.outputs for r in self.rows)
        per_source: dict[str, int] = {}
        per_detail: dict[str, int] = {}
        for r in self.rows:
            for s in r.solved_by:
                per_source[s] = per_source.get(s, 0) + 1
            for d in r.solved_detail:
                per_detail[d] = per_detail.get(d, 0) + 1
        return {
            "headline": "task_score",
            "task_score": round(sum(r.score for r in self.rows) / n, 4) if n else 0.0,
            "output_score": round(sum(r.solved for r in self.rows) / outs, 4) if outs else 0.0,
            "all_correct": round(sum(r.solved == r.outputs for r in self.rows) / n, 4) if n else 0.0,
            "tasks": n,
            "outputs": outs,
            "solved_outputs": sum(r.solved for r in self.rows),
            "tasks_missing_prediction": sum(r.missing for r in self.rows),
            "unscored_tasks": len(self.unscored),
            "solved_outputs_by_source": dict(sorted(per_source.items())),
            "solved_outputs_by_program_family": dict(sorted(per_detail.items(), key=lambda kv: (-kv[1], kv[0]))),
        }

    def markdown(self) -> str:
        t = self.totals
        lines = [f"# Score: {self.spec}", "",
                 f"**Task score (headline): {t['task_score']:.2%}** — output score {t['output_score']:.2%}, "
                 f"all-correct {t['all_correct']:.2%}; {t['tasks']} tasks, {t['solved_outputs']}/{t['outputs']} outputs solved.",
                 ""]
        if t["solved_outputs_by_source"]:
            lines += ["Solved outputs by source: " + ", ".join(f"{k} {v}" for k, v in t["solved_outputs_by_source"].items()), ""]
        if t["solved_outputs_by_program_family"]:
            lines += ["Solved outputs by program family: " + ", ".join(
                f"{k} {v}" for k, v in t["solved_outputs_by_program_family"].items()), ""]
        if self.unscored:
            lines += [f"Not scored (no known solution): {len(self.unscored)} tasks.", ""]
        lines += ["| task | outputs | solved | score | solved by |", "|---|---|---|---|---|"]
        for r in self.rows:
            note = " (no prediction)" if r.missing else ""
            lines.append(f"| {r.task_id}{note} | {r.outputs} | {r.solved} | {r.score:.2f} | {', '.join(r.solved_by)} |")
        return "\n".join(lines) + "\n"

    def to_dict(self) -> dict:
        return {"totals": self.totals, "rows": [asdict(r) for r in self.rows], "unscored": self.unscored}


def same_grid(attempt, truth: np.ndarray) -> bool:
    """Exact match: shape and every cell. Malformed attempts never match."""
    try:
        a = np.asarray(attempt)
    except (ValueError, TypeError):
        return False
    return a.ndim == 2 and a.shape == truth.shape and bool(np.array_equal(a, truth))


def score(submission: dict, ts: TaskSet, sources: dict[str, list[list[str]]] | None = None,
          details: dict[str, list[list[str]]] | None = None) -> Report:
    """pass@2 per test output. `sources[task_id][i]` names the source of each attempt, `details[task_id][i]`
    its detail such as the program family (both optional)."""
    rows, unscored = [], []
    for task in ts.tasks:
        if not task.has_solutions:
            unscored.append(task.id)
            continue
        entries = submission.get(task.id)
        row = TaskRow(task.id, len(task.test), 0, missing=entries is None)
        for i, pair in enumerate(task.test):
            if not entries or i >= len(entries) or not isinstance(entries[i], dict):
                continue
            for k, key in enumerate(("attempt_1", "attempt_2")):
                if same_grid(entries[i].get(key), pair.output):
                    row.solved += 1
                    src = sources.get(task.id) if sources else None
                    row.solved_by.append(src[i][k] if src and i < len(src) else "unknown")
                    det = details.get(task.id) if details else None
                    if det and i < len(det) and det[i][k]:
                        row.solved_detail.append(det[i][k])
                    break
        rows.append(row)
    # Broken tasks have no truth we can read: they are unscored, and named.
    unscored += sorted(ts.errors)
    return Report(ts.spec, rows, unscored)


def write_report(report: Report, submission_path: str | Path) -> Path:
    """Markdown table next to the submission: <name>.score.md."""
    from .files import atomic_write_text

    p = Path(submission_path)
    return atomic_write_text(p.with_name(p.stem + ".score.md"), report.markdown())
