"""The certificate as a PDF, drawn with ReportLab (ADR 0011): landscape A4 or US Letter, the
learner's name, the course, its length in days, the date, the issuer, a QR code of the verify page
(segno) and the site's name and colours; a revoked certificate says REVOKED across it.

The text is set in DejaVu Sans, shipped beside this module (fonts/, Bitstream Vera licence) and
embedded as a subset with its Unicode map, so the text can be selected and extracted and the file
looks the same on every reader. It is drawn in the active language (the caller sets the learner's);
Arabic is shaped (arabic-reshaper) and put in visual order (python-bidi): DejaVu Sans has the glyphs.
Nothing here reads the database: ``render`` takes what it draws.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import arabic_reshaper
import segno
from bidi import get_display
from django.utils import dateformat
from django.utils.translation import gettext, ngettext
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, LETTER, landscape
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

FONTS = Path(__file__).resolve().parent / "fonts"
REGULAR, BOLD = "MomentumDejaVuSans", "MomentumDejaVuSans-Bold"
PAPERS = {"a4": landscape(A4), "letter": landscape(LETTER)}
# The site's colours: the design system's brand blue and flame (static/css/momentum.css).
MARGIN = 28
BRAND, ACCENT, INK, MUTED, DANGER = "#3340d6", "#ff8a1f", "#16182b", "#6b7089", "#c0262d"
# Hebrew, Arabic and their presentation forms: text that needs shaping and visual reordering.
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


@dataclass(frozen=True)
class CertificateDrawing:
    learner_name: str
    course_title: str
    duration_days: int
    issued_on: date
    issuer: str
    verify_url: str
    certificate_id: str
    paper: str = "a4"
    revoked_on: date | None = None


def _register_fonts() -> None:
    if REGULAR not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(REGULAR, str(FONTS / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(BOLD, str(FONTS / "DejaVuSans-Bold.ttf")))


def _fitted(canvas: Canvas, text: str, font: str, size: float, width: float) -> float:
    """The largest size up to ``size`` at which ``text`` fits ``width``."""
    measured = canvas.stringWidth(text, font, size)
    return size if measured <= width else max(10.0, size * width / measured)


def _long_date(day: date) -> str:
    """``6 December 2026``, the month named in the active language."""
    return str(dateformat.format(day, "j F Y"))


def _visual(text: str) -> str:
    """``text`` as a PDF draws it: Arabic letters joined (reshaped) and right-to-left runs put in visual
    order (Unicode bidi), since a PDF canvas lays glyphs out one by one, left to right."""
    if not _RTL.search(text):
        return text
    return str(get_display(arabic_reshaper.reshape(text)))


def qr_png(url: str) -> bytes:
    """The QR code of ``url`` as a PNG (error correction M, the standard quiet zone of 4 modules)."""
    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(out, kind="png", scale=8, border=4, dark="#16182b")
    return out.getvalue()


def render(drawing: CertificateDrawing) -> bytes:
    _register_fonts()
    width, height = PAPERS[drawing.paper]
    out = io.BytesIO()
    # The initial font is ours too: no standard font (which a reader would substitute) is referenced.
    canvas = Canvas(out, pagesize=(width, height), pageCompression=1, initialFontName=REGULAR, initialFontSize=12)
    canvas.setTitle(gettext("Certificate: %(title)s") % {"title": drawing.course_title})
    canvas.setAuthor(drawing.issuer)
    canvas.setSubject(f"{drawing.learner_name} completed {drawing.course_title}")
    canvas.setCreator(drawing.issuer)

    _frame(canvas, width, height)
    _body(canvas, drawing, width, height)
    _footer(canvas, drawing, width)
    if drawing.revoked_on is not None:
        _revoked(canvas, drawing.revoked_on, width, height)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def _frame(canvas: Canvas, width: float, height: float) -> None:
    margin = MARGIN
    canvas.setStrokeColor(HexColor(BRAND))
    canvas.setLineWidth(6)
    canvas.rect(margin, margin, width - 2 * margin, height - 2 * margin)
    canvas.setFillColor(HexColor(ACCENT))
    canvas.rect(margin + 3, height - margin - 12, width - 2 * margin - 6, 9, stroke=0, fill=1)


def _body(canvas: Canvas, drawing: CertificateDrawing, width: float, height: float) -> None:
    centre, text_width = width / 2, width - 2 * MARGIN - 120
    canvas.setFillColor(HexColor(BRAND))
    canvas.setFont(BOLD, 20)
    canvas.drawCentredString(centre, height - 88, _visual(drawing.issuer))
    canvas.setFillColor(HexColor(INK))
    canvas.setFont(REGULAR, 34)
    canvas.drawCentredString(centre, height - 150, _visual(gettext("Certificate of completion")))
    canvas.setFillColor(HexColor(MUTED))
    canvas.setFont(REGULAR, 14)
    canvas.drawCentredString(centre, height - 190, _visual(gettext("This certifies that")))
    canvas.setFillColor(HexColor(INK))
    learner = _visual(drawing.learner_name)
    size = _fitted(canvas, learner, BOLD, 30, text_width)
    canvas.setFont(BOLD, size)
    canvas.drawCentredString(centre, height - 232, learner)
    canvas.setFillColor(HexColor(MUTED))
    canvas.setFont(REGULAR, 14)
    canvas.drawCentredString(centre, height - 266, _visual(gettext("completed the course")))
    canvas.setFillColor(HexColor(BRAND))
    title = _visual(drawing.course_title)
    size = _fitted(canvas, title, BOLD, 24, text_width)
    canvas.setFont(BOLD, size)
    canvas.drawCentredString(centre, height - 302, title)
    canvas.setFillColor(HexColor(INK))
    canvas.setFont(REGULAR, 13)
    line = ngettext(
        "A course of %(days)d day, completed on %(date)s",
        "A course of %(days)d days, completed on %(date)s",
        drawing.duration_days,
    ) % {"days": drawing.duration_days, "date": _long_date(drawing.issued_on)}
    canvas.drawCentredString(centre, height - 332, _visual(line))


def _footer(canvas: Canvas, drawing: CertificateDrawing, width: float) -> None:
    margin, qr_size = MARGIN, 112
    qr_x, qr_y = width - margin - 24 - qr_size, margin + 24
    canvas.drawImage(ImageReader(io.BytesIO(qr_png(drawing.verify_url))), qr_x, qr_y, qr_size, qr_size)
    canvas.setFillColor(HexColor(INK))
    canvas.setFont(BOLD, 11)
    canvas.drawString(
        margin + 30,
        margin + 88,
        _visual(
            gettext("Issued by %(issuer)s on %(date)s")
            % {"issuer": drawing.issuer, "date": _long_date(drawing.issued_on)}
        ),
    )
    canvas.setFont(REGULAR, 9)
    canvas.setFillColor(HexColor(MUTED))
    canvas.drawString(
        margin + 30, margin + 70, _visual(gettext("Certificate ID %(id)s") % {"id": drawing.certificate_id})
    )
    canvas.drawString(margin + 30, margin + 56, _visual(gettext("Check it at")))
    canvas.setFillColor(HexColor(BRAND))
    url_size = _fitted(canvas, drawing.verify_url, REGULAR, 9, qr_x - margin - 60)
    canvas.setFont(REGULAR, url_size)
    canvas.drawString(margin + 30, margin + 42, drawing.verify_url)
    canvas.linkURL(drawing.verify_url, (margin + 30, margin + 38, qr_x - 20, margin + 52), relative=0)


def _revoked(canvas: Canvas, revoked_on: date, width: float, height: float) -> None:
    canvas.saveState()
    canvas.setFillColor(HexColor(DANGER))
    canvas.setFillAlpha(0.85)
    canvas.translate(width / 2, height / 2)
    canvas.rotate(20)
    canvas.setFont(BOLD, 92)
    canvas.drawCentredString(0, -30, _visual(gettext("REVOKED")))
    canvas.setFont(BOLD, 16)
    canvas.drawCentredString(0, -62, _visual(gettext("Revoked on %(date)s") % {"date": _long_date(revoked_on)}))
    canvas.restoreState()
