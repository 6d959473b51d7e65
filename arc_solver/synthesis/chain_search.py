"""Uniform-cost search over step chains, each node tried with every finishing stage; the candidate source."""
from __future__ import annotations

import heapq
from functools import cache, partial
import logging
import time
from dataclasses import dataclass, replace

import numpy as np

from .. import programs as P
from ..tasks import Pair, Task
from ..vote import GUESS_SOURCE, Candidate
from .cells import cell_task
from .counting import (learn_bar_chart, learn_colour_list, learn_colour_template, learn_count_picture,
                       learn_object_sequence)
from .finishers import (learn_blocks, learn_cell_rule, learn_colour_map, learn_constant, learn_elbow,
                        learn_exact, learn_fixed_crop, learn_lookup, learn_part_fill, learn_part_transforms,
                        learn_periodic_extend)
from .normalise import learn_normalised, normalise_task
from .orient import orient_task
from .object_moves import learn_object_moves
from .object_rules import learn_object_rule
from .object_transforms import learn_object_transform
from .overlay import learn_overlay_precedence
from .rays import learn_colour_rays
from .stamps import learn_stamps
from .pieces import Piece, assemble
from .size import predict_size, size_first
from .program import Finish, ObjectCache, Program, Step, TaskInfo, apply
from .steps import make_steps


log = logging.getLogger("arc_solver.synthesis")

@dataclass(frozen=True)
class SearchConfig:
    max_depth: int = 3  # primitive steps before the finishing stage
    slack: float = 1.0  # after the first solution, keep searching this much further in cost
    max_programs: int = 12  # stop once this many distinct programs are found
    rule_depth: int = 0  # deepest node where the (slower) cell-rule finisher is tried
    block_depth: int = 2  # deepest node where tiling / fixed-crop finishers are tried
    object_depth: int = 0  # deepest node where per-object rules (object_rules.py) are tried (deeper: overfits)
    # In a task whose outputs are larger than its inputs, the first this many nodes whose states have the
    # outputs' shapes also get the cell and object rules ("tile the input, then recolour by neighbours")
    reshaped_rules: int = 6
    max_candidates: int = 3  # distinct candidates per test input handed to the vote
    max_pieces: int = 4  # piece assembly (pieces.py): at most this many pieces per program; 0 = off
    pool_size: int = 3000  # output-shaped states kept as pieces
    pieces_share: float = 0.2  # piece assembly is tried when this share of the time is left and nothing found
    # With nothing found in the rest of the time, this share goes to the same search on views of the task
    # (cells.py, normalise.py), when it has any; 0 = off.
    view_share: float = 0.4
    # The same for the views searched to root_view_depth only: every pair turned to its input's heading
    # (orient.py), and the task renamed by colour ranks with ties broken in reading order where the plain
    # ranks refuse it (normalise.py). They apply to many tasks, so their time is taken from many searches,
    # and what they found over the training sets they found at the root. 0 = off. With several views, the
    # search on the task itself gives up the largest share. (The 633 training tasks, 0.6 s each: turned,
    # 320 right against 317 without it, 25d487eb, 4522001f, 5168d44c found turned; at a 15% share and any
    # depth, 319: tasks lost to the time it took. Renamed with ties broken: 321 against 320, 93b581b8.)
    root_view_share: float = 0.05
    root_view_depth: int = 0
    # Unverified guesses (family "partial"), at most this many, after any verified program: the chains whose
    # state equals the output on the most demonstrations (at least one, not all), and, when nothing is
    # verified by the piece assembly's turn, pieces assembled on all demonstrations but one.
    max_partial: int = 2
    # the leave-one-out assembly uses this many of the pool's first pieces (each demonstration left out
    # costs one more assembly)
    guess_pieces: int = 300
    # With nothing verified by the end, and three demonstrations or more, this share of the time goes to
    # the search to this depth on the demonstrations with one left out: its programs are guesses too, ranked
    # with the others by demonstrations missed, then cost. 0 = off. (The 316 training tasks unanswered at
    # 0.6 s, 0.1 s per demonstration left out: depth 0, 3 right; depth 1, 7 right. The chains closest to
    # the outputs, cell by cell, were right in none of 463 guesses.)
    leave_one_out_share: float = 0.05
    leave_one_out_depth: int = 1
    # A node's children wait this much longer per unit of its states' distance from the outputs (the share
    # of output cells a state gets wrong, one half for a state of another shape): chains that get closer first.
    # (ARC-AGI-1 training, 1 s a task, other shapes counted all wrong: 0 -> 240 tasks, 1 -> 243, 2 -> 246, 4 -> 245;
    # the 233 ARC-AGI-2 training tasks new to ARC-AGI-2: 10 -> 13 at 2)
    closeness_weight: float = 2.0


@dataclass
class Node:
    steps: tuple[Step, ...]
    grids: list[np.ndarray]  # train states, then test states
    cost: float
    keys: tuple[int, ...] = ()  # each grid's _grid_key, in the same order
    wait: float = 0.0  # added to its children's priority (SearchConfig.closeness_weight)


def _grid_key(g: np.ndarray) -> int:
    """A hash of the grid's shape and cells (the search already tells states apart by such hashes)."""
    return hash(bytes(g.shape) + g.tobytes())


# Step results remembered per search, for (step, grid) pairs met again: a step with nothing to do on one
# grid leaves it as it was while it changes another, so a child shares grids with its parent, and its
# steps would redo the parent's work on them (7-29% of step applications on four ARC-AGI-2 training
# tasks). Cleared when this large, to bound memory on long searches of big grids.
MEMO_SIZE = 60000


def search(task: Task, time_limit_s: float = 10.0, cfg: SearchConfig = SearchConfig()) -> list[Program]:
    """Programs that reproduce every demonstration of `task`, cheapest first (at most cfg.max_programs).
    When the task as given yields nothing, the rest of the time searches views of it: the grid of cells
    of a task drawn on a lattice of separator lines (cells.py), the task renamed by colour ranks when its
    demonstrations use different colours (normalise.py), every pair turned to its input's heading when the
    inputs head different ways (orient.py); their programs answer in the task's own terms. Still with
    nothing, guesses: the chains that reproduce some demonstrations (_search) and the programs found on
    all demonstrations but one (_leave_one_out), by demonstrations missed, then cost."""
    start = time.monotonic()
    root = replace(cfg, max_depth=cfg.root_view_depth)
    renamed = normalise_task(task)
    views = [(v, share, c) for v, share, c in ((cell_task(task), cfg.view_share, cfg),
                                               (renamed, cfg.view_share, cfg),
                                               (None if renamed else normalise_task(task, ties=True),
                                                cfg.root_view_share, root),
                                               (orient_task(task), cfg.root_view_share, root)) if v and share > 0]
    loo = cfg.leave_one_out_share if cfg.max_partial and len(task.train) >= 3 else 0.0
    if not views and not loo:
        return _search(task, time_limit_s, cfg)
    found = _search(task, time_limit_s * (1 - max([share for _, share, _ in views] + [loo])), cfg)
    guesses = [p for p in found if p.partial]
    found = [p for p in found if not p.partial]
    for k, ((name, view, answers, around), share, view_cfg) in enumerate(views):
        if found:
            break
        # each view its share of the time left, in proportion to the views (and guesses) still to come
        left = (time_limit_s - (time.monotonic() - start)) * share / (sum(s for _, s, _ in views[k:]) + loo)
        for p in _search(view, left, view_cfg):
            if p.partial:
                continue  # a view's guess, in the task's terms, would be a guess about a guess
            preds = tuple(None if r is None else a(r) for r, a in zip(p.predictions, answers))
            found.append(Program((), Finish(f"{name}({p.name})", around(p), p.cost + 0.3), preds))
    if not found and loo:
        guesses += _leave_one_out(task, time_limit_s - (time.monotonic() - start), cfg)
        guesses = _distinct(sorted(guesses, key=lambda p: p.cost))[:cfg.max_partial]
    return found + guesses


def _leave_one_out(task: Task, time_limit_s: float, cfg: SearchConfig) -> list[Program]:
    """Guesses from the search (to cfg.leave_one_out_depth) on the demonstrations with one left out: the
    rule of a task whose one demonstration has a quirk of its own, or shows a case the rule's table cannot
    read. Unranked: `search` ranks them with the chains' guesses and keeps the distinct cheapest (no
    guess it drops here could reach that cut: each has cfg.max_partial cheaper ones with other answers)."""
    deadline = time.monotonic() + time_limit_s
    n = len(task.train)
    sub_cfg = replace(cfg, max_depth=cfg.leave_one_out_depth, max_partial=0)
    out = []
    for k in range(n):
        left = deadline - time.monotonic()
        if left <= 0:
            break
        for p in _search(replace(task, train=task.train[:k] + task.train[k + 1:]), left / (n - k), sub_cfg):
            # named and costed like a chain guess that missed one demonstration (_guesses)
            out.append(Program(p.steps, Finish(f"partial({n - 1}/{n}, {p.finish.name})", p.finish.fn,
                                               100.0 + p.finish.cost), p.predictions))
    return out


def _answers_key(preds: tuple[np.ndarray | None, ...]) -> tuple:
    """Test answers as a hashable key: equal keys, equal answers."""
    return tuple(None if g is None else (g.shape, g.tobytes()) for g in preds)


def _distinct(programs: list[Program]) -> list[Program]:
    """The programs whose test answers differ from every earlier one's."""
    out, seen = [], set()
    for p in programs:
        key = _answers_key(p.predictions)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def _search(task: Task, time_limit_s: float, cfg: SearchConfig) -> list[Program]:
    start = time.monotonic()
    deadline = start + time_limit_s
    # With nothing found by then, the pieces met so far are assembled; if that fails the search goes on.
    pieces_at = start + time_limit_s * (1 - cfg.pieces_share)
    info = TaskInfo.of(task)
    cache = ObjectCache()
    steps = make_steps(info, cache)
    n_train = len(task.train)
    outputs = [P.as_grid(p.output) for p in task.train]  # contiguous uint8, as P.same_grid expects
    root_grids = [P.as_grid(p.input) for p in task.train] + [P.as_grid(p.input) for p in task.test]
    root = Node((), root_grids, 0.0, tuple(_grid_key(g) for g in root_grids))

    found: list[Program] = []
    seen_predictions: set = set()
    best = None
    reshaped = [0]  # nodes so far whose states took the outputs' (larger) shapes

    pool: list[Piece] = []  # output-shaped states: the pieces of piece assembly
    # Guesses: (-demonstrations matched, cost, order, steps, finish, test answers) of the programs that
    # reproduce some demonstrations but not all
    near: list[tuple] = []

    def record(steps: tuple[Step, ...], fin: Finish, states: list[np.ndarray], tests: list[np.ndarray]) -> None:
        nonlocal best
        preds = tuple(apply(fin.fn, t) for t in tests)
        if all(p is None for p in preds):
            return
        # verify through the same code path that will produce the test answers
        if not all(P.same_grid(r, o) if (r := apply(fin.fn, s)) is not None else False
                   for s, o in zip(states, outputs)):
            return
        key = _answers_key(preds)
        if key in seen_predictions:
            return
        seen_predictions.add(key)
        prog = Program(steps, fin, preds)
        found.append(prog)
        best = prog.cost if best is None else min(best, prog.cost)

    def visit(node: Node) -> None:
        states, tests = node.grids[:n_train], node.grids[n_train:]
        depth = len(node.steps)
        if len(pool) < cfg.pool_size and all(s.shape == o.shape for s, o in zip(states, outputs)):
            pool.append(Piece(node.steps, tuple(node.grids), node.cost))
        if cfg.max_partial and depth:
            goods = sum(P.same_grid(s, o) for s, o in zip(states, outputs))
            if 0 < goods < n_train:
                heapq.heappush(near, (-goods, node.cost, len(near), node.steps, None, tuple(tests)))
        learners = [learn_exact, learn_colour_map]
        if depth <= cfg.block_depth:
            learners += [learn_blocks, learn_fixed_crop, learn_periodic_extend]
        # Rules at output-shaped nodes only when the outputs grow: after a crop, a small state fits a cell
        # rule by chance (ARC-AGI-1 training: "crop, turn, cell rule" programs verified and answered wrong).
        shaped = depth and info.larger and all(s.shape == o.shape for s, o in zip(states, outputs))
        if shaped:
            reshaped[0] += 1
        early_shaped = shaped and reshaped[0] <= cfg.reshaped_rules
        if depth <= cfg.rule_depth or early_shaped:
            learners += [learn_cell_rule, learn_stamps, partial(learn_normalised, learn_cell_rule),
                         partial(learn_normalised, learn_stamps)]
        if depth <= cfg.object_depth or early_shaped:
            learners += [learn_object_rule, learn_object_transform]
        if depth == 0:
            learners += [learn_constant, learn_lookup, learn_part_transforms, learn_part_fill, learn_count_picture,
                         learn_colour_list, learn_colour_template, learn_object_sequence, learn_bar_chart,
                         learn_overlay_precedence, learn_colour_rays, learn_object_moves, learn_elbow]
        finishes = []
        for learn in learners:
            try:
                got = learn(states, outputs, tests, info)
            except Exception:
                got = None
            finishes += got if isinstance(got, list) else [got] if got is not None else []
        for fin in finishes:
            record(node.steps, fin, states, tests)

    heap: list = []
    counter = 0
    seen = {hash(root.keys)}
    memo: dict = {}  # (step index, grid key) -> (result or None, its key)
    visit(root)
    if steps and cfg.max_depth > 0:
        heap.append((steps[0].cost, counter, root, 0))
    tried_pieces = not cfg.max_pieces

    def try_pieces() -> None:
        nonlocal tried_pieces
        tried_pieces = True
        inputs, tests = root.grids[:n_train], root.grids[n_train:]
        for fin in assemble(pool, inputs, outputs, tests, cfg.max_pieces):
            record((), fin, inputs, tests)
        if found or not cfg.max_partial or n_train < 3:
            return
        # Assembled on all demonstrations but one: a guess when it reproduces only those.
        for skip in range(n_train):
            if time.monotonic() > deadline:
                break
            demos = [i for i in range(n_train) if i != skip]
            idx = demos + list(range(n_train, len(root.grids)))
            subset = [Piece(p.steps, tuple(p.grids[i] for i in idx), p.cost) for p in pool[:cfg.guess_pieces]]
            for fin in assemble(subset, [inputs[i] for i in demos], [outputs[i] for i in demos], tests,
                                cfg.max_pieces):
                preds = tuple(apply(fin.fn, t) for t in tests)
                if all(p is not None for p in preds):
                    heapq.heappush(near, (1 - n_train, fin.cost, len(near), (), fin, preds))

    while heap and len(found) < cfg.max_programs:
        now = time.monotonic()
        if not tried_pieces and not found and now > pieces_at:
            try_pieces()
            if found:
                break
        if now > deadline:
            log.debug("task %s: time limit after %d states", task.id, len(seen))
            break
        prio, _, node, i = heapq.heappop(heap)
        if best is not None and prio > best + cfg.slack:
            break
        if i + 1 < len(steps):  # the node's next child waits its turn in cost order
            counter += 1
            heapq.heappush(heap, (node.cost + steps[i + 1].cost + node.wait, counter, node, i + 1))
        step = steps[i]
        grids, keys = [], []
        for g, gk in zip(node.grids, node.keys):
            got = memo.get((i, gk))
            if got is None:
                r = apply(step.fn, g)
                got = (r, None if r is None else gk if r is g else _grid_key(r))
                if len(memo) >= MEMO_SIZE:
                    memo.clear()
                memo[i, gk] = got
            r, rk = got
            if r is None:
                break
            grids.append(r)
            keys.append(rk)
        else:
            keys = tuple(keys)
            key = hash(keys)
            if key in seen:
                continue
            seen.add(key)
            child = Node(node.steps + (step,), grids, node.cost + step.cost, keys)
            visit(child)
            if len(child.steps) < cfg.max_depth:
                counter += 1
                if cfg.closeness_weight:
                    child.wait = cfg.closeness_weight * _distance(grids[:n_train], outputs)
                heapq.heappush(heap, (child.cost + steps[0].cost + child.wait, counter, child, 0))
    if not found and not tried_pieces and time.monotonic() < deadline:
        try_pieces()
    found.sort(key=lambda p: p.cost)  # stable: equal costs keep discovery order
    if len({tuple(None if g is None else g.shape for g in p.predictions) for p in found}) > 1:
        # the predicted size can only reorder programs whose answers differ in size
        found = size_first(found, [predict_size(root.grids[:n_train], outputs, t) for t in root.grids[n_train:]])
    # Guesses come last: they answer a task nothing explains, or give a verified program's lone answer
    # a second attempt.
    return found + _guesses(near, n_train, cfg.max_partial)


def _distance(states: list[np.ndarray], outputs: list[np.ndarray]) -> float:
    """The mean share of output cells the states get wrong; a state of another shape counts as half wrong
    (as all wrong, the chains through a crop waited too long: ARC-AGI-1 training at 1 s, 246 tasks
    against 249 at one half and 250 at one quarter)."""
    return sum(np.count_nonzero(s != o) / s.size if s.shape == o.shape else 0.5
               for s, o in zip(states, outputs)) / len(outputs)


def _guesses(near: list, n_train: int, most: int) -> list[Program]:
    """Unverified programs from the chains and assemblies that reproduce the most demonstrations (then the
    cheapest), with distinct test answers; each costs more the fewer demonstrations it matched, so they keep
    that order."""
    out, seen = [], set()
    while near and len(out) < most:
        minus_goods, cost, _, steps, fin, preds = heapq.heappop(near)
        key = _answers_key(preds)
        if key in seen:
            continue
        seen.add(key)
        missed = n_train + minus_goods
        name = f"partial({-minus_goods}/{n_train}{'' if fin is None else ', ' + fin.name})"
        # a chain's steps carry its cost already; an assembly's is its finish's
        extra = 100.0 * missed + (0.0 if fin is None else cost)
        out.append(Program(steps, Finish(name, _identity if fin is None else fin.fn, extra), preds))
    return out


def _identity(g: np.ndarray) -> np.ndarray:
    return g


def candidates_from(programs: list[Program], n_test: int, max_candidates: int = 3) -> list[list[Candidate]]:
    """Distinct predictions per test input, best program first; weight 100 for the first, then less."""
    per_test: list[list[Candidate]] = [[] for _ in range(n_test)]
    for prog in programs:
        for i, pred in enumerate(prog.predictions[:n_test]):
            cands = per_test[i]
            if pred is None or len(cands) >= max_candidates or any(np.array_equal(c.grid, pred) for c in cands):
                continue
            # a guess is no verified program: it is its own source, below every verified answer
            cands.append(Candidate(pred, weight=(1.0 if prog.partial else 100.0) / (1 + len(cands)), confidence=1.0,
                                   source=GUESS_SOURCE if prog.partial else "programs", detail=prog.family))
    return per_test


@cache
def warm_up() -> float:
    """Run every step and the root learners once on a small made-up task, once per process; returns
    the seconds it took. A fresh process pays for loading each Numba kernel and for numpy's first calls
    at its first search: without this, that cost lands on whichever task comes first (at 120 s for 400
    tasks, simple tasks were lost to it)."""
    t0 = time.monotonic()
    rng = np.random.default_rng(0)
    grids = [np.where(rng.random((6, 6)) < 0.3, rng.integers(1, 4, (6, 6)), 0).astype(np.uint8) for _ in range(3)]
    task = Task("warm-up", tuple(Pair(g, g[::-1].copy()) for g in grids[:2]), (Pair(grids[2], None),))
    for step in make_steps(TaskInfo.of(task), ObjectCache()):
        try:
            step.fn(grids[0])
        except Exception:  # a step that refuses this grid has still been loaded
            pass
    _search(task, 0.05, SearchConfig())
    P.colour_rays(grids[0], {1: ((0, 1, "front"),)}, (1,))  # a root learner's kernel the made-up task never reaches
    return time.monotonic() - t0


def solve(task: Task, time_limit_s: float = 10.0, seed: int = 0) -> list[list[Candidate]]:
    """Candidate source for the vote: one list of Candidates (source='programs') per test input.
    Deterministic; `seed` is accepted for the common source signature."""
    try:
        progs = search(task, time_limit_s)
    except Exception as e:  # the source must never take a submit run down
        log.warning("task %s: program search failed: %s", task.id, e)
        return [[] for _ in task.test]
    for p in progs[:3]:
        log.debug("task %s: program %s (cost %.1f)", task.id, p.name, p.cost)
    return candidates_from(progs, len(task.test))


def explain(task: Task, time_limit_s: float = 10.0) -> list[str]:
    """Readable names of the programs found for `task`, best first."""
    return [p.name for p in search(task, time_limit_s)]
