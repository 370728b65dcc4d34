"""Split long text into chunks within a platform's size limit, at line boundaries when possible."""

from __future__ import annotations

from collections.abc import Iterable


def split_lines(lines: Iterable[str], limit: int, *, joiner: str = "\n") -> list[str]:
    """Pack ``lines`` into chunks of at most ``limit`` characters.

    Lines are kept whole where they fit; a line longer than ``limit`` is cut
    into pieces (at a space when there is one in the last fifth of the piece).

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


def _pieces(line: str, limit: int) -> list[str]:
    pieces = []
    while len(line) > limit:
        cut = line.rfind(" ", limit - limit // 5, limit)
        cut = cut if cut > 0 else limit
        pieces.append(line[:cut])
        line = line[cut:].lstrip(" ")
    pieces.append(line)
    return pieces
