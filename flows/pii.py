"""Find personal data (e-mail addresses, phone numbers) to offer moderators for redaction."""

from __future__ import annotations

import re
from dataclasses import dataclass

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# Seven or more digits, optionally with a leading + and spaces, dots, dashes or brackets
# between groups: "+49 30 1234567", "(030) 123-4567", "0151.234.5678".
_PHONE = re.compile(r"(?<![\w])\+?\(?\d[\d ().-]{5,}\d(?![\w])")
REDACTED = "[redacted]"


@dataclass(frozen=True)
class Finding:
    """One piece of personal data in a text."""

    kind: str
    start: int
    end: int


def find_personal_data(text: str) -> list[Finding]:
    """E-mail addresses and phone numbers in ``text``, in order of appearance."""
    found = [Finding("email", m.start(), m.end()) for m in _EMAIL.finditer(text)]
    taken = [(f.start, f.end) for f in found]
    for match in _PHONE.finditer(text):
        digits = sum(ch.isdigit() for ch in match.group())
        overlaps = any(s < match.end() and match.start() < e for s, e in taken)
        if digits >= 7 and not overlaps:
            found.append(Finding("phone", match.start(), match.end()))
    return sorted(found, key=lambda f: f.start)


def redact(text: str, findings: list[Finding]) -> str:
    """``text`` with every finding replaced by ``[redacted]``."""
    out, last = [], 0
    for finding in sorted(findings, key=lambda f: f.start):
        out.append(text[last : finding.start])
        out.append(REDACTED)
        last = finding.end
    out.append(text[last:])
    return "".join(out)
