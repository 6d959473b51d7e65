"""Pictures: tasks, attempts and truth drawn as PNGs, and an HTML gallery of a submission.

A task picture shows the demonstration pairs (two pairs to a row: input -> output),
then one row per test input: the input, the truth where known, and both attempts.
Cells of an attempt that differ from the truth are outlined in red (with a white
halo so the mark shows on every colour); each attempt is labelled solved / wrong.

    arc-solver show 0934a4d8 --tasks arc-agi-2/evaluation --submission submissions/submission.json --out task.png
    arc-solver gallery --tasks arc-agi-2/evaluation --submission submissions/submission.json --out report/

Matplotlib is used through `Figure` + the Agg canvas only (never pyplot), so no global
figure state is kept and nothing needs a display.
"""
from __future__ import annotations

import html
import io
import logging
import re
from pathlib import Path

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from tqdm import tqdm

from .files import atomic_write_bytes
from .tasks import Task

log = logging.getLogger(__name__)

# The standard ARC palette, colours 0..9 (DESIGN.md, "Colours for pictures").
PALETTE_HEX = ("#000000", "#0074D9", "#FF4136", "#2ECC40", "#FFDC00",
               "#AAAAAA", "#F012BE", "#FF851B", "#7FDBFF", "#870C25")
INVALID_HEX = "#FFFFFF"  # shown for a colour outside 0..9 (only a malformed attempt has one)
GRID_LINE_HEX = "#555555"


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))


PALETTE = np.array([_rgb(h) for h in PALETTE_HEX], dtype=np.uint8)  # [10, 3]
_LUT = np.vstack([PALETTE, np.array([_rgb(INVALID_HEX)], dtype=np.uint8)])  # index 10 = invalid
GRID_LINE_RGB = np.array(_rgb(GRID_LINE_HEX), dtype=np.uint8)

SOLVED_HEX = "#1E8E3E"
WRONG_HEX = "#D62728"
NEUTRAL_HEX = "#333333"


# --- one grid as an image -------------------------------------------------------

def render_grid(grid: np.ndarray, cell_px: int = 10) -> np.ndarray:
    """RGB uint8 image of a grid, `cell_px` pixels per cell.

    With cell_px >= 3 there is a one-pixel grey line on every cell border, so the image is
    (h*cell_px + 1, w*cell_px + 1, 3) and cell (r, c) fills pixels r*cell_px+1 .. (r+1)*cell_px-1
    (its centre pixel is (r*cell_px + cell_px//2, c*cell_px + cell_px//2), exact palette colour).
    With cell_px 1 or 2 there are no lines and the image is (h*cell_px, w*cell_px, 3).
    """
    g = np.asarray(grid)
    if g.ndim != 2 or g.size == 0:
        raise ValueError(f"render_grid needs a non-empty 2-D grid, got shape {g.shape}")
    if cell_px < 1:
        raise ValueError(f"cell_px must be >= 1, got {cell_px}")
    idx = np.where((g >= 0) & (g <= 9), g, 10).astype(np.intp)
    cells = _LUT[idx]  # [h, w, 3]
    img = np.repeat(np.repeat(cells, cell_px, axis=0), cell_px, axis=1)
    if cell_px < 3:
        return img
    h, w = g.shape
    out = np.empty((h * cell_px + 1, w * cell_px + 1, 3), dtype=np.uint8)
    out[:-1, :-1] = img
    out[::cell_px, :] = GRID_LINE_RGB
    out[:, ::cell_px] = GRID_LINE_RGB
    return out


# --- comparing attempts with the truth --------------------------------------------

def as_grid(value) -> np.ndarray | None:
    """A submission grid (list of lists) or array -> 2-D int array, or None when malformed."""
    if value is None:
        return None
    try:
        a = np.asarray(value)
    except (ValueError, TypeError):  # ragged rows
        return None
    if a.ndim != 2 or a.size == 0 or not np.issubdtype(a.dtype, np.integer):
        return None
    return a


def matches(attempt, truth: np.ndarray | None) -> bool:
    a = as_grid(attempt)
    return truth is not None and a is not None and a.shape == truth.shape and bool(np.array_equal(a, truth))


def attempts_from_submission(entries) -> list[list[np.ndarray | None]] | None:
    """Submission entries of one task ([{"attempt_1", "attempt_2"}, ...]) -> per test input, 2 grids."""
    if not isinstance(entries, list):
        return None
    out = []
    for e in entries:
        e = e if isinstance(e, dict) else {}
        out.append([as_grid(e.get("attempt_1")), as_grid(e.get("attempt_2"))])
    return out


def task_status(task: Task, attempts) -> tuple[str, int, int]:
    """("solved" | "unsolved" | "unknown", solved outputs, outputs).

    solved = every test output matched by attempt 1 or 2; unknown = truth not known (and
    some prediction exists); a task without attempts is unsolved.
    """
    n = len(task.test)
    if attempts is None:
        return "unsolved", 0, n
    if not task.has_solutions:
        return "unknown", 0, n
    solved = sum(
        1 for i, pair in enumerate(task.test)
        if i < len(attempts) and any(matches(a, pair.output) for a in attempts[i][:2])
    )
    return ("solved" if solved == n else "unsolved"), solved, n


# --- the task figure -------------------------------------------------------------

def _draw_grid(ax, grid: np.ndarray) -> None:
    h, w = grid.shape
    # One image pixel per cell, placed on integer cell coordinates; lines drawn as vectors so
    # they stay thin and crisp at any size.
    ax.imshow(render_grid(grid, cell_px=1), extent=(0, w, h, 0), interpolation="nearest")
    lw = 0.6 if max(h, w) <= 12 else 0.3
    segs = [[(0, r), (w, r)] for r in range(h + 1)] + [[(c, 0), (c, h)] for c in range(w + 1)]
    ax.add_collection(LineCollection(segs, colors=GRID_LINE_HEX, linewidths=lw))
    ax.set_xlim(-0.05, w + 0.05)
    ax.set_ylim(h + 0.05, -0.05)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])


def _mark_differences(ax, attempt: np.ndarray, truth: np.ndarray) -> int:
    """Outline every differing cell: a red square over a white halo, visible on every colour."""
    rows, cols = np.nonzero(attempt != truth)
    cell_pt = PANEL_IN * 72 / max(truth.shape)  # the line width scales with the cell size
    red = min(3.0, 0.2 * cell_pt)
    for r, c in zip(rows.tolist(), cols.tolist()):
        for colour, width in (("white", red + 1.2), (WRONG_HEX, red)):
            ax.add_patch(Rectangle((c + 0.15, r + 0.15), 0.7, 0.7, fill=False,
                                   edgecolor=colour, linewidth=width))
    return len(rows)


def _frame(ax, colour: str, width: float = 2.5) -> None:
    for spine in ax.spines.values():
        spine.set_edgecolor(colour)
        spine.set_linewidth(width)


def _empty_panel(ax, text: str) -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", fontsize=9, color=NEUTRAL_HEX,
            transform=ax.transAxes)
    ax.set_xticks([])
    ax.set_yticks([])


def _shape(g: np.ndarray) -> str:
    return f"{g.shape[0]}x{g.shape[1]}"


def _draw_attempt(ax, k: int, attempt, truth: np.ndarray | None) -> None:
    a = as_grid(attempt)
    name = f"attempt {k}"
    if a is None:
        _empty_panel(ax, "no attempt" if attempt is None else "malformed grid")
        ax.set_title(f"{name}: missing" if attempt is None else f"{name}: wrong", fontsize=9,
                     color=WRONG_HEX if truth is not None else NEUTRAL_HEX)
        return
    _draw_grid(ax, a)
    if truth is None:
        ax.set_title(f"{name} {_shape(a)}", fontsize=9, color=NEUTRAL_HEX)
    elif a.shape != truth.shape:
        ax.set_title(f"{name}: wrong shape {_shape(a)}", fontsize=9, color=WRONG_HEX)
        _frame(ax, WRONG_HEX)
    else:
        bad = _mark_differences(ax, a, truth)
        if bad == 0:
            ax.set_title(f"{name}: solved", fontsize=9, color=SOLVED_HEX, fontweight="bold")
            _frame(ax, SOLVED_HEX)
        else:
            ax.set_title(f"{name}: wrong ({bad} cell{'s' if bad > 1 else ''})", fontsize=9, color=WRONG_HEX)
            _frame(ax, WRONG_HEX)


PANEL_IN = 2.3  # inches per panel side: a 30x30 grid gets ~6 px per cell at the save dpi
# Four panel columns with a narrow spacer in the middle: it separates the two demonstration
# pairs of a row, and a test input + truth from the two attempts.
WIDTH_RATIOS = (1, 1, 0.18, 1, 1)
PANEL_COLUMNS = (0, 1, 3, 4)


def draw_task(task: Task, attempts: list[list[np.ndarray]] | None = None,
              title: str | None = None) -> Figure:
    """Figure of one task: demonstrations, then per test input: input, truth (if known), attempts.

    `attempts[i] = [attempt_1, attempt_2]` for test input i (arrays or lists of lists; None or a
    malformed grid is drawn as an empty panel). Axes: 2 per demonstration pair, and per test input
    1 + (1 if its truth is known) + (2 if attempts is given).
    """
    n_demo_rows = (len(task.train) + 1) // 2
    # A row is as tall as its tallest grid needs at full panel width, so rows of wide, flat
    # grids do not leave empty bands; every row gets the same room for titles.
    row_grids = [[g for p in task.train[j:j + 2] for g in (p.input, p.output)]
                 for j in range(0, len(task.train), 2)]
    row_grids += [[p.input] + ([p.output] if p.output is not None else []) for p in task.test]
    row_h = [PANEL_IN * max(0.3, max(min(1.0, g.shape[0] / g.shape[1]) for g in gs_)) for gs_ in row_grids]
    n_rows, title_in, head_in = len(row_h), 0.4, 0.6
    fig = Figure(figsize=(sum(WIDTH_RATIOS) * PANEL_IN, sum(row_h) + title_in * n_rows + head_in))
    FigureCanvasAgg(fig)
    gs = fig.add_gridspec(n_rows, len(WIDTH_RATIOS), width_ratios=WIDTH_RATIOS, height_ratios=row_h,
                          hspace=title_in / (sum(row_h) / n_rows), wspace=0.12, left=0.03, right=0.97,
                          bottom=0.1 / fig.get_figheight(), top=1 - head_in / fig.get_figheight())
    status, solved, n = task_status(task, attempts)
    head = title or task.id
    if attempts is not None:
        head += f" — {status}" + (f" ({solved}/{n} outputs)" if status != "unknown" else "")
    colour = {"solved": SOLVED_HEX, "unsolved": WRONG_HEX}.get(status, NEUTRAL_HEX) if attempts is not None else NEUTRAL_HEX
    fig.suptitle(head, fontsize=13, fontweight="bold", color=colour, y=1 - 0.12 / fig.get_figheight(), va="top")

    for j, pair in enumerate(task.train):
        row, col = divmod(j, 2)
        ax_in = fig.add_subplot(gs[row, PANEL_COLUMNS[2 * col]])
        _draw_grid(ax_in, pair.input)
        ax_in.set_title(f"demo {j + 1} input {_shape(pair.input)}", fontsize=9)
        ax_out = fig.add_subplot(gs[row, PANEL_COLUMNS[2 * col + 1]])
        _draw_grid(ax_out, pair.output)
        ax_out.set_title(f"→ demo {j + 1} output {_shape(pair.output)}", fontsize=9)

    for i, pair in enumerate(task.test):
        row = n_demo_rows + i
        col = 0
        ax = fig.add_subplot(gs[row, PANEL_COLUMNS[col]])
        _draw_grid(ax, pair.input)
        ax.set_title(f"test {i + 1} input {_shape(pair.input)}", fontsize=9, fontweight="bold")
        _frame(ax, "#1F4E9E", 2.0)
        col += 1
        if pair.output is not None:
            ax = fig.add_subplot(gs[row, PANEL_COLUMNS[col]])
            _draw_grid(ax, pair.output)
            ax.set_title(f"test {i + 1} truth {_shape(pair.output)}", fontsize=9)
            col += 1
        if attempts is not None:
            pair_attempts = list(attempts[i]) if i < len(attempts) and attempts[i] is not None else []
            pair_attempts = (pair_attempts + [None, None])[:2]
            col = 2  # attempts always on the right-hand side, after the spacer
            for k, a in enumerate(pair_attempts, start=1):
                _draw_attempt(fig.add_subplot(gs[row, PANEL_COLUMNS[col]]), k, a, pair.output)
                col += 1
    return fig


def _save_figure(fig: Figure, path: Path, dpi: int) -> Path:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, facecolor="white")
    return atomic_write_bytes(path, buf.getvalue())


def save_task_picture(task: Task, path: str | Path, attempts=None, title: str | None = None,
                      dpi: int = 80) -> Path:
    """Draw a task and write it as a PNG, atomically (temp file in the same folder + rename)."""
    return _save_figure(draw_task(task, attempts, title), Path(path), dpi)


# --- the gallery -----------------------------------------------------------------

def _file_name(task_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", task_id) + ".png"


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:.2%}" if 0.0 <= value <= 1.0 else f"{value:g}"
    if isinstance(value, dict):
        return ", ".join(f"{html.escape(str(k))}: {_fmt(v)}" for k, v in value.items()) or "—"
    return html.escape(str(value))


def gallery(tasks: list[Task], submission: dict, out_dir: str | Path, scores: dict | None = None,
            max_tasks: int | None = None) -> Path:
    """One PNG per task in `out_dir` and an `index.html` listing every task with its status.

    Status: solved (every test output matched by attempt 1 or 2), unsolved (including tasks
    missing from the submission, drawn without attempts), unknown (truth not known). Only the
    first `max_tasks` tasks are drawn; the index still lists all. Returns the index path.
    """
    from .files import atomic_write_text

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    drawn = tasks if max_tasks is None else tasks[:max_tasks]
    for task in tqdm(drawn, desc="pictures", unit="task"):
        attempts = attempts_from_submission(submission.get(task.id))
        status, solved, n = task_status(task, attempts)
        save_task_picture(task, out / _file_name(task.id), attempts)
        rows.append((task, status, solved, n, attempts is None, True))
    for task in tasks[len(drawn):]:
        attempts = attempts_from_submission(submission.get(task.id))
        status, solved, n = task_status(task, attempts)
        rows.append((task, status, solved, n, attempts is None, False))
    if len(drawn) < len(tasks):
        log.info("gallery: drew %d of %d tasks (max_tasks)", len(drawn), len(tasks))

    atomic_write_text(out / "index.html", _index_html(rows, scores))
    return out / "index.html"


def _index_html(rows, scores: dict | None) -> str:
    counts = {s: sum(r[1] == s for r in rows) for s in ("solved", "unsolved", "unknown")}
    parts = ["<!doctype html>", "<html><head><meta charset='utf-8'><title>arc_solver gallery</title>",
             "<style>body{font-family:sans-serif;margin:1.5em} table{border-collapse:collapse}"
             " td,th{padding:3px 8px;border-bottom:1px solid #ddd;text-align:left}"
             " .solved{color:#1E8E3E;font-weight:bold} .unsolved{color:#D62728} .unknown{color:#555}"
             " .task{margin:1.5em 0} .task img{max-width:100%;border:1px solid #ccc}</style>",
             "</head><body>", "<h1>arc_solver gallery</h1>"]
    if scores:
        parts.append("<h2>Scores</h2><table class='scores'>")
        for k, v in scores.items():
            strong = k == scores.get("headline")
            cell = f"<b>{_fmt(v)}</b>" if strong else _fmt(v)
            parts.append(f"<tr><th>{html.escape(str(k))}</th><td>{cell}</td></tr>")
        parts.append("</table>")
    parts.append(f"<p>{len(rows)} tasks: <span class='solved'>{counts['solved']} solved</span>, "
                 f"<span class='unsolved'>{counts['unsolved']} unsolved</span>, "
                 f"<span class='unknown'>{counts['unknown']} unknown</span> (truth not known).</p>")
    parts.append("<table class='tasks'><tr><th>task</th><th>status</th><th>outputs solved</th></tr>")
    for task, status, solved, n, missing, _ in rows:
        tid = html.escape(task.id)
        note = " (no prediction)" if missing else ""
        done = f"{solved}/{n}" if status != "unknown" else f"?/{n}"
        parts.append(f"<tr id='row-{tid}'><td><a href='#task-{tid}'>{tid}</a></td>"
                     f"<td class='{status}'>{status}{note}</td><td>{done}</td></tr>")
    parts.append("</table>")
    for task, status, solved, n, missing, has_png in rows:
        tid = html.escape(task.id)
        parts.append(f"<div class='task' id='task-{tid}'><h3>{tid} — <span class='{status}'>{status}</span></h3>")
        if has_png:
            src = html.escape(_file_name(task.id))
            parts.append(f"<a href='{src}'><img loading='lazy' src='{src}' alt='{tid}'></a>")
        else:
            parts.append("<p>(not drawn: max_tasks)</p>")
        parts.append("</div>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def plot_sweep(result: dict, path: str | Path, dpi: int = 100) -> Path:
    """The 'thinking longer' plot of `search.sweep`: pass@2 task score vs supervision steps, one line per view count."""
    fig = Figure(figsize=(6.4, 4.2))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    for views, row in zip(result["views"], result["task_score"]):
        ax.plot(result["steps"], [100 * s for s in row], marker="o", label=f"{views} views")
    ax.set_xscale("log", base=2)
    ax.set_xticks(result["steps"], [str(s) for s in result["steps"]])
    ax.set_xlabel("test-time supervision steps")
    ax.set_ylabel("pass@2 task score (%)")
    ax.set_title(f"{result.get('tasks', '?')} tasks; {result.get('model', '')}"[:90], fontsize=9)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return _save_figure(fig, Path(path), dpi)


def plot_training_log(log_path: str | Path, path: str | Path, dpi: int = 100) -> Path:
    """Loss curve of a training run: loss and exact-match rate against step, from its `<out>.log.jsonl`
    (`arc-solver train` writes it beside the checkpoint), learning rate on a second axis."""
    import json

    rows = [json.loads(line) for line in Path(log_path).read_text().splitlines() if line.strip()]
    if not rows:
        raise ValueError(f"{log_path}: no log lines yet")
    steps = [r["step"] for r in rows]
    fig = Figure(figsize=(7.0, 4.2))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    ax.plot(steps, [r["loss"] for r in rows], label="loss", color="#0074D9")
    ax.plot(steps, [r["ce"] for r in rows], label="cross-entropy", color="#7FDBFF")
    ax.set_xlabel("step")
    ax.set_ylabel("loss")
    ax.grid(alpha=0.3)
    right = ax.twinx()
    right.plot(steps, [r["exact"] for r in rows], label="exact (per supervision step)", color="#2ECC40")
    right.plot(steps, [r["lr"] / max(r2["lr"] for r2 in rows) for r in rows], label="lr / peak", color="#AAAAAA",
               linestyle="--")
    right.set_ylim(0, 1.02)
    right.set_ylabel("exact match, lr / peak")
    lines = ax.get_lines() + right.get_lines()
    ax.legend(lines, [ln.get_label() for ln in lines], fontsize=8, loc="center right")
    minutes = rows[-1].get("minutes")
    ax.set_title(f"{Path(log_path).name}: {steps[-1]} steps" + (f", {minutes:.1f} min (last run)" if minutes else ""),
                 fontsize=9)
    fig.tight_layout()
    return _save_figure(fig, Path(path), dpi)
