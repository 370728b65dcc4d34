"""The first words to someone new: what the engine says before anything is stored.

A new participant's greeting (welcome, the first question) depends only on their
language and the scripts, not on the database. ``cityneeds chat`` shows it while the
store is still loading, then checks it against what the router says once it runs
(:func:`bot.adapters.console.run_console`'s ``shown``).
"""

from __future__ import annotations

from collections.abc import Collection

from bot.core import Core
from flows.context import WorkshopContext
from flows.library import domain_options
from flows.render import RenderedReply, render_reply
from flows.state import ConversationState


def initial_locale(hint: str, locales: Collection[str], default: str) -> str:
    """The language a new participant starts in: the hint's base language if we have it.

    ``zh-CN`` and ``zh_TW`` start in ``zh``; a language without a catalog starts in
    ``default``.
    """
    base = hint.replace("_", "-").split("-")[0].lower()
    return base if base in locales else default


def first_words(core: Core, locale_hint: str, default_locale: str) -> list[RenderedReply]:
    """The replies a brand-new participant gets when the conversation starts.

    Args:
        core: The loaded scripts and catalogs.
        locale_hint: The language asked for (``--lang``, the platform's), else the default.
        default_locale: The install's language for new participants.
    """
    locale = initial_locale(locale_hint, core.catalogs.locales, default_locale)
    ctx = WorkshopContext(domains=domain_options(), scenarios=())
    outcome = core.engine.start(ConversationState(locale=locale), ctx)
    return [render_reply(reply, locale, core.catalogs) for reply in outcome.replies]
