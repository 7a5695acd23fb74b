"""A program as a Word (.docx) file, for consultation parties who review in Word.

The content is the PDF's: the same view model (pathways/pdf/document.py, `build_document`)
built from the same program document, laid out in the order of templates/pdf/program.html.
Nothing is read from the program's rows here, so a published version's file says what its
stored document says. Chapters and parts are Word headings (the navigation pane lists
them); every table of the PDF is a Word table with a repeating header row; the pathway
diagram, a drawing, is given by its text description and its list of transitions.
Always Danish, like the PDF.
"""

from __future__ import annotations

import datetime

from django.utils import dateformat
from django.utils.translation import gettext as _
from django.utils.translation import override

from pathways.pdf.document import Document, PartView, PointView
from pathways.pdf.render import draft_document, version_document
from pathways.programs.models import Program
from pathways.versions.models import ProgramVersion
from pathways.word import writing as w


def draft_docx(program: Program) -> bytes:
    """The program as it stands now (the PDF's draft document), as .docx bytes."""
    return to_docx(draft_document(program))


def version_docx(version: ProgramVersion) -> bytes:
    """A published version from its stored document alone, as .docx bytes."""
    return to_docx(version_document(version))


def to_docx(doc: Document) -> bytes:
    with override("da"):
        return w.to_bytes(_Writer(doc).write())


def _date(value: datetime.date | None) -> str:
    return dateformat.format(value, "j. F Y") if value else ""


class _Writer:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.unanswered = _("ikke besvaret")
        self.out = w.new_document(
            doc.title or _("Specifikt forløbsprogram for mennesker med sjældne sygdomme"),
            "da-DK",
            author=doc.region,
            subject=_("Specifikt forløbsprogram for mennesker med sjældne sygdomme"),
            keywords=doc.keywords,
        )

    def write(self):
        self.cover()
        self.colophon()
        self.overview()
        self.matrix()
        self.background()
        self.target_group()
        self.working_group()
        self.actors()
        self.pathway_overview()
        self.parts()
        self.implementation()
        self.follow_up()
        self.appendix_not_relevant()
        self.appendix_resources()
        return self.out

    # --- small pieces -----------------------------------------------------------------

    def text(self, value: str | None, container=None) -> None:
        """A formatted answer, or "ikke besvaret" when there is none."""
        w.formatted(container or self.out, value, empty=self.unanswered)

    def fact(self, label: str, value: str) -> None:
        w.label_value(self.out, label, value, empty=self.unanswered)

    def ref(self, number: str) -> None:
        w.paragraph(self.out, _("jf. generisk model %(number)s") % {"number": number}, italic=True)

    def unplaced(self, fields: list[tuple[str, str]], level: int = 3) -> None:
        for label, value in fields:
            w.heading(self.out, label, level)
            w.paragraphs(self.out, value)

    # --- front matter -------------------------------------------------------------------

    def cover(self) -> None:
        d, out = self.doc, self.out
        w.paragraph(out, _("Specifikt forløbsprogram for mennesker med sjældne sygdomme"))
        w.heading(out, d.title or self.unanswered, 0)
        w.paragraph(out, d.region)
        line = " · ".join(
            [
                f"{_('Kort kode')}: {d.code}",
                d.status_label,
                f"{_('Version')}: {d.version_label}",
                f"{_('Dato')}: {_date(d.date)}",
            ]
        )
        w.paragraph(out, line, bold=True)
        self.fact(_("Målgruppe"), d.grouping)
        self.fact(_("Godkendende organ"), d.approving_body)
        if d.completeness:
            coverage, gaps = d.completeness
            self.fact(
                _("Fuldstændighed"),
                _("%(coverage)s %% af opmærksomhedspunkterne besvaret, %(gaps)s mangler")
                % {"coverage": coverage, "gaps": gaps},
            )
        w.page_break(out)

    def colophon(self) -> None:
        d, out = self.doc, self.out
        w.heading(out, _("Kolofon"), 1)
        contact = d.region
        if d.follow_up_responsible:
            contact = d.follow_up_responsible + (
                f" – {d.follow_up_contact}" if d.follow_up_contact else ""
            )
        approved = d.approving_body or self.unanswered
        approved += f" – {_('endnu ikke godkendt')}" if d.is_draft else f", {_date(d.date)}"
        pairs = [
            (_("Udgiver"), d.region),
            (_("Kontakt"), contact),
            (_("Titel"), d.title),
            (_("Version"), f"{d.version_label} ({d.status_label})"),
            (_("Dato"), _date(d.date)),
            (_("Godkendt af"), approved),
        ]
        if d.publication_url:
            label = _("Programmets side") if d.is_draft else _("Offentliggjort på")
            pairs.append((label, d.publication_url))
        model = d.model or {}
        pairs += [
            (_("Næste revision"), _date(d.next_review_date)),
            (_("Sprog"), _("Dansk")),
            (
                _("Bygger på"),
                f"{model.get('name', '')}, {model.get('publisher', '')}, "
                f"version {model.get('version', '')}",
            ),
            (_("Kort kode"), d.code),
            (_("Genbrug"), _("Programmet må gengives og tilpasses med tydelig kildeangivelse.")),
        ]
        w.facts(out, pairs, empty=self.unanswered)
        w.heading(out, _("Versionshistorik"), 2)
        if d.history:
            w.table(
                out,
                [_("Version"), _("Dato"), _("Status"), _("Ændringer")],
                [[r.number, r.date.strftime("%d.%m.%Y"), str(r.status), r.note] for r in d.history],
            )
        else:
            w.paragraph(out, _("Ingen tidligere versioner."))

    def overview(self) -> None:
        d, out = self.doc, self.out
        w.heading(out, _("Overblik"), 1)
        w.heading(out, _("Målgruppe"), 2)
        lead = d.grouping or self.unanswered
        if d.target.get("estimated_persons"):
            lead += " · " + _("anslået %(n)s personer") % {"n": d.target["estimated_persons"]}
        w.paragraph(out, lead)
        if d.code_numbers:
            w.paragraph(
                out,
                f"{_('Diagnosekoder:')} {'; '.join(d.code_numbers)} ("
                + _("navne: se %(chapter)s") % {"chapter": d.chapter.get("target_group", "")}
                + ")",
            )
        w.heading(out, _("Kontaktpersoner"), 2)
        for label, name, contact in (
            (_("Patientansvarlig læge"), d.doctor, d.doctor_contact),
            (_("Koordinerende kontakt i kommunen"), d.coordinator, d.coordinator_contact),
        ):
            self.fact(label, (name or self.unanswered) + (f" – {contact}" if contact else ""))
        w.heading(out, _("Hvem gør hvad, hvornår"), 2)
        if not d.matrix_parts:
            w.paragraph(out, _("Ingen dele af forløbet er beskrevet endnu."))
            return
        rows = []
        for part in d.matrix_parts:
            contact = part.responsible_contact
            if part.responsible_referral:
                referral = f"{_('Henvisning:')} {part.responsible_referral}"
                contact = f"{contact}. {referral}" if contact else referral
            transitions = "\n".join(
                f"{t.title}: {t.trigger}" for t in part.transitions if t.relevant and t.trigger
            )
            rows.append(
                [
                    f"{part.number} {part.title}",
                    part.responsible or self.unanswered,
                    contact,
                    part.deadlines or self.unanswered,
                    transitions,
                ]
            )
        w.table(
            out,
            [_("Del"), _("Ansvarlig"), _("Kontakt"), _("Frister"), _("Overgang")],
            rows,
            formatted_columns=[3, 4],
        )

    def matrix(self) -> None:
        d, out = self.doc, self.out
        # The matrix has a column per relevant part: it reads best across the page.
        w.landscape(out)
        w.heading(out, _("Ansvarsmatrix"), 1)
        w.paragraph(
            out,
            _(
                "A = ansvarlig for delen, D = deltager (samarbejdende, ansvarlig for et punkt "
                "eller part i en overgang), P = patientansvarlig læge i delen. Kolonnerne er "
                "forløbets relevante dele."
            ),
        )
        w.table(
            out,
            [_("Aktør")] + [f"{p.number} {p.title}" for p in d.matrix_parts],
            [[name, *cells] for name, cells in d.matrix_rows],
        )
        w.portrait(out)

    # --- chapters -------------------------------------------------------------------------

    def background(self) -> None:
        d, out = self.doc, self.out
        w.heading(out, d.chapter["background"], 1)
        self.text(d.basis.get("purpose"))
        w.heading(out, _("Kriterier for programmet"), 2)
        for criterion, applies, reason in d.criteria:
            if applies:
                verdict = _("opfyldt")
            elif applies is False:
                verdict = _("ikke opfyldt")
            else:
                verdict = _("ikke vurderet")
            w.label_value(out, criterion.title, verdict)
            if reason:
                w.formatted(out, reason)
        w.heading(out, _("Vurdering af behov"), 2)
        for need, assessment in d.needs:
            w.paragraph(out, need.title, bold=True)
            self.text(assessment)
        self.unplaced(d.unplaced.get("basis", []), 2)
        self.unplaced(d.unplaced.get("criteria", []), 2)

    def target_group(self) -> None:
        d, out = self.doc, self.out
        w.heading(out, d.chapter["target_group"], 1)
        self.fact(_("Målgruppe"), d.grouping)
        if d.target.get("estimated_persons"):
            self.fact(_("Anslået antal personer"), str(d.target["estimated_persons"]))
        w.heading(out, _("Diagnosekoder"), 2)
        for code in d.codes or [self.unanswered]:
            w.paragraph(out, code, style="List Bullet")
        w.heading(out, _("Afgrænsning"), 2)
        for label, name in (
            (_("Inklusion"), "inclusion"),
            (_("Eksklusion"), "exclusion"),
            (_("Personer med mistanke, men uden diagnose"), "suspected_undiagnosed"),
            (_("Personer i flere målgrupper"), "multiple_groups"),
            (_("Personer uden for målgruppen"), "outside_target_group"),
        ):
            w.heading(out, label, 3)
            self.text(d.target.get(name))
        if d.target_points:
            w.heading(out, _("Opmærksomhedspunkter"), 2)
            self.ref(d.target_points[0].section_number)
            self.points(d.target_points, 3)
        self.unplaced(d.unplaced.get("target_group", []), 2)

    def working_group(self) -> None:
        d = self.doc
        w.heading(self.out, d.chapter["working_group"], 1)
        w.table(
            self.out,
            [_("Navn"), _("Organisation"), _("Sektor"), _("Rolle")],
            [list(member) for member in d.members],
        )

    def actors(self) -> None:
        d, out = self.doc, self.out
        w.heading(out, d.chapter["actors"], 1)
        self.fact(_("Patientansvarlig læge"), d.doctor)
        w.formatted(out, d.roles.get("patient_responsible_doctor_note"))
        self.fact(_("Koordinerende kontakt i kommunen"), d.coordinator)
        w.formatted(out, d.roles.get("municipal_coordinator_note"))
        header = [_("Aktør"), _("Aktørtype"), _("Enhed"), _("Kontakt"), _("Visitation")]
        later = any(a.delivered_from_2027_by for a in d.actors)
        if later:
            header.append(_("Fra 1. januar 2027"))
        rows = []
        for a in d.actors:
            kind = a.actor_type or _("Lokal aktør")
            if a.specialisation_level:
                kind += f" · {a.specialisation_level}"
            row = [a.name, kind, a.unit, a.contact_point, a.visitation_entry]
            rows.append(row + [a.delivered_from_2027_by] if later else row)
        w.table(out, header, rows)
        self.unplaced(d.unplaced.get("actors", []), 2)

    def pathway_overview(self) -> None:
        d, out = self.doc, self.out
        w.heading(out, d.chapter["overview"], 1)
        if d.diagram is None:
            return
        # The drawing itself is in the PDF; its description says what it shows.
        w.paragraph(out, _("Forløbsdiagrammet findes i PDF-udgaven. Det viser:"), italic=True)
        w.paragraphs(out, str(d.diagram.alt))
        if d.diagram.transitions:
            w.paragraph(out, _("Overgange i diagrammet – hvem overdrager til hvem:"))
            w.table(
                out,
                [_("Nr."), _("Overgang"), _("Del"), _("Afgivende"), _("Modtagende")],
                [
                    [str(t.number), t.title, t.section, t.sending, t.receiving]
                    for t in d.diagram.transitions
                ],
            )

    def parts(self) -> None:
        d, out = self.doc, self.out
        w.heading(out, d.chapter["parts"], 1)
        if d.pathway:
            w.heading(out, d.pathway_title, 2)
            for label, value in d.pathway:
                w.heading(out, label, 3)
                self.text(value)
            self.unplaced(d.unplaced.get("pathway", []), 3)
        for part in d.parts:
            if part.relevant:
                self.part(part)
        for title, effort, responsible in d.own_parts:
            w.heading(out, title, 2)
            self.fact(_("Ansvarlig"), responsible)
            w.heading(out, _("Sundhedsfaglig indsats"), 3)
            self.text(effort)

    def part(self, part: PartView) -> None:
        out = self.out
        for _anchor, number, title, model_number, level in part.group_headings:
            w.heading(out, f"{number} {title}", level)
            self.ref(model_number)
        level = part.level
        w.heading(out, f"{part.number} {part.title}", level)
        self.ref(part.model_number)
        self.fact(_("Ansvarlig"), part.responsible)
        self.fact(_("Samarbejdende"), ", ".join(part.collaborating))
        self.fact(_("Patientansvarlig læge"), part.doctor)
        w.heading(out, _("Sundhedsfaglig indsats"), level + 1)
        self.text(part.effort)
        for label, value in part.fields:
            if value:
                w.heading(out, label, level + 1)
                w.formatted(out, value)
        self.part_links(part, level + 1)
        for t in part.transitions:
            if t.relevant:
                self.transition(t)
        if part.points:
            w.heading(out, _("Opmærksomhedspunkter"), level + 1)
            self.points(part.points, level + 2)
        self.unplaced(part.unplaced, level + 1)

    def part_links(self, part: PartView, level: int) -> None:
        out, links = self.out, part.links
        if links.tools:
            w.heading(out, _("Koordineringsværktøjer"), level)
            w.table(
                out,
                [_("Koordineringsværktøj"), _("Ansvarlig"), _("Bemærkning")],
                [[t.title, t.responsible or self.unanswered, t.note] for t in links.tools],
                formatted_columns=[2],
            )
        if links.offers:
            w.heading(out, _("Tilbud"), level)
            w.table(
                out,
                [_("Tilbud"), _("Udbyder"), _("Status"), _("Henvisning")],
                [[o.title, o.provider, o.status, o.note] for o in links.offers],
                formatted_columns=[3],
            )
        if links.gaps:
            w.heading(out, _("Behov uden tilbud"), level)
            w.table(
                out,
                [_("Behov"), _("Livsfase"), _("Bemærkning")],
                [[g.need, g.phase_label, g.note] for g in links.gaps],
                formatted_columns=[2],
            )

    def transition(self, t) -> None:
        out = self.out
        u = self.unanswered
        w.table(
            out,
            [_("Overgang"), t.title],
            [
                [_("Afgivende"), t.sending or u],
                [_("Modtagende"), t.receiving or u],
                [_("Udløses af"), t.trigger or u],
                [_("Overdrages"), t.handover or u],
                [_("Indkalder til konference"), t.convener or u],
                [_("Følger op"), t.follow_up or u],
            ],
            formatted_columns=[1],
        )
        if t.arrangements:
            w.table(
                out,
                [_("Det skal aftales"), _("Hvem"), _("Hvornår")],
                [[item, who or u, when] for item, who, when in t.arrangements],
            )
        w.paragraph(out)

    def points(self, points: list[PointView], level: int) -> None:
        out = self.out
        group = None
        for point in points:
            if point.group and point.group != group:
                w.paragraph(out, point.group, bold=True)
            group = point.group
            w.heading(out, point.title, level)
            meta = _("jf. generisk model %(number)s") % {"number": point.reference}
            if point.status_worth_printing:
                meta += f" · {_('Status:')} {point.status}"
            if point.responsible:
                meta += f" · {_('Ansvarlig:')} {point.responsible}"
            w.paragraph(out, meta, italic=True)
            if point.not_relevant:
                w.paragraph(out, _("Begrundelse:"), bold=True)
                w.formatted(out, point.reason, empty="—")
            else:
                self.text(point.answer)

    def implementation(self) -> None:
        d, out = self.doc, self.out
        w.heading(out, d.chapter["implementation"], 1)
        for label, name in (
            (_("Aftaler og forum"), "agreements_forum"),
            (_("Udbredelse"), "dissemination"),
            (_("Offentliggørelse"), "publication_place"),
        ):
            w.heading(out, label, 2)
            self.text(d.implementation.get(name))
        w.heading(out, _("Startdato"), 2)
        w.paragraph(out, _date(d.start_date) or self.unanswered)
        if d.implementation_points:
            w.heading(out, _("Opmærksomhedspunkter"), 2)
            self.ref(d.implementation_points[0].section_number)
            self.points(d.implementation_points, 3)
        w.heading(out, _("Behov uden tilbud"), 2)
        w.paragraph(
            out,
            _(
                "Behov i målgruppen, som arbejdsgruppen ikke har fundet et tilbud til, samlet "
                "fra forløbets dele."
            ),
        )
        if d.offer_gaps:
            rows = []
            for part, gap in d.offer_gaps:
                if part.relevant:
                    name = f"{part.number} {part.title}"
                else:
                    name = (
                        f"{part.title} ("
                        + _("jf. generisk model %(number)s") % {"number": part.model_number}
                        + ")"
                    )
                rows.append([name, gap.phase_label, gap.need, gap.note])
            w.table(
                out,
                [_("Del"), _("Livsfase"), _("Behov"), _("Bemærkning")],
                rows,
                formatted_columns=[3],
            )
        else:
            w.paragraph(
                out,
                _(
                    "Arbejdsgruppen har ikke registreret behov uden tilbud i nogen af "
                    "forløbets dele."
                ),
            )
        self.unplaced(d.unplaced.get("implementation", []), 2)

    def follow_up(self) -> None:
        d, out = self.doc, self.out
        w.heading(out, d.chapter["follow_up"], 1)
        w.heading(out, _("Hvordan og hvornår"), 2)
        self.text(d.follow_up.get("how_and_when"))
        w.heading(out, _("Ansvarlig"), 2)
        w.paragraph(out, d.follow_up_responsible or self.unanswered)
        w.heading(out, _("Indikatorer"), 2)
        self.text(d.follow_up.get("indicators"))
        w.heading(out, _("Datakilder"), 2)
        w.paragraph(out, d.data_sources or self.unanswered)
        w.formatted(out, d.follow_up.get("data_sources_note"))
        w.heading(out, _("Næste revision"), 2)
        w.paragraph(out, _date(d.next_review_date) or self.unanswered)
        self.unplaced(d.unplaced.get("follow_up", []), 2)

    # --- appendices ---------------------------------------------------------------------

    def appendix_not_relevant(self) -> None:
        d, out = self.doc, self.out
        w.heading(out, _("Bilag A. Vurderet ikke relevant"), 1)
        for part in d.not_relevant_parts:
            w.paragraph(out, f"{part.model_number} {part.title}", bold=True)
            self.text(part.not_relevant_reason)
        for _part, point in d.not_relevant_points:
            w.paragraph(
                out, f"{_('Opmærksomhedspunkt')} {point.reference} {point.title}", bold=True
            )
            self.text(point.reason)
        if not d.not_relevant_parts and not d.not_relevant_points:
            if d.unanswered_points or d.unassessed_parts:
                none = _(
                    "Ingen dele eller opmærksomhedspunkter er vurderet ikke relevante indtil nu."
                )
            else:
                none = _("Alle dele og opmærksomhedspunkter er vurderet relevante for målgruppen.")
            w.paragraph(out, none)
        if d.unassessed_parts or d.unanswered_points:
            w.heading(out, _("Endnu ikke vurderet"), 2)
            for part in d.unassessed_parts:
                w.paragraph(
                    out,
                    _("Del %(number)s %(title)s: relevans ikke vurderet")
                    % {"number": part.model_number, "title": part.title},
                    style="List Bullet",
                )
            for point in d.unanswered_points:
                w.paragraph(
                    out,
                    f"{point.reference} {point.title}: {self.unanswered}",
                    style="List Bullet",
                )

    def appendix_resources(self) -> None:
        d, out = self.doc, self.out
        w.heading(out, _("Bilag B. Videnskilder og lovgrundlag"), 1)
        w.heading(out, _("Videnskilder"), 2)
        for r in d.resources:
            w.paragraph(out, r.name, bold=True)
            w.paragraph(out, " ".join(x for x in (r.offers, r.url) if x))
        w.heading(out, _("Lovgrundlag"), 2)
        for ref in d.legal_references:
            title = ref.law + (f" {ref.provision}" if ref.provision else "") + f": {ref.title}"
            w.paragraph(out, title, bold=True)
            w.paragraph(out, " ".join(x for x in (ref.summary, ref.url) if x))
