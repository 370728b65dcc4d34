"""Every label and synonym the scripts and the library list picks its own option, alone.

A synonym that picks another option, or two, would make rule 9 a trap; this
walks every fixed option of every shipped script, every domain and every
scenario of the library, in every locale.
"""

from __future__ import annotations

from flows.catalog import load_catalogs
from flows.library import domain_options, domain_synonyms, scenario_library, scenario_option
from flows.loader import shipped_scripts_dir
from flows.matching import OptionMatcher
from flows.messages import Option
from flows.scriptset import load_scripts
from flows.text import Msg


def test_every_script_label_and_synonym_picks_its_own_option() -> None:
    catalogs = load_catalogs()
    checked = 0
    for script in load_scripts(shipped_scripts_dir()).values():
        for step in script.steps:
            if not step.options:
                continue
            options = [Option(o.value, Msg(o.label), tuple(o.synonyms)) for o in step.options]
            matcher = OptionMatcher(options, catalogs)
            for spec in step.options:
                words = [*spec.synonyms, spec.value]
                words += [catalogs.template(spec.label, loc) for loc in catalogs.locales]
                for word in words:
                    assert matcher.match(word) == spec.value, (step.id, word)
                    assert matcher.match(word.upper()) == spec.value, (step.id, word)
                    checked += 1
    assert checked > 150


def test_every_domain_and_scenario_name_picks_its_own_option() -> None:
    catalogs = load_catalogs()
    domains = OptionMatcher(domain_options(), catalogs, domain_synonyms())
    for code, synonyms in domain_synonyms().items():
        for word in (
            *synonyms,
            code,
            *(catalogs.template(f"domain.{code}", loc) for loc in catalogs.locales),
        ):
            assert domains.match(word) == code, word
    library = scenario_library()
    scenarios = OptionMatcher([scenario_option(s.code, s.title) for s in library], catalogs)
    for scenario in library:
        for title in scenario.title.values():
            assert scenarios.match(title) == scenario.code, title


def test_a_prefix_must_be_unique_and_long_enough() -> None:
    catalogs = load_catalogs()
    domains = OptionMatcher(domain_options(), catalogs, domain_synonyms())
    assert domains.match("hea") == "health"
    assert domains.match("he") is None  # too short to mean anything
    assert domains.resolve("wast").candidates == (10, 15)  # waste, or water (wastewater)
    assert domains.match("医") == "health"  # one ideograph is a word
    assert domains.match("１３") == "mobility"  # full-width number
    assert domains.match("17") is None
