"""The gateway websocket: HELLO, IDENTIFY/READY, heartbeats, RESUME, dispatches and drops.

:meth:`Gateway.dispatch` sends an event to the bot (kept for RESUME while it is
disconnected); :meth:`Gateway.drop` breaks the connection the ways Discord does.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
from collections.abc import Mapping
from typing import Any

from aiohttp import WSMsgType, web

from bot.testing import discord_payloads as p
from bot.testing.discord_double.records import FakeDiscordError
from bot.testing.discord_double.world import DiscordWorld, Session


class Gateway(DiscordWorld):
    """The bot's gateway connection and session."""

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(max_msg_size=0, autoping=True)
        await ws.prepare(request)
        self._sockets.add(ws)
        self._transports[id(ws)] = request.transport
        self.connections += 1
        try:
            await ws.send_json(
                {"op": 10, "d": {"heartbeat_interval": self.heartbeat_interval_ms}, "s": None}
            )
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    continue
                frame = json.loads(msg.data)
                await self._gateway_frame(ws, frame)
        except (ConnectionResetError, asyncio.CancelledError):
            pass
        finally:
            self._sockets.discard(ws)
            self._transports.pop(id(ws), None)
            session = self._session
            if session is not None and session.ws is ws:
                session.ws = None
            await self._notify()
        return ws

    async def _gateway_frame(self, ws: web.WebSocketResponse, frame: dict[str, Any]) -> None:
        op = frame.get("op")
        data = frame.get("d")
        if op == 1:
            self.heartbeats += 1
            await ws.send_json({"op": 11, "d": None, "s": None})
        elif op == 2:
            if not isinstance(data, dict) or data.get("token") != self.token:
                await ws.close(code=4004, message=b"Authentication failed.")
                return
            intents = int(data.get("intents", 0))
            if intents & p.INTENT_MESSAGE_CONTENT and not self.message_content_allowed:
                await ws.close(code=4014, message=b"Disallowed intent(s).")
                return
            await self._identify(ws, intents)
        elif op == 6:
            await self._resume(ws, data if isinstance(data, dict) else {})
        elif op == 8 and isinstance(data, dict):
            gid = str(data.get("guild_id"))
            if gid in self.guilds:
                await self.dispatch(
                    "GUILD_MEMBERS_CHUNK",
                    {
                        "guild_id": gid,
                        "members": list(self.guilds[gid].members.values()),
                        "chunk_index": 0,
                        "chunk_count": 1,
                        "nonce": data.get("nonce"),
                    },
                )
        await self._notify()

    async def _identify(self, ws: web.WebSocketResponse, intents: int) -> None:
        self.identifies += 1
        old = self._session
        if old is not None and old.ws is not None and old.ws is not ws:
            with contextlib.suppress(Exception):
                await old.ws.close(code=4000)
        session = Session(id=secrets.token_hex(16), intents=intents)
        session.ws = ws
        self._session = session
        await self.dispatch(
            "READY",
            {
                "v": 10,
                "user": self.bot_user,
                "guilds": [{"id": gid, "unavailable": True} for gid in self.guilds],
                "session_id": session.id,
                "session_type": "normal",
                "resume_gateway_url": self.gateway_url,
                "application": {"id": self.application_id, "flags": 1 << 19},
                "private_channels": [],
                "relationships": [],
                "presences": [],
                "geo_ordered_rtc_regions": ["rotterdam"],
                "user_settings": {},
                "auth": {},
                "_trace": ["fake-discord"],
            },
        )
        for gid in self.guilds:
            await self.dispatch("GUILD_CREATE", self.guild_payload(gid))

    async def _resume(self, ws: web.WebSocketResponse, data: Mapping[str, Any]) -> None:
        session = self._session
        if (
            session is None
            or data.get("session_id") != session.id
            or data.get("token") != self.token
        ):
            await ws.send_json({"op": 9, "d": False, "s": None})
            return
        self.resumes += 1
        after = int(data.get("seq") or 0)
        async with session.lock:
            if session.ws is not None and session.ws is not ws:
                with contextlib.suppress(Exception):
                    await session.ws.close(code=4000)
            again = self.redeliver_on_resume
            self.redeliver_on_resume = 0
            for frame in session.log:
                redelivered = (
                    again and frame["s"] > after - again and frame["t"] == "MESSAGE_CREATE"
                )
                if frame["s"] > after or redelivered:
                    await ws.send_json(frame)
            session.seq += 1
            await ws.send_json(
                {"op": 0, "t": "RESUMED", "s": session.seq, "d": {"_trace": ["fake-discord"]}}
            )
            session.ws = ws

    async def dispatch(self, event: str, data: dict[str, Any]) -> int:
        """Send a dispatch (op 0) to the bot; while it is disconnected, keep it for RESUME.

        Returns:
            The dispatch's sequence number.

        Raises:
            FakeDiscordError: No bot has identified yet.
        """
        session = self._session
        if session is None:
            raise FakeDiscordError("no gateway session: the bot has not identified")
        if event == "MESSAGE_CREATE":
            data = self._apply_content_intent(data, session.intents)
        async with session.lock:
            session.seq += 1
            seq = session.seq
            frame = {"op": 0, "t": event, "s": seq, "d": data}
            session.log.append(frame)
            ws = session.ws
            if ws is not None and not ws.closed:
                try:
                    await ws.send_json(frame)
                except (ConnectionResetError, RuntimeError):
                    session.ws = None
        await self._notify()
        return seq

    def _apply_content_intent(self, data: dict[str, Any], intents: int) -> dict[str, Any]:
        if intents & p.INTENT_MESSAGE_CONTENT or "guild_id" not in data:
            return data
        author = data.get("author", {}).get("id")
        mentioned = any(m.get("id") == self.bot_user["id"] for m in data.get("mentions", []))
        if author == self.bot_user["id"] or mentioned:
            return data
        return {**data, "content": "", "embeds": [], "attachments": [], "components": []}

    async def drop(self, mode: str = "close", *, code: int = 4000) -> None:
        """Break the bot's gateway connection.

        Args:
            mode: ``close`` (close frame with ``code``), ``abort`` (the TCP connection
                is cut without a close frame, like 1006), ``reconnect`` (op 7) or
                ``invalidate`` (op 9, not resumable: the bot must identify again).
            code: Close code for ``close``.

        Raises:
            FakeDiscordError: The bot is not connected.
        """
        session = self._session
        if session is None or session.ws is None:
            raise FakeDiscordError("the bot is not connected")
        ws = session.ws
        async with session.lock:
            session.ws = None
            if mode == "close":
                await ws.close(code=code, message=b"fake discord dropped the connection")
            elif mode == "abort":
                transport = self._transports.get(id(ws))
                if isinstance(transport, asyncio.Transport):
                    transport.abort()
            elif mode == "reconnect":
                await ws.send_json({"op": 7, "d": None, "s": None})
            elif mode == "invalidate":
                self._session = None
                await ws.send_json({"op": 9, "d": False, "s": None})
            else:
                raise ValueError(f"unknown drop mode {mode!r}")

    @property
    def connected(self) -> bool:
        """Whether a bot is connected and identified (or resumed)."""
        return self._session is not None and self._session.ws is not None

    @property
    def intents(self) -> int | None:
        """The intents of the current gateway session."""
        return None if self._session is None else self._session.intents

    @property
    def session_id(self) -> str | None:
        """The current gateway session."""
        return None if self._session is None else self._session.id
