"""Read a CSV of needs and check every row as chat answers are checked.

The rules are the macro script's own: the scale and text steps that feed the
``need`` record give the limits, and ``flows.answers`` judges each value. A row
either becomes a :class:`NeedRow` or a :class:`Problem` naming its line, what is
wrong and what is valid.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from bot.app.assisted import CODE_FORMAT, normalise_code, pretty
from flows.answers import Accepted, OptionMatcher, Verdict, echo, parse_scale, parse_text
from flows.catalog import Catalogs
from flows.kinds import HelixGroup
from flows.library import default_domains, domain_options, domain_synonyms
from flows.messages import RecordKind
from flows.normalize import clean_text, fold
from flows.script import Script, Step
from flows.survey_columns import (
    COLUMN_OF_NEED_FIELD,
    GROUP_COLUMN,
    LANGUAGE_COLUMN,
    OPTIONAL_COLUMNS,
    REFERENCE_COLUMN,
    REQUIRED_COLUMNS,
)

#: Which field of the macro script's ``need`` record each value column feeds.
_FIELD_OF = {column: field for field, column in COLUMN_OF_NEED_FIELD.items() if column != "domain"}


@dataclass(frozen=True)
class NeedRow:
    """One valid row.

    Attributes:
        line: The file line the row starts on.
        helix: Helix group code.
        locale: Locale code.
        domain: Domain code.
        importance: 1–5, or ``None`` when left blank (the step may be skipped in chat).
        satisfaction: Likewise.
        text: The need, cleaned.
        hmw: The "how might we" question, if given.
        reference: The resident's reference code, normalised (``K7QM2XDR``), if given:
            rows with the same code are one resident's needs.
    """

    line: int
    helix: str
    locale: str
    domain: str
    importance: int | None
    satisfaction: int | None
    text: str
    hmw: str | None
    reference: str | None = None


@dataclass(frozen=True)
class Problem:
    """Something wrong with the file, at a line (0: the file as a whole)."""

    line: int
    message: str


class NeedRules:
    """The checks a row goes through, built from the shipped script and catalogs.

    Args:
        macro: The macro script (its ``need`` record names the steps to reuse).
        catalogs: Catalogs: locales, and domain names in every locale.
    """

    def __init__(self, macro: Script, catalogs: Catalogs) -> None:
        self.catalogs = catalogs
        self.steps = _need_steps(macro)
        synonyms: dict[str, Sequence[str]] = dict(domain_synonyms())
        self.matcher = OptionMatcher(domain_options(), catalogs, synonyms)
        self.locales = catalogs.locales
        self.groups = tuple(g.value for g in HelixGroup)
        self.domain_codes = tuple(d.code for d in default_domains())

    def check(self, line: int, values: dict[str, str]) -> NeedRow | list[Problem]:
        """Turn one row's raw values into a :class:`NeedRow`, or say everything wrong with it."""
        problems: list[str] = []
        helix = self._group(values["group"], problems)
        locale = self._language(values["language"], problems)
        domain = self._domain(values["domain"], problems)
        importance = self._scale("importance", values["importance"], problems)
        satisfaction = self._scale("satisfaction", values["satisfaction"], problems)
        text = self._text("need", values["need"], problems)
        hmw = self._text("how_might_we", values.get("how_might_we", ""), problems)
        reference = self._reference(values.get(REFERENCE_COLUMN, ""), problems)
        if problems:
            return [Problem(line, p) for p in problems]
        assert helix and locale and domain and text
        return NeedRow(line, helix, locale, domain, importance, satisfaction, text, hmw, reference)

    def _reference(self, raw: str, problems: list[str]) -> str | None:
        if not raw.strip():
            return None
        code = normalise_code(raw)
        if code is None:
            problems.append(
                f"{REFERENCE_COLUMN} {_quote(raw)} is not a reference code; valid: {CODE_FORMAT}"
            )
        return code

    def _group(self, raw: str, problems: list[str]) -> str | None:
        folded = fold(raw).replace(" ", "_").replace("-", "_")
        if folded in self.groups:
            return folded
        # The paper form numbers the groups as the chat does.
        if folded.isdigit() and 1 <= int(folded) <= len(self.groups):
            return self.groups[int(folded) - 1]
        problems.append(
            f"group {_quote(raw)} is unknown; valid: {', '.join(self.groups)} "
            f"or its number on the paper form (1 to {len(self.groups)})"
        )
        return None

    def _language(self, raw: str, problems: list[str]) -> str | None:
        folded = fold(raw)
        if folded in self.locales:
            return folded
        problems.append(f"language {_quote(raw)} is unknown; valid: {', '.join(self.locales)}")
        return None

    def _domain(self, raw: str, problems: list[str]) -> str | None:
        # A number is the box ticked on the paper form, which lists the domains in
        # chat order (``cityneeds form``).
        folded = fold(raw)
        count = len(self.domain_codes)
        if folded.isdigit():
            found = self.domain_codes[int(folded) - 1] if 1 <= int(folded) <= count else None
        else:
            found = self.matcher.match(raw)
        if found is not None:
            return found
        problems.append(
            f"domain {_quote(raw)} is unknown; valid: a domain code "
            f"({', '.join(self.domain_codes)}), its name in {' or '.join(self.locales)}, "
            f"or its number on the paper form (1 to {count})"
        )
        return None

    def _scale(self, column: str, raw: str, problems: list[str]) -> int | None:
        step = self.steps[_FIELD_OF[column]]
        least, most = step.min or 0, step.max or 0
        if not raw.strip() and not step.required:
            return None
        verdict = parse_scale(raw, least, most)
        if isinstance(verdict, Accepted):
            return int(verdict.value)
        valid = f"valid: {least} to {most}"
        if not raw.strip():
            problems.append(f"{column} is empty; {valid}")
        elif verdict.reason.id == "error.scale_range":
            problems.append(f"{column} {_quote(raw)} is out of range; {valid}")
        else:
            problems.append(f"{column} {_quote(raw)} is not a whole number; {valid}")
        return None

    def _text(self, column: str, raw: str, problems: list[str]) -> str | None:
        step = self.steps[_FIELD_OF[column]]
        least, most = step.min or 1, step.max or 1000
        text = clean_text(raw)
        if not text and not step.required:
            return None
        verdict: Verdict = parse_text(text, least, most)
        if isinstance(verdict, Accepted):
            return str(verdict.value)
        valid = f"valid: text of {least} to {most} characters with letters or digits"
        reason = verdict.reason.id
        if reason == "error.text_empty":
            problems.append(f"{column} is empty; {valid}")
        elif reason == "error.text_too_long":
            problems.append(f"{column} is {len(text)} characters long; {valid}")
        elif reason == "error.text_no_words":
            problems.append(f"{column} {_quote(raw)} has no letters or digits; {valid}")
        else:
            problems.append(f"{column} {_quote(raw)} is too short; {valid}")
        return None


def read_rows(data: bytes, rules: NeedRules) -> tuple[list[NeedRow], list[Problem]]:
    """Every valid row of a CSV file and every problem found (a file is taken whole or not at all).

    UTF-8 with or without a byte-order mark, Excel-style quoting; blank lines are skipped.

    Args:
        data: The file's bytes.
        rules: The checks.
    """
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return [], [
            Problem(
                line,
                f"is not UTF-8 text (byte {exc.start + 1} of the file); "
                "valid: save it as “CSV UTF-8”",
            )
        ]
    records = _records(content)
    header = next(records, None)
    if header is None:
        return [], [Problem(1, f"the file is empty; valid: a header line {_header_hint()}")]
    columns, problems = _columns(header[0], header[1])
    if problems:
        return [], problems
    rows: list[NeedRow] = []
    for line, fields in records:
        if not any(f.strip() for f in fields):
            continue
        if len(fields) != len(columns):
            problems.append(
                Problem(
                    line,
                    f"the row has {len(fields)} fields, the header has {len(columns)}; valid: "
                    f"one value per column ({','.join(columns)}), quoted if it holds a comma",
                )
            )
            continue
        values = dict(zip(columns, fields, strict=True))
        checked = rules.check(line, values)
        if isinstance(checked, NeedRow):
            rows.append(checked)
        else:
            problems.extend(checked)
    problems.extend(_one_resident_per_code(rows))
    return rows, sorted(problems, key=lambda p: p.line)


def _one_resident_per_code(rows: Sequence[NeedRow]) -> list[Problem]:
    """Rows sharing a reference code are one resident: the same group and language on each."""
    first: dict[str, NeedRow] = {}
    problems: list[Problem] = []
    for row in rows:
        if row.reference is None:
            continue
        seen = first.setdefault(row.reference, row)
        for column, mine, theirs in (
            (GROUP_COLUMN, row.helix, seen.helix),
            (LANGUAGE_COLUMN, row.locale, seen.locale),
        ):
            if mine != theirs:
                problems.append(
                    Problem(
                        row.line,
                        f"{column} {_quote(mine)} differs from line {seen.line} "
                        f"({_quote(theirs)}) with the same reference {pretty(row.reference)}; "
                        f"valid: one {column} for all rows of one resident",
                    )
                )
    return problems


def _records(content: str) -> Iterator[tuple[int, list[str]]]:
    """Records with the line each starts on (a quoted field may span lines)."""
    reader = csv.reader(io.StringIO(content, newline=""), dialect="excel")
    line_of_next = 1
    for fields in reader:
        start = line_of_next
        line_of_next = reader.line_num + 1
        yield start, fields


def _columns(line: int, header: list[str]) -> tuple[list[str], list[Problem]]:
    names = [fold(h) for h in header]
    problems: list[Problem] = []
    known = (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)
    for index, name in enumerate(names):
        if name not in known:
            problems.append(
                Problem(line, f"unknown column {_quote(name)}; valid: {_header_hint()}")
            )
        elif name in names[:index]:
            problems.append(Problem(line, f"column {_quote(name)} appears twice; valid: once"))
    for name in REQUIRED_COLUMNS:
        if name not in names:
            problems.append(
                Problem(line, f"missing column {_quote(name)}; valid: {_header_hint()}")
            )
    return names, problems


def _header_hint() -> str:
    return f"{','.join(REQUIRED_COLUMNS)} (and optionally {', '.join(OPTIONAL_COLUMNS)})"


def _quote(raw: str) -> str:
    return f'"{echo(raw).text}"'


def _need_steps(macro: Script) -> dict[str, Step]:
    """The steps whose answers fill the ``need`` record, by record field."""
    confirm = next(s for s in macro.steps if s.record == RecordKind.NEED)
    by_store = {s.store_as: s for s in macro.steps if s.store_as}
    return {field: by_store[src] for field, src in confirm.fields.items() if src in by_store}
