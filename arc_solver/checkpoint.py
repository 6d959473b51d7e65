"""Complete training checkpoints: everything needed to continue exactly or to predict.

    arc-solver train --preset tiny --tasks arc-agi-1/training --steps 2000 --out runs/tiny.pt --resume runs/tiny.pt

One file (torch.save of a dict, written atomically):
  model, ema            network weights and their bias-corrected moving average
                        (ema = {"shadow": weights, "updates": count})
  optimizer             AdamW state of the network
  embedding             the puzzle-embedding table (its sign-SGD update has no state)
  rows                  the row map: row i = (task id, dihedral, colour permutation)
  step, seconds, rng    global step; training seconds so far; python / numpy / torch (and CUDA) RNG states
  model_config, train_config   the resolved configs, as dicts
  excluded              task ids left out by --exclude (sharing a grid with a held-out set)
  test_inputs_trained   64-bit hashes of the inputs of test pairs trained on (their outputs were targets)
  stream                the deep-supervision slots (which sample sits where, at which
                        step) and, only with save_carry on, their carried y and z (GBs for trm)
"""
from __future__ import annotations

import os
import random
from dataclasses import fields
from pathlib import Path
from typing import Any

import numpy as np
import torch

from .errors import first_line
from .model import ModelConfig, PuzzleEmbedding, RecursiveModel

FORMAT = 1


def rng_state() -> dict:
    state = {"python": random.getstate(), "numpy": np.random.get_state(), "torch": torch.get_rng_state()}
    if torch.cuda.is_available():
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def set_rng_state(state: dict) -> None:
    random.setstate(state["python"])
    np.random.set_state(state["numpy"])
    torch.set_rng_state(state["torch"])
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])


def save_checkpoint(path: str | Path, state: dict[str, Any]) -> Path:
    """Write `state` (see the module docstring) to `path` atomically (temp file + rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    torch.save({"format": FORMAT, **state}, tmp)
    os.replace(tmp, path)
    return path


def part_sizes(state: dict[str, Any]) -> dict[str, float]:
    """Serialised size in MB of each part of a checkpoint dict (network, EMA, optimizer, rows, stream...)."""
    import io

    out = {}
    for key in ("model", "ema", "optimizer", "embedding", "stream"):
        if state.get(key) is not None:
            buf = io.BytesIO()
            torch.save(state[key], buf)
            out[key] = round(buf.tell() / 2**20, 2)
    return out


class CheckpointError(ValueError):
    """A checkpoint that cannot be used: unreadable, not ours, inconsistent, or with non-finite weights."""


def load_checkpoint(path: str | Path, map_location: str | torch.device = "cpu") -> dict[str, Any]:
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"checkpoint {path} does not exist")
    try:
        # Our own files only: they hold numpy RNG state and plain python objects besides tensors.
        ckpt = torch.load(path, map_location=map_location, weights_only=False)
    except Exception as e:  # truncated, corrupt, or not a torch file at all: torch raises many types
        raise CheckpointError(f"checkpoint {path} cannot be read ({type(e).__name__}: {str(e)[:120]})") from e
    if not isinstance(ckpt, dict) or ckpt.get("format") != FORMAT:
        raise CheckpointError(f"{path}: not an arc_solver checkpoint (format {FORMAT})")
    return ckpt


def config_mismatch(saved: dict, current, ignore: frozenset[str] = frozenset()) -> list[str]:
    """Fields where a saved config dict and a config dataclass differ: 'name: saved -> current'."""
    diffs = []
    for f in fields(current):
        if f.name in ignore:
            continue
        now = getattr(current, f.name)
        then = saved.get(f.name, "<missing>")
        if isinstance(now, tuple) and isinstance(then, list):
            then = tuple(then)
        if then != now:
            diffs.append(f"{f.name}: {then!r} in the checkpoint, {now!r} now")
    return diffs


def check_config(path: str | Path, saved: dict, current, what: str, ignore: frozenset[str] = frozenset()) -> None:
    diffs = config_mismatch(saved, current, ignore)
    if diffs:
        raise ValueError(f"{path} was written with a different {what}; refusing to load it. Differences: "
                         + "; ".join(diffs) + ". Use the checkpoint's settings or start a new run (another --out).")


def export_for_inference(src: str | Path, dst: str | Path) -> Path:
    """Write a slim copy of checkpoint `src` to `dst`: the EMA weights (or the raw ones when there is
    no EMA), the embedding table, the row map and the configs. No optimizer, RNG or carried state,
    so it can be shipped (the package's default checkpoint is one) but not resumed."""
    ckpt = load_checkpoint(src)
    slim = {k: ckpt[k] for k in ("model_config", "train_config", "rows", "step")}
    slim.update({k: ckpt[k] for k in ("excluded", "test_inputs_trained") if k in ckpt})
    slim.update(model=network_weights(ckpt), ema=None, embedding=ckpt["embedding"], inference_only=True)
    return save_checkpoint(dst, slim)


def network_weights(ckpt: dict, use_ema: bool = True) -> dict:
    """The network's state dict from a checkpoint dict: its EMA weights when it has them (and
    use_ema), else the raw ones. Reads the EMA as {"shadow", "updates"} and as an older plain dict."""
    ema = ckpt.get("ema")
    if not use_ema or ema is None:
        return ckpt["model"]
    return ema["shadow"] if "shadow" in ema else ema


def load_model(path: str | Path, device: str | torch.device = "cpu", use_ema: bool = True
               ) -> tuple[RecursiveModel, PuzzleEmbedding, list[tuple], ModelConfig]:
    """Model (EMA weights by default) in eval mode, its embedding table and row map, for inference."""
    return model_from_checkpoint(load_checkpoint(path, map_location="cpu"), path, device, use_ema)


def model_from_checkpoint(ckpt: dict, path: str | Path, device: str | torch.device = "cpu", use_ema: bool = True
                          ) -> tuple[RecursiveModel, PuzzleEmbedding, list[tuple], ModelConfig]:
    """`load_model` from a checkpoint dict already read; CheckpointError names what is wrong."""
    try:
        cfg = ModelConfig(**ckpt["model_config"])
        model = RecursiveModel(cfg)
        model.load_state_dict(network_weights(ckpt, use_ema))
        emb = PuzzleEmbedding(*ckpt["embedding"].shape)
        emb.weight.copy_(ckpt["embedding"])
        rows = [tuple(r) for r in ckpt["rows"]]
    except (KeyError, TypeError, ValueError, RuntimeError) as e:
        first = first_line(e)
        raise CheckpointError(f"{path}: its weights do not match its model config ({first[:160]})") from e
    bad = [name for name, t in model.state_dict().items() if t.is_floating_point() and not torch.isfinite(t).all()]
    if bad or not torch.isfinite(emb.weight).all():
        raise CheckpointError(f"{path}: weights are not finite (NaN or inf in {', '.join(bad[:3]) or 'the puzzle rows'})")
    return model.to(device).eval(), emb.to(device), rows, cfg
