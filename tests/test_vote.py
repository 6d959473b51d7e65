import numpy as np

from arc_solver.vote import Candidate, rank, top2

A = np.array([[1, 2]], np.uint8)
B = np.array([[3]], np.uint8)
C = np.array([[1], [2]], np.uint8)  # same cells as A, other shape: a different answer
FALL = np.array([[0]], np.uint8)


def test_votes_then_confidence_then_deterministic():
    cands = [Candidate(A, 1, 0.1), Candidate(B, 1, 0.9), Candidate(A, 1, 0.3), Candidate(C, 1, 0.5)]
    r = rank(cands)
    assert [x.grid.tolist() for x in r] == [A.tolist(), B.tolist(), C.tolist()]
    assert r[0].votes == 2 and abs(r[0].confidence - 0.2) < 1e-9
    # B and C each have one vote: B's higher confidence wins.
    assert r[1].grid.tolist() == B.tolist() and r[2].grid.tolist() == C.tolist()
    # Order of arrival does not matter.
    assert [x.grid.tolist() for x in rank(cands[::-1])] == [x.grid.tolist() for x in r]


def test_full_tie_is_deterministic():
    r1 = rank([Candidate(A), Candidate(B)])
    r2 = rank([Candidate(B), Candidate(A)])
    assert [x.grid.tolist() for x in r1] == [x.grid.tolist() for x in r2]


def test_weights_and_sources():
    r = rank([Candidate(A, 100, 1, "programs"), Candidate(B, 1, 1, "model"), Candidate(B, 1, 1, "model")])
    assert r[0].source == "programs" and r[1].votes == 2 and r[1].source == "model"


def test_top2_single_and_empty():
    grids, srcs = top2([Candidate(A, source="model")], FALL)
    assert [g.tolist() for g in grids] == [A.tolist(), A.tolist()] and srcs == ["model", "model"]
    grids, srcs = top2([], FALL)
    assert [g.tolist() for g in grids] == [[[0]], [[0]]] and srcs == ["fallback", "fallback"]


def test_second_attempt_is_the_best_other_grid():
    from arc_solver.vote import detail_of, grid_key

    # Eight views agree on A; the runner-up B must be the second attempt, not A again.
    cands = [Candidate(A.copy(), 1, 0.9) for _ in range(8)] + [Candidate(B, 1, 0.1), Candidate(C, 0.5, 0.1)]
    grids, _ = top2(cands, FALL)
    assert [g.tolist() for g in grids] == [A.tolist(), B.tolist()]
    # The same under probability scoring, where C is likelier than B.
    scores = {grid_key(A): -1.0, grid_key(B): -9.0, grid_key(C): -2.0}
    grids, _ = top2(cands, FALL, scores)
    assert [g.tolist() for g in grids] == [A.tolist(), C.tolist()]
    # The detail of an attempt is read off the candidates of its source.
    tagged = [Candidate(B, 100, 1, "programs", "pieces"), Candidate(B, 1, 1, "model")]
    assert detail_of(B, tagged, "programs") == "pieces" and detail_of(B, tagged, "model") == ""


def test_the_best_guess_comes_after_verified_programs_and_before_the_model():
    from arc_solver.vote import GUESS_SOURCE, grid_key

    D = np.array([[4, 4]], np.uint8)
    guesses = [Candidate(B, 1.0, 1, GUESS_SOURCE), Candidate(C, 0.5, 1, GUESS_SOURCE)]
    model = [Candidate(A.copy(), 1, 0.9, "model") for _ in range(8)]  # eight views agree on A
    scores = {grid_key(A): -1.0, grid_key(B): -9.0, grid_key(C): -2.0, grid_key(D): -5.0}
    for sc in (None, scores):
        # the first guess, then the model's answer (more votes, likelier) before the second guess
        assert [g.tolist() for g in top2(guesses + model, FALL, sc)[0]] == [B.tolist(), A.tolist()]
        assert [r.grid.tolist() for r in rank(guesses + model, sc)][2] == C.tolist()
        # a verified program still comes first
        grids, srcs = top2(guesses + model + [Candidate(D, 100, 1, "programs")], FALL, sc)
        assert [g.tolist() for g in grids] == [D.tolist(), B.tolist()] and srcs == ["programs", GUESS_SOURCE]
