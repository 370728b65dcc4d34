"""A Markdown report: the digest, a power–interest table and the map picture."""

from __future__ import annotations

from bot.digest.metrics import DigestMetrics
from bot.digest.text import render_text
from flows.catalog import Catalogs
from flows.text import Msg


def _cell(text: str) -> str:
    """Escape text for a Markdown table cell (user text is never markup)."""
    out = text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
    for ch in "*_`[]<>#":
        out = out.replace(ch, "\\" + ch)
    return out


def render_markdown(
    m: DigestMetrics, catalogs: Catalogs, *, locale: str = "en", image: str | None = None
) -> str:
    """The report as Markdown; ``image`` is the map PNG's relative path."""
    title = _cell(str(m.workshop.get("title", "")))
    parts = [f"# Stakeholder requirement map: {title}", ""]
    if image:
        parts += [
            f"![Stakeholder requirement map; the tables below say the same in text]({image})",
            "",
        ]
    parts += ["## Digest", "", "```text", render_text(m, catalogs, locale), "```", ""]
    parts += [
        "## Power–interest grid (text equivalent of the picture)",
        "",
        "| Stakeholder | Scenario | Quadrant | Power | Interest | Named |",
        "|---|---|---|---|---|---|",
    ]
    for sh in m.stakeholders:
        quadrant = catalogs.render(Msg(f"quadrant.{sh.quadrant}"), locale)
        parts.append(
            f"| {_cell(sh.name)} | {_cell(sh.scenario)} | {quadrant} | "
            f"{'' if sh.power is None else f'{sh.power:.1f}'} | "
            f"{'' if sh.interest is None else f'{sh.interest:.1f}'} | {sh.mentions} |"
        )
    parts += ["", "## Domains by gap score", "", "| Domain | Gap | Needs |", "|---|---|---|"]
    for gap in m.domain_gaps:
        parts.append(f"| {gap.code} | {gap.gap:.1f} | {gap.needs} |")
    parts.append("")
    return "\n".join(parts)
