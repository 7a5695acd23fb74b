"""What derivation does when programs and versions change (connected in apps.ready): the
lower apps send signals and never import this one."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from pathways.derivation import notifications
from pathways.derivation.services import resolve_changed
from pathways.programs.signals import step_saved
from pathways.versions.models import ProgramVersion


@receiver(step_saved, dispatch_uid="derivation-resolve-changed")
def _step_saved(sender, *, program, user, step, after, **kwargs) -> None:
    # In the save's transaction: the resolution commits or rolls back with the save.
    resolve_changed(program=program, user=user, step_key=step.key, step_doc=after)


@receiver(post_save, sender=ProgramVersion, dispatch_uid="derivation-source-published")
def _version_published(sender, *, instance: ProgramVersion, created: bool, **kwargs) -> None:
    if created:
        notifications.source_published(instance)
