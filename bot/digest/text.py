"""The digest as plain text (console, logs, README), from message catalogs."""

from __future__ import annotations

from bot.digest.metrics import DigestMetrics, StakeholderSummary
from flows.catalog import Catalogs
from flows.kinds import Origin
from flows.text import Listing, Literal, Localized, Moment, Msg, Number, Param

TOP_DOMAINS = 5
TOP_STAKEHOLDERS = 12
TOP_MODULES = 8
TOP_SDGS = 10
TOP_CONNECTED = 5


def _num(value: float | None) -> Param:
    return "–" if value is None else Number(value, 1)


def counted(noun: str, count: int) -> Msg:
    """``count`` with its noun in the right plural form (``count.needs``: "1 need", "3 needs")."""
    return Msg(f"count.{noun}", {"count": count})


def _origins(m: DigestMetrics) -> list[Msg]:
    """How the participants came in, when not all of them answered in chat themselves."""
    assisted = m.by_origin.get(Origin.ASSISTED, 0)
    imported = m.by_origin.get(Origin.IMPORT, 0)
    if not assisted and not imported:
        return []
    return [
        Msg(
            "digest.origins",
            {
                "chat": counted("people", m.by_origin.get(Origin.CHAT, 0)),
                "assisted": counted("people", assisted),
                "imported": counted("people", imported),
            },
        )
    ]


def digest_lines(m: DigestMetrics) -> list[Msg]:
    """The digest as a list of messages, one per line."""
    lines: list[Msg] = [
        Msg("digest.title", {"title": Literal(m.workshop.title)}),
        Msg(
            "digest.participants",
            {
                "count": Number(m.participants),
                **{t.value: Number(n) for t, n in m.by_tier.items()},
            },
        ),
        *_origins(m),
        *([Msg("digest.staff", {"count": m.staff})] if m.staff else []),
        Msg(
            "digest.helix",
            {
                "groups": Listing(
                    tuple(
                        Msg("digest.helix_item", {"group": Msg(f"helix.{g}"), "count": n})
                        for g, n in m.by_helix.items()
                    )
                )
            },
        ),
        Msg(
            "digest.missing",
            {"groups": Listing(tuple(Msg(f"helix.{g}") for g in m.missing_helix))},
        )
        if m.missing_helix
        else Msg("digest.missing_none"),
    ]
    if not (m.needs or m.stakeholders or m.requirements):
        lines.append(Msg("digest.empty"))
        return lines
    if m.new is not None:
        lines.append(Msg("digest.new_heading"))
        lines.append(
            Msg(
                "digest.new",
                {
                    "since": Moment(m.new.since, m.workshop.timezone),
                    "needs": counted("needs", m.new.needs),
                    "stakeholders": counted("stakeholders", m.new.stakeholders),
                    "links": counted("relations", m.new.links),
                    "requirements": counted("requirements", m.new.requirements),
                },
            )
        )
        if m.new.names:
            names = Listing(tuple(Literal(n) for n in m.new.names))
            lines.append(Msg("digest.new_names", {"names": names}))
    if m.domain_gaps:
        lines.append(Msg("digest.domains"))
        for rank, gap in enumerate(m.domain_gaps[:TOP_DOMAINS], start=1):
            lines.append(
                Msg(
                    "digest.domain_line",
                    {
                        "rank": rank,
                        "domain": Msg(f"domain.{gap.code}"),
                        "gap": Number(gap.gap, 1),
                        "needs": counted("needs", gap.needs),
                        "importance": _num(gap.importance),
                        "satisfaction": _num(gap.satisfaction),
                    },
                )
            )
    if m.findings is not None:
        from bot.digest.findings_text import findings_lines

        lines.extend(findings_lines(m.findings, m.scenario_titles))
    if m.stakeholders:
        lines.append(Msg("digest.stakeholders"))
        for sh in m.stakeholders[:TOP_STAKEHOLDERS]:
            lines.append(
                Msg(
                    _line("digest.stakeholder_line", sh),
                    {
                        "name": Literal(sh.name),
                        "scenario": _scenario(m, sh.scenario),
                        "count": len(sh.scenarios),
                        "quadrant": Msg(f"quadrant.{sh.quadrant}"),
                        "mentions": sh.mentions,
                        "power": _num(sh.power),
                        "interest": _num(sh.interest),
                        "salience": Msg(f"salience.{sh.salience}"),
                    },
                )
            )
        hidden = len(m.stakeholders) - TOP_STAKEHOLDERS
        if hidden > 0:
            lines.append(Msg("digest.stakeholders_more", {"count": hidden}))
    connected = m.most_connected[:TOP_CONNECTED]
    if connected:
        lines.append(Msg("digest.connected"))
        for sh in connected:
            lines.append(
                Msg(
                    _line("digest.connected_line", sh),
                    {
                        "name": Literal(sh.name),
                        "scenario": _scenario(m, sh.scenario),
                        "count": len(sh.scenarios),
                        "degree": counted("relations", sh.degree),
                        "conflicts": sh.conflicts,
                        "betweenness": Number(sh.betweenness, 3),
                    },
                )
            )
        if m.betweenness_samples:
            lines.append(Msg("digest.connected_sampled", {"samples": m.betweenness_samples}))
    if m.conflicts:
        lines.append(Msg("digest.conflicts"))
        for conflict in m.conflicts[:TOP_STAKEHOLDERS]:
            lines.append(
                Msg(
                    "digest.conflict_line",
                    {
                        "source": Literal(conflict.source),
                        "target": Literal(conflict.target),
                        "scenario": _scenario(m, conflict.scenario),
                        "count": conflict.count,
                    },
                )
            )
    lines.append(Msg("digest.moscow", {p.value: n for p, n in m.moscow_total.items()}))
    modules = sorted(m.moscow.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
    for module, counts in modules[:TOP_MODULES]:
        params: dict[str, Param] = {"module": Literal(module)}
        params.update({p.value: n for p, n in counts.items()})
        lines.append(Msg("digest.module_line", params))
    if m.sdgs:
        targets = ", ".join(f"{t} ×{n}" for t, n in list(m.sdgs.items())[:TOP_SDGS])
        lines.append(Msg("digest.sdgs", {"targets": targets}))
    if m.quotes:
        lines.append(Msg("digest.quotes"))
        for code, text in m.quotes:
            lines.append(
                Msg("digest.quote_line", {"domain": Msg(f"domain.{code}"), "text": Literal(text)})
            )
    return lines


def _line(msg_id: str, sh: StakeholderSummary) -> str:
    """The line for an actor of one scenario, or its ``_many`` form (most named scenario)."""
    return f"{msg_id}_many" if len(sh.scenarios) > 1 else msg_id


def _scenario(m: DigestMetrics, code: str) -> Param:
    title = m.scenario_titles.get(code)
    return Localized(title) if title else Literal(code)


def render_text(m: DigestMetrics, catalogs: Catalogs, locale: str = "en") -> str:
    """The digest as plain text in ``locale``."""
    return "\n".join(catalogs.render(line, locale) for line in digest_lines(m))
