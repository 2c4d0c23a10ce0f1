"""The project's own promises: conda and pip users get the same packages, the layout is as documented."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def package_names(requirements: list[str]) -> set[str]:
    """Distribution names without version specifiers, normalised as pip does."""
    return {
        re.split(r"[<>=!~ \[]", r, maxsplit=1)[0].lower().replace("_", "-") for r in requirements
    }


def test_environment_yml_names_the_same_packages_as_pyproject():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = package_names(pyproject["dependencies"] + pyproject["optional-dependencies"]["dev"])
    environment = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda = [d for d in environment["dependencies"] if isinstance(d, str)]
    pip_section = [d for d in environment["dependencies"] if isinstance(d, dict)]
    listed = package_names(conda) | package_names(
        [p for s in pip_section for p in s.get("pip", [])]
    )
    assert wanted - listed == set(), "in pyproject.toml but not environment.yml"
    assert listed - wanted - {"python", "pip"} == set(), "in environment.yml but not pyproject.toml"


def test_readme_tree_names_every_top_level_folder():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for folder in ("notebooks", "pmo_assess", "questionnaires", "reports", "tests", "bench"):
        assert (ROOT / folder).is_dir()
        assert re.search(rf"^\s*{folder}/", readme, re.MULTILINE), (
            f"{folder}/ missing from README tree"
        )


def test_reports_folder_keeps_only_its_readme_in_git():
    ignore = (ROOT / ".gitignore").read_text(encoding="utf-8")
    assert "/reports/*" in ignore and "!/reports/README.md" in ignore


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_module_entry_point_runs():
    done = subprocess.run(
        [sys.executable, "-m", "pmo_assess", "--help"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0
    assert "validate" in done.stdout and "score" in done.stdout


def test_importing_the_package_has_no_side_effects():
    code = (
        "import sys, logging; import pmo_assess; "
        "assert 'matplotlib' not in sys.modules; assert not logging.getLogger().handlers"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
