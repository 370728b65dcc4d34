"""Message catalogs: every locale complete and consistent; every script message exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from flows.catalog import CatalogError, load_catalogs, placeholders
from flows.loader import shipped_scripts_dir
from flows.locale_format import plural_categories
from flows.scriptset import load_scripts


def test_every_locale_has_every_message_with_the_same_placeholders() -> None:
    catalogs = load_catalogs()
    base = catalogs.messages["en"]
    assert set(catalogs.locales) >= {"en", "zh"}
    for locale in catalogs.locales:
        table = catalogs.messages[locale]
        assert set(table) == set(base), locale
        for key, template in table.items():
            assert placeholders(template) == placeholders(base[key]), (locale, key)


def test_every_script_message_is_in_the_catalog() -> None:
    catalogs = load_catalogs()
    for script in load_scripts(shipped_scripts_dir()).values():
        for step in script.steps:
            assert catalogs.has(step.prompt) and catalogs.has(step.help), step.id
            for option in step.options:
                assert catalogs.has(option.label), option.label


def test_help_is_the_same_words_everywhere_and_lists_every_command() -> None:
    catalogs = load_catalogs()
    text = catalogs.template("help.commands", "en")
    for word in ("help", "back", "skip", "repeat", "stop", "lang", "my data", "forget me"):
        assert word in text


def test_a_catalog_with_a_stray_placeholder_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "en.yaml").write_text("messages:\n  greet: 'Hello {name}'\n", encoding="utf-8")
    (tmp_path / "xx.yaml").write_text("messages:\n  greet: 'Salut {nom}'\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="nom"):
        load_catalogs(tmp_path)


def test_every_plural_message_gives_the_forms_of_each_locale_plural_rule() -> None:
    catalogs = load_catalogs()
    plural = sorted(catalogs.plurals["en"])
    assert {"count.needs", "staff.progress", "digest.coverage_more"} <= set(plural)
    for locale in catalogs.locales:
        wanted = plural_categories(locale)
        for key in plural:
            forms = catalogs.plurals[locale].get(key)
            if forms is None:
                assert wanted == {"other"}, (locale, key)  # a plain string is one form
            else:
                assert set(forms) == wanted, (locale, key)
            for form in (forms or {"other": catalogs.messages[locale][key]}).values():
                assert placeholders(form) <= placeholders(catalogs.messages["en"][key])


def test_every_help_names_every_language_by_its_code_or_its_name() -> None:
    catalogs = load_catalogs()
    assert {"en", "zh", "es", "fr", "ar"} <= set(catalogs.locales)
    for locale in catalogs.locales:
        text = catalogs.template("help.commands", locale)
        for code in catalogs.locales:
            named = catalogs.template(f"language.{code}", locale)
            assert re.search(rf"\b{code}\b", text) or named in text, (locale, code)
