"""Joint test-time training inside submit: programs first, network + rows trained on the tasks without a
verified program (canvas policy), the model predicts them from their trained rows; kill -9 and resume."""
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import torch

from arc_solver.checkpoint import load_checkpoint
from arc_solver.joint import CUDA_BATCH, pick_tasks, policy_batch
from arc_solver.submission import validate
from arc_solver.submit import PREDICT_SECONDS, SubmitConfig, joint_seconds, run_submit
from arc_solver.tasks import load_tasks

TASKS = Path(__file__).parent.parent / "tasks"


def task_folder(path: Path) -> Path:
    """Two hand-made tasks programs solve, three small noise tasks they cannot, one 20x20 noise task."""
    path.mkdir()
    for name in ("rotate90", "crop"):
        shutil.copy(TASKS / f"{name}.json", path)
    rng = np.random.default_rng(0)
    for i, side in enumerate((4, 4, 4, 20)):
        pairs = [{"input": rng.integers(0, 10, (side, side)).tolist(),
                  "output": rng.integers(0, 10, (side - 1, side - 1)).tolist()} for _ in range(3)]
        (path / f"{'big' if side == 20 else 'noise'}{i}.json").write_text(json.dumps({"train": pairs[:2], "test": pairs[2:]}))
    return path


def test_pick_tasks_by_canvas_side_and_device():
    ts = load_tasks(str(TASKS)).tasks
    picked, left = pick_tasks(ts, "cpu", max_side=5)
    assert picked and left and all(max(g.shape) <= 5 for t in picked for p in t.train for g in (p.input, p.output))
    assert pick_tasks(ts, "cuda")[1] == []  # on CUDA every side


def test_the_joint_batch_is_the_one_asked_for_else_larger_on_cuda():
    assert policy_batch("cpu", 0, 32) == 32  # the checkpoint's recipe
    assert policy_batch("cuda:0", 0, 32) == CUDA_BATCH > 32  # a GPU is launch-bound at 32
    assert policy_batch("cuda", 0, 768) == 768  # a recipe already larger keeps its batch
    assert policy_batch("cuda", 64, 32) == policy_batch("cpu", 64, 32) == 64  # --joint-batch wins


def test_joint_phase_trains_on_the_unsolved_tasks_and_the_model_answers_them(tmp_path):
    spec = task_folder(tmp_path / "tasks")
    out = tmp_path / "sub.json"
    cfg = SubmitConfig(tasks=str(spec), out=str(out), time_budget=60, views=2, joint_share=0.3, joint_batch=8,
                       sources=("programs", "model", "baseline"))
    summary = run_submit(cfg, show_progress=False)
    validate(json.loads(out.read_text()), load_tasks(str(spec)))
    details = json.loads((tmp_path / "sub.details.json").read_text())
    assert details["rotate90"]["sources"][0][0] == "programs" and details["crop"]["sources"][0][0] == "programs"
    for tid in ("noise0", "noise1", "noise2"):
        assert details[tid]["sources"][0][0] == "model", details[tid]
    assert details["big3"]["sources"][0][0] == "baseline"  # 20x20: left to the programs on a CPU
    slim = load_checkpoint(tmp_path / "sub.joint_slim.pt")
    assert sorted({r[0] for r in slim["rows"]}) == ["noise0", "noise1", "noise2"] and len(slim["rows"]) == 6
    assert slim["test_inputs_trained"] == []  # demonstrations only, never a test output
    assert slim["train_config"]["batch_size"] == 8  # --joint-batch replaces the checkpoint's 32
    assert summary["seconds"] <= 60 * 1.05


def test_tasks_the_model_took_still_get_the_programs_full_turn(tmp_path):
    """A program found only with more than the first turn's time still answers a task the model trained
    on: after the model predicts, the programs search again with their full share."""
    spec = tmp_path / "tasks"
    spec.mkdir()
    for name in ("rotate90", "crop"):
        shutil.copy(TASKS / f"{name}.json", spec)
    out = tmp_path / "sub.json"
    cfg = SubmitConfig(tasks=str(spec), out=str(out), time_budget=30, views=2, joint_share=0.3,
                       programs_first=0.0, sources=("programs", "model", "baseline"))
    run_submit(cfg, show_progress=False)
    slim = load_checkpoint(tmp_path / "sub.joint_slim.pt")
    assert sorted({r[0] for r in slim["rows"]}) == ["crop", "rotate90"]  # no program in the first turn
    details = json.loads((tmp_path / "sub.details.json").read_text())
    sub = json.loads(out.read_text())
    for t in load_tasks(str(spec)).tasks:
        assert details[t.id]["sources"][0][0] == "programs", details[t.id]
        assert sub[t.id][0]["attempt_1"] == t.test[0].output.tolist()


def test_killed_during_the_joint_phase_resumes_it(tmp_path):
    spec = task_folder(tmp_path / "tasks")
    out = tmp_path / "sub.json"
    code = ("import sys, logging; logging.basicConfig(level=logging.INFO); "
            "from arc_solver.submit import SubmitConfig, run_submit; "
            f"run_submit(SubmitConfig(tasks={str(spec)!r}, out={str(out)!r}, time_budget=float(sys.argv[1]), views=2, "
            "joint_share=0.6, joint_save_minutes=0.01, sources=('programs', 'model', 'baseline')), show_progress=False)")
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    proc = subprocess.Popen([sys.executable, "-c", code, "120"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    state = tmp_path / "sub.joint.pt"
    t0 = time.monotonic()
    while time.monotonic() - t0 < 200 and not (state.exists() and load_step(state) >= 3):
        time.sleep(0.5)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    killed_at = load_step(state)
    assert killed_at >= 3
    validate(json.loads(out.read_text()), load_tasks(str(spec)))  # valid right after the kill
    done = subprocess.run([sys.executable, "-c", code, "25"], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "joint training: resuming" in done.stderr
    assert load_step(state) > killed_at  # it went on from the saved state
    validate(json.loads(out.read_text()), load_tasks(str(spec)))


def load_step(path: Path) -> int:
    try:
        return int(torch.load(path, map_location="cpu", weights_only=False)["step"])
    except Exception:  # caught mid-write by the kill: the atomic rename means the old file is whole
        return -1


def test_joint_phase_under_torchrun_trains_one_model_on_two_ranks(tmp_path):
    spec = task_folder(tmp_path / "tasks")
    out = tmp_path / "d.json"
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    r = subprocess.run([sys.executable, "-m", "torch.distributed.run", "--nproc_per_node=2", "--master_port=29537",
                        "-m", "arc_solver", "submit", "--tasks", str(spec), "--out", str(out), "--views", "2",
                        "--joint-share", "0.4", "--time-budget", "60"], env=env, capture_output=True, text=True,
                       timeout=400)
    assert r.returncode == 0, r.stderr[-3000:]
    validate(json.loads(out.read_text()), load_tasks(str(spec)))
    assert "on 2 ranks" in r.stderr and "2 ranks" in r.stderr.split("joint training:")[-1]
    slim = load_checkpoint(tmp_path / "d.joint_slim.pt")  # one model, trained on the unsolved tasks of both shards
    assert sorted({row[0] for row in slim["rows"]}) == ["noise0", "noise1", "noise2"]
    by_rank = [[json.loads(x) for x in p.read_text().splitlines()[1:]]
               for p in sorted(tmp_path.glob("d.progress.rank*.jsonl"))]
    model_answered = [[rec["task_id"] for rec in recs if rec["sources"][0][0] == "model"] for recs in by_rank]
    assert sorted(sum(model_answered, [])) == ["noise0", "noise1", "noise2"] and all(model_answered)  # shared out


def test_the_joint_phase_leaves_time_to_the_other_sources_but_not_when_the_model_is_alone():
    both = SubmitConfig(time_budget=3600, joint_share=0.95, sources=("programs", "model", "baseline"))
    alone = replace(both, sources=("model", "baseline"))
    assert joint_seconds(both, 3500, 100) == 0.8 * 3500  # the programs search after the phase
    fixed, per_task = PREDICT_SECONDS["cpu"]
    assert joint_seconds(alone, 3500, 100) == 3500 - fixed - 100 * per_task
    fixed, per_task = PREDICT_SECONDS["cuda"]  # a GPU predicts faster, so it keeps less back
    assert joint_seconds(replace(alone, device="cuda:0"), 3000, 100) == 3000 - fixed - 100 * per_task
    assert joint_seconds(replace(alone, joint_share=0.5), 3500, 100) == 1800  # the share still caps it
    assert joint_seconds(alone, 10, 100) == 0.0


def test_the_joint_phase_trains_at_the_presets_recipe_not_the_pretraining_runs(tmp_path):
    """A checkpoint pretrained at batch 256 with a cosine decay (a GPU run) still trains the hidden tasks at
    the preset's test-time recipe on a CPU."""
    from arc_solver.joint import train_joint
    from arc_solver.search import DEFAULT_CHECKPOINT

    ckpt = torch.load(DEFAULT_CHECKPOINT, map_location="cpu", weights_only=False)
    ckpt["train_config"].update(batch_size=256, lr=0.005, lr_min_ratio=0.1)
    torch.save(ckpt, tmp_path / "gpu_pretrained.pt")
    task = load_tasks(str(TASKS / "rotate90.json")).tasks
    slim = train_joint(task, str(tmp_path / "gpu_pretrained.pt"), tmp_path / "sub.json", seconds=3, views=2,
                       device="cpu", progress=False)
    recipe = load_checkpoint(slim)["train_config"]
    assert (recipe["batch_size"], recipe["lr"], recipe["lr_min_ratio"]) == (32, 0.001, 1.0)
