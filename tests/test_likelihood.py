"""Probability scoring: a candidate's score is its per-cell log-probabilities summed over its encoded cells
(EOS border included) and over views; the vote can rank by it; submit runs with --scoring probability."""
import json

import numpy as np
import torch

from arc_solver.likelihood import candidate_log_probs
from arc_solver.model import ModelConfig, RecursiveModel
from arc_solver.submission import validate
from arc_solver.submit import SubmitConfig, run_submit
from arc_solver.tasks import load_tasks
from arc_solver.views import View, dihedral
from arc_solver.vote import Candidate, grid_key, top2

MODEL = ModelConfig(d=32, heads=2, hidden=64, T=1, n=1, n_sup=2, n_prefix=2, puzzle_dim=32)


def by_hand(lp: torch.Tensor, view: View, grid: np.ndarray) -> float:
    """The sum written out cell by cell: colour c is token c + 2 at its place under the view, EOS (1) on the
    row below and the column right of it (corner included), where they fit; nothing else counts."""
    g = np.asarray(view.perm)[dihedral(grid, view.dihedral)]
    h, w = g.shape
    S = lp.shape[0]
    total = 0.0
    for r in range(S):
        for c in range(S):
            if r < h and c < w:
                total += float(lp[r, c, int(g[r, c]) + 2])
            elif (r == h and c <= w) or (c == w and r <= h):
                total += float(lp[r, c, 1])
    return total


def test_score_is_the_sum_of_cell_log_probabilities_over_views():
    torch.manual_seed(0)
    model = RecursiveModel(MODEL).eval()
    rng = np.random.default_rng(0)
    views = [View(0, tuple(range(10))), View(1, (0, 2, 1, 3, 4, 5, 6, 7, 8, 9)), View(4, tuple(range(10)))]
    S = 6
    tokens = torch.randint(2, 12, (len(views), S, S))
    y, z = model.initial_state(len(views), S)
    with torch.no_grad():
        _, _, logits, _ = model(tokens, torch.randn(len(views), MODEL.puzzle_dim), y, z)
    lp = torch.log_softmax(logits, -1)
    grids = [rng.integers(0, 10, (2, 3)).astype(np.uint8), rng.integers(0, 10, (5, 5)).astype(np.uint8),
             rng.integers(0, 10, (6, 4)).astype(np.uint8), np.zeros((7, 2), np.uint8)]
    got = candidate_log_probs(lp, views, grids)
    for g, score in zip(grids[:3], got):
        want = sum(by_hand(lp[v], view, g) for v, view in enumerate(views))
        assert abs(score - want) < 1e-3 * max(1.0, abs(want)), (g.shape, score, want)
    assert got[3] == -np.inf  # 7 rows do not fit a 6x6 canvas


def test_probability_ranking_keeps_programs_first_then_the_likeliest():
    a, b, c = (np.full((2, 2), k, np.uint8) for k in (1, 2, 3))
    cands = [Candidate(a, 1.0), Candidate(a, 1.0), Candidate(a, 1.0), Candidate(b, 1.0)]
    scores = {grid_key(a): -50.0, grid_key(b): -3.0, grid_key(c): -1.0}
    assert [g[0, 0] for g in top2(cands, c)[0]] == [1, 2]  # count voting: a has 3 votes
    assert [g[0, 0] for g in top2(cands, c, scores)[0]] == [2, 1]  # b is far likelier
    with_program = cands + [Candidate(c * 0 + 4, 100.0, 1.0, "programs")]
    grids, names = top2(with_program, c, scores)
    assert grids[0][0, 0] == 4 and names[0] == "programs" and grids[1][0, 0] == 2


def test_submit_with_probability_scoring(tmp_path, monkeypatch):
    from arc_solver import submit as submit_mod

    seen = []
    real = submit_mod.top2
    monkeypatch.setattr(submit_mod, "top2", lambda cands, fallback, scores=None: (seen.append(scores), real(cands, fallback, scores))[1])
    cfg = SubmitConfig(tasks="tasks", out=str(tmp_path / "sub.json"), time_budget=60, views=2, ttt_steps=2,
                       joint_share=0.0, sources=("programs", "model", "baseline"), scoring="probability")
    summary = run_submit(cfg, show_progress=False)
    validate(json.loads((tmp_path / "sub.json").read_text()), load_tasks("tasks"))
    assert summary["tasks_with_source_errors"] == 0 and summary["score"]["task_score"] > 0
    scored = [s for s in seen if s]
    assert scored and all(np.isfinite(v) or v == -np.inf for s in scored for v in s.values())
    assert all(len(s) >= 1 for s in scored)  # every distinct candidate (the test input at least) has a score
    # The same run scored the other way: the record keeps count voting's attempts, the report compares them.
    details = json.loads((tmp_path / "sub.details.json").read_text())
    others = [rec["other_scoring"] for rec in details.values() if rec.get("other_scoring")]
    assert others and all(o["method"] == "count" for o in others)
    other = summary["score_other_scoring"]
    assert other["method"] == "count" and other["tasks_scored_both_ways"] == len(others)
    assert other["tasks"] == summary["score"]["tasks"]
