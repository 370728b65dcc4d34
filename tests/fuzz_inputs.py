"""What the fuzz tests type and press: every step id of the scripts and tricky words."""

from __future__ import annotations

from bot.core import load_core

STEPS = sorted({step.id for script in load_core().engine.scripts.values() for step in script.steps})
WORDS = [
    "help",
    "back",
    "skip",
    "repeat",
    "stop",
    "lang zh",
    "lang en",
    "lang xx",
    "my data",
    "forget me",
    "glossary",
    "yes",
    "no",
    "none",
    "1",
    "2",
    "3",
    "16",
    "99",
    "0",
    "-1",
    "1, 2, 3",
    "1,1,1",
    "mobility",
    "健康",
    "是",
    "否",
    "@everyone",
    "<!channel>",
    "'; DROP TABLE need;--",
    "**bold**",
    "<script>alert(1)</script>",
    "reminders off",
]
