"""A broken model source never costs the other sources: truncated, NaN and mismatched checkpoints switch it
off with one warning line, and the run ends with a complete, valid submission. Honest data: --exclude,
what a checkpoint records, and the warning when it trained on the test outputs of tasks being solved."""
import json
from dataclasses import replace

import numpy as np
import pytest
import torch

from arc_solver.checkpoint import CheckpointError, load_checkpoint, load_model
from arc_solver.dataset import exclude_shared
from arc_solver.model import ModelConfig
from arc_solver.submission import validate
from arc_solver.submit import SubmitConfig, run_submit
from arc_solver.tasks import Pair, Task, load_tasks
from arc_solver.train import TrainConfig, build_dataset, train

MODEL = ModelConfig(d=32, heads=2, hidden=64, T=2, n=1, n_sup=2, n_prefix=2, puzzle_dim=32)
TRAIN = TrainConfig(batch_size=4, steps=2, canvas_sides=(8, 30), views=2, save_every=0, log_every=1)


@pytest.fixture(scope="module")
def good_checkpoint(tmp_path_factory):
    """A small checkpoint trained on the hand-made tasks, test outputs included (they are not held out)."""
    path = tmp_path_factory.mktemp("ckpt") / "good.pt"
    train(TRAIN, MODEL, out=path, data=build_dataset(load_tasks("tasks").tasks, 2, 0), progress=False)
    return path


def submit_with(tmp_path, checkpoint, caplog):
    cfg = SubmitConfig(tasks="tasks", out=str(tmp_path / "sub.json"), time_budget=60,
                       sources=("programs", "model", "baseline"), checkpoint=str(checkpoint), views=2, ttt_steps=2,
                       joint_share=0.0)
    summary = run_submit(cfg, show_progress=False)
    validate(json.loads((tmp_path / "sub.json").read_text()), load_tasks("tasks"))
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING" and "model source" in r.getMessage()]
    return summary, warnings


def test_truncated_checkpoint_switches_the_model_off_and_keeps_the_programs(tmp_path, good_checkpoint, caplog):
    broken = tmp_path / "truncated.pt"
    data = good_checkpoint.read_bytes()
    broken.write_bytes(data[: len(data) // 2])
    summary, warnings = submit_with(tmp_path, broken, caplog)
    assert summary["sources"] == ["programs", "baseline"] and "cannot be read" in summary["lost_sources"]["model"]
    assert len(warnings) == 1 and str(broken) in warnings[0] and "\n" not in warnings[0]
    assert summary["score"]["task_score"] > 0  # the programs still solved their tasks
    with pytest.raises(CheckpointError, match="cannot be read"):
        load_checkpoint(broken)


def test_nan_checkpoint_is_refused(tmp_path, good_checkpoint, caplog):
    ckpt = load_checkpoint(good_checkpoint)
    ckpt["ema"]["shadow"]["head.weight"][0, 0] = float("nan")
    nan = tmp_path / "nan.pt"
    torch.save(ckpt, nan)
    with pytest.raises(CheckpointError, match=r"not finite \(NaN or inf in head.weight\)"):
        load_model(nan)
    summary, warnings = submit_with(tmp_path, nan, caplog)
    assert "not finite" in summary["lost_sources"]["model"] and len(warnings) == 1


def test_checkpoint_of_another_preset_is_refused(tmp_path, good_checkpoint, caplog):
    ckpt = load_checkpoint(good_checkpoint)
    ckpt["model_config"] = ModelConfig.preset("tiny").to_dict()  # the weights are of the small test model
    other = tmp_path / "other.pt"
    torch.save(ckpt, other)
    summary, warnings = submit_with(tmp_path, other, caplog)
    assert "do not match its model config" in summary["lost_sources"]["model"] and len(warnings) == 1


def test_exclude_drops_tasks_sharing_a_distinctive_grid():
    rng = np.random.default_rng(0)
    g = rng.integers(0, 10, (4, 5)).astype(np.uint8)
    held = Task("held", (Pair(g, g.T.copy()),), (Pair(g[::-1].copy(), None),))
    copy = Task("renamed", (Pair(g[::-1].copy(), g),), (Pair(g, None),))  # the held-out pictures, another id
    trivial = Task("tiny", (Pair(np.zeros((1, 1), np.uint8), np.zeros((3, 3), np.uint8)),), (Pair((g + 1) % 10, None),))
    held_trivial = Task("h2", (Pair(np.zeros((1, 1), np.uint8), np.zeros((3, 3), np.uint8)),), (Pair(g, None),))
    kept, dropped = exclude_shared([copy, trivial], [held])
    assert dropped == ["renamed"] and [t.id for t in kept] == ["tiny"]
    # A 1x1 grid or an empty 3x3 recurs in unrelated tasks: sharing only those drops nothing.
    kept, dropped = exclude_shared([trivial], [replace(held_trivial, test=())])
    assert dropped == [] and [t.id for t in kept] == ["tiny"]


def test_bundled_exclusion_removes_the_evaluation_copies_inside_arc_agi_2_training():
    kept, dropped = exclude_shared(load_tasks("arc-agi-2/training").tasks, load_tasks("arc-agi-1/evaluation").tasks)
    ev = {t.id for t in load_tasks("arc-agi-1/evaluation").tasks}
    assert ev & {t.id for t in load_tasks("arc-agi-2/training").tasks} <= set(dropped)  # every copy by id
    assert not ev & {t.id for t in kept} and len(dropped) < 400


def test_checkpoint_records_what_it_excluded_and_submit_warns_on_seen_answers(tmp_path, good_checkpoint, caplog):
    # Trained on tasks/ with their test outputs: solving tasks/ with it is not an honest score.
    summary, _ = submit_with(tmp_path, good_checkpoint, caplog)
    seen = [r.getMessage() for r in caplog.records if "trained on the test outputs" in r.getMessage()]
    n = len(load_tasks("tasks").tasks)
    assert len(seen) == 1 and f"{n} of the tasks solved here" in seen[0] and "rotate90" in seen[0]
    # --exclude tasks: nothing of tasks/ is trained on, the checkpoint says what it left out, no warning.
    held = tmp_path / "honest.pt"
    cfg = replace(TRAIN, tasks=("arc-agi-1/training",), exclude=("tasks",), views=1, steps=1)
    train(cfg, MODEL, out=held, progress=False)
    ckpt = load_checkpoint(held)
    assert ckpt["train_config"]["exclude"] == ["tasks"] or ckpt["train_config"]["exclude"] == ("tasks",)
    assert isinstance(ckpt["excluded"], list) and ckpt["test_inputs_trained"]
    caplog.clear()
    submit_with(tmp_path / "h", held, caplog)
    assert not [r for r in caplog.records if "trained on the test outputs" in r.getMessage()]
