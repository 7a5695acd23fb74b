"""The høringsnotat as a Word file (.docx), for the sundhedsråd and the municipal committees
that file it: Word headings, the parties in a real table, each comment with its responses.

It writes what build_hearing_note gives, with the general helpers of pathways/word/writing.py.
"""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from pathways.review.hearing_note import HearingNote, Point
from pathways.word import writing


def _date(value) -> str:
    return date_format(value, "j. F Y") if value else "—"


def _point(doc, point: Point) -> None:
    title = point.step_label + (f" – {point.subject}" if point.subject else "")
    writing.heading(doc, title, 3)
    who = point.author + (f" ({point.party})" if point.party else "")
    writing.paragraph(doc, f"{who}, {_date(point.at)}", italic=True)
    writing.formatted(doc, point.body)
    if point.proposed_text:
        writing.paragraph(
            doc,
            _("Forslag til ny tekst – %(state)s") % {"state": point.proposal_label},
            bold=True,
        )
        writing.formatted(doc, point.proposed_text)
    for response in point.responses:
        writing.paragraph(
            doc,
            _("Svar fra %(who)s, %(when)s:") % {"who": response.author, "when": _date(response.at)},
            bold=True,
        )
        writing.formatted(doc, response.text)
    if point.changes_url:
        writing.formatted(
            doc, f"{_('Ændringen:')} [{_('Se hvad der blev ændret')}]({point.changes_url})"
        )
    if point.resolved_at:
        writing.paragraph(
            doc,
            _("Løst af %(who)s %(when)s")
            % {"who": point.resolved_by, "when": _date(point.resolved_at)},
            italic=True,
        )


def hearing_note_docx(note: HearingNote) -> bytes:
    """The .docx bytes of `note` (labels in the active language)."""
    title = f"{_('Høringsnotat')} – {note.program_title}"
    doc = writing.new_document(
        title,
        "da-DK",
        subject=_("Høringsnotat, høringsrunde %(n)s") % {"n": note.round_number},
        keywords=note.program_code,
    )
    writing.heading(doc, _("Høringsnotat"), 0)
    writing.heading(doc, note.program_title, 1)
    writing.facts(
        doc,
        [
            (_("Kort kode"), note.program_code),
            (_("Høringsrunde"), str(note.round_number)),
            (_("Sendt i høring"), _date(note.sent_at)),
            (_("Svarfrist"), _date(note.deadline)),
            *(
                [(_("Afsluttet"), f"{_date(note.closed_at)} ({note.outcome_label})")]
                if note.closed_at
                else []
            ),
        ],
    )
    if note.cover_letter:
        writing.heading(doc, _("Høringsbrev"), 2)
        writing.formatted(doc, note.cover_letter)

    writing.heading(doc, _("Høringssvar"), 2)
    writing.paragraph(
        doc,
        ngettext(
            "%(answered)s af %(n)s part har svaret.",
            "%(answered)s af %(n)s parter har svaret.",
            len(note.parties),
        )
        % {"answered": note.answered_count, "n": len(note.parties)},
    )
    writing.table(
        doc,
        [pgettext("part i en høring", "Høringspart"), _("Holdning"), _("Bemærkning"), _("Dato")],
        [
            [
                p.name,
                p.verdict_label,
                p.note or "—",
                (
                    _date(p.given_at)
                    + (f"\n{p.given_by}" if p.given_by else "")
                    + (f"\n{_('efter fristen')}" if p.late else "")
                )
                if p.answered
                else "—",
            ]
            for p in note.parties
        ],
        formatted_columns=[2],
    )

    for group, points, empty in (
        (_("Åbne punkter"), note.open_points, _("Ingen åbne kommentarer.")),
        (_("Behandlede punkter"), note.handled_points, _("Ingen behandlede kommentarer.")),
    ):
        writing.heading(doc, group, 2)
        if not points:
            writing.paragraph(doc, empty)
        for point in points:
            _point(doc, point)
    return writing.to_bytes(doc)
