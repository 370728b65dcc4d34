"""`cityneeds flows check`: file:line errors on broken scripts, a pass on the shipped ones."""

from __future__ import annotations

import shutil
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


def test_a_field_renamed_in_a_script_but_not_in_its_record_fails_with_file_and_line(
    tmp_path: Path,
) -> None:
    # A copy of the shipped scripts where meso's link record calls `relation` `kind`.
    for script in shipped_scripts_dir().glob("*.yaml"):
        shutil.copy(script, tmp_path / script.name)
    meso = tmp_path / "meso.yaml"
    lines = meso.read_text(encoding="utf-8").splitlines(keepends=True)
    (index,) = [i for i, line in enumerate(lines) if "relation: link_relation" in line]
    lines[index] = lines[index].replace("relation: link_relation", "kind: link_relation")
    meso.write_text("".join(lines), encoding="utf-8")

    result = _check(str(meso))

    assert result.returncode == 1
    printed = result.stdout.splitlines()
    where = f"{meso}:{index + 1}: "
    assert (
        f"{where}step 'link_confirm': unknown field 'kind' for a link record; "
        "its fields are scenario, source, relation, target" in printed
    )
    assert f"{where}step 'link_confirm': a link record needs the field(s) relation" in printed


def test_a_missing_field_is_reported_at_the_fields_key(tmp_path: Path) -> None:
    for script in shipped_scripts_dir().glob("*.yaml"):
        shutil.copy(script, tmp_path / script.name)
    micro = tmp_path / "micro.yaml"
    lines = micro.read_text(encoding="utf-8").splitlines(keepends=True)
    fields_line = next(i for i, line in enumerate(lines) if line.strip() == "fields:")
    (acceptance,) = [i for i, line in enumerate(lines) if "acceptance: acceptance" in line]
    del lines[acceptance]
    micro.write_text("".join(lines), encoding="utf-8")

    problems = [str(p) for p in check_scripts(tmp_path, load_catalogs())]

    assert problems == [
        f"{micro}:{fields_line + 1}: step 'req_confirm': "
        "a requirement record needs the field(s) acceptance"
    ]


def test_an_option_outside_the_record_s_closed_set_is_reported(tmp_path: Path) -> None:
    for script in shipped_scripts_dir().glob("*.yaml"):
        shutil.copy(script, tmp_path / script.name)
    micro = tmp_path / "micro.yaml"
    text = micro.read_text(encoding="utf-8")
    must = "      - {value: must, label: moscow.must, synonyms: ["
    assert must in text
    micro.write_text(text.replace(must, must.replace("value: must", "value: maybe")), "utf-8")
    lines = micro.read_text(encoding="utf-8").splitlines()
    moscow_field = next(i for i, line in enumerate(lines) if line.strip() == "moscow: moscow")

    problems = [str(p) for p in check_scripts(tmp_path, load_catalogs())]

    assert problems == [
        f"{micro}:{moscow_field + 1}: step 'req_confirm': field 'moscow' takes "
        "could, must, should, wont; step 'moscow' offers maybe"
    ]
