"""The paper form as a print-ready A4 PDF: large type, numbered tick boxes, ruled lines.

Layout rules: body text at 14 pt, question text at 15 pt, nothing smaller than 11 pt;
a question never breaks across pages; boxes that repeat (one per area, stakeholder,
link, requirement) are framed and lettered A, B, C so the volunteer can match them.

A right-to-left form (Arabic) is the mirror image: text set flush right and shaped
(HarfBuzz joins the letters, fpdf2 orders each line by the Unicode bidi algorithm),
tick boxes at the right of their options, two-column options filled from the right,
scales counting from the right. The numbers stay the chat's option numbers. The
optional vowel marks (tashkeel) are left out, as in most Arabic print (see
:meth:`_Pdf.normalize_text`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from fpdf import FPDF
from fpdf.enums import Align, WrapMode, XPos, YPos

from bot.paper.fonts import fonts_for
from bot.paper.plan import POSITION, PaperBox, PaperForm, PaperQuestion, QuestionKind
from flows.direction import is_rtl, strip_marks

_MARGIN = 16.0
_BODY = 14.0
_QUESTION = 15.0
_SMALL = 11.5
_TITLE = 22.0
_SECTION = 18.0
_TICK = 5.5  # tick box side, mm
_LINE_GAP = 10.0  # ruled line spacing, mm
_GREY = (90, 90, 90)
#: Arabic vowel and recitation marks (tashkeel): fathatan … sukun, superscript alef, Quranic marks.
_ZWJ = 0x200D
#: Brackets and their mirror images (Unicode's Bidi_Mirroring_Glyph for the ones printed).
_MIRRORED = {
    (ord(a),): (ord(b),) for a, b in ("()", ")(", "[]", "][", "{}", "}{", "«»", "»«", "<>", "><")
}
_VOWEL_MARKS = re.compile("[\u064b-\u065f\u0670\u06d6-\u06ed]")


class _Pdf(FPDF):
    def __init__(self, form: PaperForm, page_label: str) -> None:
        super().__init__(format="A4", unit="mm")
        self.form = form
        self.page_label = page_label
        #: The first page of the copy being drawn, and how many pages one copy has
        #: (``None``: a single copy, whose total fpdf2 fills in at the end).
        self.copy_start = 1
        self.copy_pages: int | None = None
        self.rtl = is_rtl(form.locale)
        self.align = Align.R if self.rtl else Align.L
        self.wrap = WrapMode.CHAR if form.locale == "zh" else WrapMode.WORD
        self.set_margins(_MARGIN, _MARGIN, _MARGIN)
        self.set_auto_page_break(True, margin=_MARGIN + 6)
        fonts = fonts_for(form.locale)
        for font in fonts:
            self.add_font(font.family, fname=str(font.path), collection_font_number=font.face)
        self.main_font = fonts[0].family
        self.set_fallback_fonts([f.family for f in fonts[1:]])
        self.set_title(form.workshop)
        self.set_lang(form.locale)
        self.set_creator("CityNeeds")
        if self.rtl:
            self.set_text_shaping(True, script="arab", language="ara")

    def normalize_text(self, text: str) -> str:
        # Direction marks have no glyph; fpdf2 orders each line by the bidi algorithm.
        text = strip_marks(text)
        if self.rtl:
            # The optional vowel marks are left out, as in most Arabic print: fpdf2 draws
            # each as a text object of its own, raised or lowered, and PDF readers take
            # that for a line of its own, which cuts the word in two.
            text = _VOWEL_MARKS.sub("", text)
        return super().normalize_text(text)

    def map_shaped_glyphs(self) -> None:
        """Correct the characters fpdf2 gives two kinds of shaped glyphs, for PDF readers.

        * Amiri draws a few letter pairs (lam before kaf or hah) with a connecting piece:
          two glyphs for one letter. fpdf2 gives the letter to one of them and leaves the
          other without text, which readers show as a stray character code; it gets a
          zero-width joiner, which is what it is.
        * Right to left, "(" is drawn with the glyph of ")" (mirrored), and fpdf2 maps
          that glyph to "(". Readers put the line back in reading order and mirror the
          brackets themselves, so the glyph must say what it shows: ")".

        Called just before the PDF is written, when every glyph is known.
        """
        for font in self.fonts.values():
            subset = getattr(font, "subset", None)
            names = getattr(font, "cmap", {})
            if subset is None:
                continue
            for glyph, _ in subset.items():
                if glyph is None:
                    continue
                if glyph.unicode == ():
                    glyph.unicode = (_ZWJ,)
                elif glyph.unicode in _MIRRORED:
                    shown = _MIRRORED[glyph.unicode]
                    if names.get(shown[0]) == glyph.glyph_name:
                        glyph.unicode = shown

    def at(self, x: float, width: float) -> float:
        """Where a box ``width`` wide starting ``x`` from the leading margin's page edge lies."""
        return self.w - x - width if self.rtl else x

    def footer(self) -> None:
        self.set_y(-_MARGIN)
        self.set_font(self.main_font, size=_SMALL)
        self.set_text_color(*_GREY)
        label = self.page_label.replace("{page}", str(self.page_no() - self.copy_start + 1))
        if self.copy_pages is not None:
            label = label.replace(self.str_alias_nb_pages, str(self.copy_pages))
        # Every page names its form's code: pages that come apart still find their form.
        # The line starts in the form's own language, so it reads in its direction.
        words = (self.form.workshop, self.form.reference)
        parts = (label, *words) if self.rtl else (*words, label)
        self.cell(0, 6, " · ".join(parts), align=Align.C)
        self.set_text_color(0, 0, 0)

    # ------------------------------------------------------------ text
    def text_block(self, text: str, size: float, *, grey: bool = False, gap: float = 1.5) -> None:
        self.set_font(self.main_font, size=size)
        if grey:
            self.set_text_color(*_GREY)
        self.multi_cell(
            0,
            size * 0.48,
            text,
            align=self.align,
            wrapmode=self.wrap,
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        self.set_text_color(0, 0, 0)
        self.ln(gap)

    def height_of(self, text: str, size: float, width: float = 0) -> float:
        self.set_font(self.main_font, size=size)
        lines = self.multi_cell(
            width or self.epw,
            size * 0.48,
            text,
            align=self.align,
            wrapmode=self.wrap,
            dry_run=True,
            output="LINES",
        )
        assert isinstance(lines, list)
        return len(lines) * size * 0.48 + 1.5

    # ------------------------------------------------------------ answers
    def tick_row(self, label: str, number: int | None, x: float, width: float) -> float:
        """One tick box and its label in the column starting ``x`` (leading side); row height."""
        y = self.get_y()
        self.set_line_width(0.35)
        self.rect(self.at(x, _TICK), y + 0.6, _TICK, _TICK)
        text_width = width - _TICK - 3
        self.set_xy(self.at(x + _TICK + 2, text_width), y)
        self.set_font(self.main_font, size=_BODY)
        text = f"{number}  {label}" if number is not None else label
        self.multi_cell(text_width, _BODY * 0.48, text, align=self.align, wrapmode=self.wrap)
        return max(self.get_y() - y, _TICK + 1.5)

    def options(self, question: PaperQuestion) -> None:
        columns = 2 if len(question.options) > 6 else 1
        width = self.epw / columns
        rows = (len(question.options) + columns - 1) // columns
        for r in range(rows):
            y = self.get_y()
            tallest = 0.0
            for c in range(columns):
                index = c * rows + r
                if index >= len(question.options):
                    continue
                option = question.options[index]
                self.set_y(y)
                x = self.l_margin + c * width
                tallest = max(tallest, self.tick_row(option.label, option.number, x, width))
            self.set_xy(self.l_margin, y + tallest + 1)

    def scale(self, question: PaperQuestion) -> None:
        y = self.get_y()
        x = self.l_margin
        self.set_font(self.main_font, size=_BODY)
        for value in range(question.least, question.most + 1):
            self.set_line_width(0.35)
            self.rect(self.at(x, _TICK), y + 0.6, _TICK, _TICK)
            self.set_xy(self.at(x + _TICK + 1.5, 10), y)
            self.cell(10, _TICK + 1, str(value), align=self.align)
            x += _TICK + 16
        self.set_xy(self.l_margin, y + _TICK + 3)

    def ruled(self, lines: int) -> None:
        self.set_line_width(0.25)
        self.set_draw_color(120, 120, 120)
        for _ in range(lines):
            self.ln(_LINE_GAP)
            y = self.get_y()
            self.line(self.l_margin, y, self.l_margin + self.epw, y)
        self.set_draw_color(0, 0, 0)
        self.ln(3)


def _question_height(pdf: _Pdf, q: PaperQuestion) -> float:
    height = pdf.height_of(f"{q.number}. {q.prompt}", _QUESTION) + pdf.height_of(q.help, _SMALL)
    if q.kind in (QuestionKind.ONE, QuestionKind.SOME, QuestionKind.YES_NO):
        rows = len(q.options) if len(q.options) <= 6 else (len(q.options) + 1) // 2
        height += rows * (_TICK + 2.5)
    elif q.kind is QuestionKind.SCALE:
        height += _TICK + 4
    elif q.kind is QuestionKind.TEXT:
        height += q.lines * _LINE_GAP + 4
    else:
        height += 14
    return height + 4


def _draw_question(pdf: _Pdf, q: PaperQuestion, hints: dict[str, str], position: int = 1) -> None:
    if pdf.will_page_break(_question_height(pdf, q)):
        pdf.add_page()
    prompt = q.prompt.replace(POSITION, str(position))
    pdf.text_block(f"{q.number}. {prompt}", _QUESTION, gap=0.5)
    instruction = {
        QuestionKind.ONE: hints["one"],
        QuestionKind.YES_NO: hints["one"],
        QuestionKind.SOME: hints["some"]
        .replace("{min}", str(q.least))
        .replace("{max}", str(q.most)),
        QuestionKind.SCALE: hints["scale"],
        QuestionKind.TEXT: hints["write"],
        QuestionKind.LETTER: hints["letter"],
    }[q.kind]
    pdf.text_block(f"{q.help} {instruction}".strip(), _SMALL, grey=True, gap=1)
    if q.kind in (QuestionKind.ONE, QuestionKind.SOME, QuestionKind.YES_NO):
        pdf.options(q)
    elif q.kind is QuestionKind.SCALE:
        pdf.scale(q)
    elif q.kind is QuestionKind.TEXT:
        pdf.ruled(q.lines)
    else:
        pdf.ruled(1)
    pdf.ln(3)


def _draw_box(pdf: _Pdf, box: PaperBox, hints: dict[str, str]) -> None:
    if box.copies <= 1:
        for q in box.questions:
            _draw_question(pdf, q, hints)
        return
    for copy in range(box.copies):
        letter = chr(ord("A") + copy)
        # The box's title, its "which area" line and its first question stay together.
        lead = 14 + (pdf.height_of(box.about.prompt, _QUESTION) + 14 if box.about else 0)
        if pdf.will_page_break(lead + _question_height(pdf, box.questions[0])):
            pdf.add_page()
        pdf.set_fill_color(230, 236, 245)
        pdf.set_font(pdf.main_font, size=_SECTION - 2)
        pdf.cell(
            0,
            10,
            box.title.replace("{letter}", letter),
            fill=True,
            align=pdf.align,
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        pdf.ln(2)
        if box.about is not None:
            pdf.text_block(box.about.prompt, _QUESTION, gap=0)
            pdf.ruled(1)
        for q in box.questions:
            _draw_question(pdf, q, hints, copy + 1)
        pdf.ln(4)


def render_pdf(forms: Sequence[PaperForm], labels: dict[str, str]) -> bytes:
    """The forms as one PDF, each copy from a new page, with every font embedded.

    Copies differ only in their reference code, so each has as many pages as the first;
    their pages are numbered per copy.

    Args:
        forms: What to print, one :class:`PaperForm` per copy (at least one).
        labels: Rendered instruction texts: ``one``, ``some`` (with ``{min}``/``{max}``),
            ``scale``, ``write``, ``letter``, ``page`` (with ``{page}``), ``title``,
            ``office``, ``columns``.
    """
    pdf = _Pdf(forms[0], labels["page"])
    if len(forms) > 1:
        alone = _Pdf(forms[0], labels["page"])
        _draw_copy(alone, forms[0], labels)
        pdf.copy_pages = alone.page_no()
    for form in forms:
        _draw_copy(pdf, form, labels)
    if pdf.rtl:
        pdf.map_shaped_glyphs()
    return bytes(pdf.output())


def _draw_copy(pdf: _Pdf, form: PaperForm, labels: dict[str, str]) -> None:
    """One copy of the form, from a new page on."""
    pdf.add_page()  # finishes the last copy's last page: its footer still names that copy
    pdf.form = form
    pdf.copy_start = pdf.page_no()
    pdf.text_block(labels["title"], _TITLE, gap=3)
    for line in form.heading:
        pdf.text_block(line, _BODY)
    pdf.ln(2)
    # The volunteer's box: reference code, who helped, how consent was given.
    _framed(pdf, labels["office"], form.office, dashed=False)
    pdf.ln(8)
    for section in form.sections:
        if pdf.will_page_break(50):
            pdf.add_page()
        pdf.text_block(section.title, _SECTION, gap=1)
        if section.intro:
            pdf.text_block(section.intro, _BODY, gap=3)
        for box in section.boxes:
            _draw_box(pdf, box, labels)
    pdf.ln(4)
    pdf.text_block(form.csv_note, _SMALL, grey=True)
    pdf.text_block(labels["columns"], _SMALL, grey=True)
    # The resident's slip, to cut off and keep: their code, for my data and forget me.
    pdf.ln(6)
    if pdf.will_page_break(30):
        pdf.add_page()
    _framed(pdf, form.slip[0], form.slip[1:], dashed=True)


def _framed(pdf: _Pdf, title: str, lines: Sequence[str], *, dashed: bool) -> None:
    """A title and lines in a frame (dashed: a slip to cut off)."""
    top = pdf.get_y()
    pdf.set_margins(_MARGIN + 3, _MARGIN, _MARGIN + 3)
    pdf.text_block(title, _BODY, gap=0.5)
    for line in lines:
        pdf.text_block(line, _BODY, gap=0.5)
    pdf.set_margins(_MARGIN, _MARGIN, _MARGIN)
    pdf.set_line_width(0.5)
    if dashed:
        pdf.set_dash_pattern(dash=2, gap=1.5)
    pdf.rect(pdf.l_margin, top - 2, pdf.epw, pdf.get_y() - top + 4)
    pdf.set_dash_pattern()
