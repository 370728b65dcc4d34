"""Message catalogs: one YAML file per locale, validated at load."""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import yaml

from flows.text import Listing, Literal, Localized, Msg, Param, Text

#: libyaml's parser when PyYAML was built with it, else Python's.
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: The locale every other catalog falls back to.
BASE_LOCALE = "en"


class CatalogError(Exception):
    """A catalog is missing, malformed or inconsistent with the base locale."""


@dataclass(frozen=True)
class Catalogs:
    """All locales' messages, and the words that commands and answers accept.

    Attributes:
        messages: ``locale -> message id -> template``.
        words: ``locale -> word list id -> accepted words`` (lower case).
    """

    messages: dict[str, dict[str, str]]
    words: dict[str, dict[str, tuple[str, ...]]]
    _word_cache: dict[str, frozenset[str]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @property
    def locales(self) -> tuple[str, ...]:
        """Locale codes with a catalog, base locale first."""
        rest = sorted(code for code in self.messages if code != BASE_LOCALE)
        return (BASE_LOCALE, *rest)

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
        """Render a text reference or parameter in ``locale``."""
        if isinstance(text, Msg):
            params = {key: self.render(value, locale) for key, value in text.params.items()}
            return _fill(self.template(text.id, locale), params)
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
            return sep.join(self.render(item, locale) for item in text.items)
        return str(text)


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
    for path in sorted(folder.glob("*.yaml")):
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
        if not isinstance(raw, dict) or not isinstance(raw.get("messages"), dict):
            raise CatalogError(f"{path}: expected a mapping with 'messages'")
        locale = path.stem
        messages[locale] = {str(k): str(v).rstrip("\n") for k, v in raw["messages"].items()}
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
            if placeholders(template) - placeholders(base[key]):
                raise CatalogError(
                    f"{locale}.yaml: {key!r} uses placeholders "
                    f"{sorted(placeholders(template) - placeholders(base[key]))} "
                    f"that {BASE_LOCALE}.yaml does not pass"
                )
    return Catalogs(messages=messages, words=words)
