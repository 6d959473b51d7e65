"""Joint test-time training inside `submit`: network and rows trained together on the tasks being solved.

    arc-solver submit --tasks arc-agi-2/evaluation --joint-share 0.5

A frozen network whose new puzzle rows alone are trained, one task at a time, for seconds, does not
learn an unseen task (its answers stay copies of the input). What works is training the network and
the rows together on the demonstrations of all the tasks at once. With `--joint-share F` the run is:

  1. programs first: every task gets a short program search; a task with a verified program is done;
  2. one training phase over the tasks the policy picks (those without a verified program whose
     grids fit the canvas policy: on a CPU canvases up to `joint_max_side`, on CUDA all sides): K views
     per task, one new row per (task, view), examples = demonstration pairs under their views (never a
     test output), network starting from the checkpoint, deep supervision, batches grouped by canvas
     side, for F of the budget; its state is saved beside the output every `joint_save_minutes`, so a
     killed run resumes it;
  3. the model predicts the picked tasks from their trained rows (no per-task training), then the
     programs search them again with their full per-task cap; the tasks left out get the programs
     alone; all of them share the time the phase left.
"""
from __future__ import annotations

import json
import logging
from dataclasses import replace
from pathlib import Path

from .tasks import Task

log = logging.getLogger("arc_solver.joint")

CPU_MAX_SIDE = 12  # on a CPU, training on larger canvases costs more than it returns in the time a run has
# A phase this long compiles its network: up to ~40 s of compiling on a 2-core CPU (less with inductor's
# cache warm) for 1.2-1.4x the steps (`bench train --compile`; 500 vs 400 steps in a 90 s phase).
COMPILE_SECONDS = 600.0


def policy_side(device: str, max_side: int = 0) -> int:
    """The largest grid side the joint phase trains on: max_side, else CPU_MAX_SIDE on a CPU, 30 on CUDA."""
    return max_side or (30 if device.startswith("cuda") else CPU_MAX_SIDE)


# On CUDA the joint phase trains at this global batch unless told otherwise: `tiny` at the checkpoint's 32 is
# bound by kernel launches on a GPU (one H100: 36.6 steps/s at batch 32, 41.2 at 256, so 9x the samples/s),
# and the model alone on ARC-AGI-1 evaluation got 1.25% from 103 s of training at 256 against 1.12% from
# 249 s at 32 (README). On a CPU the samples/s hardly grow with the batch: the preset's recipe stays.
CUDA_BATCH = 256


def policy_batch(device: str, batch_size: int, recipe_batch: int) -> int:
    """The joint phase's global batch: batch_size when given, else CUDA_BATCH on CUDA, else the preset's."""
    return batch_size or (max(CUDA_BATCH, recipe_batch) if device.startswith("cuda") else recipe_batch)


def preset_of(checkpoint: dict | None) -> str:
    """The training preset a checkpoint was made with (`tiny` for none or an unnamed one)."""
    return ((checkpoint or {}).get("train_config") or {}).get("preset") or "tiny"


def pick_tasks(tasks: list[Task], device: str, max_side: int = 0) -> tuple[list[Task], list[Task]]:
    """(picked for the joint phase, left to the programs) by the canvas policy: every visible grid of a
    picked task fits `policy_side`."""
    from .dataset import task_side

    side = policy_side(device, max_side)
    picked = [t for t in tasks if task_side(t) - 1 <= side]
    ids = {t.id for t in picked}
    return picked, [t for t in tasks if t.id not in ids]


def state_paths(out: Path) -> tuple[Path, Path, Path]:
    """(training state, inference export, task list) beside the submission."""
    return (out.with_name(out.stem + ".joint.pt"), out.with_name(out.stem + ".joint_slim.pt"),
            out.with_name(out.stem + ".joint.json"))


def train_joint(tasks: list[Task], checkpoint: str | None, out: Path, seconds: float, views: int, device: str,
                seed: int = 0, save_minutes: float = 2.0, max_side: int = 0, batch_size: int = 0,
                progress: bool = True) -> Path | None:
    """Train network + rows on the demonstrations of `tasks` for `seconds`; returns the inference export
    (the model source loads it: its rows make these tasks known), or None when there is nothing to train.
    The global batch is `policy_batch`'s: batch_size > 0, else by device.

    A state file from an earlier, killed run with the same task list is resumed, not restarted. Under
    torch.distributed every rank calls this with the same tasks: they train one model together (DDP),
    rank 0 writes the files.
    """
    from . import train as T
    from .checkpoint import export_for_inference, load_checkpoint
    from .flags import config_from_dict
    from .model import ModelConfig

    import torch.distributed as dist

    world = dist.get_world_size() if dist.is_initialized() else 1
    rank = dist.get_rank() if world > 1 else 0
    state, slim, listing = state_paths(out)
    # A killed run is resumed when it trained on these tasks from this checkpoint (rank 0 decides for all).
    decision = [[t.id for t in tasks], False]
    if rank == 0 and listing.exists() and state.exists():
        try:
            saved = json.loads(listing.read_text())
        except ValueError:
            saved = {}
        ids = {t.id for t in tasks}
        if saved.get("checkpoint") == checkpoint and all(tid in ids for tid in saved.get("tasks", [])):
            decision = [saved["tasks"], True]
        else:
            state.unlink()
    if world > 1:
        dist.broadcast_object_list(decision, 0)
    by_id = {t.id: t for t in tasks}
    tasks = [by_id[tid] for tid in decision[0]]
    if not tasks or seconds <= 1:
        return None
    from .files import atomic_write_text

    if rank == 0:
        atomic_write_text(listing, json.dumps({"checkpoint": checkpoint, "tasks": [t.id for t in tasks]}))
    # The recipe (learning rates, batch, EMA, schedule) is the checkpoint's preset's, not its pretraining
    # run's: a network pretrained on a GPU at batch 256 with a cosine decay still learns the hidden tasks
    # at the preset's test-time recipe, the one `bench ttt` measures checkpoints with.
    start = load_checkpoint(checkpoint) if checkpoint else None
    mcfg = config_from_dict(ModelConfig, start["model_config"]) if start else ModelConfig.preset("tiny")
    base = T.TrainConfig.preset_for(preset_of(start))
    del start
    side = policy_side(device, max_side)
    sides = tuple(sorted({s for s in base.canvas_sides if s <= side + 1} | {side + 1, T.MAX_SIDE}))
    cfg = replace(base, batch_size=policy_batch(device, batch_size, base.batch_size), views=views,
                  minutes=seconds / 60, steps=0, init_from=checkpoint or "", seed=seed, translate=False,
                  canvas_sides=sides, save_every=0, save_minutes=save_minutes, log_every=25, tasks=(),
                  eval_tasks=(), exclude=(), fixed_canvas=0, compile=seconds >= COMPILE_SECONDS)
    data = T.build_dataset(T.merge_tasks([], eval_tasks=tasks), views, seed)  # demonstrations only
    resume = state if decision[1] else None
    trainer = T.Trainer.create(cfg, mcfg, device, data=data, resume=resume)
    if resume is not None and rank == 0:
        log.info("joint training: resuming %s at step %d", state, trainer.step)
    summary = trainer.run(state, progress=progress)
    if rank == 0:
        log.info("joint training: %d tasks, %d steps (%d this run), %.1f min%s", len(tasks), summary["step"],
                 summary["steps_this_run"], summary["minutes"], f", {world} ranks" if world > 1 else "")
        export_for_inference(state, slim)
    if world > 1:
        dist.barrier()  # every rank predicts from the export rank 0 wrote
    return slim
