"""Command line: `arc-solver <command> ...` (or `python -m arc_solver <command> ...`).

    arc-solver submit --tasks arc-agi-2/evaluation --out submissions/submission.json
    arc-solver score --tasks arc-agi-2/evaluation --submission submissions/submission.json
    arc-solver show 0934a4d8 --tasks arc-agi-2/evaluation --out task.png
    arc-solver gallery --tasks arc-agi-2/evaluation --submission submissions/submission.json --out report/
    arc-solver data export arc-agi-2/evaluation out/
    arc-solver bench kernels

Each command is one `add_<name>` (its arguments) and one `cmd_<name>` (what it does).
Results go to files and stdout (one JSON line where a command reports figures); logs go to stderr.
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import first_line

if TYPE_CHECKING:
    from .submit import SubmitConfig


def print_json(obj: dict) -> None:
    print(json.dumps(obj), flush=True)


class UsageError(Exception):
    """A mistake on the command line: printed as one line, exit status 2."""


class OneLineParser(argparse.ArgumentParser):
    """argparse that reports a bad flag in one line (`arc-solver submit: error: ...`), exit status 2."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message}\n")


def user_errors() -> tuple[type[BaseException], ...]:
    """Exceptions that mean bad input or settings, not a bug: one line and exit 2 (`-v` adds the traceback)."""
    from .checkpoint import CheckpointError
    from .tasks import TaskError

    return (UsageError, TaskError, CheckpointError, FileNotFoundError, PermissionError, IsADirectoryError,
            NotADirectoryError)


def check_writable(out: str, flag: str = "--out") -> None:
    """The folder of `out` exists (or can be made) and takes a new file."""
    import tempfile

    folder = Path(out).expanduser().parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".write-check-"):
            pass
    except OSError as e:
        raise UsageError(f"{flag} {out}: cannot write in {folder} ({e.strerror or e})") from None


def check_readable(path: str | None, flag: str) -> None:
    if path is not None and not Path(path).expanduser().is_file():
        raise UsageError(f"{flag} {path}: no such file")


# --- submit -----------------------------------------------------------------

def add_submit(sub) -> None:
    add_submit_arguments(sub.add_parser("submit", help="solve a task set and write a Kaggle submission.json"))


def add_submit_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--tasks", default="arc-agi-2/evaluation", help="bundled name, challenges file or folder")
    p.add_argument("--solutions", default=None, help="solutions file (default: found beside the challenges)")
    p.add_argument("--out", default="submissions/submission.json")
    p.add_argument("--time-budget", type=float, default=1200.0, help="seconds for the whole run")
    p.add_argument("--workers", type=int, default=1, help="tasks solved in parallel (joblib)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--sources", default=None,
                   help="comma-separated candidate sources: programs,model,baseline")
    p.add_argument("--checkpoint", default=None, help="model checkpoint for the model source")
    p.add_argument("--views", type=int, default=None, help="augmented views per task (model source)")
    p.add_argument("--steps", type=int, default=None, help="supervision steps at test time (model source)")
    p.add_argument("--ttt-steps", type=int, default=None, help="test-time training steps per task (model source)")
    p.add_argument("--finetune-lr", type=float, default=None,
                   help="also fine-tune the network at test time at this learning rate, e.g. 1e-4 (model source)")
    p.add_argument("--freeze-on-halt", action=argparse.BooleanOptionalAction, default=None,
                   help="a view keeps the answer its halting head first accepted (default on; model source)")
    p.add_argument("--device", default=None, help="cpu or cuda (model source)")
    p.add_argument("--joint-share", type=float, default=None,
                   help="programs first, then network + rows trained together on the tasks without a verified "
                        "program for this share of the budget, then the model predicts them (default 0.5); "
                        "0: per-task training of new rows alone (--ttt-steps), the older path")
    p.add_argument("--joint-max-side", type=int, default=None,
                   help="largest grid side the joint phase trains on (default: 12 on CPU, 30 on CUDA)")
    p.add_argument("--joint-batch", type=int, default=None,
                   help="global batch of the joint phase (default: 256 on CUDA, the checkpoint's on CPU: 32 for tiny)")
    p.add_argument("--program-time-limit", type=float, default=None,
                   help="most seconds the program search spends on one task (default 0: no cap, every task "
                        "gets its fair share of the time left)")
    p.add_argument("--programs-first", type=float, default=None,
                   help="seconds per task of the programs' first turn in joint mode (default 1)")
    p.add_argument("--scoring", default=None, choices=["count", "probability"],
                   help="rank candidates by the model's log-probability summed over views (probability, default; "
                        "verified programs still first) or by votes (count)")


def submit_config(args) -> "SubmitConfig":
    from .submit import SubmitConfig

    base = SubmitConfig()
    overrides = {"tasks": args.tasks, "solutions": args.solutions, "out": args.out,
                 "time_budget": args.time_budget, "workers": args.workers, "seed": args.seed,
                 "checkpoint": args.checkpoint}
    if args.sources:
        overrides["sources"] = tuple(s.strip() for s in args.sources.split(",") if s.strip()) + ("baseline",)
        overrides["sources"] = tuple(dict.fromkeys(overrides["sources"]))
    for name in ("views", "steps", "ttt_steps", "finetune_lr", "freeze_on_halt", "device", "scoring", "joint_share",
                 "joint_max_side", "joint_batch", "programs_first", "program_time_limit"):
        if getattr(args, name) is not None:
            overrides[name] = getattr(args, name)
    return SubmitConfig(**{**base.__dict__, **overrides})


def check_submit(cfg) -> None:
    """Every option of submit/eval checked before any work starts (UsageError names the flag)."""
    from .submit import SOURCE_NAMES

    if cfg.workers < 1:
        raise UsageError(f"--workers {cfg.workers}: must be at least 1")
    if cfg.time_budget < 0:
        raise UsageError(f"--time-budget {cfg.time_budget:g}: must be 0 or more seconds")
    if cfg.program_time_limit < 0:
        raise UsageError(f"--program-time-limit {cfg.program_time_limit:g}: must be 0 (no cap) or more seconds")
    unknown = [n for n in cfg.sources if n not in SOURCE_NAMES]
    if unknown:
        raise UsageError(f"--sources: unknown source {unknown[0]!r}; choose from {', '.join(SOURCE_NAMES)}")
    for flag, value, least in (("--views", cfg.views, 1), ("--steps", cfg.steps, 1), ("--ttt-steps", cfg.ttt_steps, 0)):
        if value is not None and value < least:
            raise UsageError(f"{flag} {value}: must be at least {least}")
    if not 0 <= cfg.joint_share < 1:
        raise UsageError(f"--joint-share {cfg.joint_share:g}: must be in [0, 1)")
    if cfg.programs_first < 0 or cfg.joint_max_side < 0 or cfg.joint_max_side > 30:
        raise UsageError("--programs-first must be >= 0 and --joint-max-side in 0..30")
    if cfg.joint_batch < 0:
        raise UsageError(f"--joint-batch {cfg.joint_batch}: must be 0 (chosen by device) or more")
    if cfg.finetune_lr < 0:
        raise UsageError(f"--finetune-lr {cfg.finetune_lr:g}: must be 0 or more")
    if not (cfg.device == "cpu" or cfg.device == "cuda" or cfg.device.startswith("cuda:")):
        raise UsageError(f"--device {cfg.device}: use cpu, cuda or cuda:N")
    check_readable(cfg.solutions, "--solutions")
    check_readable(cfg.checkpoint, "--checkpoint")
    check_writable(cfg.out)


def load_checked_tasks(spec: str, solutions: str | None):
    """The task set, or a one-line error when the spec names nothing readable; notes become warnings."""
    from .tasks import load_tasks

    ts = load_tasks(spec, solutions)
    for note in ts.notes:
        logging.getLogger("arc_solver").warning("%s", note)
    return ts


def cmd_submit(args) -> int:
    from .submit import run_submit

    cfg = submit_config(args)
    check_submit(cfg)
    summary = run_submit(cfg, load_checked_tasks(cfg.tasks, cfg.solutions))
    for tid, why in summary.pop("failed", {}).items():
        logging.getLogger("arc_solver").warning("task %s used a fallback or lost a source: %s", tid, why)
    print_json(summary)
    return 0


# --- eval: submit + report folder ---------------------------------------------

def add_eval(sub) -> None:
    p = sub.add_parser("eval", help="submit on a set with known solutions, then write a report folder")
    add_submit_arguments(p)
    p.add_argument("--report", default="submissions/report", help="folder for the markdown + gallery")
    p.add_argument("--max-pictures", type=int, default=None)


def cmd_eval(args) -> int:
    from . import pictures
    from .files import atomic_write_text
    from .submission import read_submission
    from .submit import load_details, run_submit, score_records

    cfg = submit_config(args)
    check_submit(cfg)
    check_writable(str(Path(args.report) / "README.md"), "--report")
    ts = load_checked_tasks(cfg.tasks, cfg.solutions)
    summary = run_submit(cfg, ts)
    summary.pop("failed", None)
    sub = read_submission(cfg.out)
    details = load_details(cfg.out)
    report = score_records(sub, ts, details)
    out = Path(args.report)
    atomic_write_text(out / "README.md", report.markdown())
    pictures.gallery(ts.tasks, sub, out, scores=report.totals, max_tasks=args.max_pictures)
    summary["report"] = str(out)
    print_json(summary)
    return 0


# --- score ------------------------------------------------------------------

def add_score(sub) -> None:
    p = sub.add_parser("score", help="pass@2 of a submission against known solutions")
    p.add_argument("--tasks", required=True)
    p.add_argument("--submission", required=True)
    p.add_argument("--solutions", default=None)


def read_checked_submission(path: str) -> dict:
    from .submission import read_submission

    check_readable(path, "--submission")
    try:
        sub = read_submission(path)
    except ValueError as e:
        raise UsageError(f"--submission {e}") from None
    if not isinstance(sub, dict):
        raise UsageError(f"--submission {path}: not a submission (expected {{task_id: [attempts]}})")
    return sub


def cmd_score(args) -> int:
    from . import scoring
    from .submit import load_details, score_records

    ts = load_checked_tasks(args.tasks, args.solutions)
    sub = read_checked_submission(args.submission)
    details = load_details(args.submission)
    report = score_records(sub, ts, details)
    path = scoring.write_report(report, args.submission)
    print_json({**report.totals, "report": str(path), "command": args.command_line})
    return 0


# --- pictures ---------------------------------------------------------------

def add_show(sub) -> None:
    p = sub.add_parser("show", help="draw one task (and its attempts) as a PNG")
    p.add_argument("task_id")
    p.add_argument("--tasks", required=True)
    p.add_argument("--submission", default=None)
    p.add_argument("--out", default=None, help="PNG path (default: <task_id>.png)")


def attempts_of(sub: dict | None, task_id: str):
    import numpy as np

    if not sub or task_id not in sub:
        return None
    return [[np.asarray(e["attempt_1"], dtype=np.uint8), np.asarray(e["attempt_2"], dtype=np.uint8)]
            for e in sub[task_id]]


def cmd_show(args) -> int:
    from . import pictures

    ts = load_checked_tasks(args.tasks, None)
    tasks = ts.by_id()
    if args.task_id not in tasks:
        why = ts.errors.get(args.task_id)
        raise UsageError(f"task {args.task_id}: {why or f'not in {args.tasks}'}")
    sub = read_checked_submission(args.submission) if args.submission else None
    if args.out:
        check_writable(args.out)
    out = pictures.save_task_picture(tasks[args.task_id], args.out or f"{args.task_id}.png",
                                     attempts=attempts_of(sub, args.task_id))
    print_json({"picture": str(out)})
    return 0


def add_gallery(sub) -> None:
    p = sub.add_parser("gallery", help="index.html with one picture per task")
    p.add_argument("--tasks", required=True)
    p.add_argument("--submission", required=True)
    p.add_argument("--out", required=True, help="output folder")
    p.add_argument("--max-tasks", type=int, default=None)


def cmd_gallery(args) -> int:
    from . import pictures, scoring

    ts = load_checked_tasks(args.tasks, None)
    sub = read_checked_submission(args.submission)
    check_writable(str(Path(args.out) / "index.html"))
    totals = scoring.score(sub, ts).totals
    index = pictures.gallery(ts.tasks, sub, args.out, scores=totals, max_tasks=args.max_tasks)
    print_json({"index": str(index), **totals})
    return 0


def add_curve(sub) -> None:
    p = sub.add_parser("curve", help="loss curve of a training run (PNG) from its <out>.log.jsonl")
    p.add_argument("log", help="the run's log, e.g. runs/trm.log.jsonl")
    p.add_argument("--out", default=None, help="PNG path (default: beside the log, .png)")


def cmd_curve(args) -> int:
    from . import pictures

    out = args.out or str(Path(args.log).with_suffix(".png"))
    path = pictures.plot_training_log(args.log, out)
    print_json({"picture": str(path), "command": args.command_line})
    return 0


# --- data -------------------------------------------------------------------

def add_data(sub) -> None:
    p = sub.add_parser("data", help="task data utilities")
    dsub = p.add_subparsers(dest="data_cmd", required=True)
    e = dsub.add_parser("export", help="write Kaggle-layout challenges/solutions files")
    e.add_argument("spec")
    e.add_argument("out_dir")
    e.add_argument("--split", default=None, help="name in the file names (default: from the spec)")


def cmd_data(args) -> int:
    from .tasks import export_kaggle

    ts = load_checked_tasks(args.spec, None)
    check_writable(str(Path(args.out_dir) / "x.json"), "out_dir")
    split = args.split or ("evaluation" if "eval" in args.spec else "training" if "train" in args.spec else "test")
    c, s = export_kaggle(ts, args.out_dir, split)
    print_json({"challenges": str(c), "solutions": str(s), "tasks": len(ts.tasks), "skipped": sorted(ts.errors)})
    return 0


# --- kaggle -----------------------------------------------------------------

def add_kaggle(sub) -> None:
    p = sub.add_parser("kaggle", help="Kaggle helpers")
    ksub = p.add_subparsers(dest="kaggle_cmd", required=True)
    b = ksub.add_parser("bundle", help="write the datasets to upload (wheels, checkpoint) and the notebook")
    b.add_argument("out_dir")
    b.add_argument("--checkpoint", default=None, help="checkpoint to upload (e.g. an --export of train)")
    b.add_argument("--owner", default="YOUR_KAGGLE_NAME", help="your Kaggle user name (dataset ids are owner/slug)")


def cmd_kaggle(args) -> int:
    from .kaggle import BundleError, bundle

    check_readable(args.checkpoint, "--checkpoint")
    check_writable(str(Path(args.out_dir) / "x"), "out_dir")
    try:
        result = bundle(args.out_dir, args.checkpoint, args.owner)
    except BundleError as e:
        raise UsageError(str(e)) from None
    for line in result["upload"]:
        print(line, file=sys.stderr)
    print_json({**result, "command": args.command_line})
    return 0


# --- train ------------------------------------------------------------------

def add_train(sub) -> None:
    from .flags import add_config_flags
    from .model import MODEL_PRESETS, ModelConfig
    from .train import TRAIN_PRESETS, TrainConfig

    p = sub.add_parser("train", help="train the recursive model (also under torchrun)",
                       description="Every training setting and every model setting (--model-<field>) is a flag; "
                                   "unnamed ones come from --preset, or from the checkpoint when resuming.")
    p.add_argument("--out", required=True, help="checkpoint path (config and log are written beside it)")
    p.add_argument("--resume", default=None,
                   help="continue from this checkpoint (usually the same as --out); its settings are the base")
    p.add_argument("--device", default="cpu", help="cpu or cuda")
    p.add_argument("--export", default=None,
                   help="also write a slim inference-only copy here (EMA weights, rows, configs)")
    add_config_flags(p, TrainConfig, title="training settings (TrainConfig; one of --steps / --minutes is required)",
                     presets=TRAIN_PRESETS)
    add_config_flags(p, ModelConfig, prefix="model_", title="model settings (ModelConfig; default: the preset's)",
                     presets=MODEL_PRESETS)


def train_configs(args) -> tuple:
    """(TrainConfig, ModelConfig): the preset's, or the resumed checkpoint's, with the flags given."""
    from dataclasses import replace

    from .checkpoint import load_checkpoint
    from .flags import config_from_dict, config_overrides
    from .model import ModelConfig
    from .train import TrainConfig

    t_over = config_overrides(args, TrainConfig)
    m_over = config_overrides(args, ModelConfig, prefix="model_")
    if args.resume and Path(args.resume).exists():
        ckpt = load_checkpoint(args.resume)
        base = config_from_dict(TrainConfig, ckpt["train_config"])
        model_base = config_from_dict(ModelConfig, ckpt["model_config"])
    else:
        base = TrainConfig.preset_for(t_over.get("preset", "tiny"))
        model_base = ModelConfig.preset(base.preset)
        if t_over.get("init_from"):  # the network it starts from fixes the model's shape
            model_base = config_from_dict(ModelConfig, load_checkpoint(t_over["init_from"])["model_config"])
    # The run's length is never inherited: each run says how long it goes.
    cfg = replace(base, **{"steps": 0, "minutes": 0.0, **t_over})
    return cfg, replace(model_base, **m_over)


def cmd_train(args) -> int:
    import os

    import torch.distributed as dist

    from .train import Trainer

    check_writable(args.out)
    try:
        cfg, model_cfg = train_configs(args)
        if not (cfg.steps or cfg.minutes):
            raise ValueError("give a run length: --steps N or --minutes M")
        trainer = Trainer.create(cfg, model_cfg, args.device, resume=args.resume)
    except ValueError as e:  # settings that cannot work (a batch that cannot fit...): before any training
        raise UsageError(str(e)) from None
    summary = trainer.run(args.out)
    if dist.is_initialized():  # started by Trainer.create under torchrun
        dist.destroy_process_group()
    if int(os.environ.get("RANK", "0")) == 0:
        if args.export:
            from .checkpoint import export_for_inference

            export_for_inference(args.out, args.export)
        print_json({**summary, "out": args.out, "export": args.export, "command": args.command_line})
    return 0


# --- bench ------------------------------------------------------------------

def add_bench(sub) -> None:
    p = sub.add_parser("bench", help="benchmarks; prints one JSON line")
    bsub = p.add_subparsers(dest="bench_cmd", required=True)
    k = bsub.add_parser("kernels", help="views/s of Numba kernels vs the NumPy reference")
    k.add_argument("--views", type=int, default=100_000)
    t = bsub.add_parser("train", help="training throughput, variable vs fixed 30x30 canvas (and compiled)")
    t.add_argument("--preset", default="tiny")
    t.add_argument("--device", default="cpu")
    t.add_argument("--steps", type=int, default=None)
    t.add_argument("--batch-size", type=int, default=None, help="default: the preset's")
    t.add_argument("--cell-budget", type=int, default=0, help="tokens per forward pass (0: from memory)")
    t.add_argument("--compile", action="store_true", help="also time the variable canvas with the network compiled")
    inf = bsub.add_parser("infer", help="views/s of the model source's augmented inference")
    inf.add_argument("--checkpoint", default=None, help="default: the shipped checkpoint, else random tiny")
    inf.add_argument("--device", default="cpu")
    inf.add_argument("--views", type=int, default=8)
    inf.add_argument("--steps", type=int, default=None)
    inf.add_argument("--tasks", default="arc-agi-2/evaluation")
    inf.add_argument("--max-tasks", type=int, default=40)
    tt = bsub.add_parser("ttt", help="joint test-time training from a checkpoint on a set's small tasks, scored")
    tt.add_argument("--checkpoint", default=None, help="network to start from (default: random tiny)")
    tt.add_argument("--tasks", default="arc-agi-1/evaluation")
    tt.add_argument("--max-side", type=int, default=8, help="only tasks whose every grid fits this side")
    tt.add_argument("--minutes", type=float, default=10.0)
    tt.add_argument("--steps", type=int, default=0, help="> 0: train this many steps instead of --minutes")
    tt.add_argument("--views", type=int, default=8)
    tt.add_argument("--lr", type=float, default=None, help="network learning rate (default: the tiny preset's)")
    tt.add_argument("--lr-min-ratio", type=float, default=1.0,
                    help="< 1: cosine decay of the learning rate down to lr * this at the last step")
    tt.add_argument("--device", default="cpu")
    lr = bsub.add_parser("learn", help="train tiny for M minutes on small tasks, then predict")
    lr.add_argument("--minutes", type=float, default=10.0)
    lr.add_argument("--device", default="cpu")
    lr.add_argument("--save", default=None, metavar="DIR",
                    help="also write the checkpoint (DIR/learn.pt) and the tasks (Kaggle layout) for a sweep")


def cmd_bench(args) -> int:
    from . import bench

    command = args.command_line
    if args.bench_cmd == "kernels":
        result = bench.bench_kernels(n_views=args.views)
    elif args.bench_cmd == "train":
        kw = {"steps": args.steps} if args.steps else {}
        result = bench.bench_train(args.preset, device=args.device, batch_size=args.batch_size,
                                   compile=args.compile, cell_budget=args.cell_budget, **kw)
    elif args.bench_cmd == "infer":
        result = bench.bench_infer(args.checkpoint, device=args.device, views=args.views, steps=args.steps,
                                   tasks=args.tasks, max_tasks=args.max_tasks)
    elif args.bench_cmd == "ttt":
        check_readable(args.checkpoint, "--checkpoint")
        try:
            result = bench.bench_ttt(args.checkpoint, args.tasks, args.max_side, args.minutes, args.views,
                                     args.device, lr=args.lr, steps=args.steps,
                                     lr_min_ratio=args.lr_min_ratio)
        except ValueError as e:
            raise UsageError(str(e)) from None
    else:
        result = bench.bench_learn(minutes=args.minutes, device=args.device, save_dir=args.save)
    result["command"] = command
    print_json(result)
    return 0


# --- sweep ------------------------------------------------------------------

def add_sweep(sub) -> None:
    p = sub.add_parser("sweep", help="pass@2 vs number of views and test-time supervision steps (plot + JSON)")
    p.add_argument("--tasks", required=True)
    p.add_argument("--checkpoint", default=None)
    p.add_argument("--views", default="1,4,16,64", help="comma-separated view counts")
    p.add_argument("--steps", default="1,2,4,8,16,32", help="comma-separated supervision step counts")
    p.add_argument("--ttt-steps", type=int, default=100)
    p.add_argument("--finetune-lr", type=float, default=0.0, help="> 0: fine-tune the network at test time too")
    p.add_argument("--freeze-on-halt", action=argparse.BooleanOptionalAction, default=True,
                   help="a view keeps the answer its halting head first accepted")
    p.add_argument("--time-per-task", type=float, default=60.0, help="test-time training seconds per task")
    p.add_argument("--joint-minutes", type=float, default=0.0,
                   help="> 0: first train network + rows together on the tasks' demonstrations for this long "
                        "(max(views) views, as submit --joint-share does), then sweep from the trained rows")
    p.add_argument("--joint-max-side", type=int, default=0,
                   help="with --joint-minutes: largest grid side trained on and swept (default: 12 on CPU, 30 on CUDA)")
    p.add_argument("--max-tasks", type=int, default=None)
    p.add_argument("--device", default="cpu")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", default="submissions/sweep", help="folder for sweep.json and sweep.png")


def cmd_sweep(args) -> int:
    from . import pictures
    from .search import ModelSource, SearchConfig, sweep
    from .files import atomic_write_json
    from .tasks import load_tasks

    views = [int(v) for v in args.views.split(",")]
    steps = [int(s) for s in args.steps.split(",")]
    if args.joint_minutes < 0 or not 0 <= args.joint_max_side <= 30:
        raise UsageError("--joint-minutes must be >= 0 and --joint-max-side in 0..30")
    ts = load_tasks(args.tasks)
    tasks = [t for t in ts.tasks if t.has_solutions][: args.max_tasks]
    out = Path(args.out)
    checkpoint, ttt_steps = args.checkpoint, args.ttt_steps
    if args.joint_minutes > 0:
        from .joint import pick_tasks, train_joint

        tasks = pick_tasks(tasks, args.device, args.joint_max_side)[0]
        slim = train_joint(tasks, args.checkpoint, out / "sweep.json", args.joint_minutes * 60, max(views),
                           args.device, args.seed, max_side=args.joint_max_side)
        if slim is not None:  # the rows are trained: the sweep only predicts
            checkpoint, ttt_steps = str(slim), 0
    cfg = SearchConfig(views=max(views), ttt_steps=ttt_steps, finetune_lr=args.finetune_lr,
                       freeze_on_halt=args.freeze_on_halt, device=args.device)
    source = ModelSource.load(checkpoint, cfg, args.seed)
    result = sweep(tasks, source, views, steps, args.time_per_task, args.seed)
    result["command"] = args.command_line
    if args.joint_minutes > 0:
        result["joint_minutes"] = args.joint_minutes
    atomic_write_json(out / "sweep.json", result, indent=2)
    pictures.plot_sweep(result, out / "sweep.png")
    print_json({**result, "json": str(out / "sweep.json"), "plot": str(out / "sweep.png")})
    return 0


COMMANDS = {
    "sweep": (add_sweep, cmd_sweep),
    "submit": (add_submit, cmd_submit),
    "eval": (add_eval, cmd_eval),
    "score": (add_score, cmd_score),
    "show": (add_show, cmd_show),
    "gallery": (add_gallery, cmd_gallery),
    "curve": (add_curve, cmd_curve),
    "kaggle": (add_kaggle, cmd_kaggle),
    "data": (add_data, cmd_data),
    "bench": (add_bench, cmd_bench),
    "train": (add_train, cmd_train),
}


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="arc-solver", description="ARC-AGI-2 solver pipeline")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging, and tracebacks of errors")
    sub = parser.add_subparsers(dest="command", required=True)
    for add, _ in COMMANDS.values():
        add(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as e:  # --help (0) or a bad flag (2, one line already printed)
        return int(e.code or 0)
    args.command_line = " ".join(["arc-solver", *argv])  # echoed in JSON results
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        return COMMANDS[args.command][1](args)
    except user_errors() as e:
        if args.verbose:
            import traceback

            traceback.print_exc(file=sys.stderr)
        message = first_line(e)
        print(f"arc-solver {args.command}: error: {message}", file=sys.stderr, flush=True)
        return 2


if __name__ == "__main__":
    sys.exit(main())
