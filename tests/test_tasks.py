import json

import numpy as np
import pytest

from arc_solver.tasks import BUNDLED, TaskError, export_kaggle, load_tasks, parse_task

GOOD = {"train": [{"input": [[1, 2]], "output": [[2, 1]]}], "test": [{"input": [[3, 4]]}]}


def test_hand_made_tasks_load():
    ts = load_tasks("tasks")
    assert {t.id for t in ts} >= {"rotate90", "colour_swap", "tile2x2", "crop", "flip_two_tests"}
    assert not ts.errors
    for t in ts:
        assert t.has_solutions
        for p in t.train + t.test:
            assert p.input.dtype == np.uint8 and p.input.ndim == 2
    assert len(ts.by_id()["flip_two_tests"].test) == 2


def test_broken_file_is_named_with_task_and_problem():
    ts = load_tasks("tasks/invalid")
    err = ts.errors["ragged_rows"]
    assert "ragged_rows.json" in str(err) and "ragged_rows" in err.task_id and "ragged" in err.problem
    assert ts.test_counts == {"ragged_rows": 1}


@pytest.mark.parametrize("mutate, problem", [
    (lambda d: d.pop("test"), "missing key 'test'"),
    (lambda d: d.update(test=[]), "no test inputs"),
    (lambda d: d["train"][0].update(input=[[1, 2], [3]]), "ragged"),
    (lambda d: d["train"][0].update(input=[[1, 12]]), "colour 12"),
    (lambda d: d["train"][0].update(input=[[1, -1]]), "colour -1"),
    (lambda d: d["train"][0].update(input=[[1] * 31]), "size 1x31"),
    (lambda d: d["train"][0].update(input=[]), "non-empty"),
    (lambda d: d["train"][0].pop("output"), "needs 'input' and 'output'"),
    (lambda d: d["test"][0].update(input=[[True]]), "colour True"),
])
def test_validation_errors(mutate, problem):
    d = json.loads(json.dumps(GOOD))
    mutate(d)
    with pytest.raises(TaskError) as e:
        parse_task("abc123", d, "some/file.json")
    msg = str(e.value)
    assert "some/file.json" in msg and "abc123" in msg and problem in msg


def test_challenges_file_with_solutions_beside_and_a_broken_task(tmp_path):
    bad = json.loads(json.dumps(GOOD))
    bad["test"][0]["input"] = [[1, 2], [3]]
    (tmp_path / "arc-agi_test_challenges.json").write_text(json.dumps({"good1": GOOD, "bad1": bad}))
    (tmp_path / "arc-agi_test_solutions.json").write_text(json.dumps({"good1": [[[4, 3]]]}))
    ts = load_tasks(str(tmp_path / "arc-agi_test_challenges.json"))
    assert [t.id for t in ts] == ["good1"]
    assert ts.tasks[0].test[0].output.tolist() == [[4, 3]]
    assert set(ts.test_counts) == {"good1", "bad1"} and "bad1" in ts.errors
    assert "arc-agi_test_challenges.json" in str(ts.errors["bad1"])


def test_not_json(tmp_path):
    f = tmp_path / "x.json"
    f.write_text("{not json")
    with pytest.raises(TaskError, match="not valid JSON"):
        load_tasks(str(f))
    with pytest.raises(TaskError, match="not a bundled set"):
        load_tasks(str(tmp_path / "nope"))


def test_bundled_sets_offline():
    ev = load_tasks("arc-agi-2/evaluation")
    assert len(ev) == 120 and sum(len(t.test) for t in ev) == 167
    assert all(t.is_evaluation and t.has_solutions for t in ev)
    assert len(load_tasks("kaggle-2025/evaluation").tasks) == 120
    assert sum(len(t.test) for t in load_tasks("kaggle-2025/evaluation")) == 172
    assert len(load_tasks("arc-agi-1/evaluation")) == 400
    assert not load_tasks("arc-agi-2/training").tasks[0].is_evaluation
    assert len(BUNDLED) == 6


def test_export_round_trip(tmp_path):
    ts = load_tasks("tasks")
    c, s = export_kaggle(ts, tmp_path, "evaluation")
    assert c.name == "arc-agi_evaluation_challenges.json" and s.name == "arc-agi_evaluation_solutions.json"
    back = load_tasks(str(c))
    assert [t.id for t in back] == [t.id for t in ts]
    for a, b in zip(ts, back):
        for pa, pb in zip(a.train + a.test, b.train + b.test):
            assert np.array_equal(pa.input, pb.input) and np.array_equal(pa.output, pb.output)
