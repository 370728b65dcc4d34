"""Message catalogs: one YAML file per locale, validated at load."""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import yaml

from flows.direction import embed, isolate, mark_lines, mark_template
from flows.locale_format import (
    PLURAL_CATEGORIES,
    format_date,
    format_datetime,
    format_number,
    format_time,
    plural_categories,
    plural_category,
)
from flows.text import Listing, Literal, Localized, Moment, Msg, Number, Param, Text

#: libyaml's parser when PyYAML was built with it, else Python's.
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: The locale every other catalog falls back to.
BASE_LOCALE = "en"
#: The parameter whose value picks the plural form of a plural message.
PLURAL_PARAM = "count"


class CatalogError(Exception):
    """A catalog is missing, malformed or inconsistent with the base locale."""


@dataclass(frozen=True)
class Catalogs:
    """All locales' messages, and the words that commands and answers accept.

    A plural message is written in YAML as a mapping from CLDR plural categories
    to templates, chosen by its ``{count}`` parameter with the locale's plural rule
    (through Babel)::

        digest.stakeholders_more:
          one: "…and {count} more stakeholder."
          other: "…and {count} more stakeholders."

    Each locale lists exactly the categories its rule uses (``en``: one, other;
    ``ar``: zero, one, two, few, many, other); a locale whose rule has only
    ``other`` (``zh``) may give a plain string.

    Attributes:
        messages: ``locale -> message id -> template`` (a plural message's ``other`` form).
        words: ``locale -> word list id -> accepted words`` (lower case).
        plurals: ``locale -> message id -> plural category -> template``.
    """

    messages: dict[str, dict[str, str]]
    words: dict[str, dict[str, tuple[str, ...]]]
    plurals: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    _word_cache: dict[str, frozenset[str]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @property
    def locales(self) -> tuple[str, ...]:
        """Locale codes with a catalog, base locale first."""
        rest = sorted(code for code in self.messages if code != BASE_LOCALE)
        return (BASE_LOCALE, *rest)

    def text_locale(self, locale: str) -> str:
        """The locale whose catalog ``locale`` is shown from: itself, else the base locale."""
        return locale if locale in self.messages else BASE_LOCALE

    def has(self, msg_id: str) -> bool:
        """Whether the base locale defines ``msg_id``."""
        return msg_id in self.messages[BASE_LOCALE]

    def template(self, msg_id: str, locale: str) -> str:
        """Return the template for ``msg_id`` in ``locale``, falling back to the base locale.

        Raises:
            KeyError: The base locale does not define ``msg_id`` either.
        """
        found = self.messages.get(locale, {}).get(msg_id)
        if found is not None:
            return found
        return self.messages[BASE_LOCALE][msg_id]

    def is_plural(self, msg_id: str) -> bool:
        """Whether the base locale writes ``msg_id`` with plural forms."""
        return msg_id in self.plurals.get(BASE_LOCALE, {})

    def plural_template(self, msg_id: str, locale: str, count: float) -> str:
        """The form of plural message ``msg_id`` for ``count`` in ``locale`` (or the base)."""
        forms = self.plurals.get(locale, {}).get(msg_id)
        rule_locale = locale
        if forms is None:
            if msg_id in self.messages.get(locale, {}):
                return self.messages[locale][msg_id]
            forms, rule_locale = self.plurals[BASE_LOCALE][msg_id], BASE_LOCALE
        return forms.get(plural_category(count, rule_locale), forms["other"])

    def all_words(self, word_id: str) -> frozenset[str]:
        """Words accepted for ``word_id`` in any locale (participants mix languages)."""
        cached = self._word_cache.get(word_id)
        if cached is None:
            found: set[str] = set()
            for table in self.words.values():
                found.update(table.get(word_id, ()))
            cached = self._word_cache[word_id] = frozenset(found)
        return cached

    def labels(self, msg_id: str) -> frozenset[str]:
        """The message rendered in every locale, case-folded (for matching typed answers)."""
        return frozenset(
            table[msg_id].casefold() for table in self.messages.values() if msg_id in table
        )

    def render(self, text: Text | Param, locale: str) -> str:
        """Render a text reference or parameter in ``locale``.

        In a right-to-left locale a message or list also carries the direction
        marks of :mod:`flows.direction`: RLM at the start of each line, each
        interpolated value and each Latin run of the template isolated. Other
        locales, and a locale without a catalog (its text is the base locale's),
        get the text unchanged.
        """
        marks = self.text_locale(locale)
        shown = self._render(text, locale, marks)
        if isinstance(text, Msg | Listing):
            return mark_lines(shown, marks)
        return shown

    def _render(self, text: Text | Param, locale: str, marks: str) -> str:
        """``text`` in ``locale``, with the direction marks of locale ``marks``."""
        if isinstance(text, Msg):
            params = {key: self._value(value, locale, marks) for key, value in text.params.items()}
            count = _count(text.params.get(PLURAL_PARAM))
            if count is not None and self.is_plural(text.id):
                params[PLURAL_PARAM] = isolate(format_number(count, locale), marks)
                template = self.plural_template(text.id, locale, count)
            else:
                template = self.template(text.id, locale)
            return _fill(mark_template(template, marks), params)
        if isinstance(text, Number):
            return format_number(text.value, locale, text.decimals)
        if isinstance(text, Moment):
            if text.style == "date":
                return format_date(text.value, locale, text.timezone)
            if text.style == "time":
                return format_time(text.value, locale, text.timezone)
            return format_datetime(text.value, locale, text.timezone)
        if isinstance(text, float):
            return format_number(text, locale)
        if isinstance(text, Localized):
            return (
                text.by_locale.get(locale)
                or text.by_locale.get(BASE_LOCALE)
                or next(iter(text.by_locale.values()), "")
            )
        if isinstance(text, Literal):
            return text.text
        if isinstance(text, Listing):
            sep = self.template("list.separator", locale)
            return sep.join(self._value(item, locale, marks) for item in text.items)
        return str(text)

    def _value(self, value: Text | Param, locale: str, marks: str) -> str:
        """A value filled into a message: isolated in a right-to-left locale."""
        shown = self._render(value, locale, marks)
        if isinstance(value, Msg | Listing):
            return embed(shown, marks)
        return isolate(shown, marks)


def _count(value: Param | None) -> float | None:
    if isinstance(value, Number):
        return value.value
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return value
    return None


class _Missing(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _fill(template: str, params: dict[str, str]) -> str:
    return string.Formatter().vformat(template, (), _Missing(params))


def placeholders(template: str) -> set[str]:
    """Names of the ``{placeholders}`` in a template."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def load_catalogs(directory: Path | None = None) -> Catalogs:
    """Load every ``<locale>.yaml`` in ``directory`` (the shipped catalogs by default).

    Raises:
        CatalogError: A file is malformed, or a locale lacks a base message or
            uses other placeholders than the base locale.
    """
    folder = directory or Path(str(resources.files("flows") / "catalogs"))
    messages: dict[str, dict[str, str]] = {}
    words: dict[str, dict[str, tuple[str, ...]]] = {}
    plurals: dict[str, dict[str, dict[str, str]]] = {}
    for path in sorted(folder.glob("*.yaml")):
        if "." in path.stem:
            continue  # ``ar.pending.<branch>.yaml``: texts waiting to be folded into ``ar.yaml``
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
        if not isinstance(raw, dict) or not isinstance(raw.get("messages"), dict):
            raise CatalogError(f"{path}: expected a mapping with 'messages'")
        locale = path.stem
        messages[locale], plurals[locale] = _read_messages(path.name, raw["messages"])
        words[locale] = {
            str(k): tuple(str(w).casefold() for w in v) for k, v in (raw.get("words") or {}).items()
        }
    if BASE_LOCALE not in messages:
        raise CatalogError(f"{folder}: no {BASE_LOCALE}.yaml catalog")
    base = messages[BASE_LOCALE]
    for locale, table in messages.items():
        for key, template in table.items():
            if key not in base:
                raise CatalogError(f"{locale}.yaml: {key!r} is not in {BASE_LOCALE}.yaml")
            forms = plurals[locale].get(key, {"other": template})
            for form in forms.values():
                if placeholders(form) - placeholders(base[key]):
                    raise CatalogError(
                        f"{locale}.yaml: {key!r} uses placeholders "
                        f"{sorted(placeholders(form) - placeholders(base[key]))} "
                        f"that {BASE_LOCALE}.yaml does not pass"
                    )
        for problem in plural_problems(locale, table, plurals[locale], plurals[BASE_LOCALE]):
            raise CatalogError(problem)
    return Catalogs(messages=messages, words=words, plurals=plurals)


def _read_messages(
    name: str, raw: dict[object, object]
) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    messages: dict[str, str] = {}
    plurals: dict[str, dict[str, str]] = {}
    for key, value in raw.items():
        if isinstance(value, dict):
            forms = {str(k): str(v).rstrip("\n") for k, v in value.items()}
            unknown = sorted(set(forms) - set(PLURAL_CATEGORIES))
            if unknown or "other" not in forms:
                raise CatalogError(
                    f"{name}: {key!r} must map plural categories "
                    f"({', '.join(PLURAL_CATEGORIES)}) to text, with 'other'; got {sorted(forms)}"
                )
            plurals[str(key)] = forms
            messages[str(key)] = forms["other"]
        else:
            messages[str(key)] = str(value).rstrip("\n")
    return messages, plurals


def plural_problems(
    locale: str,
    table: dict[str, str],
    forms: dict[str, dict[str, str]],
    base_forms: dict[str, dict[str, str]],
) -> list[str]:
    """What is wrong with the plural messages of one locale, one sentence each.

    A message that is plural in the base locale must give exactly the categories of
    ``locale``'s CLDR plural rule (a plain string is enough where the rule has only
    ``other``); a message that is not plural in the base locale must not be plural.
    """
    wanted = plural_categories(locale)
    problems: list[str] = []
    for key in sorted(table):
        given = forms.get(key)
        if key not in base_forms:
            if given is not None:
                problems.append(f"{locale}.yaml: {key!r} has plural forms but is not plural in en")
            continue
        if given is None:
            if wanted != {"other"}:
                problems.append(f"{locale}.yaml: {key!r} needs the plural forms {sorted(wanted)}")
        elif set(given) != wanted:
            problems.append(
                f"{locale}.yaml: {key!r} gives plural forms {sorted(given)}; "
                f"{locale} uses {sorted(wanted)}"
            )
    return problems
