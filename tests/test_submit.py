import json
import subprocess
import sys

import numpy as np

from arc_solver import submit as submit_mod
from arc_solver.submission import validate
from arc_solver.submit import SubmitConfig, run_submit
from arc_solver.tasks import load_tasks


def cfg(tmp_path, **kw):
    return SubmitConfig(**{"tasks": "tasks", "out": str(tmp_path / "sub.json"), "sources": ("baseline",),
                           "time_budget": 60, **kw})


def test_submit_baseline_end_to_end(tmp_path):
    summary = run_submit(cfg(tmp_path), show_progress=False)
    ts = load_tasks("tasks")
    sub = json.loads((tmp_path / "sub.json").read_text())
    validate(sub, ts)
    assert summary["tasks"] == len(ts.test_counts) and summary["failed_tasks"] == 0
    # The copy-input baseline solves nothing here, and says so honestly.
    assert summary["score"]["task_score"] == 0.0
    details = json.loads((tmp_path / "sub.details.json").read_text())
    assert details["crop"]["sources"] == [["baseline", "baseline"]]
    assert json.loads((tmp_path / "sub.config.json").read_text())["sources"] == ["baseline"]
    assert (tmp_path / "sub.score.md").exists()


def test_a_source_that_raises_loses_nothing(tmp_path, monkeypatch):
    def flaky(task, limit, seed):
        if task.id == "crop":
            raise RuntimeError("boom")
        return [[submit_mod.Candidate(p.output, source="oracle")] for p in task.test]

    real = submit_mod.make_source
    monkeypatch.setattr(submit_mod, "make_source", lambda n, c: flaky if n == "oracle" else real(n, c))
    summary = run_submit(cfg(tmp_path, sources=("oracle", "baseline")), show_progress=False)
    assert "crop" in summary["failed"] and "boom" in summary["failed"]["crop"]
    n = summary["score"]["tasks"]
    assert summary["score"]["task_score"] == round((n - 1) / n, 4)


def test_broken_task_in_challenges_file_gets_fallback(tmp_path):
    good = json.loads(open("tasks/rotate90.json").read())
    bad = {"train": good["train"], "test": [{"input": [[1, 2], [3]]}, {"input": [[1]]}]}
    ch = tmp_path / "arc-agi_test_challenges.json"
    ch.write_text(json.dumps({"good": good, "bad": bad}))
    summary = run_submit(cfg(tmp_path, tasks=str(ch)), show_progress=False)
    sub = json.loads((tmp_path / "sub.json").read_text())
    assert set(sub) == {"good", "bad"} and len(sub["bad"]) == 2
    assert summary["failed_tasks"] == 1 and "ragged" in summary["failed"]["bad"]


def test_rerun_skips_finished_tasks(tmp_path, monkeypatch):
    run_submit(cfg(tmp_path), show_progress=False)
    prog = tmp_path / "sub.progress.jsonl"
    lines = prog.read_text().splitlines()
    prog.write_text("\n".join(lines[:3]) + "\n" + lines[3][:10])  # header + 2 tasks + a torn line
    (tmp_path / "sub.json").unlink()
    calls = []
    real = submit_mod.solve_task
    monkeypatch.setattr(submit_mod, "solve_task", lambda t, *a, **k: calls.append(t.id) or real(t, *a, **k))
    run_submit(cfg(tmp_path), show_progress=False)
    kept = {json.loads(x)["task_id"] for x in lines[1:3]}
    assert len(calls) == len(load_tasks("tasks").tasks) - 2 and not kept & set(calls)
    validate(json.loads((tmp_path / "sub.json").read_text()), load_tasks("tasks"))


def test_submission_rewritten_at_most_every_few_seconds_and_complete_at_the_end(tmp_path, monkeypatch):
    # Rewriting the whole file after every task costs the search's cores: the progress file keeps every
    # task, the submission is rewritten on a clock (here: never within the run), and once at the end.
    writes = []
    real = submit_mod.write_submission
    monkeypatch.setattr(submit_mod, "write_submission", lambda p, sub, ts: writes.append(1) or real(p, sub, ts))
    monkeypatch.setattr(submit_mod, "WRITE_EVERY_SECONDS", 3600.0)
    oracle = lambda task, limit, seed: [[submit_mod.Candidate(p.output, source="oracle")] for p in task.test]
    real_source = submit_mod.make_source
    monkeypatch.setattr(submit_mod, "make_source", lambda n, c: oracle if n == "oracle" else real_source(n, c))
    summary = run_submit(cfg(tmp_path, sources=("oracle",)), show_progress=False)
    assert len(writes) == 2  # the fallback file before any task, the answers after the last
    assert summary["score"]["task_score"] == 1.0
    sub = json.loads((tmp_path / "sub.json").read_text())
    records = [json.loads(x) for x in (tmp_path / "sub.progress.jsonl").read_text().splitlines()[1:]]
    assert len(records) == len(sub) and all(sub[r["task_id"]][0]["attempt_1"] == r["attempts"][0][0] for r in records)


def test_budget_exhausted_still_valid(tmp_path):
    summary = run_submit(cfg(tmp_path, time_budget=0.0, sources=("programs", "baseline")), show_progress=False)
    validate(json.loads((tmp_path / "sub.json").read_text()), load_tasks("tasks"))
    assert summary["tasks"] == 6 and summary["tasks_done"] == 6
    # a source the budget never reached is counted as skipped, not as an error
    assert summary["skipped_for_time"] == {"programs": 6} and summary["tasks_with_source_errors"] == 0


def test_workers_two_gives_same_answers(tmp_path):
    run_submit(cfg(tmp_path, out=str(tmp_path / "a.json")), show_progress=False)
    run_submit(cfg(tmp_path, out=str(tmp_path / "b.json"), workers=2), show_progress=False)
    assert json.loads((tmp_path / "a.json").read_text()) == json.loads((tmp_path / "b.json").read_text())


def test_cli_submit_score_export(tmp_path):
    out = tmp_path / "s.json"
    run = lambda *a: subprocess.run([sys.executable, "-m", "arc_solver", *a], capture_output=True, text=True,
                                    check=True)
    r = run("submit", "--tasks", "tasks", "--out", str(out), "--sources", "baseline", "--time-budget", "30")
    summary = json.loads(r.stdout.strip().splitlines()[-1])
    assert summary["tasks"] == 6 and "task_score" in summary["score"]
    r = run("score", "--tasks", "tasks", "--submission", str(out))
    totals = json.loads(r.stdout.strip().splitlines()[-1])
    assert totals["headline"] == "task_score" and totals["tasks"] == 6
    r = run("data", "export", "tasks", str(tmp_path / "k"), "--split", "evaluation")
    assert np.array_equal(load_tasks(str(tmp_path / "k" / "arc-agi_evaluation_challenges.json")).tasks[0].test[0].output,
                          load_tasks("tasks").tasks[0].test[0].output)


def test_cli_eval_writes_report_and_gallery(tmp_path):
    out, report = tmp_path / "e.json", tmp_path / "report"
    r = subprocess.run([sys.executable, "-m", "arc_solver", "eval", "--tasks", "tasks", "--out", str(out),
                        "--sources", "programs", "--time-budget", "30", "--report", str(report)],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    summary = json.loads(r.stdout.strip().splitlines()[-1])
    # The hand-made tasks are within the program search's reach.
    assert summary["score"]["task_score"] >= 0.5 and summary["score"]["solved_outputs_by_source"]["programs"] >= 3
    # ... and the report says which kind of program solved them (families add up to the programs' solves)
    families = summary["score"]["solved_outputs_by_program_family"]
    assert sum(families.values()) == summary["score"]["solved_outputs_by_source"]["programs"]
    assert families.get("chain", 0) >= 1  # e.g. the rotation is a chain of one step
    assert "Task score" in (report / "README.md").read_text()
    assert "Solved outputs by program family" in (report / "README.md").read_text()
    index = (report / "index.html").read_text()
    assert all(t in index for t in ("rotate90", "crop", "flip_two_tests"))
    assert len(list(report.glob("*.png"))) == 6


def test_torchrun_two_ranks_shard_and_merge(tmp_path):
    out = tmp_path / "d.json"
    r = subprocess.run([sys.executable, "-m", "torch.distributed.run", "--nproc_per_node=2", "--master_port=29531",
                        "-m", "arc_solver", "submit", "--tasks", "tasks", "--out", str(out),
                        "--sources", "baseline", "--time-budget", "60"],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    ts = load_tasks("tasks")
    validate(json.loads(out.read_text()), ts)
    shards = [json.loads(x)["task_id"] for p in sorted(tmp_path.glob("d.progress.rank*.jsonl"))
              for x in p.read_text().splitlines()[1:]]
    assert sorted(shards) == sorted(t.id for t in ts)  # every task solved once, across both ranks
    assert len(list(tmp_path.glob("d.progress.rank*.jsonl"))) == 2


def model_args(out, budget):
    # the per-task path (--joint-share 0): each task is one unit of work a kill can interrupt
    return [sys.executable, "-m", "arc_solver", "submit", "--tasks", "tasks", "--out", str(out), "--sources",
            "model", "--views", "2", "--ttt-steps", "4", "--steps", "2", "--joint-share", "0",
            "--time-budget", str(budget)]


def test_kill_minus_nine_then_rerun_keeps_finished_tasks(tmp_path):
    import os
    import signal
    import time

    out = tmp_path / "k.json"
    proc = subprocess.Popen(model_args(out, 120), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    prog = tmp_path / "k.progress.jsonl"
    t0 = time.monotonic()
    while time.monotonic() - t0 < 240:
        if prog.exists() and len(prog.read_text().splitlines()) >= 3:  # header + 2 finished tasks
            break
        time.sleep(0.2)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    ts = load_tasks("tasks")
    validate(json.loads(out.read_text()), ts)  # valid even right after the kill
    before = {json.loads(x)["task_id"]: json.loads(x) for x in prog.read_text().splitlines()[1:] if x.endswith("}")}
    assert len(before) >= 2
    r = subprocess.run(model_args(out, 120), capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    after = [json.loads(x) for x in prog.read_text().splitlines()[1:]]
    assert sorted(x["task_id"] for x in after) == sorted(t.id for t in ts)  # each task once
    for x in after:
        if x["task_id"] in before:
            assert x == before[x["task_id"]]
    validate(json.loads(out.read_text()), ts)


def test_model_source_keeps_the_budget(tmp_path):
    import time

    t0 = time.monotonic()
    r = subprocess.run(model_args(tmp_path / "b.json", 20), capture_output=True, text=True, timeout=600)
    elapsed = time.monotonic() - t0
    assert r.returncode == 0, r.stderr[-2000:]
    summary = json.loads(r.stdout.strip().splitlines()[-1])
    # The run's own clock: inside the budget plus the stated margin (one task's overrun at most);
    # the process start (imports) is outside it.
    assert summary["seconds"] <= 20 + 10, summary
    assert elapsed < 120
    assert summary["tasks"] == 6


def test_a_worker_keeps_its_thread_share_after_the_kernels_run(tmp_path):
    # A fresh process: Numba's OpenMP layer, at its first parallel kernel, used to put torch back at all cores.
    code = ("import torch, numba; from arc_solver import submit; from arc_solver.tasks import load_tasks; "
            "task = load_tasks('tasks').by_id()['rotate90']; "
            "cfg = submit.SubmitConfig(sources=('programs', 'baseline')); "
            "rec = submit._solve_in_worker(task, cfg, 5.0, 1); "
            "print(torch.get_num_threads(), numba.get_num_threads(), len(rec['attempts']))")
    env = {k: v for k, v in __import__("os").environ.items() if k not in ("OMP_NUM_THREADS", "NUMBA_NUM_THREADS")}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert done.stdout.split() == ["1", "1", "1"]


def test_program_time_limit_flag_caps_the_search_per_task():
    from arc_solver.cli import build_parser, submit_config

    args = build_parser().parse_args(["submit", "--program-time-limit", "30"])
    assert submit_config(args).program_time_limit == 30.0
    assert submit_config(build_parser().parse_args(["submit"])).program_time_limit == SubmitConfig().program_time_limit
    seen = []
    task = load_tasks("arc-agi-1/evaluation").tasks[0]
    source = {"programs": lambda t, limit, seed: seen.append(limit) or [[] for _ in t.test]}
    submit_mod.solve_task(task, SubmitConfig(sources=("programs",), program_time_limit=2.5), 100.0, source)
    assert seen and seen[0] == 2.5
    submit_mod.solve_task(task, SubmitConfig(sources=("programs",)), 100.0, source)  # default: no cap
    assert SubmitConfig().program_time_limit == 0 and 99.0 < seen[1] <= 100.0
