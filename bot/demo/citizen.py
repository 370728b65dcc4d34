"""A simulated participant that answers whatever the bot asks, with seeded randomness."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from flows.render import RenderedReply

HELIX = ("government", "industry", "academia", "civil_society")
#: Domains simulated people care about most often (so the digest has a clear top).
FAVOURITE_DOMAINS = (13, 6, 7, 10, 5, 4, 8, 12)


@cache
def phrases() -> dict[str, Any]:
    """The demo's phrase bank."""
    path = Path(str(resources.files("bot.demo") / "phrases.yaml"))
    loaded: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return loaded


@cache
def needs_bank() -> dict[str, dict[str, list[str]]]:
    """Needs that fit their domain, by locale then domain code."""
    path = Path(str(resources.files("bot.demo") / "needs.yaml"))
    loaded: dict[str, dict[str, list[str]]] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return loaded


@dataclass
class SimulatedCitizen:
    """Answers prompts like a person would, including the odd mistake or command.

    Attributes:
        user_id: Platform user id.
        locale: ``en`` or ``zh``.
        helix: The group the person speaks for.
        rng: Seeded random source.
        mistakes: Probability of sending an invalid answer or a command first.
    """

    user_id: str
    locale: str
    helix: str
    rng: random.Random
    mistakes: float = 0.08
    stakeholders_wanted: int = 3
    links_wanted: int = 2
    requirements_wanted: int = 2
    _sh_helix: str = "civil_society"
    _counts: dict[str, int] = field(default_factory=dict)
    #: Domain codes picked, in the order the macro tier asks about them.
    _domains: list[str] = field(default_factory=list)
    _domain_at: int = -1
    turns: int = 0

    def answer(self, replies: list[RenderedReply]) -> str | None:
        """What to send next, or ``None`` when there is nothing left to answer."""
        asking = next((r for r in reversed(replies) if r.step), None)
        if asking is None:
            return None
        self.turns += 1
        if self.rng.random() < self.mistakes:
            if asking.step_kind == "text":
                return self.rng.choice(["help", "repeat", "", "🙂🙂"])
            return self.rng.choice(["99", "help", "repeat", "", "🙂🙂", "@everyone"])
        return self._valid(asking)

    def _valid(self, r: RenderedReply) -> str:
        step, kind, count = r.step or "", r.step_kind, len(r.buttons)
        rng = self.rng
        if kind in ("yes_no", "confirm"):
            return "yes" if self.locale == "en" or rng.random() < 0.5 else "是"
        if kind == "loop":
            wanted = {
                "sh_more": self.stakeholders_wanted,
                "link_more": self.links_wanted,
                "req_more": self.requirements_wanted,
            }.get(step, 0)
            done = self._counts.get(step, 0) + 1
            self._counts[step] = done
            return "yes" if done < wanted else "no"
        if kind == "scale":
            if step == "importance":
                self._domain_at += 1  # one importance answer opens each picked domain
            if step in ("importance", "sh_interest"):
                return str(rng.choice([3, 4, 4, 5, 5]))
            if step == "satisfaction":
                return str(rng.choice([1, 2, 2, 3, 4]))
            return str(rng.randint(1, 5))
        if kind == "multi_choice":
            if step == "domains":
                picks = (
                    rng.sample(FAVOURITE_DOMAINS, 2)
                    if rng.random() < 0.7
                    else [rng.randint(1, count)]
                )
                self._domains = [r.buttons[p - 1].value for p in picks if p <= count]
                self._domain_at = -1
                return ", ".join(str(p) for p in picks)
            if rng.random() < 0.5:
                return "none"
            return str(rng.randint(1, count))
        if kind in ("choice", "stakeholder_pick"):
            if step == "helix":
                return str(HELIX.index(self.helix) + 1)
            if step == "sh_helix":
                return str(HELIX.index(self._sh_helix) + 1)
            return str(rng.randint(1, max(count, 1)))
        return self._text(step)

    def _text(self, step: str) -> str:
        bank = phrases()
        if step == "sh_name":
            self._sh_helix = self.rng.choice(HELIX)
            key = "stakeholders_zh" if self.locale == "zh" else "stakeholders"
            return str(self.rng.choice(bank[key][self._sh_helix]))
        if step == "need_text":
            domain = (
                self._domains[self._domain_at] if 0 <= self._domain_at < len(self._domains) else ""
            )
            fitting = needs_bank().get(self.locale, {}).get(domain)
            if fitting:
                return str(self.rng.choice(fitting))
        texts = bank["text"][self.locale]
        return str(self.rng.choice(texts.get(step) or texts["need_text"]))
