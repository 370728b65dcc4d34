"""Slash commands and the message listener: thin Cogs over :class:`DiscordAdapter`.

* ``/cityneeds join|help|status|dm`` for everybody;
* ``/cityneeds-admin setup|open|close|schedule|progress|role|assist…`` for facilitators
  (``assist``, ``assist-resume`` and ``assist-end`` for moderators too);
* ``/cityneeds-mod queue|approve|approve-all|hide|unhide|redact|digest`` for moderators.

Staff commands build the same typed call as the staff desk's ``!`` lines
(``/cityneeds-admin open meso`` is ``tiers.open_tier`` with ``Tier.MESO``, no
text in between); the desk checks roles in our database, so no Discord
permission hides them, and a refusal or a bad option is an ephemeral answer
that changes nothing. Descriptions come from the catalogs
(English as Discord's default, the other locales through
:class:`CatalogTranslator`).
"""

from __future__ import annotations

from typing import Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.adapters.discord.adapter import DiscordAdapter
from bot.app.staff import assist as assist_cmds
from bot.app.staff import converters as conv
from bot.app.staff import digest as digest_cmds
from bot.app.staff import moderation as moderation_cmds
from bot.app.staff import policy as policy_cmds
from bot.app.staff import roles as role_cmds
from bot.app.staff import schedule as schedule_cmds
from bot.app.staff import settings as settings_cmds
from bot.app.staff import tiers as tier_cmds
from bot.app.staff.assist import AssistAction, AssistArgs
from bot.app.staff.converters import UserRef
from bot.app.staff.digest import DigestArgs
from bot.app.staff.moderation import ItemArgs
from bot.app.staff.policy import PolicyArgs, ScenarioArgs
from bot.app.staff.registry import NoArgs
from bot.app.staff.roles import RoleArgs
from bot.app.staff.settings import ExportArgs
from bot.app.staff.tiers import TierArgs
from bot.core import load_core
from flows.catalog import Catalogs
from flows.kinds import Role, Tier

_CATALOGS = load_core().catalogs
#: Discord locales served by each catalog locale (others see the English default).
#: Discord offers no Arabic client locale, so ``ar`` is not here: an Arabic speaker sees
#: the slash commands in English and switches the conversation with ``lang ar`` (لغة ar).
DISCORD_LOCALES: dict[str, tuple[discord.Locale, ...]] = {
    "zh": (discord.Locale.chinese, discord.Locale.taiwan_chinese),
    "es": (discord.Locale.spain_spanish, discord.Locale.latin_american_spanish),
    "fr": (discord.Locale.french,),
}


def described(key: str) -> app_commands.locale_str:
    """A command or option description: English text, translated by the catalog key."""
    return app_commands.locale_str(_CATALOGS.template(key, "en"), key=key)


class CatalogTranslator(app_commands.Translator):
    """Slash command descriptions from the message catalogs."""

    def __init__(self, catalogs: Catalogs) -> None:
        self.catalogs = catalogs

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        """The catalog text for ``locale``, or ``None`` (Discord then shows the English one)."""
        key = string.extras.get("key")
        if not key:
            return None
        for ours, theirs in DISCORD_LOCALES.items():
            if locale in theirs and ours in self.catalogs.locales:
                return self.catalogs.template(str(key), ours)[:100]
        return None


_EVERYWHERE = app_commands.AppCommandContext(guild=True, dm_channel=True)
_GUILD_INSTALL = app_commands.AppInstallationType(guild=True)


class CitizenCog(commands.Cog):
    """``/cityneeds …`` and typed messages."""

    cityneeds = app_commands.Group(
        name="cityneeds",
        description=described("discord.cmd.cityneeds"),
        allowed_contexts=_EVERYWHERE,
        allowed_installs=_GUILD_INSTALL,
    )

    def __init__(self, adapter: DiscordAdapter) -> None:
        self.adapter = adapter

    @cityneeds.command(name="join", description=described("discord.cmd.join"))
    async def join(self, interaction: discord.Interaction[Any]) -> None:
        """Join in a private thread (or continue in DMs, if opted in)."""
        await self.adapter.cmd_join(interaction)

    @cityneeds.command(name="help", description=described("discord.cmd.help"))
    async def help(self, interaction: discord.Interaction[Any]) -> None:
        """The same as typing ``help``."""
        await self.adapter.cmd_say(interaction, "help")

    @cityneeds.command(name="status", description=described("discord.cmd.status"))
    async def status(self, interaction: discord.Interaction[Any]) -> None:
        """The same as typing ``status``."""
        await self.adapter.cmd_say(interaction, "status")

    @cityneeds.command(name="dm", description=described("discord.cmd.dm"))
    @app_commands.describe(state=described("discord.opt.state"))
    async def dm(self, interaction: discord.Interaction[Any], state: Literal["on", "off"]) -> None:
        """Opt in to (or out of) direct messages."""
        await self.adapter.cmd_dm(interaction, state == "on")

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        """Typed answers, staff commands and join requests."""
        await self.adapter.on_message(message)


ItemKind = Literal["need", "stakeholder", "link", "requirement"]


class StaffCog(commands.Cog):
    """``/cityneeds-admin …`` and ``/cityneeds-mod …``, mapped to the staff desk."""

    admin = app_commands.Group(
        name="cityneeds-admin",
        description=described("discord.cmd.admin"),
        allowed_contexts=_EVERYWHERE,
        allowed_installs=_GUILD_INSTALL,
    )
    mod = app_commands.Group(
        name="cityneeds-mod",
        description=described("discord.cmd.mod"),
        allowed_contexts=_EVERYWHERE,
        allowed_installs=_GUILD_INSTALL,
    )

    def __init__(self, adapter: DiscordAdapter) -> None:
        self.adapter = adapter

    # ---------------------------------------------------------- facilitators
    @admin.command(name="setup", description=described("discord.cmd.setup"))
    @app_commands.describe(
        workshop=described("discord.opt.workshop"), purpose=described("discord.opt.purpose")
    )
    async def setup_channel(
        self,
        interaction: discord.Interaction[Any],
        workshop: str,
        purpose: Literal["workshop", "moderators"] = "workshop",
    ) -> None:
        """Bind this channel to a workshop."""
        await self.adapter.cmd_setup(interaction, workshop, purpose)

    @admin.command(name="open", description=described("discord.cmd.open"))
    @app_commands.describe(tier=described("discord.opt.tier"))
    async def open_tier(
        self, interaction: discord.Interaction[Any], tier: Literal["macro", "meso", "micro"]
    ) -> None:
        """``!open TIER``."""
        await self.adapter.cmd_staff(interaction, tier_cmds.open_tier.call(TierArgs(Tier(tier))))

    @admin.command(name="close", description=described("discord.cmd.close"))
    @app_commands.describe(tier=described("discord.opt.tier"))
    async def close_tier(
        self, interaction: discord.Interaction[Any], tier: Literal["macro", "meso", "micro"]
    ) -> None:
        """``!close TIER``."""
        await self.adapter.cmd_staff(interaction, tier_cmds.close_tier.call(TierArgs(Tier(tier))))

    @admin.command(name="schedule", description=described("discord.cmd.schedule"))
    @app_commands.describe(
        kind=described("discord.opt.kind"),
        time=described("discord.opt.time"),
        days=described("discord.opt.days"),
    )
    async def schedule(
        self,
        interaction: discord.Interaction[Any],
        kind: Literal["digest", "reminders"],
        time: str,
        days: str | None = None,
    ) -> None:
        """``!schedule KIND HH:MM [DAYS]``, or ``off`` as the time; checked before anything."""
        call = schedule_cmds.schedule.build(lambda: schedule_cmds.from_options(kind, time, days))
        await self.adapter.cmd_staff(interaction, call)

    @admin.command(name="progress", description=described("discord.cmd.progress"))
    async def progress(self, interaction: discord.Interaction[Any]) -> None:
        """``!progress``."""
        await self.adapter.cmd_staff(interaction, tier_cmds.progress.call(NoArgs()))

    @admin.command(name="role", description=described("discord.cmd.role"))
    @app_commands.describe(user=described("discord.opt.user"), role=described("discord.opt.role"))
    async def role(
        self,
        interaction: discord.Interaction[Any],
        user: discord.User,
        role: Literal["facilitator", "moderator", "citizen"],
    ) -> None:
        """``!role <@USER> ROLE``."""
        target = UserRef(str(user.id), user.mention)
        await self.adapter.cmd_staff(
            interaction, role_cmds.set_role.call(RoleArgs(target, Role(role)))
        )

    @admin.command(name="policy", description=described("discord.cmd.policy"))
    @app_commands.describe(
        moderation=described("discord.opt.moderation"),
        review=described("discord.opt.review"),
        grace=described("discord.opt.grace"),
    )
    async def policy(
        self,
        interaction: discord.Interaction[Any],
        moderation: Literal["pre", "post"] | None = None,
        review: Literal["on", "off"] | None = None,
        grace: app_commands.Range[int, 0, 10_080] | None = None,
    ) -> None:
        """``!policy [pre|post] [review on|off] [grace MINUTES]``."""
        args = PolicyArgs(moderation, None if review is None else review == "on", grace)
        await self.adapter.cmd_staff(interaction, policy_cmds.policy.call(args))

    @admin.command(name="scenario", description=described("discord.cmd.scenario"))
    @app_commands.describe(code=described("discord.opt.scenario"))
    async def scenario(
        self, interaction: discord.Interaction[Any], code: str | None = None
    ) -> None:
        """``!scenario add CODE`` (or the list without a code)."""
        words = code.split() if code else []
        call = policy_cmds.scenario.build(
            lambda: ScenarioArgs(policy_cmds.scenario_code(words[0]) if words else None)
        )
        await self.adapter.cmd_staff(interaction, call)

    @admin.command(name="settings", description=described("discord.cmd.settings"))
    @app_commands.describe(
        timezone=described("discord.opt.timezone"), languages=described("discord.opt.languages")
    )
    async def settings(
        self,
        interaction: discord.Interaction[Any],
        timezone: str | None = None,
        languages: str | None = None,
    ) -> None:
        """``!settings [timezone ZONE] [languages CODE…]``."""
        zone = timezone.strip() if timezone and timezone.strip() else None
        codes = languages.replace(",", " ").split() if languages and languages.strip() else None
        call = settings_cmds.settings.build(lambda: settings_cmds.settings_options(zone, codes))
        await self.adapter.cmd_staff(interaction, call)

    @admin.command(name="export", description=described("discord.cmd.export"))
    @app_commands.describe(format=described("discord.opt.format"))
    async def export(
        self,
        interaction: discord.Interaction[Any],
        format: Literal["csv", "json", "graphml", "gexf", "kumu", "md", "html"],
    ) -> None:
        """``!export FORMAT``: the file comes back privately."""
        await self.adapter.cmd_staff(interaction, settings_cmds.export.call(ExportArgs(format)))

    @admin.command(name="assist", description=described("discord.cmd.assist"))
    @app_commands.describe(
        label=described("discord.opt.label"), consent=described("discord.opt.consent")
    )
    async def assist(
        self, interaction: discord.Interaction[Any], label: str, consent: str | None = None
    ) -> None:
        """``!assist "LABEL" [spoken|paper]``: the resident's questions go to the DM."""
        call = assist_cmds.assist.build(lambda: assist_cmds.open_args(label, consent))
        await self.adapter.cmd_staff(interaction, call)

    @admin.command(name="assist-resume", description=described("discord.cmd.assist_resume"))
    @app_commands.describe(code=described("discord.opt.code"))
    async def assist_resume(self, interaction: discord.Interaction[Any], code: str) -> None:
        """``!assist resume CODE``."""
        call = assist_cmds.assist.build(lambda: assist_cmds.resume_args(code))
        await self.adapter.cmd_staff(interaction, call)

    @admin.command(name="assist-end", description=described("discord.cmd.assist_end"))
    async def assist_end(self, interaction: discord.Interaction[Any]) -> None:
        """``!assist end``."""
        call = assist_cmds.assist.call(AssistArgs(AssistAction.END))
        await self.adapter.cmd_staff(interaction, call)

    # ------------------------------------------------------------ moderators
    @mod.command(name="queue", description=described("discord.cmd.queue"))
    async def queue(self, interaction: discord.Interaction[Any]) -> None:
        """``!queue``."""
        await self.adapter.cmd_staff(interaction, moderation_cmds.queue.call(NoArgs()))

    @mod.command(name="approve", description=described("discord.cmd.approve"))
    @app_commands.describe(
        kind=described("discord.opt.item_kind"), item=described("discord.opt.item_id")
    )
    async def approve(
        self, interaction: discord.Interaction[Any], kind: ItemKind, item: int
    ) -> None:
        """``!approve KIND ID``."""
        call = moderation_cmds.approve.build(lambda: ItemArgs(kind, conv.item_number(str(item))))
        await self.adapter.cmd_staff(interaction, call)

    @mod.command(name="hide", description=described("discord.cmd.hide"))
    @app_commands.describe(
        kind=described("discord.opt.item_kind"),
        item=described("discord.opt.item_id"),
        reason=described("discord.opt.reason"),
    )
    async def hide(
        self, interaction: discord.Interaction[Any], kind: ItemKind, item: int, reason: str
    ) -> None:
        """``!hide KIND ID REASON``."""
        call = moderation_cmds.hide.build(
            lambda: moderation_cmds.with_reason(ItemArgs(kind, conv.item_number(str(item)), reason))
        )
        await self.adapter.cmd_staff(interaction, call)

    @mod.command(name="approve-all", description=described("discord.cmd.approve_all"))
    @app_commands.describe(
        kind=described("discord.opt.item_kind"), confirm=described("discord.opt.confirm")
    )
    async def approve_all(
        self,
        interaction: discord.Interaction[Any],
        kind: ItemKind | None = None,
        confirm: str | None = None,
    ) -> None:
        """``!approve all [KIND] [confirm CODE]``: the count first, then the confirmed approval."""
        code = confirm.strip().casefold() if confirm and confirm.strip() else None
        call = moderation_cmds.approve.build(lambda: moderation_cmds.approve_all_args(kind, code))
        await self.adapter.cmd_staff(interaction, call)

    @mod.command(name="unhide", description=described("discord.cmd.unhide"))
    @app_commands.describe(
        kind=described("discord.opt.item_kind"), item=described("discord.opt.item_id")
    )
    async def unhide(
        self, interaction: discord.Interaction[Any], kind: ItemKind, item: int
    ) -> None:
        """``!unhide KIND ID``."""
        call = moderation_cmds.unhide.build(lambda: ItemArgs(kind, conv.item_number(str(item))))
        await self.adapter.cmd_staff(interaction, call)

    @mod.command(name="redact", description=described("discord.cmd.redact"))
    @app_commands.describe(
        kind=described("discord.opt.item_kind"), item=described("discord.opt.item_id")
    )
    async def redact(
        self, interaction: discord.Interaction[Any], kind: ItemKind, item: int
    ) -> None:
        """``!redact KIND ID``."""
        call = moderation_cmds.redact_item.build(
            lambda: ItemArgs(kind, conv.item_number(str(item)))
        )
        await self.adapter.cmd_staff(interaction, call)

    @mod.command(name="digest", description=described("discord.cmd.digest"))
    @app_commands.describe(
        action=described("discord.opt.action"), note=described("discord.opt.note")
    )
    async def digest(
        self,
        interaction: discord.Interaction[Any],
        action: Literal["draft", "approve", "skip", "note"],
        note: str | None = None,
    ) -> None:
        """``!digest ACTION [NOTE]``."""
        text = " ".join(note.split()) if note and action == "note" else ""
        await self.adapter.cmd_staff(interaction, digest_cmds.digest.call(DigestArgs(action, text)))
