"""Training data and the deep-supervision stream: examples under views, slots per canvas side.

    arc-solver train --preset tiny --tasks arc-agi-1/training --minutes 5 --out runs/tiny.pt

Data: every demonstration pair of every task, in K views (dihedral + colour permutation,
plus a random translation inside the canvas); each (task, view) owns one puzzle-embedding
row. Test pairs are examples only for tasks that have solutions and are not evaluation
tasks: an evaluation test output is never a training target.

The stream holds, per canvas side S, this rank's slots of the deep-supervision batch with
their carried y and z; `train.Trainer` steps it.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Sequence

import numpy as np
import torch
import torch.distributed as dist

from . import kernels
from .model import RecursiveModel
from .tasks import Task
from .views import View, sample_views

if TYPE_CHECKING:  # for type hints only: train imports this module
    from .train import TrainConfig

MAX_SIDE = 30

# --- data -------------------------------------------------------------------

@dataclass(frozen=True)
class Example:
    task: int  # index into Dataset.tasks; its rows are task * K + k
    input: np.ndarray
    output: np.ndarray
    side: int  # smallest canvas side holding both grids and their EOS border
    kind: str  # "train" (a demonstration) or "test" (a test pair with a known output)
    pair: int  # index of the pair inside its kind


@dataclass
class Dataset:
    tasks: list[Task]
    views: list[list[View]]  # per task, K views, identity first
    examples: list[Example]
    excluded: list[str] = field(default_factory=list)  # task ids left out by --exclude

    @property
    def n_views(self) -> int:
        return len(self.views[0]) if self.views else 0

    def rows(self) -> list[tuple]:
        """Row map: row i = (task id, dihedral, colour permutation)."""
        return [(t.id, v.dihedral, tuple(int(c) for c in v.perm)) for t, vs in zip(self.tasks, self.views) for v in vs]

    def row(self, task: int, view: int) -> int:
        return task * self.n_views + view


def pair_side(*grids: np.ndarray) -> int:
    return min(MAX_SIDE, max(max(g.shape) for g in grids) + 1)


def task_side(task: Task) -> int:
    """Smallest canvas side holding every grid of a task we can see (demonstrations, test inputs)."""
    return pair_side(*[g for p in task.train for g in (p.input, p.output)], *[p.input for p in task.test])


def merge_tasks(train_tasks: Sequence[Task], eval_tasks: Sequence[Task] = ()) -> list[Task]:
    """One list, first occurrence of each id kept; a task named in eval_tasks is marked evaluation."""
    eval_ids = {t.id for t in eval_tasks}
    out: dict[str, Task] = {}
    for t in [*train_tasks, *eval_tasks]:
        if t.id not in out:
            out[t.id] = replace(t, is_evaluation=t.is_evaluation or t.id in eval_ids)
    return list(out.values())


def build_dataset(tasks: Sequence[Task], views: int, seed: int, rows: list[tuple] | None = None) -> Dataset:
    """Examples and views of `tasks` (already merged); `rows` (from a checkpoint) fixes the views."""
    tasks = list(tasks)
    if rows is not None:
        ids = list(dict.fromkeys(r[0] for r in rows))
        if ids != [t.id for t in tasks]:
            missing = sorted(set(ids) - {t.id for t in tasks})
            extra = sorted({t.id for t in tasks} - set(ids))
            raise ValueError(f"the tasks differ from the checkpoint's row map (missing {missing[:5]}, "
                             f"new {extra[:5]}, or a different order)")
        task_views: list[list[View]] = [[] for _ in tasks]
        where = {t.id: i for i, t in enumerate(tasks)}
        for tid, d, perm in rows:
            task_views[where[tid]].append(View(int(d), tuple(int(c) for c in perm)))
    else:
        rng = np.random.default_rng(seed)
        task_views = [list(sample_views(views, rng)) for _ in tasks]
    examples = []
    for i, t in enumerate(tasks):
        for j, p in enumerate(t.train):
            examples.append(Example(i, p.input, p.output, pair_side(p.input, p.output), "train", j))
        if t.has_solutions and not t.is_evaluation:
            for j, p in enumerate(t.test):
                examples.append(Example(i, p.input, p.output, pair_side(p.input, p.output), "test", j))
    return Dataset(tasks, task_views, examples)


def encode_pairs(data: Dataset, ex_ids: np.ndarray, view_ids: np.ndarray, offsets: np.ndarray, S: int
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Input and target canvases [n, S, S] (uint8 tokens) of examples under (view, offset)."""
    exs = [data.examples[e] for e in ex_ids]
    views = [replace(data.views[ex.task][k], offset=(int(o[0]), int(o[1])))
             for ex, k, o in zip(exs, view_ids, offsets)]
    return (kernels.encode_views([ex.input for ex in exs], views, S),
            kernels.encode_views([ex.output for ex in exs], views, S))


# --- the deep-supervision stream ------------------------------------------------

@dataclass
class Slots:
    """This rank's slice of the deep-supervision batch for one canvas side."""
    S: int
    ex: np.ndarray  # example index per slot
    view: np.ndarray
    offset: np.ndarray  # [n, 2]
    steps: np.ndarray  # supervision steps done by the sample in the slot
    halted: np.ndarray  # take a fresh sample before the next step
    min_halt: np.ndarray  # this step's exploration minimum (0 = halt when the head says so)
    inputs: torch.Tensor | None = None  # [n, S, S] long
    targets: torch.Tensor | None = None
    y: torch.Tensor | None = None
    z: torch.Tensor | None = None


class Stream:
    def __init__(self, data: Dataset, cfg: TrainConfig, n_sup: int, rank: int, world: int,
                 device: torch.device):
        if cfg.batch_size % world:
            raise ValueError(f"batch_size {cfg.batch_size} is not divisible by {world} ranks")
        if not data.examples:
            raise ValueError("no training examples")
        sides = sorted(cfg.canvas_sides)
        if sides[-1] < MAX_SIDE:
            raise ValueError(f"canvas_sides must reach {MAX_SIDE}, got {sides}")
        self.data, self.cfg, self.n_sup, self.device = data, cfg, n_sup, device
        self.rank, self.world, self.G = rank, world, cfg.batch_size
        self.local = slice(rank * self.G // world, (rank + 1) * self.G // world)
        need = np.array([ex.side for ex in data.examples])
        bucket = np.searchsorted(np.array(sides), need)  # smallest side >= need
        self.buckets = [(S, np.flatnonzero(bucket == i)) for i, S in enumerate(sides) if (bucket == i).any()]
        counts = np.array([len(m) for _, m in self.buckets], dtype=np.float64)
        self.p = counts / counts.sum()
        n = self.G // world
        self.slots = [Slots(S, np.zeros(n, np.int64), np.zeros(n, np.int64), np.zeros((n, 2), np.int64),
                            np.zeros(n, np.int64), np.ones(n, bool), np.zeros(n, np.int64))
                      for S, _ in self.buckets]
        self.rng = np.random.default_rng([cfg.seed, 1])

    def canvas(self, b: int) -> int:
        return self.cfg.fixed_canvas or self.buckets[b][0]

    def next(self, model: RecursiveModel) -> Slots:
        """Pick a canvas side, refill its halted slots with fresh samples, return them."""
        G, loc, K = self.G, self.local, self.data.n_views
        b = int(self.rng.choice(len(self.buckets), p=self.p))
        members = self.buckets[b][1]
        # Whole-batch draws on every rank, sliced: independent of the number of ranks.
        pick = self.rng.integers(0, len(members), G)[loc]
        view = self.rng.integers(0, K, G)[loc]
        u = self.rng.random((G, 2))[loc]
        explore = self.rng.random(G)[loc] < self.cfg.halt_explore
        min_steps = self.rng.integers(2, max(2, self.n_sup) + 1, G)[loc]
        slots = self.slots[b]
        fresh = np.flatnonzero(slots.halted)
        if fresh.size:
            self.refill(b, fresh, members[pick[fresh]], view[fresh], u[fresh], model)
        slots.min_halt = np.where(explore, min_steps, 0)
        return slots

    def refill(self, b: int, idx: np.ndarray, ex: np.ndarray, view: np.ndarray, u: np.ndarray,
               model: RecursiveModel) -> None:
        slots, S = self.slots[b], self.canvas(b)
        sides = np.array([self.data.examples[e].side for e in ex])
        room = np.maximum(S - sides, 0) + 1 if self.cfg.translate else np.ones_like(sides)
        offset = np.minimum((u * room[:, None]).astype(np.int64), (room - 1)[:, None])
        slots.ex[idx], slots.view[idx], slots.offset[idx] = ex, view, offset
        slots.steps[idx], slots.halted[idx] = 0, False
        inp, tgt = encode_pairs(self.data, ex, view, offset, S)
        if slots.inputs is None:  # first use: every slot is fresh
            slots.inputs = torch.zeros(len(slots.ex), S, S, dtype=torch.long, device=self.device)
            slots.targets = torch.zeros_like(slots.inputs)
            slots.y, slots.z = model.initial_state(len(slots.ex), S)
        t = torch.as_tensor(idx, device=self.device)
        slots.inputs[t] = torch.as_tensor(inp, device=self.device).long()
        slots.targets[t] = torch.as_tensor(tgt, device=self.device).long()
        slots.y[t] = model.y_init.to(slots.y.dtype)
        slots.z[t] = model.z_init.to(slots.z.dtype)

    def finish_step(self, slots: Slots, halt_logit: np.ndarray) -> np.ndarray:
        """Advance step counts; decide which slots halt. Returns the halted mask."""
        slots.steps += 1
        slots.halted = (slots.steps >= self.n_sup) | ((halt_logit > 0) & (slots.steps >= slots.min_halt))
        return slots.halted

    def rows(self, slots: Slots) -> torch.Tensor:
        tasks = np.array([self.data.examples[e].task for e in slots.ex])
        return torch.as_tensor(tasks * self.data.n_views + slots.view, device=self.device)

    # Checkpoint state: the whole global batch, gathered from every rank.
    def state_dict(self, carry: bool) -> dict:
        out = {"rng": self.rng.bit_generator.state, "slots": []}
        for slots in self.slots:
            s = {"started": slots.inputs is not None}
            for name in ("ex", "view", "offset", "steps", "halted"):
                s[name] = gather(torch.as_tensor(getattr(slots, name), device=self.comm_device), self.world).cpu().numpy()
            if carry and slots.y is not None:
                s["y"], s["z"] = gather(slots.y, self.world).cpu(), gather(slots.z, self.world).cpu()
            out["slots"].append(s)
        return out

    @property
    def comm_device(self) -> torch.device:
        return self.device if self.world > 1 and self.device.type == "cuda" else torch.device("cpu")

    def load_state_dict(self, state: dict, model: RecursiveModel) -> bool:
        """Restore slots; returns False when the carry was not saved (in-flight samples restart)."""
        self.rng.bit_generator.state = state["rng"]
        exact = True
        for b, (slots, s) in enumerate(zip(self.slots, state["slots"])):
            loc = self.local
            slots.ex, slots.view = s["ex"][loc].copy(), s["view"][loc].copy()
            slots.offset, slots.steps = s["offset"][loc].copy(), s["steps"][loc].copy()
            slots.halted = s["halted"][loc].copy()
            if not s["started"]:
                continue
            if "y" not in s:
                exact = False
                slots.inputs = None
                slots.halted[:] = True
                continue
            S = self.canvas(b)
            slots.inputs = torch.zeros(len(slots.ex), S, S, dtype=torch.long, device=self.device)
            slots.targets = torch.zeros_like(slots.inputs)
            inp, tgt = encode_pairs(self.data, slots.ex, slots.view, slots.offset, S)
            slots.inputs.copy_(torch.as_tensor(inp).long())
            slots.targets.copy_(torch.as_tensor(tgt).long())
            slots.y, slots.z = s["y"][loc].to(self.device).clone(), s["z"][loc].to(self.device).clone()
        return exact


def gather(t: torch.Tensor, world: int) -> torch.Tensor:
    """Concatenate a tensor's per-rank slices along dim 0 (a no-op on one process)."""
    if world == 1:
        return t
    parts = [torch.empty_like(t) for _ in range(world)]
    dist.all_gather(parts, t.contiguous())
    return torch.cat(parts)


# --- honest data: leaving out every task that shares a grid with a held-out set -----------

# A grid this small or of one colour (a 1x1 answer, an empty 3x3) recurs across unrelated tasks: sharing
# one says nothing about whether two tasks are the same.
DISTINCT_MIN_CELLS = 10


def distinctive_grids(task: Task) -> list[np.ndarray]:
    """The distinctive grids of a task: demonstration inputs and outputs, test inputs and known test
    outputs, of at least DISTINCT_MIN_CELLS cells and two colours."""
    return [g for p in (*task.train, *task.test) for g in (p.input, p.output)
            if g is not None and g.size >= DISTINCT_MIN_CELLS and (g != g.flat[0]).any()]


def grid_hashes(tasks: Sequence[Task]) -> set[int]:
    return set(kernels.hash_grids([g for t in tasks for g in distinctive_grids(t)]))


def exclude_shared(tasks: Sequence[Task], held_out: Sequence[Task]) -> tuple[list[Task], list[str]]:
    """(tasks kept, ids dropped): a task is dropped when it has the id of a held-out task or any of its
    distinctive grids equals one of `held_out` (the same task under another id, or a task built on the
    same pictures). Content as well as ids, because the ARC sets copy tasks between them, sometimes
    under other names, sometimes edited under the same name."""
    banned = grid_hashes(held_out)
    banned_ids = {t.id for t in held_out}
    kept, dropped = [], []
    for t in tasks:
        if t.id in banned_ids or not banned.isdisjoint(kernels.hash_grids(distinctive_grids(t))):
            dropped.append(t.id)
        else:
            kept.append(t)
    return kept, dropped


def test_inputs_trained(data: Dataset) -> list[int]:
    """Hashes of the inputs of the test pairs trained on (their outputs were targets): a task whose test
    input is among them was seen with its answer."""
    return sorted(set(kernels.hash_grids([ex.input for ex in data.examples if ex.kind == "test"])))
