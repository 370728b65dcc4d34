"""Forms are declared once in a script and read from its steps: lengths, choices, required."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.slack.blocks import FORM_INPUT, requirement_modal
from bot.app.forms import requirement_form
from bot.core import load_core
from flows.catalog import load_catalogs
from flows.forms import FormChoice, FormError, resolve_form
from flows.loader import shipped_scripts_dir
from flows.script import Script
from flows.scriptset import check_scripts


def _script(fields: list[dict[str, Any]], offered_at: str = "name") -> Script:
    return Script.model_validate(
        {
            "id": "tiny",
            "tier": "micro",
            "title": "tier.micro",
            "steps": [
                {
                    "id": "name",
                    "kind": "text",
                    "prompt": "p",
                    "help": "h",
                    "min": 2,
                    "max": 40,
                    "store_as": "name",
                    "required": True,
                },
                {
                    "id": "note",
                    "kind": "text",
                    "prompt": "p",
                    "help": "h",
                    "max": 300,
                    "store_as": "note",
                },
                {
                    "id": "score",
                    "kind": "scale",
                    "prompt": "p",
                    "help": "h",
                    "min": 1,
                    "max": 5,
                    "store_as": "score",
                },
            ],
            "forms": [{"id": "f", "offered_at": offered_at, "fields": fields}],
        }
    )


def test_the_requirement_form_takes_its_limits_from_the_micro_steps() -> None:
    core = load_core()
    form = requirement_form(core.engine.scripts)
    assert form is not None
    assert form.offered_at == "as_a"
    assert form.steps == ("as_a", "i_want", "so_that", "moscow", "acceptance")
    micro = core.engine.scripts["micro"]
    for field in form.fields:
        step = micro.step(field.step)
        if field.choices:
            assert field.choices == tuple(FormChoice(o.value, o.label) for o in step.options)
            assert (field.required, field.max_length) == (True, 20)
        else:
            assert (field.min_length, field.max_length) == (step.min, step.max)
            assert field.required == step.required
    assert [f.step for f in form.fields if not f.required] == ["so_that", "acceptance"]
    assert [f.step for f in form.fields if f.multiline] == ["i_want", "so_that", "acceptance"]


def test_the_slack_modal_shows_exactly_what_the_form_declares() -> None:
    core = load_core()
    form = requirement_form(core.engine.scripts)
    assert form is not None
    modal = requirement_modal(core.catalogs, "en", {"c": "D1"}, form)
    shown = {b["block_id"]: b for b in modal["blocks"]}
    assert list(shown) == list(form.steps)
    assert shown["as_a"]["element"]["min_length"] == 2
    assert shown["as_a"]["element"]["max_length"] == 200
    assert shown["acceptance"]["element"]["max_length"] == 1000
    assert shown["acceptance"]["optional"] is True and shown["i_want"]["optional"] is False
    moscow = shown["moscow"]["element"]
    assert moscow["action_id"] == FORM_INPUT
    assert [o["value"] for o in moscow["options"]] == ["must", "should", "could", "wont"]


def test_a_form_field_reads_its_step() -> None:
    form = resolve_form(_script([{"step": "name"}, {"step": "note", "multiline": True}]), "f")
    name, note = form.fields
    assert (name.required, name.min_length, name.max_length) == (True, 2, 40)
    assert (note.required, note.min_length, note.max_length, note.multiline) == (
        False,
        None,
        300,
        True,
    )


@pytest.mark.parametrize(
    ("fields", "offered_at", "problem"),
    [
        ([{"step": "nmae"}], "nmae", "unknown step 'nmae'"),
        ([{"step": "note"}, {"step": "name"}], "note", "must follow the script"),
        ([{"step": "note"}], "name", "must follow the script"),
        ([{"step": "name"}, {"step": "score"}], "name", "'score' (scale) cannot be a form field"),
    ],
)
def test_a_form_that_does_not_fit_its_script_is_refused(
    fields: list[dict[str, Any]], offered_at: str, problem: str
) -> None:
    with pytest.raises(FormError, match=re.escape(problem)):
        resolve_form(_script(fields, offered_at), "f")


def test_flows_check_reports_a_form_naming_a_missing_step_with_file_and_line(
    tmp_path: Path,
) -> None:
    micro = (shipped_scripts_dir() / "micro.yaml").read_text(encoding="utf-8")
    broken = micro.replace("- {step: so_that, multiline: true}", "- {step: so_tht}")
    assert broken != micro
    (tmp_path / "micro.yaml").write_text(broken, encoding="utf-8")
    problems = check_scripts(tmp_path, load_catalogs())
    line = broken.splitlines().index("  - id: requirement") + 1
    assert [(p.line, p.message) for p in problems] == [
        (line, "form 'requirement': unknown step 'so_tht'")
    ]
