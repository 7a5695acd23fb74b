"""Programs for the catalogue's tests: a few answers that the catalogue reads."""

from __future__ import annotations

from pathways.generic_model import models as gm
from pathways.programs import models as pm
from tests.factories import ProgramFactory, UserFactory, published_version


def catalogue_program(
    *,
    title: str,
    owner=None,
    region: str = "nordjylland",
    codes: tuple[tuple[str, str], ...] = (),
    responsible: str = "",
    grouping: str = "",
    relevant_parts: tuple[str, ...] | None = None,
    publish: bool = True,
) -> pm.Program:
    """A program with the given diagnosis codes ((system key, stored code), …), an actor
    responsible for part 4.4 (or the first of `relevant_parts`), a target grouping, and only
    `relevant_parts` (section numbers) judged relevant if given; published once unless
    `publish` is False."""
    program = ProgramFactory(owner=owner or UserFactory(), title=title, region=region)
    version = program.model_version
    for position, (system, code) in enumerate(codes, start=1):
        pm.DiagnosisCode.objects.create(
            program=program,
            position=position,
            code=code,
            code_system=version.codesystem_set.get(key=system),
        )
    if responsible:
        actor = pm.ProgramActor.objects.create(
            program=program, name=responsible, position=1, ref="a1"
        )
        pm.PartAnswer.objects.create(
            program=program,
            section=version.sections.get(number=(relevant_parts or ("4.4",))[0]),
            relevance=pm.Relevance.RELEVANT,
            responsible=actor,
        )
    if grouping:
        program.target_grouping = version.targetgrouping_set.get(key=grouping)
        pm.Program.objects.filter(pk=program.pk).update(target_grouping=program.target_grouping)
    if relevant_parts is not None:
        for section in version.sections.filter(step_role=gm.StepRole.PART):
            if section.number not in relevant_parts:
                pm.PartAnswer.objects.update_or_create(
                    program=program,
                    section=section,
                    defaults={"relevance": pm.Relevance.NOT_RELEVANT},
                )
    if publish:
        published_version(program)
    program.refresh_from_db()
    return program
