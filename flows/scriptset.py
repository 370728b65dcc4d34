"""Load the shipped scripts and check them against each other and the catalogs."""

from __future__ import annotations

from pathlib import Path

from flows.catalog import Catalogs
from flows.forms import form_problems
from flows.loader import ScriptLoadError, ScriptProblem, line_of, load_script_file, parse_yaml
from flows.records import field_type, record_fields
from flows.script import Script

_SPECIAL_TARGETS = frozenset({"@script_end", "@pause"})


def load_scripts(directory: Path) -> dict[str, Script]:
    """Load every ``*.yaml`` script in ``directory``.

    Raises:
        ScriptLoadError: With every problem found, each as ``file:line: message``.
    """
    scripts: dict[str, Script] = {}
    problems: list[ScriptProblem] = []
    for path in sorted(directory.glob("*.yaml")):
        try:
            script = load_script_file(path)
        except ScriptLoadError as exc:
            problems.extend(exc.problems)
            continue
        if script.id in scripts:
            problems.append(ScriptProblem(str(path), 1, f"duplicate script id {script.id!r}"))
        scripts[script.id] = script
    if problems:
        raise ScriptLoadError(problems)
    return scripts


def check_scripts(directory: Path, catalogs: Catalogs) -> list[ScriptProblem]:
    """Lint a folder of scripts: shape, step references, message ids and script chaining."""
    try:
        scripts = load_scripts(directory)
    except ScriptLoadError as exc:
        return exc.problems
    problems: list[ScriptProblem] = []
    for path in sorted(directory.glob("*.yaml")):
        raw = parse_yaml(path.read_text(encoding="utf-8"), str(path))
        script_id = raw.get("id") if isinstance(raw, dict) else None
        if script_id not in scripts:
            continue
        problems.extend(_check_one(scripts[script_id], scripts, raw, str(path), catalogs))
        problems.extend(
            ScriptProblem(str(path), line_of(raw, ("forms", index)), message)
            for index, message in form_problems(scripts[script_id])
        )
    return problems


def _check_one(
    script: Script, scripts: dict[str, Script], raw: object, file: str, catalogs: Catalogs
) -> list[ScriptProblem]:
    problems: list[ScriptProblem] = []
    ids = [step.id for step in script.steps]
    raw_steps = raw.get("steps", []) if isinstance(raw, dict) else []

    def line(index: int, key: str | None = None) -> int:
        node = raw_steps[index] if index < len(raw_steps) else None
        if key is not None and node is not None and key in getattr(node, "key_lines", {}):
            return int(node.key_lines[key])
        return int(getattr(node, "line", 1))

    def need_msg(msg_id: str, where: int) -> None:
        if not catalogs.has(msg_id):
            problems.append(
                ScriptProblem(file, where, f"message id {msg_id!r} is not in the catalog")
            )

    for msg_id in (script.title, script.intro):
        if msg_id:
            need_msg(msg_id, 1)
    if script.next_script and script.next_script not in scripts:
        problems.append(
            ScriptProblem(file, 1, f"next_script {script.next_script!r} does not exist")
        )
    seen: set[str] = set()
    stored = {step.store_as for step in script.steps if step.store_as}
    for index, step in enumerate(script.steps):
        if step.id in seen:
            problems.append(
                ScriptProblem(file, line(index, "id"), f"duplicate step id {step.id!r}")
            )
        seen.add(step.id)
        need_msg(step.prompt, line(index, "prompt"))
        need_msg(step.help, line(index, "help"))
        for option in step.options:
            need_msg(option.label, line(index, "options"))
        targets: list[str] = []
        if isinstance(step.next, str):
            targets.append(step.next)
        elif isinstance(step.next, list):
            targets.extend(t.goto for t in step.next)
        for key in ("loop_to", "edit"):
            value = getattr(step, key)
            if value:
                targets.append(value)
        for target in targets:
            if target not in ids and target not in _SPECIAL_TARGETS:
                problems.append(
                    ScriptProblem(
                        file,
                        line(index, "next"),
                        f"step {step.id!r}: goes to unknown step {target!r}",
                    )
                )
        for name, source in step.fields.items():
            asker = next((s for s in script.steps if s.store_as == source), None)
            if (
                asker is not None
                and step.record is not None
                and not asker.required
                and name in record_fields(step.record)
                and field_type(step.record, name).required
            ):
                problems.append(
                    ScriptProblem(
                        file,
                        line(ids.index(asker.id), "id"),
                        f"step {asker.id!r}: answers the required field {name!r} of the "
                        f"{step.record.value} record, so it must not be skipped: "
                        "add required: true",
                    )
                )
            if source != "$item" and source not in stored and source not in _CROSS_SCRIPT:
                problems.append(
                    ScriptProblem(
                        file,
                        line(index, "fields"),
                        f"step {step.id!r}: field {name!r} reads {source!r}, which no step stores",
                    )
                )
    return problems


#: Answers kept across scripts that a later script may read.
_CROSS_SCRIPT = frozenset({"scenario", "domains", "helix"})
