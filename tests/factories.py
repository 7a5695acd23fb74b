"""Test data builders. Programs are created through the services, as users create them."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from pathways.generic_model.models import ModelVersion
from pathways.programs import services
from pathways.programs.models import Program

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="da_DK")
    last_name = factory.Faker("last_name", locale="da_DK")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):  # noqa: N805 - factory_boy hook signature
        if create:
            obj.save()


class ProgramFactory(factory.Factory):
    class Meta:
        model = Program

    title = factory.Sequence(lambda n: f"Forløbsprogram {n}")
    region = "nordjylland"
    owner = factory.SubFactory(UserFactory)
    model_version = factory.LazyFunction(lambda: ModelVersion.objects.get(slug="sst-sjaeldne"))

    @classmethod
    def _create(cls, model_class, *, owner, **kwargs):
        return services.create_program(user=owner, **kwargs)


def program_with_actors(version, actors: list[tuple[str, str]]) -> Program:
    """A new program with the given actors, each (the model's actor type key, name), as
    the actors step would list them (refs a1, a2, …)."""
    from pathways.programs import models as pm

    program = ProgramFactory(owner=UserFactory())
    types = {t.key: t for t in version.actor_types.all()}
    for position, (type_key, name) in enumerate(actors, start=1):
        pm.ProgramActor.objects.create(
            program=program,
            actor_type=types[type_key],
            name=name,
            position=position,
            ref=f"a{position}",
        )
    return program


def small_program(*, owner) -> Program:
    """A program with exactly one row of every kind an answer can have."""
    from pathways.generic_model import models as gm
    from pathways.programs import models as pm

    program = ProgramFactory(owner=owner)
    version = program.model_version
    actor = pm.ProgramActor.objects.create(
        program=program, name="Børneafdelingen", position=1, ref="a1"
    )
    pm.WorkingGroupMember.objects.create(program=program, name="Eva", sector="region", position=1)
    pm.DiagnosisCode.objects.create(
        program=program,
        position=1,
        code="DQ871",
        code_system=version.codesystem_set.get(key="icd-10"),
    )
    section = version.sections.get(number="4.4")
    part = pm.PartAnswer.objects.create(
        program=program, section=section, relevance="yes", responsible=actor
    )
    part.collaborating.add(actor)
    pm.AttentionPointAnswer.objects.create(
        program=program,
        status="addressed",
        answer="Ja",
        attention_point=section.attention_points.first(),
    )
    pm.TransitionAnswer.objects.create(
        program=program,
        relevance="yes",
        transition=gm.Transition.objects.filter(section=section).first(),
    ).senders.add(actor)
    pm.CriterionAssessment.objects.create(
        program=program, applies=True, criterion=version.criterion_set.first()
    )
    pm.NeedAssessment.objects.create(
        program=program, assessment="Stort behov", need=version.need_set.first()
    )
    return program


def approver_for(program: Program):
    """A user appointed approver of `program` (staff do this in the admin)."""
    from pathways.programs.models import Membership, Role

    approver = UserFactory()
    Membership.objects.create(program=program, user=approver, role=Role.APPROVER)
    return approver


def published_version(program: Program, *, major: bool = True, change_note: str = "Version"):
    """Approve `program` (as the workflow would) and publish a version of it."""
    from pathways.programs.models import ProgramStatus
    from pathways.versions.services import publish_version

    approver = approver_for(program)
    Program.objects.filter(pk=program.pk).update(status=ProgramStatus.APPROVED)
    return publish_version(program=program, user=approver, major=major, change_note=change_note)
