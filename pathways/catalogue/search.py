"""The catalogue's search and filters, kept in the URL (`?q=`) so a search can be linked,
bookmarked and reached again with Back.

Published programs are matched by their catalogue rows (models.py); a signed-in person's
own programs also by what they say now (drafts.py), as "Mine programmer" matches them
(programs/listing.py). A filter value that is not on its list (a tampered or outdated
URL) is named at its field and left out; the other filters still apply.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from pathways.catalogue import drafts
from pathways.catalogue.models import CODE_DELIMITER, PHASE_DELIMITER
from pathways.generic_model.models import ModelVersion, TargetGrouping
from pathways.programs.codes import stored_forms
from pathways.programs.listing import text_match
from pathways.programs.models import Membership, Program, ProgramStatus, Region
from pathways.programs.regions import all_region_choices

EVERYTHING = ("", _("Alle"))
FILTERS = ("q", "aktoer", "region", "status", "maalgruppe", "livsfase")
# What a row of the list reads of a program and its catalogue row (views.py).
LISTED = (
    "code",
    "title",
    "region",
    "status",
    *(
        f"catalogue_entry__{name}"
        for name in ("number", "title", "region", "code_lines", "published_at")
    ),
)


def _newest_first(model_versions: QuerySet) -> QuerySet:
    return model_versions.order_by("-publication_year", "-loaded_at")


def grouping_choices() -> list[tuple[str, str]]:
    """(key, title) of every target grouping of the loaded model versions, a key once
    (titled as the newest version titles it), in the newest version's order (one query)."""
    rows = TargetGrouping.objects.order_by(
        "-model_version__publication_year", "-model_version__loaded_at", "position"
    ).values_list("key", "title")
    found: dict[str, str] = {}
    for key, title in rows:
        found.setdefault(key, title)
    return list(found.items())


def phase_choices() -> list[tuple[str, str]]:
    """(key, label) of the life phases of the loaded model versions' pathway diagrams
    (one query)."""
    found: dict[str, str] = {}
    for version in _newest_first(ModelVersion.objects.only("pathway_diagram")):
        for key, label in version.life_phases:
            found.setdefault(key, label)
    return list(found.items())


def _choice(label, errors: dict[str, str]) -> forms.ChoiceField:
    field = forms.ChoiceField(label=label, required=False, error_messages=errors)
    field.widget.attrs["class"] = "form-select"
    return field


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Søg"),
        required=False,
        max_length=200,
        help_text=_(
            "Titel, diagnosekode i ethvert kodesystem (fx Q87.1, DQ871, ORPHA:908 eller "
            "et OMIM-nummer), diagnose eller aktør"
        ),
    )
    aktoer = forms.CharField(
        label=_("Aktør med et ansvar"),
        required=False,
        max_length=200,
        help_text=_("Fx Aalborg Kommune: de programmer, hvor aktøren har et ansvar"),
    )
    region = _choice(
        _("Region"),
        {"invalid_choice": _("Regionen “%(value)s” findes ikke. Vælg en region på listen.")},
    )
    status = _choice(
        _("Status"),
        {"invalid_choice": _("Status “%(value)s” findes ikke. Vælg en status på listen.")},
    )
    maalgruppe = _choice(
        _("Målgruppe"),
        {
            "invalid_choice": _(
                "Målgruppen “%(value)s” findes ikke i den generiske model. "
                "Vælg en målgruppe på listen."
            )
        },
    )
    livsfase = _choice(
        _("Livsfase"),
        {
            "invalid_choice": _(
                "Livsfasen “%(value)s” findes ikke i den generiske model. "
                "Vælg en livsfase på listen."
            )
        },
    )

    def __init__(self, *args, regions: dict[str, Region] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [EVERYTHING, *all_region_choices(regions)]
        self.fields["status"].choices = [EVERYTHING, *ProgramStatus.choices]
        self.fields["maalgruppe"].choices = [EVERYTHING, *grouping_choices()]
        self.fields["livsfase"].choices = [EVERYTHING, *phase_choices()]

    @cached_property
    def options(self) -> dict[str, list[tuple[str, str, bool]]]:
        """(value, label, chosen) of each choice field's options, as its <select> lists
        them: worked out once, not per option in the template."""
        found = {}
        for name, field in self.fields.items():
            if isinstance(field, forms.ChoiceField):
                chosen = str(self[name].value() or "")
                found[name] = [(str(v), str(label), str(v) == chosen) for v, label in field.choices]
        return found

    def value(self, name: str) -> str:
        """The field's valid value, "" if it is empty or not valid."""
        self.is_valid()
        return (self.cleaned_data.get(name) or "").strip()

    @property
    def is_filtering(self) -> bool:
        return any(self.value(name) for name in FILTERS)

    @property
    def query_string(self) -> str:
        """The valid filters as a URL query (page links keep them)."""
        query = QueryDict(mutable=True)
        for name in FILTERS:
            if self.value(name):
                query[name] = self.value(name)
        return query.urlencode()

    def programs(self, user: AbstractBaseUser | AnonymousUser) -> QuerySet[Program]:
        """The programs the person may see that match, ordered by title (as shown: the
        published title where there is one). A program is one row, whichever way it
        matched."""
        status = Q(status=self.value("status")) if self.value("status") else Q()
        visible = Q(catalogue_entry__isnull=False) & self._published()
        # Only the columns a row shows: a sort carries every selected column along, and a
        # program's own texts are long.
        programs = Program.objects.select_related("catalogue_entry").only(*LISTED)
        if not user.is_authenticated:
            # The published rows alone, in the order of their title index (no sort).
            return programs.filter(visible & status).order_by(
                "catalogue_entry__title", "catalogue_entry__pk"
            )
        own = Membership.objects.filter(user=user).values("program")
        visible |= Q(pk__in=own) & self._own(own)
        return (
            programs.filter(visible & status)
            .annotate(shown_title=Coalesce("catalogue_entry__title", "title"))
            .order_by("shown_title", "pk")
        )

    def _published(self) -> Q:
        """Matches on the catalogue row: what the current published version says."""
        found = Q()
        text = self.value("q")
        if text:
            codes = Q()
            for form in stored_forms(text):
                if form and CODE_DELIMITER not in form:
                    codes |= Q(catalogue_entry__codes__contains=f" {form} ")
            found &= (
                Q(catalogue_entry__title__icontains=text)
                | Q(code__iexact=text)
                | codes
                | Q(catalogue_entry__diagnoses__icontains=text)
                | Q(catalogue_entry__actors_responsible__icontains=text)
            )
        if self.value("aktoer"):
            found &= Q(catalogue_entry__actors_responsible__icontains=self.value("aktoer"))
        if self.value("region"):
            found &= Q(catalogue_entry__region=self.value("region"))
        if self.value("maalgruppe"):
            found &= Q(catalogue_entry__grouping=self.value("maalgruppe"))
        if self.value("livsfase"):
            band = f"{PHASE_DELIMITER}{self.value('livsfase')}{PHASE_DELIMITER}"
            found &= Q(catalogue_entry__age_bands__contains=band)
        return found

    def _own(self, own: QuerySet) -> Q:
        """Matches on the member's own program as it stands (drafts included)."""
        found = Q()
        text = self.value("q")
        if text:
            found &= text_match(text, among=own) | drafts.responsible_actor(text, own)
        if self.value("aktoer"):
            found &= drafts.responsible_actor(self.value("aktoer"), own)
        if self.value("region"):
            found &= Q(region=self.value("region"))
        if self.value("maalgruppe"):
            found &= Q(target_grouping__key=self.value("maalgruppe"))
        if self.value("livsfase"):
            found &= drafts.life_phase(self.value("livsfase"))
        return found
