import json
import os

import numpy as np
import pytest

from arc_solver.scoring import score, write_report
from arc_solver.files import atomic_write_json
from arc_solver.submission import (Progress, SubmissionError, fallback_submission, set_answers, validate,
                                   write_submission)
from arc_solver.tasks import load_tasks


@pytest.fixture
def ts():
    return load_tasks("tasks")


def test_fallback_is_complete_and_valid(ts):
    sub = fallback_submission(ts)
    validate(sub, ts)
    assert set(sub) == set(ts.test_counts)
    assert len(sub["flip_two_tests"]) == 2
    # Golden format: exactly attempt_1/attempt_2 per test input, lists of lists of ints.
    e = sub["rotate90"][0]
    assert set(e) == {"attempt_1", "attempt_2"} and isinstance(e["attempt_1"][0][0], int)


@pytest.mark.parametrize("breakit, problem", [
    (lambda s: s.pop("crop"), "crop: missing"),
    (lambda s: s["flip_two_tests"].pop(), "expected a list of 2"),
    (lambda s: s["crop"][0].pop("attempt_2"), "exactly attempt_1 and attempt_2"),
    (lambda s: s["crop"][0].update(attempt_1=[[1, 2], [3]]), "ragged"),
    (lambda s: s["crop"][0].update(attempt_1=[[10]]), "colour outside"),
    (lambda s: s["crop"][0].update(attempt_1=[]), "non-empty"),
    (lambda s: s.update(zzz=[]), "unknown task ids"),
])
def test_validation_catches(ts, breakit, problem):
    sub = fallback_submission(ts)
    breakit(sub)
    with pytest.raises(SubmissionError, match=problem):
        validate(sub, ts)


def test_set_answers_and_score(ts, tmp_path):
    sub = fallback_submission(ts)
    by_id = ts.by_id()
    # Solve rotate90 with attempt_2, one of flip_two_tests' two outputs with attempt_1.
    set_answers(sub, "rotate90", [[np.zeros((1, 1), np.uint8), by_id["rotate90"].test[0].output]])
    f = by_id["flip_two_tests"]
    set_answers(sub, "flip_two_tests", [[f.test[0].output, f.test[0].output], [f.test[0].output, f.test[0].input]])
    path = write_submission(tmp_path / "s.json", sub, ts)
    rep = score(json.loads(path.read_text()), ts)
    t = rep.totals
    n = len(ts.tasks)
    assert t["headline"] == "task_score"
    assert t["task_score"] == round((1 + 0.5) / n, 4)
    assert t["output_score"] == round(2 / sum(len(x.test) for x in ts), 4)
    assert t["all_correct"] == round(1 / n, 4)
    md = write_report(rep, path)
    assert md.name == "s.score.md" and "| rotate90 | 1 | 1 |" in md.read_text()


def test_missing_prediction_counts_as_unsolved(ts):
    sub = fallback_submission(ts)
    del sub["crop"]
    rep = score(sub, ts)
    assert rep.totals["tasks"] == len(ts.tasks) and rep.totals["tasks_missing_prediction"] == 1


def test_atomic_write_leaves_no_temp(tmp_path):
    p = atomic_write_json(tmp_path / "a" / "x.json", {"k": [1]})
    assert json.loads(p.read_text()) == {"k": [1]}
    assert [x.name for x in p.parent.iterdir()] == ["x.json"]
    old = os.umask(0o027)
    try:  # a new file gets the usual permissions (mkstemp alone would give 0600)
        assert atomic_write_json(tmp_path / "y.json", {}).stat().st_mode & 0o777 == 0o640
    finally:
        os.umask(old)


def test_progress_resume_ignores_torn_line_and_other_runs(tmp_path):
    path = tmp_path / "p.jsonl"
    pr = Progress(path, {"run": 1})
    pr.add({"task_id": "a", "attempts": [[[[1]], [[1]]]]})
    with open(path, "a") as f:
        f.write('{"task_id": "b", "att')  # killed mid-write
    again = Progress(path, {"run": 1})
    assert set(again.done) == {"a"}
    again.add({"task_id": "c", "attempts": []})
    assert set(Progress(path, {"run": 1}).done) == {"a", "c"}
    assert Progress(path, {"run": 2}).done == {}
