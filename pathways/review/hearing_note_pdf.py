"""The høringsnotat as a PDF: the program PDF's stylesheet, renderer and PDF/UA tagging
(pathways/pdf/render.html_to_pdf), from the data build_hearing_note gives."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from pathways.pdf import render
from pathways.review.hearing_note import HearingNote


def hearing_note_html(note: HearingNote) -> str:
    # A Danish document, as the program's PDF, whatever language the person exporting reads.
    with override("da"):
        return render_to_string(
            "pdf/hearing_note.html",
            {
                "note": note,
                "today": timezone.localdate(),
                "groups": [
                    (_("Åbne punkter"), note.open_points, _("Ingen åbne kommentarer.")),
                    (
                        _("Behandlede punkter"),
                        note.handled_points,
                        _("Ingen behandlede kommentarer."),
                    ),
                ],
            },
        )


def hearing_note_pdf(note: HearingNote) -> bytes:
    return render.html_to_pdf(hearing_note_html(note))
