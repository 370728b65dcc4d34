"""One call from scripts and catalogs to the PDF bytes of a workshop's paper form."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.paper.plan import PaperForm, build_form
from flows.catalog import Catalogs
from flows.messages import Option
from flows.script import Script
from flows.survey_columns import LANGUAGE_COLUMN
from flows.text import Literal, Msg, Param


def column_hints(form: PaperForm) -> str:
    """``question → CSV column`` for every answer the needs file takes, for the volunteer."""
    pairs: list[str] = [f"{LANGUAGE_COLUMN} = {form.locale}"]
    for section in form.sections:
        for box in section.boxes:
            if box.about is not None and box.about.column:
                pairs.append(f"{box.title.split('{')[0].strip()} → {box.about.column}")
            pairs.extend(f"{q.number} → {q.column}" for q in box.questions if q.column)
    return " · ".join(pairs)


def paper_form(
    scripts: Mapping[str, Script],
    catalogs: Catalogs,
    locale: str,
    *,
    workshop: str,
    slug: str,
    domains: Sequence[Option],
    scenarios: Sequence[Option],
    references: Sequence[str],
) -> tuple[list[PaperForm], bytes]:
    """The plan of each copy and the PDF of them all.

    Args:
        scripts: The loaded scripts by id.
        catalogs: Message catalogs.
        locale: Language of the form.
        workshop: Workshop title.
        slug: Workshop slug.
        domains: The macro domains on offer, in chat order.
        scenarios: The workshop's scenarios, in chat order.
        references: One reference code per copy (``bot.app.assisted.new_code``).

    Raises:
        bot.paper.fonts.FontMissing: A font the language needs is not installed.
        ValueError: No reference code was given.
    """
    from bot.paper.pdf import render_pdf  # fpdf2 loads only when a form is printed

    if not references:
        raise ValueError("at least one copy (reference code) is needed")
    forms = [
        build_form(
            scripts,
            catalogs,
            locale,
            workshop=workshop,
            slug=slug,
            domains=domains,
            scenarios=scenarios,
            reference=code,
        )
        for code in references
    ]
    form = forms[0]

    def t(msg_id: str, **params: Param) -> str:
        return catalogs.render(Msg(msg_id, dict(params)), locale)

    labels = {
        "one": t("paper.tick_one"),
        "some": t("paper.tick_some", min=Literal("{min}"), max=Literal("{max}")),
        "scale": t("paper.tick_scale"),
        "write": t("paper.write"),
        "letter": t("paper.letter", letters=Literal("A, B, C")),
        "page": t("paper.page", page=Literal("{page}"), pages=Literal("{nb}")),
        "title": t("paper.title", workshop=Literal(workshop)),
        "office": t("paper.office.title"),
        "columns": column_hints(form),
    }
    return forms, render_pdf(forms, labels)
