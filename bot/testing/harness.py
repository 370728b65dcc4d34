"""Drive a participant through the router in tests: say a line, read the replies."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from bot.app.events import InboundEvent, RouterResponse
from bot.app.router import Router
from flows.render import RenderedReply


@dataclass
class ChatHarness:
    """One participant talking to a router, synchronously or with ``await``.

    Attributes:
        router: The router under test.
        user: Platform user id.
        workshop: Workshop slug.
        platform: Platform name used for the pseudonym.
        locale: Locale hint for a new participant.
    """

    router: Router
    user: str
    workshop: str
    platform: str = "test"
    locale: str | None = None
    address: str | None = None
    is_platform_admin: bool = False
    transcript: list[tuple[str, list[str]]] = field(default_factory=list)
    last: RouterResponse | None = None

    def event(self, text: str, **changes: object) -> InboundEvent:
        """The inbound event this participant sends when typing ``text``.

        Args:
            text: What the participant types.
            **changes: Fields of :class:`~bot.app.events.InboundEvent` to override
                (``delivery_id``, ``button_step``…).
        """
        base = InboundEvent(
            platform=self.platform,
            user_id=self.user,
            text=text,
            workshop=self.workshop,
            locale=self.locale,
            address=self.address,
            is_platform_admin=self.is_platform_admin,
        )
        return replace(base, **changes)  # type: ignore[arg-type]

    def start(self) -> list[RenderedReply]:
        """Join or resume."""
        return self._record("<start>", self.router.handle_sync(self.event(""), start=True))

    def say(self, text: str, *, delivery_id: str | None = None) -> list[RenderedReply]:
        """Send one typed message."""
        return self._record(
            text, self.router.handle_sync(self.event(text, delivery_id=delivery_id))
        )

    def press(self, value: str, step: str | None = None) -> list[RenderedReply]:
        """Press a button of ``step`` (the current step by default)."""
        event = self.event(value, button_step=step or self.step or "")
        return self._record(f"[{value}]", self.router.handle_sync(event))

    async def asay(self, text: str, *, delivery_id: str | None = None) -> list[RenderedReply]:
        """Send one typed message through the async path."""
        response = await self.router.handle(self.event(text, delivery_id=delivery_id))
        return self._record(text, response)

    async def astart(self) -> list[RenderedReply]:
        """Join or resume through the async path."""
        return self._record("<start>", await self.router.start(self.event("")))

    def _record(self, text: str, response: RouterResponse) -> list[RenderedReply]:
        self.last = response
        self.transcript.append((text, [r.text for r in response.replies]))
        return response.replies

    @property
    def step(self) -> str | None:
        """The step of the last prompt or error shown, if any."""
        if self.last is None:
            return None
        return next((r.step for r in reversed(self.last.replies) if r.step), None)

    @property
    def text(self) -> str:
        """All reply texts of the last turn, joined."""
        return "\n".join(r.text for r in self.last.replies) if self.last else ""
