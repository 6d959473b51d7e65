import numpy as np
import pytest
import torch

from arc_solver.model import VOCAB, ModelConfig, RecursiveModel
from arc_solver.search import ModelSource, SearchConfig, supervision_loss
from arc_solver.tasks import load_tasks
from arc_solver.vote import rank

TASKS = load_tasks("tasks").by_id()
TINY = ModelConfig.preset("tiny")


class EchoModel(RecursiveModel):
    """Predicts its input canvas exactly: the search must then return the test input from every view."""

    def forward(self, tokens, puzzle, y, z):
        logits = torch.nn.functional.one_hot(tokens, VOCAB).float() * 10.0
        return y, z, logits, torch.full((tokens.shape[0],), 2.0)


def test_every_view_inverts_back_to_the_task_frame():
    src = ModelSource(EchoModel(TINY), SearchConfig(views=8, ttt_steps=0, loo=False), "echo")
    task = TASKS["flip_two_tests"]
    cands = src(task, time_limit_s=30, seed=0)
    assert len(cands) == 2
    for pair, cs in zip(task.test, cands):
        assert len(cs) == 8  # one vote per view
        r = rank(cs)
        assert len(r) == 1 and np.array_equal(r[0].grid, pair.input) and r[0].votes == 8
        assert abs(r[0].confidence - (0.5 * torch.sigmoid(torch.tensor(2.0)).item() + 0.25)) < 1e-6


def test_random_init_source_returns_valid_grids_deterministically():
    torch.manual_seed(0)
    cfg = SearchConfig(views=4, ttt_steps=4, steps=2)
    a = ModelSource.load(None, cfg, seed=0)
    assert "random" in a.origin or "default" in a.origin
    task = TASKS["rotate90"]
    ca = a(task, time_limit_s=30, seed=1)
    b = ModelSource.load(None, cfg, seed=0)
    cb = b(task, time_limit_s=30, seed=1)
    assert len(ca) == 1
    for x, y in zip(ca[0], cb[0]):
        assert x.grid.dtype == np.uint8 and 1 <= min(x.grid.shape) and max(x.grid.shape) <= 30
        assert np.array_equal(x.grid, y.grid)


def test_test_time_training_lowers_the_loss():
    torch.manual_seed(0)
    src = ModelSource(RecursiveModel(TINY), SearchConfig(views=2, ttt_steps=60, ttt_batch=8, ttt_lr=3e-2,
                                                         finetune_lr=3e-3), "random")
    task = TASKS["colour_swap"]
    views = [v for v in __import__("arc_solver.views", fromlist=["x"]).sample_views(2, np.random.default_rng(0))]
    S = 7
    rows = torch.zeros(2, TINY.puzzle_dim, requires_grad=True)
    x, t, ids = src.encode_pairs(task.train, views, S)

    def loss_now():
        with torch.no_grad():
            y, z = src.model.initial_state(len(x), S)
            y, z, logits, halt = src.model(x, rows[ids], y, z)
            return supervision_loss(logits, halt, t)[0].item()

    before = loss_now()
    taken = src.ttt(task.train, views, rows, S, 60, deadline=float("inf"), rng=np.random.default_rng(0))
    assert taken == 60
    assert loss_now() < 0.7 * before


def test_time_limit_is_respected():
    import time

    src = ModelSource(RecursiveModel(TINY), SearchConfig(views=4, ttt_steps=10**6), "random")
    t0 = time.monotonic()
    out = src(TASKS["crop"], time_limit_s=2.0, seed=0)
    assert time.monotonic() - t0 < 4.0 and len(out) == 1


def test_sweep_table_and_plot(tmp_path):
    from arc_solver.pictures import plot_sweep
    from arc_solver.search import sweep
    from arc_solver.tasks import Pair, Task

    g = np.array([[1, 2], [3, 0]], np.uint8)
    identity = Task("same", (Pair(g, g),), (Pair(g.T.copy(), g.T.copy()),))
    src = ModelSource(EchoModel(TINY), SearchConfig(ttt_steps=0), "echo")
    res = sweep([identity, TASKS["rotate90"]], src, views=[1, 4], steps=[1, 2], time_limit_s=10, progress=False)
    # The echo model solves the identity task at every setting and never the rotation.
    assert res["task_score"] == [[0.5, 0.5], [0.5, 0.5]] and res["tasks"] == 2
    png = plot_sweep(res, tmp_path / "s.png")
    assert png.read_bytes()[:4] == b"\x89PNG"


def test_starting_point_is_named_and_random_init_fine_tunes(monkeypatch, tmp_path):
    from arc_solver import search

    monkeypatch.setattr(search, "DEFAULT_CHECKPOINT", tmp_path / "none.pt")
    src = ModelSource.load(None, SearchConfig(views=2), seed=0)
    assert src.origin.startswith("random initialisation") and src.cfg.finetune_lr == search.RANDOM_INIT_FINETUNE_LR
    with pytest.raises(FileNotFoundError, match="missing.pt"):
        ModelSource.load(str(tmp_path / "missing.pt"), SearchConfig(views=2))


def test_finetune_flag_reaches_the_source_and_each_task_starts_from_the_same_network():
    from arc_solver.cli import build_parser, submit_config

    args = build_parser().parse_args(["submit", "--tasks", "tasks", "--finetune-lr", "1e-4", "--views", "2",
                                      "--ttt-steps", "3"])
    src = ModelSource.from_submit_config(submit_config(args))
    assert src.cfg.finetune_lr == 1e-4 and "default" in src.origin
    before = {k: v.clone() for k, v in src.model.state_dict().items()}
    first = src(TASKS["rotate90"], time_limit_s=60.0)
    assert any(not torch.equal(v, before[k]) for k, v in src.model.state_dict().items())  # network trained
    src(TASKS["colour_swap"], time_limit_s=60.0)
    again = src(TASKS["rotate90"], time_limit_s=60.0)  # starts over from the checkpoint's network
    assert [[(c.grid.tolist(), c.confidence) for c in cs] for cs in first] == \
        [[(c.grid.tolist(), c.confidence) for c in cs] for cs in again]


def test_known_task_starts_from_its_trained_rows_and_tops_up_with_fresh_views():
    from arc_solver.views import View

    task = TASKS["rotate90"]
    trained = [(View.identity(), torch.full((TINY.puzzle_dim,), 0.5)),
               (View(3, (0, 2, 1, 3, 4, 5, 6, 7, 8, 9)), torch.full((TINY.puzzle_dim,), -0.5))]
    src = ModelSource(RecursiveModel(TINY), SearchConfig(views=5), "test", known={task.id: trained})
    views, rows, _ = src.start(task, 5, np.random.default_rng(0))
    assert len(views) == len(set(views)) == 5 and views[:2] == [v for v, _ in trained]
    assert torch.equal(rows[0], trained[0][1]) and torch.equal(rows[1], trained[1][1])
    assert not rows[2:].any()  # the extra views start from zero rows, to be test-time trained
    views, rows, _ = src.start(task, 1, np.random.default_rng(0))
    assert views == [View.identity()] and torch.equal(rows[0], trained[0][1])


class EchoThenForgetModel(RecursiveModel):
    """Step 1: the input exactly, halting head sure; later steps: every colour turned to 0."""

    def forward(self, tokens, puzzle, y, z):
        y = y + 1.0
        first = bool((y.flatten(1)[:, 0] < 1.5 + self.y_init.flatten()[0]).all())
        shown = tokens if first else tokens.clamp(max=2)  # token 2 = colour 0
        logits = torch.nn.functional.one_hot(shown, VOCAB).float() * 10.0
        return y, z, logits, torch.full((tokens.shape[0],), 5.0)


@pytest.mark.parametrize("freeze", [True, False])
def test_freeze_on_halt_keeps_the_answer_the_halting_head_accepted(freeze):
    task = TASKS["rotate90"]
    src = ModelSource(EchoThenForgetModel(TINY), SearchConfig(views=3, freeze_on_halt=freeze), "test")
    views, rows, S = src.start(task, 3, np.random.default_rng(0))
    by_step = src.predict_steps([task.test[0].input], views, rows, S, [1, 4])
    for grid, _ in by_step[1][0]:
        assert np.array_equal(grid, task.test[0].input)
    for grid, _ in by_step[4][0]:
        assert np.array_equal(grid, task.test[0].input if freeze else np.zeros_like(task.test[0].input))


def test_sweep_after_joint_training_predicts_from_the_trained_rows(tmp_path):
    import json
    import subprocess
    import sys

    from arc_solver.checkpoint import load_checkpoint

    out = tmp_path / "sweep"
    r = subprocess.run([sys.executable, "-m", "arc_solver", "sweep", "--tasks", "tasks", "--views", "1,2", "--steps",
                        "1,2", "--joint-minutes", "0.1", "--joint-max-side", "6", "--out", str(out)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    result = json.loads((out / "sweep.json").read_text())
    slim = load_checkpoint(out / "sweep.joint_slim.pt")
    trained = sorted({row[0] for row in slim["rows"]})
    assert result["joint_minutes"] == 0.1 and result["tasks"] == len(trained) >= 1
    assert len(slim["rows"]) == 2 * len(trained)  # one row per (task, view), max(views) views
    assert result["model"].startswith("checkpoint") and "joint_slim" in result["model"]
