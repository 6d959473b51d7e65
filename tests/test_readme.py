"""The README's quick-start commands run as written (with this interpreter, outputs in a temp folder)."""
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def quick_start_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    block = text.split("A small run on the hand-made tasks")[1].split("```bash")[1].split("```")[0]
    return [line.strip() for line in block.splitlines() if line.strip()]


def test_readme_quick_start(tmp_path):
    cmds = quick_start_commands()
    assert len(cmds) >= 3 and all(c.startswith(".venv/bin/arc-solver ") for c in cmds)
    for cmd in cmds:
        args = cmd.split()[1:]
        # Keep the repo clean: outputs go to the temp folder.
        args = [re.sub(r"^submissions/", f"{tmp_path}/", a) for a in args]
        args = [str(tmp_path / a) if a.endswith(".png") else a for a in args]
        r = subprocess.run([sys.executable, "-m", "arc_solver", *args], cwd=ROOT, capture_output=True, text=True,
                           timeout=600)
        assert r.returncode == 0, f"{cmd}\n{r.stderr[-3000:]}"
    assert (tmp_path / "demo.json").exists() and (tmp_path / "rotate90.png").stat().st_size > 1000
