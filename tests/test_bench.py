"""Benchmarks run on small settings and report what their JSON promises (figures are not asserted)."""
import json
from pathlib import Path

from arc_solver import bench
from arc_solver.cli import main as cli_main

TASKS = str(Path(__file__).parent.parent / "tasks")


def test_bench_kernels_keys():
    r = bench.bench_kernels(n_views=3000, reps=1, n_numpy=300)
    for key in ("views", "numpy_views_per_s", "numba_views_per_s_1thread", "numba_views_per_s_all",
                "speedup_vs_numpy_1thread", "threads", "decode_speedup_vs_numpy_1thread"):
        assert key in r
    assert r["views"] == 3000 and r["numba_views_per_s_1thread"] > 0


def test_bench_train_keys(monkeypatch):
    from arc_solver.model import RecursiveModel

    # dynamo's capture without code generation: the bench's compile path, in seconds
    plain = RecursiveModel.compile_network
    monkeypatch.setattr(RecursiveModel, "compile_network", lambda self: plain(self, backend="eager"))
    r = bench.bench_train("tiny", steps=2, batch_size=4, tasks=TASKS, compile=True, cell_budget=2 * (4 + 900))
    assert r["steps"] == 2 and r["cells_per_s_ratio_variable_vs_fixed"] > 0
    assert len(r["canvas_sides_drawn"]) >= 1
    assert r["fixed30_micro_batch_per_side"] == {"30": 2}  # the budget holds two 30x30 samples
    assert r["cell_budget"] == {"source": "--cell-budget", "tokens": 1808}
    assert r["compile_speedup"] > 0 and "compile_seconds" in r and "variable_peak_memory_gb" in r


def test_bench_infer_cli(capsys):
    assert cli_main(["bench", "infer", "--tasks", TASKS, "--views", "2", "--steps", "1", "--max-tasks", "2"]) == 0
    r = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert r["tasks"] == 2 and r["views"] > 0 and r["views_per_s"] > 0
    assert r["command"].startswith("arc-solver bench infer")


def test_bench_ttt_trains_from_a_checkpoint_and_scores_held_out_outputs(tmp_path, capsys):
    ckpt = Path(__file__).parent.parent / "arc_solver" / "checkpoints" / "default.pt"
    assert cli_main(["bench", "ttt", "--checkpoint", str(ckpt), "--tasks", TASKS, "--max-side", "6",
                     "--minutes", "0.05", "--views", "2"]) == 0
    r = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert r["selected_tasks"] >= 2 and r["set_tasks"] == 6 and r["steps"] >= 1
    assert 0 <= r["task_score"] <= 1 and r["test_outputs"] >= r["selected_tasks"]
    assert r["task_score_of_set"] == round(r["task_score"] * r["selected_tasks"] / 6, 4)
    assert cli_main(["bench", "ttt", "--tasks", TASKS, "--max-side", "1", "--minutes", "0.01"]) == 2
