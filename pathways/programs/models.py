"""A specific pathway program and everything a working group writes into it.

The Program is the aggregate: every other row belongs to exactly one program, and all
writes go through services.py. A program pins the generic-model version it is written
against; its answers point at that version's sections, attention points and transitions.
"""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pathways.generic_model import models as gm
from pathways.programs import codes

# Limits for free text: long enough for what a program says there, short enough to catch a
# pasted book. Narrative fields (a part's effort and coordination, an attention point's
# answer, a handover) describe whole pathways and get the larger limit.
TEXT = 5000
LONG_TEXT = 20000
SHORT_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I confusion


def new_short_code() -> str:
    return "".join(secrets.choice(SHORT_CODE_ALPHABET) for _ in range(6))


class Region(models.Model):
    """A Danish region for the dates it exists (fixtures/regions/, loaded by load_regions).

    Programs name their region by `code`, not by a foreign key: a program keeps the region it
    was written for when the region ends (Region Sjælland, 31 December 2026), and the data
    can be corrected and reloaded without touching a program. regions.py reads these rows.
    """

    code = models.SlugField(_("kode"), max_length=20, unique=True)
    name = models.CharField(_("navn"), max_length=200)
    valid_from = models.DateField(_("gælder fra"), null=True, blank=True)
    valid_to = models.DateField(_("gælder til og med"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("efterfølger"),
    )
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position"]
        verbose_name = _("region")
        verbose_name_plural = _("regioner")

    def __str__(self) -> str:
        return self.name

    def is_valid_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


class ApprovingBody(models.Model):
    """A body in which region and municipalities agree a program (a sundhedssamarbejdsudvalg
    until 2026, a sundhedsråd from 2027), for the dates it exists. Offered as a suggestion:
    the program stores the body's name as text (Program.approving_body)."""

    key = models.SlugField(_("nøgle"), max_length=60, unique=True)
    name = models.CharField(_("navn"), max_length=200)
    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="bodies", verbose_name=_("region")
    )
    valid_from = models.DateField(_("gælder fra"), null=True, blank=True)
    valid_to = models.DateField(_("gælder til og med"), null=True, blank=True)
    municipalities = models.JSONField(_("kommuner"), default=list, blank=True)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position"]
        verbose_name = _("godkendende organ")
        verbose_name_plural = _("godkendende organer")

    def __str__(self) -> str:
        return self.name

    def is_valid_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


class ProgramStatus(models.TextChoices):
    DRAFT = "draft", _("Udkast")
    IN_REVIEW = "in_review", _("I høring")
    CHANGES_REQUESTED = "changes_requested", _("Ændringer ønsket")
    APPROVED = "approved", _("Godkendt")
    PUBLISHED = "published", _("Offentliggjort")


# Content can be changed only in these states; review and approval look at a fixed text.
EDITABLE_STATUSES = {ProgramStatus.DRAFT, ProgramStatus.CHANGES_REQUESTED}


class Program(models.Model):
    code = models.CharField(_("kort kode"), max_length=12, unique=True, default=new_short_code)
    title = models.CharField(_("titel"), max_length=200)
    # A Region's code; which codes a program may choose is dated data (regions.py).
    region = models.CharField(_("region"), max_length=20)
    purpose = models.TextField(_("formål"), blank=True, max_length=TEXT)
    approving_body = models.CharField(_("godkendende organ"), max_length=200, blank=True)
    model_version = models.ForeignKey(
        gm.ModelVersion,
        on_delete=models.PROTECT,
        related_name="programs",
        verbose_name=_("generisk model"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ProgramStatus.choices, default=ProgramStatus.DRAFT
    )
    is_example = models.BooleanField(_("eksempel"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    updated_at = models.DateTimeField(_("senest ændret"), auto_now=True)
    # Summary of completeness.assess(), refreshed by every save, so lists need no recount.
    coverage_percent = models.PositiveSmallIntegerField(_("dækning i procent"), default=0)
    gap_count = models.PositiveIntegerField(_("mangler"), default=0)

    # Step 3: target group.
    target_grouping = models.ForeignKey(
        gm.TargetGrouping, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    custom_target_description = models.TextField(blank=True, max_length=TEXT)
    inclusion = models.TextField(blank=True, max_length=TEXT)
    exclusion = models.TextField(blank=True, max_length=TEXT)
    suspected_undiagnosed = models.TextField(blank=True, max_length=TEXT)
    multiple_groups = models.TextField(blank=True, max_length=TEXT)
    outside_target_group = models.TextField(blank=True, max_length=TEXT)
    estimated_persons = models.PositiveIntegerField(null=True, blank=True)

    # Step 4: actors.
    patient_responsible_doctor = models.ForeignKey(
        "ProgramActor", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    patient_responsible_doctor_note = models.TextField(blank=True, max_length=TEXT)
    municipal_coordinator = models.ForeignKey(
        "ProgramActor", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    municipal_coordinator_note = models.TextField(blank=True, max_length=TEXT)

    # The pathway as a whole (the chapter 4 introduction): what holds for every part.
    pathway_social_assessment = models.TextField(blank=True, max_length=TEXT)
    pathway_children_and_adults = models.TextField(blank=True, max_length=TEXT)
    pathway_control_program = models.TextField(blank=True, max_length=TEXT)

    # Implementation (4.10).
    agreements_forum = models.TextField(blank=True, max_length=TEXT)
    dissemination = models.TextField(blank=True, max_length=TEXT)
    publication_place = models.TextField(blank=True, max_length=TEXT)
    start_date = models.DateField(null=True, blank=True)

    # Follow-up and monitoring (4.11).
    follow_up_how_and_when = models.TextField(blank=True, max_length=TEXT)
    follow_up_responsible = models.ForeignKey(
        "ProgramActor", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    follow_up_indicators = models.TextField(blank=True, max_length=TEXT)
    follow_up_data_sources = models.JSONField(default=list, blank=True)
    follow_up_data_sources_note = models.TextField(blank=True, max_length=TEXT)
    next_review_date = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("forløbsprogram")
        verbose_name_plural = _("forløbsprogrammer")
        ordering = ["-updated_at"]
        # "Mine programmer" lists the most recently changed first, in pages.
        indexes = [models.Index(fields=["-updated_at", "id"], name="program_recent_first")]

    def __str__(self) -> str:
        return self.title


# The free-text fields a step writes as they are (its step kind module and the demo share them).
TARGET_GROUP_TEXT_FIELDS = (
    "custom_target_description",
    "inclusion",
    "exclusion",
    "suspected_undiagnosed",
    "multiple_groups",
    "outside_target_group",
)
PART_TEXT_FIELDS = (
    "not_relevant_reason",
    "effort",
    "coordination",
    "communication_channels",
    "digital_tools",
    "knowledge_sharing",
    "deadlines",
)


class Role(models.TextChoices):
    EDITOR = "editor", _("Redaktør")
    REVIEWER = "reviewer", _("Høringspart")
    APPROVER = "approver", _("Godkender")
    READER = "reader", _("Læser")


class Organisation(models.Model):
    """An organisation a reviewer speaks for and a consultation goes to, e.g. a municipality."""

    name = models.CharField(_("navn"), max_length=200, unique=True)
    sector = models.CharField(_("sektor"), max_length=30, blank=True)
    # A municipality's name as the region file's bodies list it ("Aalborg"): how a
    # consultation is sent to every municipality of a region or a sundhedsråd in one go.
    municipality = models.CharField(_("kommune"), max_length=100, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisationer")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="program_memberships"
    )
    role = models.CharField(_("rolle"), max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("taler for"),
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("medlemskab")
        verbose_name_plural = _("medlemskaber")
        constraints = [
            models.UniqueConstraint(fields=["program", "user"], name="unique_membership"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.program}"


class MemberSector(models.TextChoices):
    REGION = "region", _("Region")
    HOSPITAL = "hospital", _("Sygehus")
    MUNICIPALITY = "municipality", _("Kommune")
    GENERAL_PRACTICE = "general_practice", _("Almen praksis")
    PATIENT_ORGANISATION = "patient_organisation", _("Patientforening")
    USER_REPRESENTATIVE = "user_representative", _("Bruger- eller pårørenderepræsentant")
    RARE_DISEASE_CENTRE = "rare_disease_centre", _("Center for Sjældne Sygdomme")
    SCIENTIFIC_SOCIETY = "scientific_society", _("Videnskabeligt selskab")
    OTHER = "other", _("Andet")


class WorkingGroupMember(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="working_group")
    name = models.CharField(_("navn"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    sector = models.CharField(_("sektor"), max_length=30, choices=MemberSector.choices)
    role = models.CharField(_("rolle i gruppen"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["program", "position"]
        verbose_name = _("medlem af arbejdsgruppen")
        verbose_name_plural = _("arbejdsgruppen")

    def __str__(self) -> str:
        return self.name


class CriterionAssessment(models.Model):
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="criterion_assessments"
    )
    criterion = models.ForeignKey(gm.Criterion, on_delete=models.PROTECT, related_name="+")
    applies = models.BooleanField(null=True)
    reason = models.TextField(blank=True, max_length=TEXT)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["program", "criterion"], name="unique_criterion_assessment"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program_id}: {self.criterion_id}"


class NeedAssessment(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="need_assessments")
    need = models.ForeignKey(gm.Need, on_delete=models.PROTECT, related_name="+")
    assessment = models.TextField(blank=True, max_length=TEXT)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["program", "need"], name="unique_need_assessment"),
        ]

    def __str__(self) -> str:
        return f"{self.program_id}: {self.need_id}"


def check_code_format(code_system: gm.CodeSystem, code: str) -> str:
    """`code` in its stored form (codes.py); a ValidationError naming the system and the form
    it expects when the code is malformed."""
    return codes.clean_code(code_system, code)


class DiagnosisCode(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="diagnosis_codes")
    code_system = models.ForeignKey(gm.CodeSystem, on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("kode"), max_length=40)
    label = models.CharField(_("betegnelse"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["program", "position"]

    def __str__(self) -> str:
        return f"{self.code_system.name} {self.code}"

    def clean(self) -> None:
        self.code = check_code_format(self.code_system, self.code)


class SpecialisationLevel(models.TextChoices):
    """The levels of Sundhedsstyrelsen's specialty plan at which a hospital unit works."""

    MAIN = "hovedfunktion", _("Hovedfunktion")
    REGIONAL = "regionsfunktion", _("Regionsfunktion")
    HIGHLY_SPECIALISED = "hoejt_specialiseret", _("Højt specialiseret funktion")


class ProgramActor(models.Model):
    """A concrete actor in the program: a catalogue actor type made local, or a local one."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="actors")
    actor_type = models.ForeignKey(
        gm.ActorType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # An actor only a companion reference names (UU-vejleder, værge, SPS …): the program's
    # actor list stays one list whichever reference an actor comes from.
    companion_actor = models.ForeignKey(
        gm.CompanionEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("navn"), max_length=200)
    unit = models.CharField(_("afdeling eller enhed"), max_length=200, blank=True)
    contact_point = models.CharField(_("kontaktpunkt"), max_length=300, blank=True)
    visitation_entry = models.CharField(_("visitation og henvisning"), max_length=300, blank=True)
    # For an actor whose task the health reform moves (its actor type's reform note): who
    # delivers that task in the program's area from 1 January 2027 (the sundhedsråd decides).
    delivered_from_2027_by = models.CharField(
        _("leveres fra 1. januar 2027 af"), max_length=300, blank=True
    )
    # For a hospital actor: the level of the specialty plan it works at (chapter 4).
    specialisation_level = models.CharField(
        _("specialiseringsniveau"), max_length=20, choices=SpecialisationLevel.choices, blank=True
    )
    position = models.PositiveSmallIntegerField()
    # The actor's name in the program document ("a1", "a2", …): other answers refer to it,
    # and it stays the same when actors are renamed, reordered or exported.
    ref = models.CharField(max_length=12)

    class Meta:
        ordering = ["program", "position"]
        constraints = [
            models.UniqueConstraint(fields=["program", "ref"], name="unique_actor_ref"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def sector(self) -> str:
        """The sector of the catalogue entry the actor comes from ("" for a local actor)."""
        if self.actor_type_id:
            return self.actor_type.sector
        if self.companion_actor_id:
            return self.companion_actor.details.get("sector", "")
        return ""


class Relevance(models.TextChoices):
    RELEVANT = "yes", _("Ja, relevant for målgruppen")
    NOT_RELEVANT = "no", _("Nej, ikke relevant")


class PartAnswer(models.Model):
    """What the program says about one part of the pathway (a chapter-4 section)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="part_answers")
    section = models.ForeignKey(gm.Section, on_delete=models.PROTECT, related_name="+")
    relevance = models.CharField(max_length=3, choices=Relevance.choices, blank=True)
    not_relevant_reason = models.TextField(blank=True, max_length=TEXT)
    effort = models.TextField(blank=True, max_length=LONG_TEXT)
    responsible = models.ForeignKey(
        ProgramActor, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    collaborating = models.ManyToManyField(ProgramActor, blank=True, related_name="+")
    # Who is patient-responsible doctor in this part, when not the program's own (2.4, 4.8:
    # the paediatric department in childhood, general practice after discharge).
    patient_responsible_doctor = models.ForeignKey(
        ProgramActor, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    coordination = models.TextField(blank=True, max_length=LONG_TEXT)
    communication_channels = models.TextField(blank=True, max_length=LONG_TEXT)
    digital_tools = models.TextField(blank=True, max_length=TEXT)
    knowledge_sharing = models.TextField(blank=True, max_length=LONG_TEXT)
    deadlines = models.TextField(blank=True, max_length=TEXT)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["program", "section"], name="unique_part_answer"),
        ]

    def __str__(self) -> str:
        return f"{self.program_id}: {self.section_id}"


class OwnTransition(models.Model):
    """A transition in a part that the model does not name ("andre overgange"): the
    working group adds it, with its actors on each side."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="own_transitions")
    section = models.ForeignKey(gm.Section, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(_("overgang"), max_length=200)
    senders = models.ManyToManyField(ProgramActor, blank=True, related_name="+")
    receivers = models.ManyToManyField(ProgramActor, blank=True, related_name="+")
    trigger = models.TextField(blank=True, max_length=TEXT)
    handover = models.TextField(blank=True, max_length=LONG_TEXT)

    class Meta:
        ordering = ["program", "section", "position"]

    def __str__(self) -> str:
        return self.title


class PartCoordinationTool(models.Model):
    """How a part is coordinated, named by a tool of a companion reference (e.g. the
    coordination meeting at 16–18 in Socialstyrelsen's pathway description), with who is
    responsible and the group's own words on when and how."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="coordination_tools"
    )
    section = models.ForeignKey(gm.Section, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    tool = models.ForeignKey(gm.CompanionEntry, on_delete=models.PROTECT, related_name="+")
    responsible = models.ForeignKey(
        ProgramActor, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True, max_length=TEXT)

    class Meta:
        ordering = ["program", "section", "position"]

    def __str__(self) -> str:
        return str(self.tool)


class PartOffer(models.Model):
    """An offer of the offers catalogue (patient education, coping, relatives …) that the
    program points its target group to in a part."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="offer_links")
    section = models.ForeignKey(gm.Section, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    offer = models.ForeignKey(gm.CompanionEntry, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True, max_length=TEXT)

    class Meta:
        ordering = ["program", "section", "position"]

    def __str__(self) -> str:
        return str(self.offer)


class OfferGap(models.Model):
    """A need of the target group for which the group found no offer (the gap register):
    per part and life phase, so a sundhedsråd sees what is missing."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="offer_gaps")
    section = models.ForeignKey(gm.Section, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    need = models.CharField(_("behov"), max_length=200)
    # A life phase of the model's pathway diagram (its key); empty: every age.
    phase = models.CharField(_("livsfase"), max_length=40, blank=True)
    note = models.TextField(blank=True, max_length=TEXT)

    class Meta:
        ordering = ["program", "section", "position"]

    def __str__(self) -> str:
        return self.need


class OwnPart(models.Model):
    """A part of the pathway that the model does not name, added by the working group."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="own_parts")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(_("del af forløbet"), max_length=200)
    effort = models.TextField(blank=True, max_length=LONG_TEXT)
    responsible = models.ForeignKey(
        ProgramActor, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["program", "position"]

    def __str__(self) -> str:
        return self.title


class PointStatus(models.TextChoices):
    ADDRESSED = "addressed", _("Håndteret")
    ADAPTED = "adapted", _("Tilpasset lokalt")
    NOT_RELEVANT = "not_relevant", _("Ikke relevant")


class AttentionPointAnswer(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="point_answers")
    attention_point = models.ForeignKey(
        gm.AttentionPoint, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=20, choices=PointStatus.choices, blank=True)
    answer = models.TextField(blank=True, max_length=LONG_TEXT)
    reason = models.TextField(blank=True, max_length=TEXT)
    responsible = models.ForeignKey(
        ProgramActor, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["program", "attention_point"], name="unique_point_answer"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program_id}: {self.attention_point_id}"

    @property
    def is_answered(self) -> bool:
        if self.status == PointStatus.NOT_RELEVANT:
            return bool(self.reason.strip())
        return bool(self.status) and bool(self.answer.strip())


class TransitionAnswer(models.Model):
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="transition_answers"
    )
    transition = models.ForeignKey(gm.Transition, on_delete=models.PROTECT, related_name="+")
    relevance = models.CharField(max_length=3, choices=Relevance.choices, blank=True)
    not_relevant_reason = models.TextField(blank=True, max_length=TEXT)
    # Several on each side: the model's transitions hand over in health and social care at
    # once (e.g. 4.3.1: hospital and municipality to adult services).
    senders = models.ManyToManyField(ProgramActor, blank=True, related_name="+")
    receivers = models.ManyToManyField(ProgramActor, blank=True, related_name="+")
    # The model's list of what must be arranged (gm.Transition.arrangements), answered
    # item by item: {"1": {"responsible": actor id or None, "when": text}, …}.
    arrangements = models.JSONField(default=dict, blank=True)
    trigger = models.TextField(blank=True, max_length=TEXT)
    handover = models.TextField(blank=True, max_length=LONG_TEXT)
    conference_convener = models.ForeignKey(
        ProgramActor, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    conference_follow_up = models.ForeignKey(
        ProgramActor, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["program", "transition"], name="unique_transition_answer"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program_id}: {self.transition_id}"


class AdviceDeparture(models.Model):
    """The working group's reason for deciding otherwise than the model advises (e.g. no
    municipal member in the working group): advice with a reason no longer counts as open.

    `key` names the advice within its step, language-free (completeness.py, step_kinds/)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="advice_departures")
    step_key = models.CharField(max_length=40)
    key = models.CharField(max_length=120)
    note = models.TextField(_("begrundelse"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["program", "step_key", "key"], name="unique_advice_departure"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program_id}: {self.step_key}/{self.key}"


class StepRevision(models.Model):
    """How many times a step was saved; a save must name the revision it was loaded from."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="step_revisions")
    step_key = models.CharField(max_length=40)
    number = models.PositiveIntegerField(default=0)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    saved_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["program", "step_key"], name="unique_step_revision"),
        ]

    def __str__(self) -> str:
        return f"{self.program_id}: {self.step_key} #{self.number}"


class StepSnapshot(models.Model):
    """A step's values as saved at one revision: the common ancestor when two editors'
    saves are merged field by field (merge.py)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="step_snapshots")
    step_key = models.CharField(max_length=40)
    number = models.PositiveIntegerField()
    values = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["program", "step_key", "number"], name="unique_step_snapshot"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program_id}: {self.step_key} @{self.number}"


class AuditAction(models.TextChoices):
    """Every kind of audit entry, declared once: services.audit() refuses any other."""

    PROGRAM_CREATED = "program_created", _("Program oprettet")
    PROGRAM_IMPORTED = "program_imported", _("Program importeret")
    STEP_SAVED = "step_saved", _("Trin gemt")
    MEMBER_ADDED = "member_added", _("Medlem tilføjet")
    MEMBER_ROLE_CHANGED = "member_role_changed", _("Medlems rolle ændret")
    MEMBER_REMOVED = "member_removed", _("Medlem fjernet")
    MEMBER_LEFT = "member_left", _("Medlem forlod programmet")
    STATUS_CHANGED = "status_changed", _("Status ændret")
    VERDICT_GIVEN = "verdict_given", _("Høringssvar afgivet")
    COMMENT_ADDED = "comment_added", _("Kommentar tilføjet")
    COMMENT_RESOLVED = "comment_resolved", _("Kommentar løst")
    COMMENT_REOPENED = "comment_reopened", _("Kommentar genåbnet")
    VERSION_PUBLISHED = "version_published", _("Version offentliggjort")
    PARTY_CONTACT_ADDED = "party_contact_added", _("Kontaktperson for høringspart tilføjet")
    LATE_ANSWER_ADMITTED = "late_answer_admitted", _("Svar efter fristen tilladt")
    INVITATION_REVOKED = "invitation_revoked", _("Personligt link tilbagekaldt")
    INVITATION_REISSUED = "invitation_reissued", _("Personligt link sendt igen")
    ROUND_CLOSED = "round_closed", _("Høringsrunde afsluttet")
    PROPOSAL_ACCEPTED = "proposal_accepted", _("Tekstforslag indarbejdet")
    PROPOSAL_DECLINED = "proposal_declined", _("Tekstforslag ikke indarbejdet")
    FEEDBACK_RECEIVED = "feedback_received", _("Feedback fra læser modtaget")
    # "Brug som udgangspunkt" (derivation/): on the new program and on its source.
    PROGRAM_DERIVED = "program_derived", _("Brugt som udgangspunkt")
    LOCAL_ITEM_CONFIRMED = "local_item_confirmed", _("Lokal oplysning bekræftet")


class AuditEntry(models.Model):
    """Append-only record of every change: who, when, what (before and after).

    A program with history cannot be deleted (PROTECT): deleting it would erase its log.
    """

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="audit_entries")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(_("handling"), max_length=40, choices=AuditAction.choices)
    step_key = models.CharField(max_length=40, blank=True)
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["program", "-at", "-pk"]
        verbose_name = _("logpost")
        verbose_name_plural = _("log")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.step_key}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("Audit entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object):  # type: ignore[override]
        raise ValueError("Audit entries are append-only.")
