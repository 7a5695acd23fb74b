"""The generic model for pathway programs, stored per published version.

Everything hangs off one ModelVersion, so a revised model loads beside the old one and a
program keeps pointing at the version it was written against. Rows are written only by the
loader (loader.py); the app reads them.
"""

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class ReferencePublication(models.Model):
    """A published reference a program is written against or draws on, as loaded from one
    YAML file in fixtures/: the generic model (ModelVersion) or a companion reference
    (CompanionVersion). A version is loaded once; reloading the same file changes nothing."""

    slug = models.SlugField(_("kortnavn"), max_length=60)
    name = models.CharField(_("titel"), max_length=300)
    publisher = models.CharField(_("udgiver"), max_length=200)
    version = models.CharField(_("version"), max_length=20)
    publication_year = models.PositiveSmallIntegerField(_("udgivelsesår"))
    publication_date = models.DateField(_("udgivelsesdato"), null=True, blank=True)
    source_document = models.CharField(_("kildedokument"), max_length=400)
    source_url = models.URLField(_("kilde-URL"), max_length=400, blank=True)
    note = models.TextField(_("note"), blank=True)
    content_hash = models.CharField(
        _("indholdets SHA-256"),
        max_length=64,
        help_text=_("Fingeraftryk af den indlæste fil; afgør om en ny indlæsning er en ændring."),
    )
    source_file = models.CharField(_("indlæst fra"), max_length=400)
    loaded_at = models.DateTimeField(_("indlæst"), auto_now_add=True)

    class Meta:
        abstract = True


class ModelVersion(ReferencePublication):
    # The pathway diagram's axes as the file defines them (fixtures/README.md): life phases,
    # sector lanes, entry points and the cross-cutting band. Empty: the model draws none.
    pathway_diagram = models.JSONField(_("forløbsdiagram"), default=dict, blank=True)

    class Meta:
        verbose_name = _("version af generisk model")
        verbose_name_plural = _("versioner af generisk model")
        ordering = ["slug", "-publication_year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="unique_model_slug_version"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.publisher}, version {self.version})"

    @property
    def life_phases(self) -> list[tuple[str, str]]:
        """(key, label) of the diagram's life phases, in order: also the age bands of a
        program's needs without an offer."""
        return [(p["key"], p["label"]) for p in (self.pathway_diagram or {}).get("phases", [])]


class SectionKind(models.TextChoices):
    ACTORS = "actors", _("Aktører")
    CRITERIA = "criteria", _("Kriterier")
    TARGET_GROUP = "target_group", _("Målgruppe")
    PATHWAY_PART = "pathway_part", _("Del af forløbet")
    TRANSITION = "transition", _("Overgang")
    CROSS_CUTTING = "cross_cutting", _("Tværgående tema")
    IMPLEMENTATION = "implementation", _("Implementering")
    FOLLOW_UP = "follow_up", _("Opfølgning")


class StepRole(models.TextChoices):
    """The step of a specific program in which a section is answered (see programs/steps.py).

    Every role but `part` belongs to at most one section of a version, and every role but
    the optional ones to exactly one; each `part` section is a step of its own. The values are
    the program's step kinds.
    """

    CRITERIA = "criteria", _("Kriterier")
    TARGET_GROUP = "target_group", _("Målgruppe")
    ACTORS = "actors", _("Aktører")
    # The pathway as a whole (1.0: the chapter 4 introduction): what holds for every part.
    PATHWAY = "pathway", _("Forløbet som helhed")
    PART = "part", _("Del af forløbet")
    IMPLEMENTATION = "implementation", _("Implementering")
    FOLLOW_UP = "follow_up", _("Opfølgning")


UNIQUE_STEP_ROLES = [r for r in StepRole.values if r != StepRole.PART]
# Roles a model may leave out: a program without the step still has everything it needs.
# Adding one to a loaded version adds a step and moves none (loader.py).
OPTIONAL_STEP_ROLES = [StepRole.PATHWAY]
REQUIRED_STEP_ROLES = [r for r in UNIQUE_STEP_ROLES if r not in OPTIONAL_STEP_ROLES]
# The roles whose step asks the attention points of its section.
POINT_STEP_ROLES = [StepRole.TARGET_GROUP, StepRole.PART, StepRole.IMPLEMENTATION]


def owning_part(number: str, roles: dict[str, str]) -> str | None:
    """The nearest section at or above `number` that is a part of the pathway (its step)."""
    while number:
        if roles.get(number) == StepRole.PART:
            return number
        number = number.rsplit(".", 1)[0] if "." in number else ""
    return None


class Section(models.Model):
    model_version = models.ForeignKey(
        ModelVersion, on_delete=models.CASCADE, related_name="sections"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    number = models.CharField(_("afsnit"), max_length=16)
    title = models.CharField(_("titel"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=SectionKind.choices)
    summary = models.TextField(_("resumé"))
    guidance = models.TextField(_("det skal programmet beskrive"))
    position = models.PositiveSmallIntegerField(_("rækkefølge"))
    step_role = models.CharField(
        _("trin i programmet"),
        max_length=20,
        choices=StepRole.choices,
        blank=True,
        help_text=_("Det trin i et specifikt program, hvor afsnittet besvares."),
    )
    # The life phases (keys of the version's pathway_diagram) in which the section happens.
    phases = models.JSONField(_("livsfaser"), default=list, blank=True)

    class Meta:
        verbose_name = _("afsnit")
        verbose_name_plural = _("afsnit")
        ordering = ["model_version", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["model_version", "number"], name="unique_section_number_per_version"
            ),
            models.UniqueConstraint(
                fields=["model_version", "step_role"],
                condition=models.Q(step_role__in=UNIQUE_STEP_ROLES),
                name="unique_step_role_per_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def depth(self) -> int:
        return self.number.count(".")

    @property
    def slug(self) -> str:
        """The number for an element id: "4-1-1" (slugify gives "411" for 4.1.1 and 4.11)."""
        return self.number.replace(".", "-")

    def life_phases_within(self, every: list[str]) -> list[str]:
        """The life phases (of `every`, the model's, in order) the section happens in: those
        it names, or all of them when it names none (as the pathway diagram draws it)."""
        return [key for key in every if key in self.phases] or list(every)


class GuidanceQuestion(models.Model):
    """A question the model asks a working group to answer for a section (e.g. follow-up, 4.11)."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("rækkefølge"))
    text = models.TextField(_("spørgsmål"))

    class Meta:
        verbose_name = _("vejledende spørgsmål")
        verbose_name_plural = _("vejledende spørgsmål")
        ordering = ["section", "position"]

    def __str__(self) -> str:
        return f"{self.section.number}: {self.text[:60]}"


class Sector(models.TextChoices):
    HOSPITAL = "hospital", _("Sygehus")
    MUNICIPALITY = "municipality", _("Kommune")
    GENERAL_PRACTICE = "general_practice", _("Almen praksis")
    SPECIALIST_PRACTICE = "specialist_practice", _("Speciallægepraksis")
    REGION = "region", _("Region")
    CROSS_SECTOR = "cross_sector", _("Tværsektorielt")
    NATIONAL = "national", _("Nationalt")
    INTERNATIONAL = "international", _("Internationalt")
    CIVIL_SOCIETY = "civil_society", _("Patientforeninger og civilsamfund")
    OTHER = "other", _("Øvrige")


class ActorType(models.Model):
    model_version = models.ForeignKey(
        ModelVersion, on_delete=models.CASCADE, related_name="actor_types"
    )
    key = models.SlugField(_("nøgle"), max_length=60)
    name = models.CharField(_("navn"), max_length=200)
    sector = models.CharField(_("sektor"), max_length=20, choices=Sector.choices)
    description = models.TextField(_("beskrivelse"))
    is_role = models.BooleanField(
        _("er en rolle"),
        default=False,
        help_text=_("En funktion en person varetager, fx patientansvarlig læge, ikke en enhed."),
    )
    reform_2024_note = models.TextField(
        _("sundhedsreform 2024"),
        blank=True,
        help_text=_("Udfyldt hvor sundhedsreformen 2024 kan flytte opgaven."),
    )
    sections = models.ManyToManyField(Section, blank=True, related_name="actor_types")
    position = models.PositiveSmallIntegerField(_("rækkefølge"))

    class Meta:
        verbose_name = _("aktørtype")
        verbose_name_plural = _("aktørtyper")
        ordering = ["model_version", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["model_version", "key"], name="unique_actor_key_per_version"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def affected_by_reform_2024(self) -> bool:
        return bool(self.reform_2024_note)


class AttentionPoint(models.Model):
    """One "Opmærksomhedspunkt": something a specific program must answer concretely."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="attention_points")
    position = models.PositiveSmallIntegerField(_("nummer i afsnittet"))
    group = models.CharField(
        _("gruppe"),
        max_length=200,
        blank=True,
        help_text=_("Modellens undergruppering, fx situationerne i 4.1.1."),
    )
    title = models.CharField(_("overskrift"), max_length=120)
    text = models.TextField(_("tekst"))
    actors = models.ManyToManyField(ActorType, blank=True, related_name="attention_points")

    class Meta:
        verbose_name = _("opmærksomhedspunkt")
        verbose_name_plural = _("opmærksomhedspunkter")
        ordering = ["section__position", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "position"], name="unique_attention_point_position"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def reference(self) -> str:
        """Human reference, e.g. "4.1.3/2": section 4.1.3, second point."""
        return f"{self.section.number}/{self.position}"


class CatalogueEntry(models.Model):
    """Shared shape of the small keyed lists of the model (criteria, needs, questions...)."""

    model_version = models.ForeignKey(ModelVersion, on_delete=models.CASCADE)
    section = models.ForeignKey(Section, on_delete=models.CASCADE)
    key = models.SlugField(_("nøgle"), max_length=60)
    position = models.PositiveSmallIntegerField(_("rækkefølge"))

    class Meta:
        abstract = True
        ordering = ["model_version", "position"]

    def __str__(self) -> str:
        return getattr(self, "title", None) or getattr(self, "name", self.key)


def _unique_key(model_name: str) -> list[models.UniqueConstraint]:
    return [
        models.UniqueConstraint(
            fields=["model_version", "key"], name=f"unique_{model_name}_key_per_version"
        )
    ]


class Criterion(CatalogueEntry):
    """One of the criteria (chapter 3) for choosing to write a specific program."""

    title = models.CharField(_("overskrift"), max_length=200)
    text = models.TextField(_("tekst"))

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("kriterium for et specifikt program")
        verbose_name_plural = _("kriterier for et specifikt program")
        constraints = _unique_key("criterion")


class Need(CatalogueEntry):
    """One of the four needs every specific program should assess (chapter 3)."""

    title = models.CharField(_("overskrift"), max_length=200)
    text = models.TextField(_("tekst"))

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("behov der skal vurderes")
        verbose_name_plural = _("behov der skal vurderes")
        constraints = _unique_key("need")


class CodeSystem(CatalogueEntry):
    name = models.CharField(_("navn"), max_length=100)
    description = models.TextField(_("beskrivelse"))
    pattern = models.CharField(
        _("kodeformat (regulært udtryk)"),
        max_length=300,
        help_text=_("En gyldig kode matcher hele udtrykket."),
    )
    example = models.CharField(_("eksempel"), max_length=40)

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("kodesystem")
        verbose_name_plural = _("kodesystemer")
        constraints = _unique_key("codesystem")


class TargetGrouping(CatalogueEntry):
    """An example grouping of rare diseases by symptom or function (3.1.2)."""

    title = models.CharField(_("overskrift"), max_length=200)
    description = models.TextField(_("beskrivelse"))
    example_diagnoses = models.JSONField(_("eksempler på diagnoser"), default=list)

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("eksempel på målgruppe")
        verbose_name_plural = _("eksempler på målgrupper")
        constraints = _unique_key("targetgrouping")


class TargetGroupQuestion(CatalogueEntry):
    """A question the model says must be settled when delimiting the target group."""

    title = models.CharField(_("overskrift"), max_length=200)
    text = models.TextField(_("tekst"))

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("afklaring af målgruppen")
        verbose_name_plural = _("afklaringer af målgruppen")
        constraints = _unique_key("targetgroupquestion")


class Transition(CatalogueEntry):
    title = models.CharField(_("overskrift"), max_length=200)
    from_stage = models.CharField(_("fra"), max_length=200)
    to_stage = models.CharField(_("til"), max_length=200)
    trigger = models.TextField(_("udløses af"))
    sending_actors = models.ManyToManyField(ActorType, blank=True, related_name="transitions_sent")
    receiving_actors = models.ManyToManyField(
        ActorType, blank=True, related_name="transitions_received"
    )
    handover = models.JSONField(_("det overdrages"), default=list)
    arrangements = models.JSONField(_("det skal aftales"), default=list)
    # The life phases in which the transition happens (empty: those of its section).
    phases = models.JSONField(_("livsfaser"), default=list, blank=True)

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("overgang")
        verbose_name_plural = _("overgange")
        constraints = _unique_key("transition")


class ResourceKind(models.TextChoices):
    HOSPITAL_UNIT = "hospital_unit", _("Sygehusenhed")
    SOCIAL_SECTOR = "social_sector", _("Socialområdet")
    PATIENT_ORGANISATION = "patient_organisation", _("Patientforening")
    GENERAL_KNOWLEDGE = "general_knowledge", _("Generel viden")
    INTERNATIONAL = "international", _("International viden")


class Resource(models.Model):
    """A knowledge resource of bilag 3–7: where to get knowledge and advice."""

    model_version = models.ForeignKey(
        ModelVersion, on_delete=models.CASCADE, related_name="resources"
    )
    key = models.SlugField(_("nøgle"), max_length=60)
    name = models.CharField(_("navn"), max_length=200)
    appendix = models.CharField(_("bilag"), max_length=4)
    kind = models.CharField(_("type"), max_length=30, choices=ResourceKind.choices)
    offers = models.TextField(_("det tilbyder"))
    url = models.URLField(_("webadresse"), max_length=400, blank=True)
    actor = models.ForeignKey(
        ActorType, on_delete=models.SET_NULL, null=True, blank=True, related_name="resources"
    )
    # The sections whose text names the resource (or its appendix), so a step can show the
    # knowledge that belongs to the sections it answers.
    sections = models.ManyToManyField(Section, blank=True, related_name="resources")
    position = models.PositiveSmallIntegerField(_("rækkefølge"))

    class Meta:
        verbose_name = _("videnskilde")
        verbose_name_plural = _("videnskilder")
        ordering = ["model_version", "position"]
        constraints = _unique_key("resource")

    def __str__(self) -> str:
        return self.name


class LegalReference(models.Model):
    model_version = models.ForeignKey(
        ModelVersion, on_delete=models.CASCADE, related_name="legal_references"
    )
    key = models.SlugField(_("nøgle"), max_length=60)
    law = models.CharField(_("lov eller regelsæt"), max_length=200)
    provision = models.CharField(_("bestemmelse"), max_length=100, blank=True)
    title = models.CharField(_("overskrift"), max_length=200)
    summary = models.TextField(_("resumé"))
    url = models.URLField(_("webadresse"), max_length=400, blank=True)
    sections = models.ManyToManyField(Section, blank=True, related_name="legal_references")
    position = models.PositiveSmallIntegerField(_("rækkefølge"))

    class Meta:
        verbose_name = _("lovgrundlag")
        verbose_name_plural = _("lovgrundlag")
        ordering = ["model_version", "position"]
        constraints = _unique_key("legalreference")

    def __str__(self) -> str:
        return f"{self.law} {self.provision}".strip()


class CompanionKind(models.TextChoices):
    SOCIAL_PATHWAY = "social_pathway", _("Social forløbsbeskrivelse")
    OFFERS = "offers", _("Kortlægning af tilbud")


class CompanionVersion(ReferencePublication):
    """A companion reference the model points to (Socialstyrelsen's pathway description,
    Sjældne Diagnoser's mapping of offers): shown beside the model's guidance in the steps it
    names, and drawn on by programs written against `model_version`."""

    kind = models.CharField(_("type"), max_length=20, choices=CompanionKind.choices)
    model_version = models.ForeignKey(
        ModelVersion,
        on_delete=models.PROTECT,
        related_name="companions",
        verbose_name=_("hører til modellen"),
    )

    class Meta:
        verbose_name = _("ledsagende reference")
        verbose_name_plural = _("ledsagende referencer")
        ordering = ["slug", "-publication_year", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug", "version"], name="unique_companion_slug_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.publisher}, {self.version})"


class CompanionList(models.TextChoices):
    """The lists a companion file may hold (companion.schema.json), in the page's order."""

    RECOMMENDATION = "recommendations", _("Anbefalinger")
    ACTOR = "actors", _("Aktører")
    COORDINATION_TOOL = "coordination_tools", _("Koordineringsværktøjer")
    METHOD = "methods", _("Metoder til familie og mestring")
    TIMING = "timings", _("Tidspunkter i overgange")
    LEGAL_REFERENCE = "legal_references", _("Lovgrundlag")
    OFFER = "offers", _("Tilbud")
    UNMET_NEED = "unmet_needs", _("Behov uden tilbud")


class LegalMapping(models.TextChoices):
    """Where a paragraph the publication cites stands today."""

    UNCHANGED = "unchanged", _("gælder uændret")
    MOVED = "moved", _("flyttet")
    UNMAPPED = "unmapped", _("ikke kortlagt")
    REPEALED = "repealed", _("ophævet")


class OfferStatus(models.TextChoices):
    ONGOING = "ongoing", _("i drift")
    ENDED = "ended", _("afsluttet")
    UNKNOWN = "unknown", _("status ukendt")


class OfferKind(models.TextChoices):
    PATIENT_EDUCATION = "patient_education", _("Patientuddannelse")
    COPING = "coping", _("Mestring")
    RELATIVES = "relatives", _("Pårørende")
    SIBLINGS = "siblings", _("Søskende")
    REHABILITATION = "rehabilitation", _("Rehabilitering")
    COUNSELLING = "counselling", _("Rådgivning")


class CompanionEntry(models.Model):
    """One entry of a companion list. What every list has is a column; what one list adds
    (an offer's provider and status, a paragraph's current place) is in `details`, checked
    against the schema when loaded."""

    companion = models.ForeignKey(
        CompanionVersion, on_delete=models.CASCADE, related_name="entries"
    )
    list_name = models.CharField(_("liste"), max_length=30, choices=CompanionList.choices)
    key = models.SlugField(_("nøgle"), max_length=60)
    title = models.CharField(_("titel"), max_length=200)
    text = models.TextField(_("tekst"))
    source_section = models.CharField(_("kildens afsnit"), max_length=60)
    # The model's section numbers beside whose guidance the entry is shown.
    sections = models.JSONField(_("modellens afsnit"), default=list, blank=True)
    details = models.JSONField(_("øvrige oplysninger"), default=dict, blank=True)
    # An actor of the companion that is the same as one of the model's actor types.
    same_as = models.ForeignKey(
        ActorType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="companion_actors",
        verbose_name=_("samme aktør som"),
    )
    position = models.PositiveSmallIntegerField(_("rækkefølge"))

    class Meta:
        verbose_name = _("opslag i ledsagende reference")
        verbose_name_plural = _("opslag i ledsagende referencer")
        ordering = ["companion", "list_name", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["companion", "list_name", "key"], name="unique_companion_entry_key"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def identifier(self) -> str:
        """The entry's name in a program document: pinned to its publication's version."""
        return f"{self.companion.slug}@{self.companion.version}:{self.key}"

    @property
    def label(self) -> str:
        """How a choice list and a reader name the entry: an offer with its provider, and
        as ended when it has ended."""
        if self.list_name != CompanionList.OFFER:
            return self.title
        label = f"{self.title} ({self.details.get('provider', '')})"
        return f"{label} — {self.status_label}" if self.has_ended else label

    @property
    def status(self) -> str:
        return self.details.get("status", "")

    @property
    def has_ended(self) -> bool:
        return self.status == OfferStatus.ENDED

    @property
    def status_label(self) -> str:
        return str(OfferStatus(self.status).label) if self.status else ""

    @property
    def status_text(self) -> str:
        """An offer's status as of the mapping that records it: an ended offer never reads
        as current, a running one only as running then ("i drift (kortlagt 2018)")."""
        if not self.status:
            return ""
        year = {"year": self.companion.publication_year}
        if self.status == OfferStatus.ENDED:
            return gettext("afsluttet (kortlagt %(year)s)") % year
        if self.status == OfferStatus.ONGOING:
            return gettext("i drift (kortlagt %(year)s)") % year
        return gettext("status ukendt (kortlagt %(year)s)") % year

    @property
    def kind_labels(self) -> list[str]:
        return [str(OfferKind(k).label) for k in self.details.get("kinds", [])]

    @property
    def ages_label(self) -> str:
        ages = self.details.get("ages") or {}
        if "from" in ages and "to" in ages:
            return _("%(a)d–%(b)d år") % {"a": ages["from"], "b": ages["to"]}
        if "from" in ages:
            return _("fra %(a)d år") % {"a": ages["from"]}
        if "to" in ages:
            return _("til %(b)d år") % {"b": ages["to"]}
        return ""
