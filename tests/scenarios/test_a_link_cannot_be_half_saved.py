"""Tom types skip where the bot asks which stakeholder a link goes to.

Before, the skip was taken, and saving the link crashed ("something went wrong"):
a link needs both ends and a relation. Now those questions are required (never
skipped), and ``cityneeds flows check`` refuses a script that lets a required
field of a record be skipped.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

from bot.cli.app import app as cli
from bot.runtime import Runtime
from bot.testing.harness import ChatHarness
from flows.loader import shipped_scripts_dir

TO_THE_LINK = [
    "yes", "4", "mobility", "5", "2", "The bus stop is too far", "skip", "yes",
    "1", "City council", "government", "funder", "5", "3", "none", "none", "yes", "yes",
    "Senior club", "civil society", "beneficiary", "2", "5", "none", "none", "yes", "no",
    "yes", "1", "funds",
]  # fmt: skip


def test_skip_at_the_links_target_is_refused_and_the_link_is_saved_whole(app: Runtime) -> None:
    chat = ChatHarness(app.router, user="tom", workshop="city")
    chat.start()
    for line in TO_THE_LINK:
        chat.say(line)
    assert chat.step == "link_target"
    chat.say("skip")
    assert chat.step == "link_target"
    assert "something went wrong" not in chat.text
    chat.say("1")
    chat.say("yes")
    assert chat.step == "link_more"
    assert "something went wrong" not in chat.text


def test_flows_check_refuses_a_skippable_answer_to_a_required_field(tmp_path: Path) -> None:
    folder = tmp_path / "scripts"
    shutil.copytree(shipped_scripts_dir(), folder)
    meso = folder / "meso.yaml"
    text = meso.read_text(encoding="utf-8")
    meso.write_text(
        text.replace(
            "    store_as: link_target\n    required: true\n", "    store_as: link_target\n"
        ),
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["flows", "check", str(folder)])
    assert result.exit_code == 1
    assert "meso.yaml:" in result.output
    assert "step 'link_target': answers the required field 'target' of the link record" in (
        result.output
    )
