"""Assisted entry: a volunteer types a resident's answers in, under a new pseudonym.

A library help desk, a phone call, a home visit: the resident answers, the volunteer
types. The resident becomes an ordinary participant on the platform ``assisted``
whose user id is a short reference code, printed for the paper form. With the code
the volunteer can later open the same conversation for ``my data`` or ``forget me``.
The code itself is never stored, only its pseudonym, like every other user id.
Staff do the same from chat with ``!assist`` (:mod:`bot.app.assist_sessions`).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from storage.assistance import AssistanceInfo
from storage.store import Store

#: The platform of assisted participants (their contributions are counted apart).
ASSISTED_PLATFORM = "assisted"
#: Letters and digits that cannot be misread for each other (no I/1, O/0, U/V).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTWXYZ23456789"
_GROUP = 4
_CODE = re.compile(rf"^[{CODE_ALPHABET}]{{{2 * _GROUP}}}$")
#: ``(platform, user_id) -> pseudonym`` (the router's ``pseudonym_for``).
PseudonymOf = Callable[[str, str], str]
#: How consent can be given when someone else types.
CONSENT_MODES = ("spoken", "paper")
#: What a reference code looks like, for messages that refuse a wrong one.
CODE_FORMAT = (
    "8 letters and digits such as K7QM-2XDR (no I, L, O, U, V, 0 or 1; any case, spaces or dashes)"
)


@dataclass(frozen=True)
class AssistedSeat:
    """The conversation a volunteer types into: user id, code to print, who is helped."""

    user_id: str
    code: str
    info: AssistanceInfo


def new_code() -> str:
    """A fresh reference code such as ``K7QM-2XDR`` (8 characters, about 39 bits)."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(2 * _GROUP))
    return f"{raw[:_GROUP]}-{raw[_GROUP:]}"


def normalise_code(text: str) -> str | None:
    """The code as the volunteer typed it (any case, spaces or dashes), or ``None``."""
    raw = re.sub(r"[\s\-]", "", text).upper()
    return raw if _CODE.match(raw) else None


def pretty(raw: str) -> str:
    """``K7QM2XDR`` as printed: ``K7QM-2XDR``."""
    return f"{raw[:_GROUP]}-{raw[_GROUP:]}"


def resident_pseudonym(pseudonym_of: PseudonymOf, raw: str) -> str:
    """The pseudonym of the resident with the reference code ``raw`` (as normalised)."""
    return pseudonym_of(ASSISTED_PLATFORM, raw)


def paper_form(file_name: str, volunteer: str) -> AssistanceInfo:
    """Who brought a resident's paper form in: the file it was typed into, and who imported it."""
    return AssistanceInfo(f"paper form, {file_name}"[:200], volunteer[:100], "paper")


def open_assisted(
    store: Store,
    pseudonym_of: PseudonymOf,
    workshop_id: int,
    label: str,
    volunteer: str,
    consent_mode: str,
    code: str | None = None,
) -> AssistedSeat:
    """Start assisted entry for a new resident: a code, and who helps, kept.

    Args:
        store: The database.
        pseudonym_of: ``(platform, user_id) -> pseudonym``.
        workshop_id: The workshop the resident answers.
        label: Who is helped, as the volunteer names them.
        volunteer: Who types.
        consent_mode: How the resident consented (:data:`CONSENT_MODES`).
        code: The code printed on the resident's paper form (``cityneeds form``),
            already checked with :func:`normalise_code`; a new one when ``None``.

    Raises:
        ValueError: ``consent_mode`` is not one of :data:`CONSENT_MODES`, or ``code``
            is not a reference code.
    """
    if consent_mode not in CONSENT_MODES:
        raise ValueError(f"consent must be one of {', '.join(CONSENT_MODES)}")
    raw = new_code().replace("-", "") if code is None else normalise_code(code)
    if raw is None:
        raise ValueError(f"not a reference code: {code!r}")
    code = pretty(raw)
    info = AssistanceInfo(label.strip()[:200], volunteer[:100], consent_mode)
    store.record_assistance(workshop_id, resident_pseudonym(pseudonym_of, raw), info)
    return AssistedSeat(raw, code, info)


def reopen_assisted(
    store: Store, pseudonym_of: PseudonymOf, workshop_id: int, typed: str
) -> AssistedSeat | None:
    """The resident behind a reference code, or ``None`` if the code is unknown here."""
    raw = normalise_code(typed)
    if raw is None:
        return None
    info = store.assistance_of(workshop_id, resident_pseudonym(pseudonym_of, raw))
    return None if info is None else AssistedSeat(raw, pretty(raw), info)
