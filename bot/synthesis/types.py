"""The plain typed inputs and results of theme finding."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property


@dataclass(frozen=True)
class ThemeText:
    """One text to group into themes: a need, or the "I want" of a requirement.

    Attributes:
        key: Stable key of the contribution, for example ``need:12`` or ``req:3``.
        text: The verbatim text (quotes are taken from it unchanged).
        locale: Its language code (``en``, ``zh``...).
        domain: The domain code it belongs to; themes never span two domains.
        helix: The helix group of its author, when known.
        gap: Its gap score (importance × (6 − satisfaction)), when known.
        created_order: Position in creation order (ties broken by ``key``).
    """

    key: str
    text: str
    locale: str
    domain: str
    helix: str | None = None
    gap: float | None = None
    created_order: int = 0


@dataclass(frozen=True)
class Quote:
    """A member text shown verbatim, as a quote (never edited or summarised)."""

    key: str
    text: str
    locale: str


@dataclass(frozen=True)
class Theme:
    """A group of texts that say the same thing, within one domain, across languages.

    Attributes:
        id: Stable id (``t-<domain>-<n>``), kept from the previous run when its members mostly stay.
        domain: The domain code.
        labels: ``(locale, label)`` pairs: key words in each requested locale.
        member_keys: Keys of the member texts, sorted.
        groups: ``(helix, count)`` pairs, sorted by helix; texts without a helix are not counted.
        mean_gap: Mean gap score of the members that have one, or ``None``.
        quotes: Two or three members closest to the theme's centre, verbatim.
        new_keys: Members that were in no theme of the previous run, sorted.
        renamed: True when a moderator's label replaces the key words.
    """

    id: str
    domain: str
    labels: tuple[tuple[str, str], ...]
    member_keys: tuple[str, ...]
    groups: tuple[tuple[str, int], ...]
    mean_gap: float | None
    quotes: tuple[Quote, ...]
    new_keys: tuple[str, ...] = ()
    renamed: bool = False

    @property
    def size(self) -> int:
        """How many texts the theme holds."""
        return len(self.member_keys)

    @property
    def domains(self) -> tuple[str, ...]:
        """The domains the theme covers (one: themes are found within a domain)."""
        return (self.domain,)

    def label(self, locale: str) -> str:
        """The label in ``locale``, else the first label there is."""
        for code, text in self.labels:
            if code == locale:
                return text
        return self.labels[0][1] if self.labels else self.id

    def as_previous(self) -> PreviousTheme:
        """What the next run needs to keep this theme's id."""
        return PreviousTheme(id=self.id, domain=self.domain, member_keys=self.member_keys)


@dataclass(frozen=True)
class PreviousTheme:
    """A theme of an earlier run: its id and members (what id stability is matched on)."""

    id: str
    domain: str
    member_keys: tuple[str, ...]


@dataclass(frozen=True)
class ThemeOverrides:
    """Moderators' decisions, applied on every run.

    Attributes:
        renames: Theme id → label that replaces the key words in every locale.
        moves: Text key → theme id it is pinned to, whatever the clustering says.
            A pin to an id that no longer exists keeps that id alive for the pinned texts.
    """

    renames: Mapping[str, str] = field(default_factory=dict)
    moves: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ThemeRun:
    """The result of one theme finding.

    Attributes:
        themes: Every theme, sorted by domain then size (largest first) then id.
        assignment: ``(text key, theme id)`` pairs for every text, sorted by key.
        encoder: ``name@version`` of the encoder whose vectors were clustered.
    """

    themes: tuple[Theme, ...]
    assignment: tuple[tuple[str, str], ...]
    encoder: str

    @cached_property
    def _theme_by_key(self) -> dict[str, str]:
        return dict(self.assignment)

    def theme_of(self, key: str) -> str | None:
        """The theme id of text ``key``, or ``None`` if it was not themed."""
        return self._theme_by_key.get(key)

    def by_id(self) -> dict[str, Theme]:
        """Themes keyed by id."""
        return {theme.id: theme for theme in self.themes}

    def previous(self) -> tuple[PreviousTheme, ...]:
        """This run's themes as the ``previous`` input of the next run."""
        return tuple(theme.as_previous() for theme in self.themes)
