"""A facilitator runs ``cityneeds doctor`` before a workshop and learns what to fix.

On a machine set up by ``make install`` every check passes, chat platforms that are not
set up read "not configured (optional)"; a database behind the newest migration, one
that does not answer, half a Slack set-up, or a machine without the Chinese font
package each fail with the fix, and the exit code says so.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli.app import app as cli
from flows.catalog import load_catalogs
from storage import migrate
from storage.store import Store

runner = CliRunner()
CHAT_SETTINGS = (
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_APP_TOKEN",
    "DISCORD_TOKEN",
    "CITYNEEDS_SLACK_BOT_TOKEN",
    "CITYNEEDS_SLACK_SIGNING_SECRET",
    "CITYNEEDS_SLACK_APP_TOKEN",
    "CITYNEEDS_DISCORD_TOKEN",
)
#: Makes ``import noto_cjk_sans_otc`` fail, as on a machine where the wheel is not installed.
HIDE_FONT = """
import sys
from importlib.abc import MetaPathFinder


class HideFontPackage(MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "noto_cjk_sans_otc" or name.startswith("noto_cjk_sans_otc."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


sys.meta_path.insert(0, HideFontPackage())
"""


@pytest.fixture
def machine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A facilitator's folder with no .env and no chat settings in the environment."""
    monkeypatch.chdir(tmp_path)
    for name in CHAT_SETTINGS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("CITYNEEDS_DATABASE_URL", raising=False)
    return tmp_path


def lines(output: str) -> dict[str, str]:
    """Doctor output by check name: ``{"database": "[ok] database: …", …}``."""
    found = {}
    for line in output.splitlines():
        if line.startswith("[") and ": " in line:
            found[line.split("] ", 1)[1].split(": ", 1)[0]] = line
    return found


def test_a_fresh_set_up_passes_every_check_and_calls_chat_platforms_optional(
    machine: Path, db_url: str
) -> None:
    store = Store(db_url)
    store.ensure_schema()
    store.dispose()
    result = runner.invoke(cli, ["doctor", "--database-url", db_url])
    assert result.exit_code == 0, result.output
    found = lines(result.output)
    fonts = {f"fonts {code}" for code in load_catalogs().locales}  # one per shipped language
    assert {"fonts en", "fonts zh"} <= fonts
    assert set(found) == {"database", *fonts, "text encoder", "slack", "discord"}
    assert found["database"].startswith("[ok] database: ")
    assert f"at revision {migrate.head_revision()} (newest)" in found["database"]
    assert found["fonts zh"].startswith("[ok] fonts zh: every character drawn")
    assert found["text encoder"].startswith("[ok] text encoder: use-multilingual-v3")
    assert "(512 dimensions)" in found["text encoder"]
    for platform in ("slack", "discord"):
        assert found[platform].startswith(f"[optional] {platform}: not configured (optional")
    assert f"{len(found)} of {len(found)} checks passed" in result.output


def test_a_database_not_yet_created_passes_without_being_created(machine: Path) -> None:
    result = runner.invoke(cli, ["doctor"])
    assert result.exit_code == 0, result.output
    assert "not created yet" in lines(result.output)["database"]
    assert not (machine / "cityneeds.db").exists()


def test_a_database_behind_the_newest_migration_fails_with_the_upgrade_command(
    machine: Path, db_url: str
) -> None:
    store = Store(db_url)
    migrate.upgrade(store.engine, "0006")
    store.dispose()
    result = runner.invoke(cli, ["doctor", "--database-url", db_url])
    assert result.exit_code == 1
    line = lines(result.output)["database"]
    assert line.startswith("[FAIL] database: ")
    assert f"is at revision 0006, the newest is {migrate.head_revision()}" in line
    assert line.endswith("— fix: run `cityneeds db upgrade`")
    checks = len(lines(result.output))
    assert f"{checks - 1} of {checks} checks passed; 1 failed" in result.output


def test_a_database_server_that_is_down_fails_and_hides_the_password(machine: Path) -> None:
    url = "postgresql+psycopg://council:SECRET-pw@127.0.0.1:1/cityneeds"
    result = runner.invoke(cli, ["doctor", "--database-url", url])
    assert result.exit_code == 1
    line = lines(result.output)["database"]
    assert line.startswith("[FAIL] database: cannot open the database ")
    assert "start the database server or correct CITYNEEDS_DATABASE_URL" in line
    assert "SECRET-pw" not in result.output


def test_half_a_slack_set_up_fails_and_names_the_missing_setting(
    machine: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-123-456-abc")
    monkeypatch.setenv("DISCORD_TOKEN", "MTIz.NDU2.Nzg5")
    result = runner.invoke(cli, ["doctor"])
    assert result.exit_code == 1
    found = lines(result.output)
    assert found["slack"] == (
        "[FAIL] slack: SLACK_BOT_TOKEN is set but neither SLACK_SIGNING_SECRET nor "
        "SLACK_APP_TOKEN — fix: set SLACK_SIGNING_SECRET (HTTP events) or SLACK_APP_TOKEN "
        "(Socket Mode)"
    )
    assert found["discord"] == "[ok] discord: bot token present"
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s3cr3t")
    result = runner.invoke(cli, ["doctor"])
    assert result.exit_code == 0, result.output
    assert lines(result.output)["slack"] == "[ok] slack: bot token and HTTP events settings present"


def test_without_the_font_package_the_chinese_font_and_its_fix_are_named(
    machine: Path,
) -> None:
    hide = machine / "hide"
    hide.mkdir()
    (hide / "sitecustomize.py").write_text(HIDE_FONT, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in CHAT_SETTINGS and k != "PYTHONPATH"}
    env["PYTHONPATH"] = os.pathsep.join([str(hide), str(Path(__file__).parents[2])])
    env["MPLCONFIGDIR"] = str(machine / "mpl")
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli.app", "doctor"],
        cwd=machine,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    found = lines(done.stdout)
    # English names the Chinese language in its own script ("Chinese (中文)"), so it too
    # needs the Chinese font, and says so.
    assert found["fonts en"].startswith("[FAIL] fonts en: font 'Noto Sans CJK SC' is missing: ")
    line = found["fonts zh"]
    assert line.startswith("[FAIL] fonts zh: font 'Noto Sans CJK SC' is missing: ")
    assert line.endswith("— fix: pip install noto-cjk-sans-otc (or `make install`, which pins it)")
    assert found["text encoder"].startswith("[ok] text encoder: ")
