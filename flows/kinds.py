"""The closed sets of the product, defined once: tiers, helix groups, roles, statuses.

Every layer names these values through the enums below; the database stores their
``value`` strings, so the enums are ``StrEnum`` and compare equal to them.
"""

from __future__ import annotations

from enum import StrEnum


class Tier(StrEnum):
    """The three tiers of the method, in the order a participant walks them."""

    MACRO = "macro"
    MESO = "meso"
    MICRO = "micro"

    @classmethod
    def parse(cls, text: str) -> Tier | None:
        """The tier named by ``text`` (any case, surrounding space ignored), or ``None``."""
        try:
            return cls(text.strip().lower())
        except ValueError:
            return None


#: Tiers in walking order (``list(Tier)`` keeps declaration order; this names the intent).
TIER_ORDER: tuple[Tier, ...] = (Tier.MACRO, Tier.MESO, Tier.MICRO)


class HelixGroup(StrEnum):
    """The quadruple helix: the four stakeholder groups of the method."""

    GOVERNMENT = "government"
    INDUSTRY = "industry"
    ACADEMIA = "academia"
    CIVIL_SOCIETY = "civil_society"


class Role(StrEnum):
    """What a person may do in a workshop."""

    CITIZEN = "citizen"
    MODERATOR = "moderator"
    FACILITATOR = "facilitator"


#: Roles that belong to the workshop's staff (listed apart from citizens in counts).
STAFF_ROLES: frozenset[Role] = frozenset({Role.MODERATOR, Role.FACILITATOR})


class Status(StrEnum):
    """Moderation status of a contribution."""

    PENDING = "pending"
    APPROVED = "approved"
    HIDDEN = "hidden"


class ScheduleKind(StrEnum):
    """What a schedule row fires."""

    DIGEST = "digest"
    REMINDER = "reminder"


class DigestStatus(StrEnum):
    """Where a digest is in its life: claimed, drafted, approved, posting, posted or skipped."""

    CLAIMED = "claimed"
    DRAFT = "draft"
    APPROVED = "approved"
    #: Written (with the time) just before the platform call: after a crash the
    #: reconciler looks for the post on the platform before posting again.
    POSTING = "posting"
    POSTED = "posted"
    SKIPPED = "skipped"


class Origin(StrEnum):
    """How a contribution came in: chat, a file (paper or survey), or a volunteer (assisted)."""

    CHAT = "chat"
    IMPORT = "import"
    ASSISTED = "assisted"
