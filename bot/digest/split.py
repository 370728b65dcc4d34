r"""Split (or shorten) escaped text within a platform's size limit without breaking anything.

Every cut lands between two *atoms*: an HTML entity as Slack escapes text
(``&lt;``), a backslash and the character it escapes as Discord escapes text
(``\*``), a surrogate pair, or a grapheme (a letter with its combining marks,
an emoji ZWJ sequence, a flag, a character with its variation selector). The
same rules serve Slack and Discord: an entity never occurs in Discord's
escaped text as markup and a backslash is inert on Slack, so being careful
about both costs nothing.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable

import regex

_ENTITY = r"&(?:[A-Za-z][A-Za-z0-9]*|\#[0-9]+|\#[xX][0-9A-Fa-f]+);\p{M}*"
_PAIR = r"[\ud800-\udbff][\udc00-\udfff]"
#: One unit that must stay whole: an entity, a surrogate pair or an extended grapheme cluster
#: (``\X``, Unicode UAX #29), with the backslash that escapes it.
_ATOM = regex.compile(rf"\\?(?:{_ENTITY}|{_PAIR}|\X)")
#: Where a line is preferably cut: at a space within the last fifth of the room.
_SPACE_WINDOW = 5


def split_lines(lines: Iterable[str], limit: int, *, joiner: str = "\n") -> list[str]:
    """Pack ``lines`` into chunks of at most ``limit`` characters.

    Lines are kept whole where they fit; a line longer than ``limit`` is cut
    into pieces, at a space in the last fifth of the piece when there is one,
    otherwise between two atoms (see the module docstring). Spaces at a cut are
    dropped. Only a single atom longer than ``limit`` (a grapheme with hundreds
    of combining marks) is cut between code points, never inside a surrogate
    pair.

    Raises:
        ValueError: ``limit`` is smaller than 1.
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    chunks: list[str] = []
    current = ""
    for line in lines:
        for piece in _pieces(line, limit):
            candidate = piece if not current else current + joiner + piece
            if len(candidate) <= limit:
                current = candidate
            else:
                chunks.append(current)
                current = piece
    if current:
        chunks.append(current)
    return chunks


def split_text(text: str, limit: int) -> list[str]:
    """``text`` in chunks of at most ``limit`` characters, cut at line breaks where possible."""
    return split_lines(text.split("\n"), limit)


def truncate(text: str, limit: int, ellipsis: str = "…") -> str:
    """``text`` if it fits in ``limit``, else its longest whole-atom prefix and ``ellipsis``."""
    if len(text) <= limit:
        return text
    room = max(limit - len(ellipsis), 0)
    ends = _atom_ends(text)
    cut = _last_boundary(ends, 0, room)
    return text[: _safe_cut(text, cut if cut > 0 else room)] + ellipsis


def _atom_ends(line: str) -> list[int]:
    return [m.end() for m in _ATOM.finditer(line)]


def _last_boundary(ends: list[int], start: int, room: int) -> int:
    """The furthest atom end within ``start + room`` (``start`` when none fits)."""
    index = bisect.bisect_right(ends, start + room) - 1
    return ends[index] if index >= 0 and ends[index] > start else start


def _safe_cut(line: str, cut: int) -> int:
    """Step back from a cut between the halves of a surrogate pair."""
    if 0 < cut < len(line) and "\ud800" <= line[cut - 1] <= "\udbff":
        return cut - 1 if cut > 1 else cut + 1
    return cut


def _pieces(line: str, limit: int) -> list[str]:
    if len(line) <= limit:
        return [line]
    ends = _atom_ends(line)
    boundaries = set(ends)
    boundaries.add(0)
    pieces: list[str] = []
    start = 0
    while len(line) - start > limit:
        cut = _last_boundary(ends, start, limit)
        if cut == start:  # one atom longer than the limit
            cut = _safe_cut(line, start + limit)
        else:
            space = line.rfind(" ", cut - limit // _SPACE_WINDOW, cut + 1)
            if space > start and space in boundaries:
                cut = space
        pieces.append(line[start:cut])
        start = cut
        while start < len(line) and line[start] == " " and start + 1 in boundaries:
            start += 1
    pieces.append(line[start:])
    return pieces
