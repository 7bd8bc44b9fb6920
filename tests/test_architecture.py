"""The house's shape is a checked contract: apps depend one way, and a wrong-way import fails `make lint`."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
APPS = ["salesops", "teams", "targets", "kpis", "appraisals", "promotions", "rewards", "dashboards"]


def lint_imports(where: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=where, capture_output=True, text=True,
                          env={"PYTHONPATH": str(where), "PATH": "/usr/bin:/bin"})


def copy_of_the_code(tmp_path: Path) -> Path:
    for app in APPS:
        shutil.copytree(ROOT / app, tmp_path / app, ignore=shutil.ignore_patterns("__pycache__", "migrations"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_apps_depend_one_way():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_lower_app_importing_a_higher_one_breaks_the_contract(tmp_path):
    tree = copy_of_the_code(tmp_path)
    with open(tree / "teams" / "selectors.py", "a") as module:
        module.write("\nfrom dashboards import exports  # a wrong-way import\n")
    result = lint_imports(tree)
    assert result.returncode == 1
    assert "teams is not allowed to import dashboards" in result.stdout
    assert "teams.selectors -> dashboards.exports" in result.stdout
