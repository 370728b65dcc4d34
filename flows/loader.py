"""Load scripts from YAML, keeping line numbers so errors point at ``file:line``."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from flows.records import field_type, record_fields
from flows.script import Script, Step, StepKind


@dataclass(frozen=True)
class ScriptProblem:
    """A problem found in a script file."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class ScriptLoadError(Exception):
    """Raised when one or more scripts are invalid."""

    def __init__(self, problems: list[ScriptProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class _LineDict(dict[str, Any]):
    """A mapping that remembers the line of itself and of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]


class _LineList(list[Any]):
    line: int = 0
    item_lines: list[int]


try:  # libyaml's parser when PyYAML was built with it (about ten times faster)
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - PyYAML without libyaml
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]


class _LineLoader(_BaseLoader):
    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> _LineDict:  # type: ignore[override]
        mapping = _LineDict(
            {str(k): v for k, v in super().construct_mapping(node, deep=True).items()}
        )
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {
            str(key_node.value): key_node.start_mark.line + 1 for key_node, _ in node.value
        }
        return mapping

    def construct_sequence(self, node: yaml.SequenceNode, deep: bool = False) -> _LineList:
        items = _LineList(super().construct_sequence(node, deep=True))
        items.line = node.start_mark.line + 1
        items.item_lines = [child.start_mark.line + 1 for child in node.value]
        return items


_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _LineLoader.construct_mapping,
)
_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG,
    _LineLoader.construct_sequence,
)


def parse_yaml(text: str, file: str) -> Any:
    """Parse YAML keeping line numbers.

    Raises:
        ScriptLoadError: The text is not valid YAML.
    """
    try:
        return yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise ScriptLoadError([ScriptProblem(file, line, f"YAML: {exc.problem}")]) from exc


def line_of(data: Any, loc: tuple[int | str, ...]) -> int:
    """Return the line of the deepest node on ``loc`` that has a known line."""
    line = getattr(data, "line", 1)
    node = data
    for part in loc:
        if isinstance(node, _LineDict) and isinstance(part, str):
            line = node.key_lines.get(part, line)
            if part not in node:
                break
            node = node[part]
        elif isinstance(node, _LineList) and isinstance(part, int) and part < len(node):
            line = node.item_lines[part]
            node = node[part]
        else:
            break
    return line


def load_script_text(text: str, file: str) -> Script:
    """Parse and validate one script.

    Raises:
        ScriptLoadError: The YAML or the script's shape is invalid.
    """
    data = parse_yaml(text, file)
    try:
        script = Script.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            where = _describe(data, loc)
            msg = err["msg"].removeprefix("Value error, ")
            problems.append(ScriptProblem(file, line_of(data, loc), f"{where}: {msg}"))
        raise ScriptLoadError(problems) from exc
    problems = record_problems(script, data, file)
    if problems:
        raise ScriptLoadError(problems)
    return script


def record_problems(script: Script, data: Any, file: str) -> list[ScriptProblem]:
    """Check each step's ``fields:`` against the typed model of its ``record:``.

    An unknown field is reported at its own line, a missing one at the ``fields:`` key.
    """
    problems: list[ScriptProblem] = []
    for index, step in enumerate(script.steps):
        if step.record is None:
            continue
        expected = record_fields(step.record)
        given = list(step.fields)
        at = ("steps", index, "fields")
        for name in given:
            if name not in expected:
                problems.append(
                    ScriptProblem(
                        file,
                        line_of(data, (*at, name)),
                        f"step {step.id!r}: unknown field {name!r} for a {step.record} record; "
                        f"its fields are {', '.join(expected)}",
                    )
                )
        problems.extend(_answer_problems(script, step, data, file, at))
        missing = [name for name in expected if name not in given]
        if missing:
            problems.append(
                ScriptProblem(
                    file,
                    line_of(data, at),
                    f"step {step.id!r}: a {step.record} record needs the field(s) "
                    f"{', '.join(missing)}",
                )
            )
    return problems


def _answer_problems(
    script: Script, step: Step, data: Any, file: str, at: tuple[str | int, ...]
) -> list[ScriptProblem]:
    """A scale field must be answered by a scale step; an enum field only with its values."""
    assert step.record is not None
    problems: list[ScriptProblem] = []
    answered_by = {s.store_as: s for s in script.steps if s.store_as}
    for name, source in step.fields.items():
        source_step = answered_by.get(source)
        if source_step is None or name not in record_fields(step.record):
            continue  # ``$item`` or an answer of an earlier script
        wanted = field_type(step.record, name)
        line = line_of(data, (*at, name))
        if wanted.whole_number and source_step.kind != StepKind.SCALE:
            problems.append(
                ScriptProblem(
                    file,
                    line,
                    f"step {step.id!r}: field {name!r} is a number, but step "
                    f"{source_step.id!r} is a {source_step.kind} step",
                )
            )
        if wanted.closed_set is not None:
            unknown = [o.value for o in source_step.options if o.value not in wanted.closed_set]
            if unknown:
                problems.append(
                    ScriptProblem(
                        file,
                        line,
                        f"step {step.id!r}: field {name!r} takes "
                        f"{', '.join(sorted(wanted.closed_set))}; step {source_step.id!r} "
                        f"offers {', '.join(unknown)}",
                    )
                )
    return problems


def _describe(data: Any, loc: tuple[int | str, ...]) -> str:
    """``("steps", 3, "kind")`` → ``"step 'mood', kind"``, naming the step by its raw id."""
    if len(loc) >= 2 and loc[0] == "steps" and isinstance(loc[1], int):
        steps = data.get("steps") if isinstance(data, dict) else None
        raw = steps[loc[1]] if isinstance(steps, list) and loc[1] < len(steps) else None
        name = raw.get("id") if isinstance(raw, dict) else None
        head = f"step {name!r}" if name else f"step #{loc[1] + 1}"
        rest = ".".join(str(p) for p in loc[2:])
        return f"{head}, {rest}" if rest else head
    return ".".join(str(p) for p in loc) or "script"


def load_script_file(path: Path) -> Script:
    """Load one script file (see :func:`load_script_text`)."""
    return load_script_text(path.read_text(encoding="utf-8"), str(path))


def shipped_scripts_dir() -> Path:
    """Directory of the scripts shipped with the package."""
    return Path(str(resources.files("flows") / "scripts"))


def data_file(name: str) -> Any:
    """Load a shipped data YAML file from ``flows/data``."""
    path = Path(str(resources.files("flows") / "data" / name))
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_BaseLoader)
