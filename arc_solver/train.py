"""Training the recursive model: deep supervision over a variable canvas.

    arc-solver train --preset tiny --tasks arc-agi-1/training --minutes 5 --out runs/tiny.pt
    arc-solver train --preset tiny --tasks arc-agi-1/training --steps 4000 --out runs/tiny.pt --resume runs/tiny.pt
    torchrun --nproc_per_node=2 -m arc_solver train --preset tiny --tasks arc-agi-1/training --steps 200 --out runs/d.pt

Data: every demonstration pair of every named task, in K views (dihedral +
colour permutation, plus a random translation inside the canvas); each
(task, view) owns one puzzle-embedding row. Test pairs are trained on only
for tasks that have solutions and are not evaluation tasks (marked by the
loader, or named with --eval-tasks): an evaluation test output is never a
training target.

Deep supervision: the batch is a set of slots per canvas side S (grids of
similar size share a canvas). Each training step picks one side, runs one
supervision step (T recursions) on its slots with their carried y and z,
takes one loss and one optimizer step. A slot whose halting head says "exact"
(or that reached N_sup steps) takes a fresh sample at its next turn.

Random draws are made for the whole global batch on every rank, and each rank
uses its slice: one process with batch G and K processes with G/K each see
the same samples.

Outputs beside --out (runs/x.pt): runs/x.config.json (the resolved configs),
runs/x.log.jsonl (one line per log interval).
"""
from __future__ import annotations

import copy
import json
import logging
import math
import os
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Sequence

import numpy as np
import torch
import torch.distributed as dist
import torch.nn.functional as F
from tqdm import tqdm

from . import kernels
from .checkpoint import check_config, load_checkpoint, rng_state, save_checkpoint, set_rng_state
from .model import PAD, ModelConfig, PuzzleEmbedding, RecursiveModel, autocast
from .tasks import Task, load_tasks
from .views import View, sample_views

log = logging.getLogger("arc_solver.train")

MAX_SIDE = 30


# --- config -----------------------------------------------------------------

@dataclass(frozen=True)
class TrainConfig:
    preset: str = "tiny"  # model preset (the ModelConfig itself is saved beside it)
    tasks: tuple[str, ...] = ("arc-agi-2/training",)  # task sets trained on
    eval_tasks: tuple[str, ...] = ()  # demonstrations trained on, test outputs never
    views: int = 8  # views per task = embedding rows per task
    translate: bool = True  # random offset of each pair inside its canvas
    canvas_sides: tuple[int, ...] = (6, 8, 10, 12, 14, 16, 20, 24, 30)
    fixed_canvas: int = 0  # > 0: every batch on this side (the reference's 30), for comparisons
    batch_size: int = 32  # global, split evenly across ranks
    lr: float = 1e-3
    warmup: int = 100  # steps of linear warm-up (network and embedding rows)
    weight_decay: float = 0.1
    betas: tuple[float, float] = (0.9, 0.95)
    grad_clip: float = 1.0
    ema_decay: float = 0.995  # 0 = no EMA
    emb_lr: float = 1e-2
    emb_weight_decay: float = 0.1
    halt_explore: float = 0.1  # chance a slot gets a random minimum number of steps before halting
    halt_weight: float = 0.5  # weight of the halting BCE in the loss
    steps: int = 0  # stop at this global step (0 = no step limit)
    minutes: float = 0.0  # stop after this many minutes of this run (0 = no time limit)
    save_every: int = 1000  # steps between checkpoints (and one at the end)
    log_every: int = 20
    seed: int = 0
    compile: bool = False  # torch.compile the model (one graph per canvas side)
    save_carry: bool = True  # keep carried y/z in checkpoints (exact resume; large for trm)

    @classmethod
    def preset_for(cls, name: str, **overrides) -> "TrainConfig":
        if name not in TRAIN_PRESETS:
            raise ValueError(f"unknown preset {name!r}; choose from {', '.join(TRAIN_PRESETS)}")
        return replace(TRAIN_PRESETS[name], **overrides)


TRAIN_PRESETS: dict[str, TrainConfig] = {
    "tiny": TrainConfig(preset="tiny"),
    # The reference recipe (global batch 768, lr 1e-4, 2000 warm-up steps, EMA 0.999).
    "trm": TrainConfig(preset="trm", batch_size=768, lr=1e-4, warmup=2000, ema_decay=0.999,
                       save_every=2000, log_every=50),
}

# Fields that may change between a run and its resumption (run length, bookkeeping).
RUN_FIELDS = frozenset({"steps", "minutes", "save_every", "log_every", "compile", "save_carry"})


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


def load_dataset(cfg: TrainConfig, rows: list[tuple] | None = None) -> Dataset:
    train_tasks = [t for spec in cfg.tasks for t in _loaded(spec)]
    eval_tasks = [t for spec in cfg.eval_tasks for t in _loaded(spec)]
    return build_dataset(merge_tasks(train_tasks, eval_tasks), cfg.views, cfg.seed, rows)


def _loaded(spec: str) -> list[Task]:
    ts = load_tasks(spec)
    for tid, err in ts.errors.items():
        log.warning("skipping task %s: %s", tid, err)
    return ts.tasks


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


# --- optimisation -----------------------------------------------------------------

class EMA:
    """Exponential moving average of the network's weights (buffers copied as they are)."""

    def __init__(self, model: torch.nn.Module, decay: float):
        self.decay = decay
        self.names = [n for n, _ in model.named_parameters()]
        self.shadow = {k: v.detach().clone() for k, v in model.state_dict().items()}

    @torch.no_grad()
    def update(self, model: torch.nn.Module) -> None:
        params = dict(model.named_parameters())
        torch._foreach_lerp_([self.shadow[n] for n in self.names], [params[n].detach() for n in self.names],
                             1.0 - self.decay)

    def state_dict(self) -> dict:
        return self.shadow

    def load_state_dict(self, state: dict) -> None:
        for k, v in state.items():
            self.shadow[k].copy_(v)


def make_optimizer(model: RecursiveModel, cfg: TrainConfig) -> torch.optim.AdamW:
    return torch.optim.AdamW(model.parameters(), lr=cfg.lr, betas=cfg.betas, weight_decay=cfg.weight_decay)


def lr_scale(step: int, warmup: int) -> float:
    return min(1.0, (step + 1) / warmup) if warmup > 0 else 1.0


def sample_losses(logits: torch.Tensor, targets: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Per-sample cross-entropy (mean over non-PAD target cells) and exact match [B]."""
    B = targets.shape[0]
    flat_t = targets.view(B, -1)
    mask = flat_t != PAD
    ce = F.cross_entropy(logits.float().view(-1, logits.shape[-1]), flat_t.reshape(-1), reduction="none").view(B, -1)
    ce = (ce * mask).sum(1) / mask.sum(1).clamp(min=1)
    right = (logits.argmax(-1).view(B, -1) == flat_t) | ~mask
    return ce, right.all(1)


def supervision_step(model, raw: RecursiveModel, emb: PuzzleEmbedding, opt: torch.optim.Optimizer,
                     tokens: torch.Tensor, targets: torch.Tensor, rows: torch.Tensor, y: torch.Tensor,
                     z: torch.Tensor, cfg: TrainConfig, step: int, world: int = 1):
    """One loss and one optimizer step. `model` may be the DDP/compiled wrapper of `raw`.

    Returns (y, z, halt_logit, exact, ce, halt_loss), the last four per sample.
    """
    scale = lr_scale(step, cfg.warmup)
    puzzle = emb.lookup(rows)
    with autocast(tokens.device):
        y, z, logits, halt = model(tokens, puzzle, y, z)
    ce, exact = sample_losses(logits, targets)
    halt_loss = F.binary_cross_entropy_with_logits(halt.float(), exact.float(), reduction="none")
    loss = (ce + cfg.halt_weight * halt_loss).mean()  # mean over this rank; DDP averages the ranks
    opt.zero_grad(set_to_none=True)
    loss.backward()
    if cfg.grad_clip > 0:
        torch.nn.utils.clip_grad_norm_(raw.parameters(), cfg.grad_clip)
    for g in opt.param_groups:
        g["lr"] = cfg.lr * scale
    opt.step()
    emb.sign_sgd_rows(rows, puzzle.grad / world, cfg.emb_lr * scale, cfg.emb_weight_decay, world)
    return y, z, halt.detach(), exact, ce.detach(), halt_loss.detach()


# --- the run ----------------------------------------------------------------------

def distributed_setup(device: str | torch.device) -> tuple[int, int, torch.device]:
    """(rank, world, device); starts torch.distributed under torchrun (nccl on GPU, gloo on CPU)."""
    device = torch.device(device)
    if not dist.is_initialized() and int(os.environ.get("WORLD_SIZE", "1")) > 1:
        dist.init_process_group(backend="nccl" if device.type == "cuda" else "gloo")
    if not dist.is_initialized():
        return 0, 1, device
    rank, world = dist.get_rank(), dist.get_world_size()
    if device.type == "cuda":
        device = torch.device("cuda", int(os.environ.get("LOCAL_RANK", rank % torch.cuda.device_count())))
        torch.cuda.set_device(device)
    return rank, world, device


def side_files(out: str | Path) -> tuple[Path, Path]:
    out = Path(out)
    return out.with_suffix(".config.json"), out.with_suffix(".log.jsonl")


@dataclass
class Trainer:
    """Everything a run holds; built by `Trainer.create`, stepped by `run`."""
    cfg: TrainConfig
    model_cfg: ModelConfig
    data: Dataset
    model: RecursiveModel
    emb: PuzzleEmbedding
    opt: torch.optim.Optimizer
    ema: EMA | None
    stream: Stream
    device: torch.device
    rank: int = 0
    world: int = 1
    step: int = 0
    wrapped: torch.nn.Module | None = None  # DDP / compiled model used for the forward pass
    history: list = field(default_factory=list)

    @classmethod
    def create(cls, cfg: TrainConfig, model_cfg: ModelConfig, device: str | torch.device = "cpu",
               data: Dataset | None = None, resume: str | Path | None = None) -> "Trainer":
        rank, world, device = distributed_setup(device)
        ckpt = None
        if resume is not None and Path(resume).exists():
            ckpt = load_checkpoint(resume, map_location="cpu")
            if ckpt.get("inference_only"):
                raise ValueError(f"{resume} is an inference-only export (no optimizer or RNG state); "
                                 "resume from the full checkpoint written by `arc-solver train`")
            check_config(resume, ckpt["model_config"], model_cfg, "model config")
            check_config(resume, ckpt["train_config"], cfg, "training config", ignore=RUN_FIELDS)
        elif resume is not None:
            log.info("no checkpoint at %s yet: starting a new run", resume)
        if data is None:
            data = load_dataset(cfg, rows=ckpt["rows"] if ckpt else None)
        elif ckpt is not None and data.rows() != [tuple(r) for r in ckpt["rows"]]:
            raise ValueError(f"{resume}: the row map differs from the data given")
        torch.manual_seed(cfg.seed)  # identical initial weights on every rank
        model = RecursiveModel(model_cfg).to(device)
        emb = PuzzleEmbedding(len(data.tasks) * data.n_views, model_cfg.puzzle_dim).to(device)
        opt = make_optimizer(model, cfg)
        ema = EMA(model, cfg.ema_decay) if cfg.ema_decay > 0 else None
        stream = Stream(data, cfg, model_cfg.n_sup, rank, world, device)
        tr = cls(cfg, model_cfg, data, model, emb, opt, ema, stream, device, rank, world)
        if ckpt is not None:
            tr.load(ckpt)
        wrapped: torch.nn.Module = model
        if world > 1:
            from torch.nn.parallel import DistributedDataParallel as DDP

            wrapped = DDP(model, device_ids=[device] if device.type == "cuda" else None)
        if cfg.compile:
            wrapped = torch.compile(wrapped, dynamic=False)
        tr.wrapped = wrapped
        return tr

    def load(self, ckpt: dict) -> None:
        self.model.load_state_dict(ckpt["model"])
        self.opt.load_state_dict(ckpt["optimizer"])
        if self.ema is not None and ckpt.get("ema") is not None:
            self.ema.load_state_dict(ckpt["ema"])
        self.emb.weight.copy_(ckpt["embedding"])
        self.step = ckpt["step"]
        set_rng_state(ckpt["rng"])
        if not self.stream.load_state_dict(ckpt["stream"], self.model):
            log.warning("checkpoint has no carried states (save_carry off): in-flight samples restart, "
                        "so this resume is close to, not exactly, a straight run")

    def state(self) -> dict:
        """Checkpoint dict; collective under torch.distributed (every rank must call it)."""
        return {
            "model": self.model.state_dict(), "ema": self.ema.state_dict() if self.ema else None,
            "optimizer": self.opt.state_dict(), "embedding": self.emb.weight.detach().cpu(),
            "rows": self.data.rows(), "step": self.step, "rng": rng_state(),
            "model_config": self.model_cfg.to_dict(), "train_config": asdict(self.cfg),
            "stream": self.stream.state_dict(self.cfg.save_carry),
        }

    def save(self, out: str | Path) -> None:
        state = self.state()
        if self.rank == 0:
            save_checkpoint(out, state)

    def train_step(self) -> dict:
        """One supervision step on one canvas side; returns this step's metrics (this rank)."""
        slots = self.stream.next(self.model)
        rows = self.stream.rows(slots)
        y, z, halt, exact, ce, halt_loss = supervision_step(
            self.wrapped, self.model, self.emb, self.opt, slots.inputs, slots.targets, rows, slots.y, slots.z,
            self.cfg, self.step, self.world)
        slots.y, slots.z = y, z
        if self.ema is not None:
            self.ema.update(self.model)
        halted = self.stream.finish_step(slots, halt.float().cpu().numpy())
        self.step += 1
        exact_np = exact.cpu().numpy()
        return {"S": slots.S if not self.cfg.fixed_canvas else self.cfg.fixed_canvas,
                "loss": float((ce + self.cfg.halt_weight * halt_loss).mean()), "ce": float(ce.mean()),
                "exact": float(exact_np.mean()), "halted": int(halted.sum()),
                "exact_halted": int((exact_np & halted).sum()), "samples": len(exact_np)}

    def reduce(self, totals: dict) -> dict:
        """Sum metric totals across ranks (for logging)."""
        if self.world == 1:
            return totals
        keys = sorted(totals)
        t = torch.tensor([float(totals[k]) for k in keys], dtype=torch.float64, device=self.stream.comm_device)
        dist.all_reduce(t)
        return dict(zip(keys, t.tolist()))

    def should_stop(self, t0: float) -> bool:
        stop = bool(self.cfg.steps and self.step >= self.cfg.steps)
        stop |= bool(self.cfg.minutes and time.monotonic() - t0 >= self.cfg.minutes * 60)
        if self.world > 1:  # rank 0's clock decides for everyone
            flag = torch.tensor([int(stop)], device=self.stream.comm_device)
            dist.broadcast(flag, 0)
            stop = bool(flag.item())
        return stop

    def run(self, out: str | Path | None = None, progress: bool = True) -> dict:
        """Train until cfg.steps or cfg.minutes; checkpoints and logs go beside `out` (rank 0)."""
        cfg = self.cfg
        if not (cfg.steps or cfg.minutes):
            raise ValueError("give a step limit or a time limit (steps or minutes)")
        main = self.rank == 0
        log_file = None
        if out is not None and main:
            conf_path, log_path = side_files(out)
            conf_path.parent.mkdir(parents=True, exist_ok=True)
            conf_path.write_text(json.dumps({"model": self.model_cfg.to_dict(), "train": asdict(cfg),
                                             "world": self.world, "device": str(self.device),
                                             "rows": len(self.data.rows()), "examples": len(self.data.examples)},
                                            indent=2))
            log_file = open(log_path, "a")
        t0 = time.monotonic()
        start_step = self.step
        keys = ("loss", "ce", "exact", "halted", "exact_halted", "samples")
        window = dict.fromkeys(keys, 0.0)
        window_n, window_t = 0, time.monotonic()
        last = {}
        bar = tqdm(total=cfg.steps or None, initial=self.step, disable=not (main and progress),
                   desc="train", unit="step", dynamic_ncols=True)
        try:
            while not self.should_stop(t0):
                m = self.train_step()
                for k in keys:
                    window[k] += m[k] * (m["samples"] if k in ("loss", "ce", "exact") else 1)
                window_n += 1
                bar.update(1)
                if self.step % cfg.log_every == 0 or (cfg.steps and self.step >= cfg.steps):
                    tot = self.reduce(window)
                    dt = time.monotonic() - window_t
                    n = max(tot["samples"], 1)
                    last = {"step": self.step, "loss": tot["loss"] / n, "ce": tot["ce"] / n,
                            "exact": tot["exact"] / n,
                            "exact_at_halt": tot["exact_halted"] / max(tot["halted"], 1),
                            "steps_per_s": window_n / dt, "samples_per_s": tot["samples"] / dt,
                            "lr": cfg.lr * lr_scale(self.step, cfg.warmup),
                            "minutes": (time.monotonic() - t0) / 60}
                    self.history.append(last)
                    bar.set_postfix(loss=f"{last['loss']:.3f}", exact=f"{last['exact']:.3f}",
                                    sps=f"{last['steps_per_s']:.1f}")
                    if log_file:
                        log_file.write(json.dumps(last) + "\n")
                        log_file.flush()
                    window = dict.fromkeys(keys, 0.0)
                    window_n, window_t = 0, time.monotonic()
                if out is not None and cfg.save_every and self.step % cfg.save_every == 0:
                    self.save(out)
        finally:
            bar.close()
            if log_file:
                log_file.close()
        if out is not None:
            self.save(out)
        return {"step": self.step, "steps_this_run": self.step - start_step,
                "minutes": (time.monotonic() - t0) / 60, **{k: v for k, v in last.items() if k != "step"}}


def train(cfg: TrainConfig, model_cfg: ModelConfig | None = None, out: str | Path | None = None,
          device: str | torch.device = "cpu", resume: str | Path | None = None, data: Dataset | None = None,
          progress: bool = True) -> dict:
    """Train (or continue from `resume`) and write the final checkpoint to `out`. Returns a summary dict."""
    model_cfg = model_cfg or ModelConfig.preset(cfg.preset)
    trainer = Trainer.create(cfg, model_cfg, device, data=data, resume=resume)
    return trainer.run(out, progress=progress)


# --- inference --------------------------------------------------------------------

def inference_side(task: Task, canvas_sides: Sequence[int] = TrainConfig.canvas_sides) -> int:
    """Canvas side for predicting a task: the training side that holds all of its visible grids."""
    need = task_side(task)
    return min([s for s in canvas_sides if s >= need] or [MAX_SIDE])


@torch.no_grad()
def predict(model: RecursiveModel, puzzle: torch.Tensor, grids: Sequence[np.ndarray], views: Sequence[View],
            S: int, steps: int | None = None, batch_size: int = 256) -> list[list[tuple[np.ndarray | None, float]]]:
    """Run the model on every (grid, view) for `steps` supervision steps (default: the model's n_sup).

    puzzle: [len(grids), puzzle_dim] embedding row of each input, on the model's device.
    S: canvas side; it must hold the expected output (e.g. `inference_side(task)`).
    Returns out[step][i] = (prediction for input i decoded and inverted back to the task's frame,
    or None where nothing decodes; halting probability after that step). out[-1] is the final answer.
    """
    steps = steps or model.cfg.n_sup
    views = [replace(v, offset=(0, 0)) for v in views]
    canvases = kernels.encode_views(list(grids), views, S)
    device = puzzle.device
    out: list[list] = [[None] * len(grids) for _ in range(steps)]
    for lo in range(0, len(grids), batch_size):
        hi = min(lo + batch_size, len(grids))
        tokens = torch.as_tensor(canvases[lo:hi], device=device).long()
        y, z = model.initial_state(hi - lo, S)
        for s in range(steps):
            with autocast(device):
                y, z, logits, halt = model(tokens, puzzle[lo:hi], y, z)
            decoded = kernels.decode_views(logits.argmax(-1).to(torch.uint8).cpu().numpy(), views[lo:hi])
            conf = torch.sigmoid(halt.float()).cpu().numpy()
            for i, g in enumerate(decoded):
                out[s][lo + i] = (g, float(conf[i]))
    return out
