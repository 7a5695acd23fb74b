"""Forms of the authoring steps. Every field is listed explicitly.

A draft save accepts incomplete answers (completeness.py reports what is missing); these
forms only refuse malformed input — over-long text, a malformed diagnosis code, an actor
that is not the program's — with a message at the field.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pathways.programs.models import (
    LONG_TEXT,
    TEXT,
    MemberSector,
    PointStatus,
    Region,
    Relevance,
    check_code_format,
)
from pathways.security.validators import (
    reject_control_characters,
    reject_control_characters_multiline,
)

DATA_SOURCES = [
    ("audit", _("Audit")),
    ("survey", _("Spørgeskema (survey)")),
    ("interview", _("Interview")),
    ("records", _("Journaldata og registre")),
]

ActorChoices = list[tuple[int, str]]


class LineField(forms.CharField):
    """One line of text: control characters (a line break in a title, NUL, ESC) are refused
    at the field, since they break mail headers and other single-line uses."""

    default_validators = [reject_control_characters]


class TextAreaField(forms.CharField):
    """Multi-line text with a limit the server enforces and the page only announces.

    No `maxlength` attribute: a browser would cut a long paste silently. The page shows a
    live count instead (static/js/step-form.js reads `data-maxlength`), and an over-long
    text is refused at the field with the whole text still in it. Line ends are stored as
    "\n" whatever the browser sends ("\r\n"), so an unchanged text compares equal.
    """

    default_validators = [reject_control_characters_multiline]
    default_error_messages = {
        "max_length": _(
            "Teksten er %(show_value)d tegn; her er plads til højst %(limit_value)d. Intet er "
            "skåret af: forkort teksten, og gem igen."
        ),
    }

    def widget_attrs(self, widget: forms.Widget) -> dict[str, str]:
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        if self.max_length is not None:
            attrs["data-maxlength"] = str(self.max_length)
        return attrs

    def to_python(self, value: object) -> str:
        text = super().to_python(value)
        return text.replace("\r\n", "\n").replace("\r", "\n")


def text_area(
    label: str, *, rows: int = 3, help_text: str = "", max_length: int = TEXT
) -> forms.CharField:
    return TextAreaField(
        label=label,
        required=False,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def date_field(label: str) -> forms.DateField:
    # <input type="date"> shows and posts only ISO dates, whatever the interface language;
    # a localised value ("01.09.2027") would be shown as empty and posted back empty.
    return forms.DateField(
        label=label,
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        input_formats=["%Y-%m-%d"],
    )


TAMPERED_LIST = _(
    "Listen kom ikke korrekt frem (antallet af rækker passer ikke). Intet er gemt og intet "
    "slettet; rækkerne nedenfor er de gemte. Indlæs siden igen, og prøv på ny."
)


class SafeFormSet(forms.BaseFormSet):
    """A list of rows whose management data is checked before any form is built.

    With TOTAL_FORMS sent twice, missing, negative, below INITIAL_FORMS or above the list's
    maximum, Django would build fewer forms than the page showed (the rest deleted on save)
    or thousands of them. editors.py then shows the stored rows with a message instead.
    """

    @classmethod
    def management_problem(cls, data, prefix: str) -> str | None:
        counts = []
        for name in ("TOTAL_FORMS", "INITIAL_FORMS"):
            sent = data.getlist(f"{prefix}-{name}") if hasattr(data, "getlist") else []
            value = sent[0] if len(sent) == 1 else ""
            if not (value.isascii() and value.isdigit() and len(value) <= 6):
                return str(TAMPERED_LIST)
            counts.append(int(value))
        total, initial = counts
        if total < initial or total > cls.max_num:
            return str(TAMPERED_LIST)
        return None


class ActorField(forms.TypedChoiceField):
    default_error_messages = {
        "invalid_choice": _(
            "Den valgte aktør findes ikke i programmet (den kan være slettet). "
            "Vælg en af programmets aktører."
        ),
    }

    def __init__(self, *, actor_choices: ActorChoices, label: str, **kwargs: object) -> None:
        super().__init__(
            label=label,
            choices=[("", _("— vælg aktør —")), *actor_choices],
            coerce=int,
            empty_value=None,
            required=False,
            **kwargs,
        )


class ActorsField(forms.TypedMultipleChoiceField):
    default_error_messages = ActorField.default_error_messages

    def __init__(self, *, actor_choices: ActorChoices, label: str, **kwargs: object) -> None:
        super().__init__(
            label=label,
            choices=actor_choices,
            coerce=int,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            **kwargs,
        )


class RelevanceField(forms.ChoiceField):
    def __init__(self, label: str) -> None:
        super().__init__(
            label=label,
            choices=Relevance.choices,
            required=False,
            widget=forms.RadioSelect,
        )


# Step 1 ---------------------------------------------------------------------------------


class ProgramCreateForm(forms.Form):
    title = LineField(label=_("Titel"), max_length=200)
    region = forms.ChoiceField(label=_("Region"), choices=[("", "—"), *Region.choices])


class BasisForm(forms.Form):
    title = LineField(label=_("Titel"), max_length=200)
    region = forms.ChoiceField(label=_("Region"), choices=Region.choices)
    purpose = text_area(
        _("Formål"), rows=4, help_text=_("Hvad skal programmet opnå for målgruppen?")
    )
    approving_body = LineField(
        label=_("Godkendende organ"),
        max_length=200,
        required=False,
        help_text=_("Fx samordningsudvalget eller sundhedskoordinationsudvalget."),
    )


class WorkingGroupMemberForm(forms.Form):
    name = LineField(label=_("Navn"), max_length=200)
    organisation = LineField(label=_("Organisation"), max_length=200, required=False)
    sector = forms.ChoiceField(label=_("Sektor"), choices=[("", "—"), *MemberSector.choices])
    role = LineField(label=_("Rolle i gruppen"), max_length=200, required=False)


WorkingGroupFormSet = forms.formset_factory(
    WorkingGroupMemberForm,
    formset=SafeFormSet,
    extra=2,
    can_delete=True,
    max_num=60,
    validate_max=True,
)
WorkingGroupFormSet.title = _("Arbejdsgruppe")  # names the whole list in conflicts and messages


# Step 2 ---------------------------------------------------------------------------------


class CriterionForm(forms.Form):
    # Kept as "yes"/"no"/"" (what the page posts), so a loaded and a posted answer compare.
    applies = forms.ChoiceField(
        label=_("Gælder kriteriet for målgruppen?"),
        choices=[("yes", _("Ja")), ("no", _("Nej"))],
        required=False,
        widget=forms.RadioSelect,
    )
    reason = text_area(_("Begrundelse"))


class NeedForm(forms.Form):
    assessment = text_area(_("Vurdering"))


# Step 3 ---------------------------------------------------------------------------------


class TargetGroupForm(forms.Form):
    grouping = forms.TypedChoiceField(
        label=_("Målgruppe efter symptom eller funktion"),
        coerce=int,
        empty_value=None,
        required=False,
    )
    custom_target_description = text_area(
        _("Eller: beskriv et symptom- eller funktionskompleks"),
        help_text=_("Bruges når ingen af modellens eksempler passer."),
    )
    inclusion = text_area(_("Inklusion"))
    exclusion = text_area(_("Eksklusion"))
    suspected_undiagnosed = text_area(_("Personer med mistanke, men uden diagnose"))
    multiple_groups = text_area(_("Personer, der hører til flere målgrupper (flere organer)"))
    outside_target_group = text_area(_("Personer uden for målgruppen"))
    estimated_persons = forms.IntegerField(
        label=_("Anslået antal personer (valgfrit)"),
        required=False,
        min_value=0,
        max_value=10_000_000,
    )

    def __init__(self, *args: object, grouping_choices: list[tuple[int, str]], **kwargs: object):
        super().__init__(*args, **kwargs)
        self.fields["grouping"].choices = [
            ("", _("— ingen / egen beskrivelse —")),
            *grouping_choices,
        ]


class DiagnosisCodeForm(forms.Form):
    system = forms.TypedChoiceField(label=_("Kodesystem"), coerce=int)
    code = LineField(label=_("Kode"), max_length=40)
    label = LineField(label=_("Betegnelse"), max_length=200, required=False)

    def __init__(self, *args: object, code_systems: list, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.code_systems = {cs.pk: cs for cs in code_systems}
        self.fields["system"].choices = [("", "—")] + [(cs.pk, cs.name) for cs in code_systems]

    def clean(self) -> dict:
        cleaned = super().clean()
        system = self.code_systems.get(cleaned.get("system"))
        code = cleaned.get("code")
        if system and code:
            try:
                check_code_format(system, code)
            except forms.ValidationError as error:
                self.add_error("code", error)
        return cleaned


DiagnosisCodeFormSet = forms.formset_factory(
    DiagnosisCodeForm,
    formset=SafeFormSet,
    extra=2,
    can_delete=True,
    max_num=200,
    validate_max=True,
)
DiagnosisCodeFormSet.title = _("Diagnosekoder")  # names the whole list in conflicts and messages


# Step 4 ---------------------------------------------------------------------------------


class ProgramActorForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    actor_type = forms.TypedChoiceField(
        label=_("Aktørtype fra modellen"), coerce=int, empty_value=None, required=False
    )
    name = LineField(
        label=_("Navn"),
        max_length=200,
        required=False,
        help_text=_("Den konkrete enhed, fx 'Børn og Unge, Aalborg UH'. Tom: aktørtypens navn."),
    )
    unit = LineField(label=_("Afdeling eller enhed"), max_length=200, required=False)
    contact_point = LineField(label=_("Kontaktpunkt"), max_length=300, required=False)
    visitation_entry = LineField(
        label=_("Visitation og henvisning"), max_length=300, required=False
    )

    def __init__(self, *args: object, actor_type_choices: list, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["actor_type"].choices = [("", _("— lokal aktør —")), *actor_type_choices]
        self.actor_type_names = {
            pk: name for _group, options in actor_type_choices for pk, name in options
        }

    def clean(self) -> dict:
        cleaned = super().clean()
        if not cleaned.get("name") and not cleaned.get("DELETE"):
            type_name = self.actor_type_names.get(cleaned.get("actor_type"))
            if type_name:
                cleaned["name"] = type_name
            elif self.has_changed():
                self.add_error("name", _("Angiv et navn eller vælg en aktørtype."))
        return cleaned


ProgramActorFormSet = forms.formset_factory(
    ProgramActorForm,
    formset=SafeFormSet,
    extra=3,
    can_delete=True,
    max_num=200,
    validate_max=True,
)
ProgramActorFormSet.title = _("Aktører")  # names the whole list in conflicts and messages


class ActorRolesForm(forms.Form):
    def __init__(self, *args: object, actor_choices: ActorChoices, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["patient_responsible_doctor"] = ActorField(
            actor_choices=actor_choices,
            label=_("Hvor er den patientansvarlige læge placeret?"),
        )
        self.fields["patient_responsible_doctor_note"] = text_area(_("Bemærkning"), rows=2)
        self.fields["municipal_coordinator"] = ActorField(
            actor_choices=actor_choices,
            label=_("Koordinerende kontakt i kommunen"),
        )
        self.fields["municipal_coordinator_note"] = text_area(_("Bemærkning"), rows=2)


# Part steps -----------------------------------------------------------------------------


class PartForm(forms.Form):
    def __init__(self, *args: object, actor_choices: ActorChoices, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        f = self.fields
        f["relevance"] = RelevanceField(_("Er denne del relevant for målgruppen?"))
        f["not_relevant_reason"] = text_area(_("Begrundelse, hvis ikke relevant"), rows=2)
        f["effort"] = text_area(_("Den sundhedsfaglige indsats"), rows=4, max_length=LONG_TEXT)
        f["responsible"] = ActorField(actor_choices=actor_choices, label=_("Ansvarlig aktør"))
        f["collaborating"] = ActorsField(
            actor_choices=actor_choices, label=_("Samarbejdende aktører")
        )
        f["coordination"] = text_area(_("Koordinering"), max_length=LONG_TEXT)
        f["communication_channels"] = text_area(_("Kommunikationskanaler"), max_length=LONG_TEXT)
        f["digital_tools"] = text_area(_("Digitale værktøjer"), rows=2)
        f["knowledge_sharing"] = text_area(_("Vidensdeling"), max_length=LONG_TEXT)
        f["deadlines"] = text_area(
            _("Frister"),
            rows=2,
            help_text=_("Fx henvisning til kommunen inden 3 måneder efter diagnose (børn)."),
        )


class PointAnswerForm(forms.Form):
    def __init__(self, *args: object, actor_choices: ActorChoices, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        f = self.fields
        f["status"] = forms.ChoiceField(
            label=_("Status"),
            choices=PointStatus.choices,
            required=False,
            widget=forms.RadioSelect,
        )
        f["answer"] = text_area(_("Programmets svar"), rows=3, max_length=LONG_TEXT)
        f["reason"] = text_area(_("Begrundelse, hvis ikke relevant"), rows=2)
        f["responsible"] = ActorField(actor_choices=actor_choices, label=_("Ansvarlig aktør"))


class TransitionForm(forms.Form):
    def __init__(self, *args: object, actor_choices: ActorChoices, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        f = self.fields
        f["relevance"] = RelevanceField(_("Er overgangen relevant for målgruppen?"))
        f["not_relevant_reason"] = text_area(_("Begrundelse, hvis ikke relevant"), rows=2)
        f["sending"] = ActorField(actor_choices=actor_choices, label=_("Afgivende aktør"))
        f["receiving"] = ActorField(actor_choices=actor_choices, label=_("Modtagende aktør"))
        f["trigger"] = text_area(_("Udløses af (alder eller hændelse)"), rows=2)
        f["handover"] = text_area(_("Det overdrages"), rows=3, max_length=LONG_TEXT)
        f["conference_convener"] = ActorField(
            actor_choices=actor_choices, label=_("Indkalder til tværsektoriel konference")
        )
        f["conference_follow_up"] = ActorField(
            actor_choices=actor_choices, label=_("Følger op på konferencen")
        )


# Implementation and follow-up -----------------------------------------------------------


class ImplementationForm(forms.Form):
    agreements_forum = text_area(
        _("Aftaler og forum"), help_text=_("Fx sundhedsaftalen, samordningsudvalget.")
    )
    dissemination = text_area(_("Sådan udbredes programmet"))
    publication_place = text_area(_("Her offentliggøres programmet"), rows=2)
    start_date = date_field(_("Startdato"))


class FollowUpForm(forms.Form):
    def __init__(self, *args: object, actor_choices: ActorChoices, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        f = self.fields
        f["how_and_when"] = text_area(_("Hvordan og hvornår følges der op?"), rows=3)
        f["responsible"] = ActorField(actor_choices=actor_choices, label=_("Ansvarlig"))
        f["indicators"] = text_area(_("Indikatorer"), rows=3)
        f["data_sources"] = forms.MultipleChoiceField(
            label=_("Datakilder"),
            choices=DATA_SOURCES,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        f["data_sources_note"] = text_area(_("Om datakilderne"), rows=2)
        f["next_review_date"] = date_field(_("Næste revision"))


class AddMemberForm(forms.Form):
    username = LineField(
        label=_("Brugernavn eller e-mail"),
        max_length=254,
        help_text=_(
            "Det nøjagtige brugernavn eller hele e-mailadressen på en person med en konto i "
            "værktøjet. Personen får besked pr. e-mail."
        ),
    )
    role = forms.ChoiceField(
        label=_("Rolle"),
        choices=[
            ("editor", _("Redaktør (skriver i programmet)")),
            ("reviewer", _("Høringspart (læser, kommenterer og svarer i høringen)")),
            ("reader", _("Læser")),
        ],
        initial="reviewer",
    )
    organisation = forms.TypedChoiceField(
        label=_("Taler for (høringsparter)"), coerce=int, empty_value=None, required=False
    )

    def __init__(self, *args: object, organisations: list, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", "—")] + [(o.pk, o.name) for o in organisations]

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("role") == "reviewer":
            if cleaned.get("organisation") is None and "organisation" not in self.errors:
                self.add_error(
                    "organisation", _("Angiv hvilken organisation høringsparten taler for.")
                )
        else:
            cleaned["organisation"] = None  # only reviewers speak for an organisation
        return cleaned
