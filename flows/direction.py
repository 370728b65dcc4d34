"""Right-to-left locales and the Unicode marks that keep their text readable anywhere.

Arabic reads right to left; a line that mixes it with numbers, codes or Latin
words (``lang ar``, ``riverside-2026``, ``3``) is reordered by each surface's
bidirectional algorithm, and Slack, Discord and terminals do not agree on the
paragraph direction. So text rendered in a right-to-left locale carries the
marks itself (Unicode UAX #9):

* every line (but a blank one) starts with RLM (U+200F), so the line reads right
  to left even where the surface guesses the direction from its first letter;
* every interpolated value is isolated, so it keeps its own direction and
  cannot pull its neighbours along: FSI (U+2068) … PDI (U+2069) around values
  from outside the catalog (numbers, dates, typed text, codes, titles), whose
  direction is their own first letter's; RLI (U+2067) … PDI around values that
  are catalog text of the same locale (a nested message, a list);
* a stretch of Latin words in the template itself, with the placeholders in it
  (``lang {code}``, ``!approve {kind} {id}``, ``cityneeds export WORKSHOP --format
  {fmt}``), is isolated left to right with LRI (U+2066) … PDI, so a command reads
  in its own order and its ``!`` stays in front;
* a numbered option reads ``RLM 1) FSI label PDI``: the number stays at the
  right of its label.

Left-to-right locales get none of this: their text is byte for byte what the
catalog and the values make. Input typed back (copied from the bot) is cleaned
of the marks by :func:`strip_marks` (see :mod:`flows.normalize`).
"""

from __future__ import annotations

import re
from functools import cache

#: Languages written right to left that the catalogs may ship (CLDR agrees on each).
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur"})

RLM = "\u200f"
FSI = "\u2068"
LRI = "\u2066"
RLI = "\u2067"
PDI = "\u2069"

#: Every bidi formatting character: ALM, LRM, RLM, embeddings, overrides, isolates.
BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")

_LATIN = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
_PLACEHOLDER = r"\{[A-Za-z_][A-Za-z0-9_]*\}"
#: A Latin word, with the ``!``, ``/`` or ``--`` of a command and inner ``/ . : + - = '``
#: (``!approve``, ``/cityneeds``, ``--format``, ``Asia/Riyadh``, ``mon-fri``, ``n={count}``).
_WORD = (
    rf"(?:--?|[!/#@])?[{_LATIN}][{_LATIN}0-9_]*"
    rf"(?:[./:+\-='’](?:[{_LATIN}0-9_]+|{_PLACEHOLDER}))*"
)
_NUMBER = r"[0-9]+(?:[.:\-][0-9]+)*"
_TOKEN = rf"(?:{_PLACEHOLDER}|{_WORD}|{_NUMBER})"
#: Between two tokens of a run: a space, or the spaces, bars and brackets of a command's
#: syntax (``!policy pre|post [review on|off]``) when no placeholder touches them.
_GAP = r"(?: |(?<!\})[ |\[\]]*[|\[\]][ |\[\]]*(?!\{))"
#: A run of tokens (it is a Latin run when one of them is a word), with the brackets
#: that open or close it.
_RUN = re.compile(
    rf"(?<![{_LATIN}0-9_{{}}])\[?{_TOKEN}(?:{_GAP}{_TOKEN})*(?:…?\]+)?(?![{_LATIN}0-9_])"
)
_HAS_WORD = re.compile(_WORD)
_PLACEHOLDERS = re.compile(_PLACEHOLDER)


@cache
def is_rtl(locale: str) -> bool:
    """Whether ``locale`` (``ar``, ``ar-SA``, ``he_IL``) is written right to left."""
    return locale.replace("_", "-").split("-", 1)[0].lower() in RTL_LANGUAGES


def isolate(value: str, locale: str) -> str:
    """``value`` as a FSI … PDI isolate (one per line) in a right-to-left locale.

    The isolate takes the direction of its own first strong letter: Latin words,
    digits and codes stay left to right, Arabic stays right to left.
    """
    return _wrap(value, FSI) if is_rtl(locale) else value


def embed(value: str, locale: str) -> str:
    """``value`` as a RLI … PDI isolate (one per line) in a right-to-left locale.

    For catalog text of the locale itself (a nested message, a list of labels),
    which is right to left whatever its first letter is.
    """
    return _wrap(value, RLI) if is_rtl(locale) else value


def mark_lines(text: str, locale: str) -> str:
    """``text`` with RLM at the start of every line in a right-to-left locale (blank lines stay)."""
    if not is_rtl(locale):
        return text
    return "\n".join(
        line if not line or line.startswith(RLM) else RLM + line for line in text.split("\n")
    )


def mark_template(template: str, locale: str) -> str:
    """``template`` with its Latin runs isolated LRI … PDI in a right-to-left locale."""
    return _ltr_runs(template) if is_rtl(locale) else template


@cache
def _ltr_runs(template: str) -> str:
    def wrap(run: re.Match[str]) -> str:
        text = run.group(0)
        if not _HAS_WORD.search(_PLACEHOLDERS.sub("", text)):
            return text
        # A bracket whose partner is outside the run stays outside the isolate.
        lead = trail = ""
        while text.startswith("[") and text.count("[") > text.count("]"):
            lead, text = lead + "[", text[1:]
        while text.endswith("]") and text.count("]") > text.count("["):
            text, trail = text[:-1], "]" + trail
        return f"{lead}{LRI}{text}{PDI}{trail}"

    return _RUN.sub(wrap, template)


def numbered(number: int, label: str, locale: str) -> str:
    """An option as it is listed, ``1) label``; the label isolated in a right-to-left locale."""
    return f"{number}) {isolate(label, locale)}"


def strip_marks(text: str) -> str:
    """``text`` without bidi formatting characters (zero-width joiners are kept)."""
    return BIDI_CONTROLS.sub("", text)


def _wrap(value: str, opener: str) -> str:
    if not value:
        return value
    return "\n".join(f"{opener}{line}{PDI}" if line else line for line in value.split("\n"))


__all__ = [
    "BIDI_CONTROLS",
    "FSI",
    "LRI",
    "PDI",
    "RLI",
    "RLM",
    "RTL_LANGUAGES",
    "embed",
    "is_rtl",
    "isolate",
    "mark_lines",
    "mark_template",
    "numbered",
    "strip_marks",
]
