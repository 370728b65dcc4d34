"""`cityneeds flows check`: file:line errors on broken scripts, a pass on the shipped ones."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from flows.catalog import load_catalogs
from flows.loader import shipped_scripts_dir
from flows.scriptset import check_scripts

BROKEN = Path(__file__).parent.parent / "fixtures" / "flows" / "broken"


def _check(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli.app", "flows", "check", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_shipped_scripts_pass() -> None:
    assert check_scripts(shipped_scripts_dir(), load_catalogs()) == []
    result = _check()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok: 4 script(s) checked" in result.stdout


def test_broken_scripts_fail_with_file_and_line() -> None:
    result = _check(str(BROKEN))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    meso = str(BROKEN / "meso.yaml")
    yaml_error = str(BROKEN / "yaml_error.yaml")
    assert any(line.startswith(f"{meso}:6: ") and "needs min and max" in line for line in lines)
    assert any(line.startswith(f"{meso}:12: ") and "kind" in line for line in lines)
    assert any(line.startswith(f"{yaml_error}:7: ") and "YAML" in line for line in lines)


def test_reference_errors_are_reported_with_the_line_of_the_key() -> None:
    folder = BROKEN.parent / "refs"
    problems = check_scripts(folder, load_catalogs())
    rendered = [str(p) for p in problems]
    macro = str(folder / "macro.yaml")
    assert f"{macro}:13: step 'domains': goes to unknown step 'nowhere'" in rendered
    assert (
        f"{macro}:16: message id 'macro.importance.nonexistent' is not in the catalog" in rendered
    )
    assert any("next_script 'meso' does not exist" in r for r in rendered)
