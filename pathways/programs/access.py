"""Who may do what with a program. Every view loads its program through here.

Outsiders get 404 (a draft's existence is not disclosed); members whose role does not
allow the action get 403. Published versions are readable by every signed-in user.
"""

from __future__ import annotations

from enum import StrEnum

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from pathways.programs.models import Membership, Program, Role


class Action(StrEnum):
    READ = "read"  # the draft, review screen, PDF, comments, consultation summary
    EDIT = "edit"  # content of the steps, submitting for review, inviting reviewers
    COMMENT = "comment"
    GIVE_VERDICT = "give_verdict"
    APPROVE = "approve"  # approve, request changes, publish
    VIEW_AUDIT = "view_audit"


ALLOWED: dict[Action, set[str]] = {
    Action.READ: {Role.EDITOR, Role.REVIEWER, Role.APPROVER, Role.READER},
    Action.EDIT: {Role.EDITOR},
    Action.COMMENT: {Role.EDITOR, Role.REVIEWER, Role.APPROVER},
    Action.GIVE_VERDICT: {Role.REVIEWER},
    Action.APPROVE: {Role.APPROVER},
    Action.VIEW_AUDIT: {Role.EDITOR, Role.APPROVER},
}

User = AbstractBaseUser | AnonymousUser


def programs_visible_to(user: User) -> QuerySet[Program]:
    if not user.is_authenticated:
        return Program.objects.none()
    # A subquery, not a join + DISTINCT: DISTINCT over every column made the database sort
    # all of a person's programs, whole texts included, for each page of "Mine programmer".
    return Program.objects.filter(pk__in=Membership.objects.filter(user=user).values("program_id"))


def role_of(user: User, program: Program) -> str | None:
    if not user.is_authenticated:
        return None
    cache = getattr(user, "_program_roles", None)
    if cache is None:
        cache = user._program_roles = {}
    if program.pk not in cache:
        cache[program.pk] = (
            Membership.objects.filter(program=program, user=user)
            .values_list("role", flat=True)
            .first()
        )
    return cache[program.pk]


def may(user: User, program: Program, action: Action) -> bool:
    return role_of(user, program) in ALLOWED[action]


def require(user: User, program: Program, action: Action) -> None:
    """Raise Http404 for outsiders and PermissionDenied for members lacking the right."""
    role = role_of(user, program)
    if role is None:
        raise Http404("No such program.")
    if role not in ALLOWED[action]:
        raise PermissionDenied


def load_program(user: User, code: str, action: Action) -> Program:
    program = Program.objects.select_related("model_version").filter(code=code).first()
    if program is None:
        raise Http404("No such program.")
    require(user, program, action)
    return program


def load_published_program(user: User, code: str) -> Program:
    """Members see everything; any signed-in user may read a program with a published version."""
    program = Program.objects.select_related("model_version").filter(code=code).first()
    if program is None or not user.is_authenticated:
        raise Http404("No such program.")
    if role_of(user, program) is None and not program.versions.exists():
        raise Http404("No such program.")
    return program
