"""The import contracts of DESIGN.md s.2 hold, and they do catch a forbidden import."""

import shutil
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
LINT_IMPORTS = str(Path(sys.executable).parent / "lint-imports")
PACKAGES = ("ordre", "rpps", "tableau")


def _lint(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [LINT_IMPORTS, "--no-cache"],
        cwd=cwd,
        env={"PYTHONPATH": str(cwd), "PATH": str(Path(sys.executable).parent)},
        capture_output=True,
        text=True,
        timeout=300,
    )


def _copy_tree(tmp_path: Path) -> Path:
    root = tmp_path / "tree"
    root.mkdir()
    shutil.copy(BASE_DIR / "pyproject.toml", root)
    for package in PACKAGES:
        shutil.copytree(
            BASE_DIR / package,
            root / package,
            ignore=shutil.ignore_patterns("__pycache__", "templates", "static", "data", "locale"),
        )
    return root


def test_contracts_are_kept():
    result = _lint(BASE_DIR)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "The kernel subpackages of ordre import neither" in result.stdout
    assert "Domain apps follow the layers of DESIGN.md" in result.stdout
    assert "0 broken" in result.stdout


def test_a_kernel_importing_a_domain_app_breaks_the_contracts(tmp_path):
    root = _copy_tree(tmp_path)
    (root / "ordre" / "audit" / "probe.py").write_text("import tableau.services  # noqa\n")
    (root / "rpps" / "probe.py").write_text("import tableau.models  # noqa\n")
    result = _lint(root)
    assert result.returncode != 0
    assert "ordre.audit.probe -> tableau.services" in result.stdout
    assert "rpps.probe -> tableau.models" in result.stdout
