"""Training the recursive model: deep supervision over a variable canvas.

    arc-solver train --preset tiny --tasks arc-agi-1/training --minutes 5 --out runs/tiny.pt
    arc-solver train --resume runs/tiny.pt --out runs/tiny.pt --steps 4000     # continue exactly
    arc-solver train --preset trm --tasks arc-agi-1/training --device cuda --minutes 60 --compile --out runs/trm.pt
    torchrun --nproc_per_node=2 -m arc_solver train --preset tiny --tasks arc-agi-1/training --steps 200 --out runs/d.pt

Every field of TrainConfig (and of the model's ModelConfig, as --model-<field>) is a flag of
`arc-solver train`, generated from the dataclass (`flags.py`); help texts live in the fields.

Data and the stream of deep-supervision slots: `dataset.py`. Each training step picks one
canvas side, runs one supervision step (T recursions) on its slots with their carried y and
z, and takes one optimizer step. Memory bounds the forward pass, not the batch: the slots are
cut into micro-batches of at most `cell_budget` tokens whose gradients accumulate
(`memory.py`), so a global batch of 768 on 30x30 canvases runs on one GPU.

Schedule: linear warm-up over `warmup_frac` of the planned run (its steps, or its minutes for
a timed run) or `warmup_steps`, then constant, or cosine down to `lr_min_ratio`. The EMA of
the weights is bias-corrected: after any number of steps it is an average of the trained
weights only, never of the initialisation.

Random draws are made for the whole global batch on every rank, and each rank uses its slice:
one process with batch G and K processes with G/K each see the same samples.

Outputs beside --out (runs/x.pt): runs/x.config.json (the resolved configs and memory plan),
runs/x.log.jsonl (one line per log interval).
"""
from __future__ import annotations

import contextlib
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
from .checkpoint import (check_config, load_checkpoint, network_weights, part_sizes, rng_state, save_checkpoint,
                         set_rng_state)
from .dataset import (MAX_SIDE, Dataset, Stream, build_dataset, exclude_shared, merge_tasks, task_side,
                      test_inputs_trained)
from .errors import first_line
from .flags import option
from .memory import MemoryPlan, plan_memory
from .model import PAD, ModelConfig, PuzzleEmbedding, RecursiveModel, autocast
from .tasks import Task, load_tasks
from .views import View

log = logging.getLogger("arc_solver.train")


# --- config -----------------------------------------------------------------

@dataclass(frozen=True)
class TrainConfig:
    preset: str = option("tiny", "model and training preset: tiny or trm")
    tasks: tuple[str, ...] = option(("arc-agi-2/training",), "task sets trained on (SPEC [SPEC ...])")
    eval_tasks: tuple[str, ...] = option((), "task sets whose demonstrations are trained on, never their test outputs")
    exclude: tuple[str, ...] = option((), "held-out task sets: every task sharing a distinctive grid with them is "
                                          "dropped (e.g. arc-agi-1/evaluation arc-agi-2/evaluation)")
    init_from: str = option("", "start the network from this checkpoint's weights (its EMA when it has one); "
                                "puzzle rows start at zero: e.g. joint test-time training of a pretrained model")
    views: int = option(8, "views per task (= puzzle-embedding rows per task)")
    translate: bool = option(True, "random offset of each pair inside its canvas")
    canvas_sides: tuple[int, ...] = option((6, 8, 10, 12, 14, 16, 20, 24, 30),
                                           "canvas sides; each pair trains on the smallest that holds it")
    fixed_canvas: int = option(0, "> 0: every batch on this side (the reference's 30), for comparisons")
    batch_size: int = option(32, "global samples per optimizer step, split evenly across ranks")
    cell_budget: int = option(0, "tokens per forward pass per rank (micro-batches accumulate to the batch); "
                                 "0 = from free memory on CUDA, the whole batch on CPU when it fits")
    memory_fraction: float = option(0.85, "share of free memory the automatic cell budget plans for")
    lr: float = option(1e-3, "peak learning rate of the network")
    warmup_frac: float = option(0.05, "linear warm-up over this fraction of the planned steps or minutes")
    warmup_steps: int = option(0, "> 0: warm up over this many steps instead of warmup_frac")
    lr_min_ratio: float = option(1.0, "< 1: cosine decay after warm-up down to lr * this at the planned end")
    weight_decay: float = option(0.1, "AdamW weight decay")
    betas: tuple[float, float] = option((0.9, 0.95), "AdamW betas")
    grad_clip: float = option(1.0, "gradient norm clip (0 = off)")
    ema_decay: float = option(0.995, "EMA decay of the exported weights, bias-corrected (0 = no EMA)")
    emb_lr: float = option(1e-2, "learning rate of the puzzle-embedding rows (sign-SGD)")
    emb_weight_decay: float = option(0.1, "weight decay of the puzzle-embedding rows")
    halt_explore: float = option(0.1, "chance a slot gets a random minimum number of steps before halting")
    halt_weight: float = option(0.5, "weight of the halting BCE in the loss")
    steps: int = option(0, "stop at this global step (0 = no step limit)")
    minutes: float = option(0.0, "stop after this many minutes of this run (0 = no time limit)")
    save_every: int = option(1000, "steps between checkpoints (and one at the end)")
    save_minutes: float = option(0.0, "> 0: also a checkpoint whenever this many minutes passed since the last")
    log_every: int = option(20, "steps between log lines")
    seed: int = option(0, "seed of views, sampling and initial weights")
    compile: bool = option(False, "torch.compile the network f once, with symbolic batch and canvas sizes")
    save_carry: bool = option(False, "keep carried y/z in checkpoints: exact resume, but large (GBs for trm)")

    @classmethod
    def preset_for(cls, name: str, **overrides) -> "TrainConfig":
        if name not in TRAIN_PRESETS:
            raise ValueError(f"unknown preset {name!r}; choose from {', '.join(TRAIN_PRESETS)}")
        return replace(TRAIN_PRESETS[name], **overrides)


TRAIN_PRESETS: dict[str, TrainConfig] = {
    "tiny": TrainConfig(preset="tiny"),
    # The reference recipe (global batch 768, lr 1e-4, EMA 0.999); warm-up as a fraction of the run.
    "trm": TrainConfig(preset="trm", batch_size=768, lr=1e-4, ema_decay=0.999, save_every=2000, log_every=50),
}

# Fields that may change between a run and its resumption (run length, memory, bookkeeping).
RUN_FIELDS = frozenset({"steps", "minutes", "save_every", "save_minutes", "log_every", "compile", "save_carry",
                        "cell_budget", "memory_fraction"})


def load_dataset(cfg: TrainConfig, rows: list[tuple] | None = None) -> Dataset:
    train_tasks = [t for spec in cfg.tasks for t in _loaded(spec)]
    eval_tasks = [t for spec in cfg.eval_tasks for t in _loaded(spec)]
    excluded: list[str] = []
    if cfg.exclude:
        held = [t for spec in cfg.exclude for t in _loaded(spec)]
        train_tasks, dropped = exclude_shared(train_tasks, held)
        eval_tasks, dropped_eval = exclude_shared(eval_tasks, held)
        excluded = sorted(set(dropped) | set(dropped_eval))
        log.info("--exclude %s: %d tasks dropped (they share a grid with the held-out sets)",
                 " ".join(cfg.exclude), len(excluded))
    data = build_dataset(merge_tasks(train_tasks, eval_tasks), cfg.views, cfg.seed, rows)
    data.excluded = excluded
    return data


def _loaded(spec: str) -> list[Task]:
    ts = load_tasks(spec)
    for tid, err in ts.errors.items():
        log.warning("skipping task %s: %s", tid, err)
    return ts.tasks


# --- optimisation -----------------------------------------------------------------

class EMA:
    """Bias-corrected exponential moving average of the network's weights (buffers copied as they are).

    After t updates the shadow is sum_i w_i * theta_i over the trained weights theta_1..theta_t with
    w_i proportional to decay^(t-i) and summing to 1: Adam's bias correction folded into the update
    (step t uses decay_t = decay * (1 - decay^(t-1)) / (1 - decay^t)), so the initialisation has no
    weight and a short run exports its trained weights, not a blend with random ones.
    """

    def __init__(self, model: torch.nn.Module, decay: float):
        self.decay = decay
        self.updates = 0
        self.names = [n for n, _ in model.named_parameters()]
        self.shadow = {k: v.detach().clone() for k, v in model.state_dict().items()}

    def step_decay(self) -> float:
        t, d = self.updates, self.decay
        return d * (1.0 - d ** (t - 1)) / (1.0 - d ** t)

    @torch.no_grad()
    def update(self, model: torch.nn.Module) -> None:
        self.updates += 1
        params = dict(model.named_parameters())
        torch._foreach_lerp_([self.shadow[n] for n in self.names], [params[n].detach() for n in self.names],
                             1.0 - self.step_decay())

    def state_dict(self) -> dict:
        return {"shadow": self.shadow, "updates": self.updates}

    def load_state_dict(self, state: dict) -> None:
        self.updates = int(state["updates"])
        for k, v in state["shadow"].items():
            self.shadow[k].copy_(v)


def make_optimizer(model: RecursiveModel, cfg: TrainConfig) -> torch.optim.AdamW:
    return torch.optim.AdamW(model.parameters(), lr=cfg.lr, betas=cfg.betas, weight_decay=cfg.weight_decay)


def lr_factor(cfg: TrainConfig, step: int, progress: float) -> float:
    """Multiplier of the learning rates at `step`, `progress` = done fraction of the planned run (0..1).

    Linear warm-up over warmup_steps, else over warmup_frac of the run; after it 1, or (lr_min_ratio
    < 1) a cosine from 1 down to lr_min_ratio at the planned end.
    """
    if cfg.warmup_steps > 0:
        warm, start = min(1.0, (step + 1) / cfg.warmup_steps), 0.0
    elif cfg.warmup_frac > 0:
        warm, start = min(1.0, max(progress, 1e-3) / cfg.warmup_frac), cfg.warmup_frac
    else:
        warm, start = 1.0, 0.0
    if cfg.lr_min_ratio >= 1.0:
        return warm
    t = min(1.0, max(0.0, (progress - start) / max(1e-9, 1.0 - start)))
    return warm * (cfg.lr_min_ratio + (1.0 - cfg.lr_min_ratio) * 0.5 * (1.0 + math.cos(math.pi * t)))


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
                     z: torch.Tensor, cfg: TrainConfig, lr_mult: float, world: int = 1,
                     chunks: list[slice] | None = None):
    """One loss and one optimizer step over the batch, as micro-batches `chunks` (default: one)
    whose gradients accumulate: the update equals one pass over the whole batch. `model` may be
    the DDP/compiled wrapper of `raw`; DDP synchronises on the last micro-batch only.

    Returns (y, z, halt_logit, exact, ce, halt_loss), the last four per sample.
    """
    n = tokens.shape[0]
    chunks = chunks or [slice(0, n)]
    opt.zero_grad(set_to_none=True)
    outs, grads = [], []
    for i, c in enumerate(chunks):
        puzzle = emb.lookup(rows[c])
        sync = i == len(chunks) - 1 or not hasattr(model, "no_sync")
        with contextlib.nullcontext() if sync else model.no_sync():
            with autocast(tokens.device):
                y_c, z_c, logits, halt = model(tokens[c], puzzle, y[c], z[c])
            ce, exact = sample_losses(logits, targets[c])
            halt_loss = F.binary_cross_entropy_with_logits(halt.float(), exact.float(), reduction="none")
            # Sum over the micro-batch / the whole batch: the chunks add up to the batch mean (per rank;
            # DDP averages the ranks).
            ((ce + cfg.halt_weight * halt_loss).sum() / n).backward()
        outs.append((y_c, z_c, halt.detach(), exact, ce.detach(), halt_loss.detach()))
        grads.append(puzzle.grad)
    if cfg.grad_clip > 0:
        torch.nn.utils.clip_grad_norm_(raw.parameters(), cfg.grad_clip)
    for g in opt.param_groups:
        g["lr"] = cfg.lr * lr_mult
    opt.step()
    # The rows' gradients are of the per-chunk sums / n, as the network's: scale-free under sign-SGD.
    emb.sign_sgd_rows(rows, torch.cat(grads) / world, cfg.emb_lr * lr_mult, cfg.emb_weight_decay, world)
    return tuple(torch.cat(parts) for parts in zip(*outs))


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
    wrapped: torch.nn.Module | None = None  # DDP wrapper (or the model) used for the forward pass
    plan: MemoryPlan | None = None  # micro-batch size per canvas side
    seconds: float = 0.0  # training seconds of all runs so far (rank 0's clock; saved in checkpoints)
    run_start_seconds: float = 0.0  # `seconds` when this run started (a timed run plans from here)
    history: list = field(default_factory=list)
    compile_pending: bool = False  # the compiled network has not run yet: its first step compiles it

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
        if cfg.init_from and ckpt is None:  # a resumed run has its own weights already
            start = load_checkpoint(cfg.init_from, map_location="cpu")
            check_config(cfg.init_from, start["model_config"], model_cfg, "model config")
            model.load_state_dict(network_weights(start))
            log.info("network initialised from %s (step %s); %d new puzzle rows start at zero",
                     cfg.init_from, start.get("step"), len(data.tasks) * data.n_views)
        emb = PuzzleEmbedding(len(data.tasks) * data.n_views, model_cfg.puzzle_dim).to(device)
        opt = make_optimizer(model, cfg)
        ema = EMA(model, cfg.ema_decay) if cfg.ema_decay > 0 else None
        stream = Stream(data, cfg, model_cfg.n_sup, rank, world, device)
        sides = sorted({stream.canvas(b) for b in range(len(stream.buckets))})
        # Planned before any step (and before compiling): a batch that cannot fit fails here, not an hour in.
        plan = plan_memory(model, sides, cfg.batch_size // world, emb.rows, device, cfg.cell_budget,
                           cfg.memory_fraction, ema=ema is not None)
        log.info("memory plan: %s", plan.summary())
        tr = cls(cfg, model_cfg, data, model, emb, opt, ema, stream, device, rank, world, plan=plan)
        if ckpt is not None:
            tr.load(ckpt)
        if cfg.compile:
            model.compile_network()
            tr.compile_pending = True
        wrapped: torch.nn.Module = model
        if world > 1:
            from torch.nn.parallel import DistributedDataParallel as DDP

            wrapped = DDP(model, device_ids=[device] if device.type == "cuda" else None)
        tr.wrapped = wrapped
        return tr

    def load(self, ckpt: dict) -> None:
        self.model.load_state_dict(ckpt["model"])
        self.opt.load_state_dict(ckpt["optimizer"])
        if self.ema is not None and ckpt.get("ema") is not None:
            self.ema.load_state_dict(ckpt["ema"])
        self.emb.weight.copy_(ckpt["embedding"])
        self.step = ckpt["step"]
        self.seconds = self.run_start_seconds = float(ckpt.get("seconds", 0.0))
        set_rng_state(ckpt["rng"])
        if not self.stream.load_state_dict(ckpt["stream"], self.model):
            log.info("checkpoint has no carried states (save_carry off): in-flight samples restart, "
                     "so this resume is close to, not exactly, a straight run")

    def state(self) -> dict:
        """Checkpoint dict; collective under torch.distributed (every rank must call it)."""
        return {
            "model": self.model.state_dict(), "ema": self.ema.state_dict() if self.ema else None,
            "optimizer": self.opt.state_dict(), "embedding": self.emb.weight.detach().cpu(),
            "rows": self.data.rows(), "step": self.step, "seconds": self.seconds, "rng": rng_state(),
            "model_config": self.model_cfg.to_dict(), "train_config": asdict(self.cfg),
            "stream": self.stream.state_dict(self.cfg.save_carry),
            # What the training saw and left out, for honest scoring (`submit` warns on overlap).
            "excluded": self.data.excluded, "test_inputs_trained": test_inputs_trained(self.data),
        }

    def save(self, out: str | Path) -> dict:
        """Write the checkpoint (rank 0; collective under torch.distributed); returns the state saved."""
        state = self.state()
        if self.rank == 0:
            save_checkpoint(out, state)
        return state

    def progress(self) -> float:
        """Done fraction of the planned run: of its steps, or of its minutes (whichever is further)."""
        cfg, done = self.cfg, 0.0
        if cfg.steps:
            done = self.step / cfg.steps
        if cfg.minutes:
            planned = self.run_start_seconds + cfg.minutes * 60
            done = max(done, self.seconds / planned)
        return min(1.0, done)

    def lr_mult(self) -> float:
        return lr_factor(self.cfg, self.step, self.progress())

    def train_step(self) -> dict:
        """One supervision step on one canvas side; returns this step's metrics (this rank).

        The first step of a compiled network compiles it; if that fails (no C++ compiler, an op the
        compiler refuses), the run goes on with the plain network instead of stopping."""
        if self.compile_pending:
            self.compile_pending = False
            try:
                return self._train_step()
            except Exception as e:  # nothing was updated: the optimizer steps only after a whole pass
                reason = first_line(e)
                log.warning("compiling the network failed (%s): training without compiling", reason)
                self.model.__dict__.pop("f", None)  # back to the method RecursiveModel.f
        return self._train_step()

    def _train_step(self) -> dict:
        slots = self.stream.next(self.model)
        rows = self.stream.rows(slots)
        S = self.cfg.fixed_canvas or slots.S  # the side the slots are encoded on
        y, z, halt, exact, ce, halt_loss = supervision_step(
            self.wrapped, self.model, self.emb, self.opt, slots.inputs, slots.targets, rows, slots.y, slots.z,
            self.cfg, self.lr_mult(), self.world, chunks=self.plan.chunks(S, len(slots.ex)) if self.plan else None)
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
        """Also sets `seconds` from rank 0's clock, so every rank takes the same learning rate."""
        elapsed = time.monotonic() - t0
        stop = bool(self.cfg.steps and self.step >= self.cfg.steps)
        stop |= bool(self.cfg.minutes and elapsed >= self.cfg.minutes * 60)
        if self.world > 1:  # rank 0's clock decides for everyone
            flag = torch.tensor([float(stop), elapsed], dtype=torch.float64, device=self.stream.comm_device)
            dist.broadcast(flag, 0)
            stop, elapsed = bool(flag[0].item()), float(flag[1].item())
        self.seconds = self.run_start_seconds + elapsed
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
                                             "rows": len(self.data.rows()), "examples": len(self.data.examples),
                                             "memory": self.plan.summary() if self.plan else None},
                                            indent=2))
            log_file = open(log_path, "a")
        t0 = time.monotonic()
        self.run_start_seconds = last_save = self.seconds
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
                            "lr": cfg.lr * self.lr_mult(),
                            "minutes": (time.monotonic() - t0) / 60}
                    self.history.append(last)
                    bar.set_postfix(loss=f"{last['loss']:.3f}", exact=f"{last['exact']:.3f}",
                                    sps=f"{last['steps_per_s']:.1f}")
                    if log_file:
                        log_file.write(json.dumps(last) + "\n")
                        log_file.flush()
                    window = dict.fromkeys(keys, 0.0)
                    window_n, window_t = 0, time.monotonic()
                due = bool(cfg.save_every and self.step % cfg.save_every == 0)
                # rank 0's clock (self.seconds is shared), so every rank joins the same collective save
                due |= bool(cfg.save_minutes and self.seconds - last_save >= cfg.save_minutes * 60)
                if out is not None and due:
                    self.save(out)
                    last_save = self.seconds
        finally:
            bar.close()
            if log_file:
                log_file.close()
        sizes = None
        if out is not None:
            state = self.save(out)
            sizes = part_sizes(state) if main else None
        return {"step": self.step, "steps_this_run": self.step - start_step,
                "minutes": (time.monotonic() - t0) / 60, **{k: v for k, v in last.items() if k != "step"},
                "checkpoint_mb": sizes}


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
