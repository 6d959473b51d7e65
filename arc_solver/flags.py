"""Command-line flags generated from a config dataclass, so a setting is declared once.

    arc-solver train --help          # every TrainConfig field, and ModelConfig's as --model-<field>

A field `batch_size: int` becomes `--batch-size N`; `bool` becomes `--x / --no-x`; `tuple[int, ...]`
takes one or more values and `tuple[float, float]` exactly two. Every flag defaults to None
("not given"), so the values of a preset, or of a checkpoint being resumed, stay unless named.
Help texts come from the fields' metadata (`option`).
"""
from __future__ import annotations

import argparse
import typing
from dataclasses import field, fields


def option(default, help: str):
    """A config field with its command-line help."""
    return field(default=default, metadata={"help": help})


def add_config_flags(parser: argparse.ArgumentParser, cls: type, prefix: str = "", title: str | None = None,
                     skip: frozenset[str] = frozenset(), presets: dict | None = None) -> None:
    """One flag per field of dataclass `cls` (named --<prefix><field>, dest <prefix><field>); the help
    shows each of `presets` (name -> instance) values, or the field's default."""
    group = parser.add_argument_group(title or cls.__name__)
    hints = typing.get_type_hints(cls)
    for f in fields(cls):
        if f.name in skip:
            continue
        flag = "--" + (prefix + f.name).replace("_", "-")
        dest = (prefix + f.name).replace("-", "_")
        kind = hints[f.name]
        kw: dict = {"dest": dest, "default": None}
        if kind is bool:
            kw["action"] = argparse.BooleanOptionalAction
        elif typing.get_origin(kind) is tuple:
            args = typing.get_args(kind)
            kw["type"] = args[0]
            kw["nargs"] = "+" if len(args) == 2 and args[1] is Ellipsis else len(args)
            kw["metavar"] = args[0].__name__.upper()
        elif kind in (int, float, str):
            kw["type"] = kind
        else:
            raise TypeError(f"{cls.__name__}.{f.name}: no flag for type {kind!r}")
        shown = {name: getattr(inst, f.name) for name, inst in (presets or {}).items()}
        if len(set(shown.values())) > 1:
            default = ", ".join(f"{name}: {show(v)}" for name, v in shown.items())
        else:
            default = "default: " + show(f.default)
        kw["help"] = f"{f.metadata.get('help', '')} ({default})".strip()
        group.add_argument(flag, **kw)


def show(value) -> str:
    if isinstance(value, tuple):
        return " ".join(map(str, value)) or "none"
    return str(value)


def config_overrides(args: argparse.Namespace, cls: type, prefix: str = "",
                     skip: frozenset[str] = frozenset()) -> dict:
    """The fields of `cls` given on the command line, as {field: value} (lists become tuples)."""
    out = {}
    for f in fields(cls):
        if f.name in skip:
            continue
        value = getattr(args, (prefix + f.name).replace("-", "_"), None)
        if value is not None:
            out[f.name] = tuple(value) if isinstance(value, list) else value
    return out


def config_from_dict(cls: type, saved: dict):
    """A `cls` from a saved dict (e.g. a checkpoint's config): unknown keys dropped, lists as tuples."""
    names = {f.name for f in fields(cls)}
    return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in saved.items() if k in names})
