"""Every user error on the command line is one line naming the file or flag, exit status 2, no traceback
(-v adds it); bad tasks inside a set get a fallback and the file stays complete and valid."""
import json
import shutil
from pathlib import Path

import pytest

from arc_solver.cli import main
from arc_solver.submission import validate
from arc_solver.tasks import load_tasks

TASKS = str(Path(__file__).parent.parent / "tasks")


def one_line_error(capsys, argv, *expect):
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert err[0].startswith(f"arc-solver {argv[0]}: error: ") and "Traceback" not in err[0]
    for text in expect:
        assert text in err[0], (text, err[0])
    return err[0]


def test_each_command_line_mistake_is_one_line_and_exit_2(tmp_path, capsys):
    out = str(tmp_path / "s" / "sub.json")
    not_json = tmp_path / "arc-agi_test_challenges.json"
    not_json.write_text("{ not json")
    blocked = tmp_path / "file"
    blocked.write_text("a file where a folder should be")
    base = ["submit", "--tasks", TASKS, "--sources", "baseline", "--time-budget", "5"]
    one_line_error(capsys, ["submit", "--tasks", str(not_json), "--out", out], str(not_json), "not valid JSON")
    one_line_error(capsys, ["submit", "--tasks", "no/such/spec", "--out", out], "no/such/spec", "not a bundled set")
    one_line_error(capsys, [*base, "--out", str(blocked / "sub.json")], "--out", "cannot write")
    one_line_error(capsys, [*base, "--out", out, "--workers", "-3"], "--workers -3", "at least 1")
    one_line_error(capsys, [*base, "--out", out, "--time-budget", "-1"], "--time-budget -1")
    one_line_error(capsys, [*base, "--out", out, "--sources", "programs,oracle"], "unknown source 'oracle'")
    one_line_error(capsys, [*base, "--out", out, "--checkpoint", str(tmp_path / "none.pt")], "--checkpoint", "no such file")
    one_line_error(capsys, [*base, "--out", out, "--solutions", str(tmp_path / "none.json")], "--solutions")
    one_line_error(capsys, [*base, "--out", out, "--device", "tpu"], "--device tpu")
    one_line_error(capsys, [*base, "--out", out, "--program-time-limit", "-1"], "--program-time-limit -1")
    one_line_error(capsys, [*base, "--out", out, "--joint-batch", "-1"], "--joint-batch -1")
    one_line_error(capsys, [*base, "--out", out, "--workers", "many"], "--workers", "invalid int value")
    one_line_error(capsys, ["score", "--tasks", TASKS, "--submission", str(not_json)], "not valid JSON")
    one_line_error(capsys, ["score", "--tasks", TASKS, "--submission", str(tmp_path / "x.json")], "no such file")
    one_line_error(capsys, ["show", "nope", "--tasks", TASKS], "task nope")
    one_line_error(capsys, ["gallery", "--tasks", "no/such", "--submission", str(not_json), "--out", str(tmp_path)],
                   "no/such")
    assert not (tmp_path / "s" / "sub.json").exists()  # every check ran before any work


def test_verbose_shows_the_traceback(tmp_path, capsys):
    assert main(["-v", "submit", "--tasks", "no/such/spec", "--out", str(tmp_path / "s.json")]) == 2
    assert "Traceback" in capsys.readouterr().err


def test_explicit_solutions_are_always_used_and_a_disagreement_is_said(tmp_path, capsys, caplog):
    sub = tmp_path / "sub.json"
    assert main(["submit", "--tasks", TASKS, "--out", str(sub), "--sources", "baseline", "--time-budget", "5"]) == 0
    ts = load_tasks(TASKS)
    # The copy-input baseline's answers, declared as the solutions: they disagree with the task files.
    answers = {t.id: [p.input.tolist() for p in t.test] for t in ts.tasks}
    sol = tmp_path / "solutions.json"
    sol.write_text(json.dumps(answers))
    capsys.readouterr()
    assert main(["score", "--tasks", TASKS, "--submission", str(sub), "--solutions", str(sol)]) == 0
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert result["task_score"] == 1.0  # scored against the file given, not the outputs inside the tasks
    notes = [r.getMessage() for r in caplog.records if "disagrees" in r.getMessage()]
    assert len(notes) == 1 and str(sol) in notes[0] and f"{len(ts.tasks)} task(s)" in notes[0]


BAD_TASKS = {
    "bad_colour": {"train": [{"input": [[1, 12]], "output": [[1]]}], "test": [{"input": [[1]]}]},
    "too_wide": {"train": [{"input": [[1] * 31], "output": [[1]]}], "test": [{"input": [[1]]}]},
    "no_test": {"train": [{"input": [[1]], "output": [[1]]}]},
    "ragged": {"train": [{"input": [[1, 2], [3]], "output": [[1]]}], "test": [{"input": [[1]]}, {"input": [[2]]}]},
}


@pytest.mark.parametrize("layout", ["folder", "kaggle"])
def test_bad_tasks_get_a_fallback_and_are_named(tmp_path, capsys, caplog, layout):
    good = json.loads((Path(TASKS) / "rotate90.json").read_text())
    if layout == "folder":
        spec = tmp_path / "tasks"
        spec.mkdir()
        (spec / "good.json").write_text(json.dumps(good))
        for name, task in BAD_TASKS.items():
            (spec / f"{name}.json").write_text(json.dumps(task))
        (spec / "truncated.json").write_text(json.dumps(good)[:40])
        (spec / "not_json.json").write_text("hello")
        broken = {*BAD_TASKS, "truncated", "not_json"}
    else:
        spec = tmp_path / "arc-agi_test_challenges.json"
        spec.write_text(json.dumps({"good": good, **BAD_TASKS, "not_a_task": [1, 2]}))
        broken = {*BAD_TASKS, "not_a_task"}
    out = tmp_path / "out" / "sub.json"
    assert main(["submit", "--tasks", str(spec), "--out", str(out), "--sources", "programs", "--time-budget", "20"]) == 0
    sub = json.loads(out.read_text())
    assert set(sub) == {"good", *broken} and len(sub["ragged"]) == 2
    validate(sub, load_tasks(str(spec)))
    named = " ".join(r.getMessage() for r in caplog.records if r.levelname == "WARNING")
    for tid in broken:
        assert tid in named
    assert "colour 12 outside 0..9" in named and "no test inputs" in named or "missing key 'test'" in named


def test_a_corrupted_progress_file_resumes_cleanly(tmp_path):
    spec = tmp_path / "tasks"
    shutil.copytree(TASKS, spec)
    out = tmp_path / "sub.json"
    argv = ["submit", "--tasks", str(spec), "--out", str(out), "--sources", "baseline", "--time-budget", "10"]
    assert main(argv) == 0
    progress = tmp_path / "sub.progress.jsonl"
    lines = progress.read_text().splitlines()
    progress.write_text("\n".join([lines[0], "\x00\x01garbage{", lines[1][: len(lines[1]) // 2], *lines[2:4]]))
    assert main(argv) == 0
    validate(json.loads(out.read_text()), load_tasks(str(spec)))
    progress.write_bytes(b"\xff\xfe not even text")
    assert main(argv) == 0
    validate(json.loads(out.read_text()), load_tasks(str(spec)))


def test_an_error_is_told_by_its_first_line_or_its_type():
    from arc_solver.errors import first_line

    assert first_line(ValueError("  bad grid in t1.json\n  Traceback detail\n")) == "bad grid in t1.json"
    assert first_line(KeyError()) == "KeyError"
    assert first_line(RuntimeError("   \n ")) == "RuntimeError"
