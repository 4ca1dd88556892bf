"""The layers contract (.importlinter, ADR 0011) holds for the code, and it does catch an upward
import: the same check on a copy of the package with one bad import added fails and names it."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT = Path(sys.executable).with_name("lint-imports")


def _lint(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT), "--no-cache", "--config", str(ROOT / ".importlinter")],
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_code_keeps_the_layers():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_upward_import_breaks_the_contract(tmp_path):
    shutil.copytree(
        ROOT / "hqzt",
        tmp_path / "hqzt",
        ignore=shutil.ignore_patterns("__pycache__", "migrations", "static", "templates", "*.bin"),
    )
    # core, the lowest layer, reaching up to the statistics page.
    (tmp_path / "hqzt" / "core" / "upward.py").write_text(
        "from hqzt.dashboard import statistics  # noqa: F401\n"
    )
    result = _lint(tmp_path)
    assert result.returncode != 0
    assert "hqzt.core.upward -> hqzt.dashboard.statistics" in result.stdout
