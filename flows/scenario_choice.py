"""Which scenarios meso offers, in which order: those of the domains chosen in macro first.

Scenarios that touch a domain the participant chose in macro come first and
say so in their label; scenarios the participant has already described are
left out when they pick another one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from flows.messages import Option
from flows.text import Listing, Msg, Text

#: Answer key holding the scenarios the participant has named stakeholders for.
SCENARIOS_DONE_KEY = "_scenarios_done"


def scenarios_left(scenarios: Sequence[Option], answers: Mapping[str, object]) -> list[Option]:
    """The scenarios not yet described (all of them when every one has been)."""
    done = set(_strings(answers.get(SCENARIOS_DONE_KEY)))
    left = [o for o in scenarios if o.value not in done]
    return left or list(scenarios)


def any_scenario_left(scenarios: Sequence[Option], answers: Mapping[str, object]) -> bool:
    """Whether some scenario has not been described yet."""
    done = set(_strings(answers.get(SCENARIOS_DONE_KEY)))
    return any(o.value not in done for o in scenarios)


def scenario_options(
    scenarios: Sequence[Option],
    scenario_domains: Mapping[str, Sequence[str]],
    answers: Mapping[str, object],
    domains: Sequence[Option],
    *,
    marked: bool,
) -> list[Option]:
    """The scenarios to offer, those touching the chosen domains first (each group in order).

    Args:
        scenarios: The workshop's scenarios in their own order.
        scenario_domains: Domain codes per scenario code.
        answers: The participant's answers (``domains`` from macro, scenarios done).
        domains: The domain options (their labels name the shared domains).
        marked: Whether matching scenarios' labels say which chosen domains they touch
            (for showing; matching typed input uses the plain titles).
    """
    chosen = _strings(answers.get("domains"))
    labels = {o.value: o.label for o in domains}
    first: list[Option] = []
    rest: list[Option] = []
    for option in scenarios_left(scenarios, answers):
        shared = [d for d in chosen if d in scenario_domains.get(option.value, ())]
        if not shared:
            rest.append(option)
            continue
        label: Text = option.label
        if marked:
            names = Listing(tuple(labels.get(d, Msg(f"domain.{d}")) for d in shared))
            label = Msg("meso.scenario.matching", {"title": option.label, "domains": names})
        first.append(Option(option.value, label))
    return first + rest


def _strings(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []
