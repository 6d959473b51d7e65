"""Parts stacked by a learned colour precedence (synthesis/overlay.py), on hand-made tasks."""
import numpy as np

from arc_solver import programs as P
from arc_solver import synthesis as S
from arc_solver.synthesis.overlay import learn_overlay_precedence, learn_precedence
from arc_solver.synthesis.program import TaskInfo
from arc_solver.tasks import Pair, Task

ORDER = (2, 8, 1, 3)  # red over azure over blue over green


def quadrants_task(seed: int, n_train: int = 4) -> Task:
    """Four quadrants, one colour each, stacked: where they overlap the colour earlier in ORDER shows.
    Which quadrant holds which colour changes from pair to pair, so no fixed order of parts works."""
    rng = np.random.default_rng(seed)
    pairs = []
    for _ in range(n_train + 1):
        cols = rng.permutation(ORDER)
        quads = [np.where(rng.random((4, 4)) < 0.45, c, 0).astype(np.uint8) for c in cols]
        grid = np.concatenate([np.concatenate(quads[:2], 1), np.concatenate(quads[2:], 1)])
        out = np.zeros((4, 4), np.uint8)
        for c in ORDER[::-1]:
            for q in quads:
                out[q == c] = c
        pairs.append(Pair(grid, out))
    return Task("overlay", tuple(pairs[:-1]), (pairs[-1],))


def test_precedence_is_read_off_the_demonstrations_and_answers_the_test():
    task = quadrants_task(0)
    states, outs = [p.input for p in task.train], [p.output for p in task.train]
    beats = learn_precedence(states, outs, "g2", 0)
    assert beats is not None
    for i, a in enumerate(ORDER):
        assert all(beats[a, b] for b in ORDER[i + 1:]) and not any(beats[b, a] for b in ORDER[i + 1:])
    fins = learn_overlay_precedence(states, outs, [task.test[0].input], TaskInfo.of(task))
    assert fins and fins[0].name.startswith("overlay_precedence(2813,g2")
    assert np.array_equal(fins[0].fn(task.test[0].input), task.test[0].output)
    # no fixed order of the parts explains it
    assert not any(all(np.array_equal(P.overlay_parts(s, rev, "g2"), o) for s, o in zip(states, outs))
                   for rev in (False, True))
    progs = S.search(task, 5.0)
    assert progs and np.array_equal(progs[0].predictions[0], task.test[0].output)


def test_contradicting_wins_or_invented_colours_are_refused():
    task = quadrants_task(1)
    states, outs = [p.input for p in task.train], [p.output for p in task.train]
    flipped = [o.copy() for o in outs]
    s = states[0]
    both = (s[:4, :4] != 0) & (s[:4, 4:] != 0) & (s[:4, :4] != s[:4, 4:])
    y, x = np.argwhere(both)[0]
    a, b = int(s[y, x]), int(s[y, x + 4])
    flipped[0][y, x] = b if outs[0][y, x] == a else a  # this cell now says the loser wins
    assert learn_precedence(states, flipped, "g2", 0) is None
    invented = [o.copy() for o in outs]
    invented[1][invented[1] == 0] = 7  # a colour none of the parts put there
    assert learn_precedence(states, invented, "g2", 0) is None
