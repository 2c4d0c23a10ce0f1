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
    pip_section = [p for d in environment["dependencies"] if isinstance(d, dict) for p in d["pip"]]
    options = [p for p in pip_section if p.startswith("-")]
    listed = package_names(conda) | package_names([p for p in pip_section if p not in options])
    assert wanted - listed == set(), "in pyproject.toml but not environment.yml"
    assert listed - wanted - {"python", "pip"} == set(), "in environment.yml but not pyproject.toml"
    # ... at the same versions as `make install`: the pip section installs with the constraints.
    assert options == ["-c requirements/constraints.txt", "-e ."]


def test_constraints_pin_every_declared_package_and_make_installs_with_them():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = package_names(pyproject["dependencies"] + pyproject["optional-dependencies"]["dev"])
    lines = (ROOT / "requirements" / "constraints.txt").read_text(encoding="utf-8").splitlines()
    pins = [line for line in lines if line and not line.startswith(" ") and line[0] != "#"]
    assert pins and all(re.fullmatch(r"[A-Za-z0-9._-]+==[A-Za-z0-9.+!-]+", p) for p in pins), (
        "constraints.txt holds exact pins only (pip refuses extras in a constraints file)"
    )
    assert wanted - package_names(pins) == set(), "declared but not pinned: run `make constraints`"
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^\$\(STAMP\):.*\$\(CONSTRAINTS\)", makefile, re.MULTILINE)
    assert "pip install --quiet -c $(CONSTRAINTS) -e '.[dev]'" in makefile
    # The file says which command made it; the Makefile's upgrade-deps runs the same one.
    command = next(line for line in lines if "uv pip compile" in line).strip("# ")
    assert command.replace("requirements/constraints.txt", "$(CONSTRAINTS)") in makefile


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


def test_quick_commands_leave_the_notebook_stack_unimported():
    """`--help` and a batch with nothing to render start in well under a second only while the
    CLI imports nbformat (and through it jsonschema's grammars, about 1 s) where it renders."""
    code = (
        "import sys; from pmo_assess.cli.main import _parser; _parser(); "
        "heavy = sorted({'nbformat', 'jsonschema', 'nbconvert', 'papermill', 'weasyprint', "
        "'matplotlib'} & set(sys.modules)); assert not heavy, heavy"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_importing_the_package_has_no_side_effects():
    code = (
        "import sys, logging; import pmo_assess; "
        "assert 'matplotlib' not in sys.modules; assert not logging.getLogger().handlers"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
