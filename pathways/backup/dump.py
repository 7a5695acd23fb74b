"""Every program with everything that belongs to it, as one backup document (format.py).

A program's content is its program document (programs/document.py), the one form every
output and the JSON import read; around it go what the document does not hold: metadata,
members, step revisions, published versions with their stored PDF, review rounds, comments,
the audit log, where it was derived from, and readers' feedback. Catalogue rows are not
written: they are derived from the versions and rebuilt on restore.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from pathways.backup import format as fmt
from pathways.backup.people import organisations_out, username, users_out
from pathways.derivation.models import Derivation
from pathways.programs import models as pm
from pathways.programs.data import load_program_data
from pathways.programs.document import program_document
from pathways.public.models import Feedback
from pathways.review.models import Comment, PartyInvitation, ReviewRound, ReviewVerdict
from pathways.versions.models import ProgramVersion

# Audit entries that name a comment by its database id: written as the comment's ref.
COMMENT_ACTIONS = {
    pm.AuditAction.COMMENT_ADDED,
    pm.AuditAction.COMMENT_RESOLVED,
    pm.AuditAction.COMMENT_REOPENED,
    pm.AuditAction.PROPOSAL_ACCEPTED,
    pm.AuditAction.PROPOSAL_DECLINED,
}
COMMENT_KEYS = ("comment", "reply_to")


class _Seen:
    """The people and organisations the programs name, written once at the top."""

    def __init__(self) -> None:
        self.users: set[str] = set()
        self.organisations: set[str] = set()

    def user(self, user) -> str | None:
        name = username(user)
        if name is not None:
            self.users.add(name)
        return name

    def organisation(self, organisation) -> str | None:
        if organisation is None:
            return None
        self.organisations.add(organisation.name)
        return organisation.name


def backup_document() -> dict[str, Any]:
    seen = _Seen()
    programs = [
        program_out(p, seen)
        for p in pm.Program.objects.select_related("model_version", "created_by").order_by("code")
    ]
    models = sorted(
        {(p["model"]["slug"], p["model"]["version"]) for p in programs},
    )
    return {
        "format": fmt.FORMAT,
        "format_version": fmt.FORMAT_VERSION,
        "created": fmt.moment(timezone.now()),
        "generic_models": [{"slug": slug, "version": version} for slug, version in models],
        "users": users_out(seen.users),
        "organisations": organisations_out(seen.organisations),
        "programs": programs,
    }


def program_out(program: pm.Program, seen: _Seen) -> dict[str, Any]:
    comments = list(
        Comment.objects.filter(program=program)
        .select_related(
            "attention_point__section",
            "author",
            "invitation",
            "party__round",
            "party__organisation",
            "party__reviewer",
            "proposal_decided_by",
            "resolved_by",
        )
        .order_by("created_at", "pk")
    )
    comment_refs = {c.pk: f"c{i}" for i, c in enumerate(comments, start=1)}
    invitations = list(
        PartyInvitation.objects.filter(party__round__program=program).order_by("created_at", "pk")
    )
    invitation_refs = {inv.pk: f"i{i}" for i, inv in enumerate(invitations, start=1)}
    return {
        "code": program.code,
        "title": program.title,
        "region": program.region,
        "status": program.status,
        "is_example": program.is_example,
        "created_by": seen.user(program.created_by),
        "created_at": fmt.moment(program.created_at),
        "updated_at": fmt.moment(program.updated_at),
        "model": {"slug": program.model_version.slug, "version": program.model_version.version},
        "document": program_document(load_program_data(program)),
        "members": _members(program, seen),
        "step_revisions": _revisions(program, seen),
        "versions": _versions(program, seen),
        "review_rounds": _rounds(program, seen, invitation_refs),
        "comments": [_comment(c, seen, comment_refs, invitation_refs) for c in comments],
        "audit": _audit(program, seen, comment_refs),
        "derivation": _derivation(program, seen),
        "feedback": _feedback(program),
    }


def _members(program: pm.Program, seen: _Seen) -> list[dict[str, Any]]:
    rows = program.memberships.select_related("user", "organisation")
    return sorted(
        (
            {
                "user": seen.user(m.user),
                "role": m.role,
                "organisation": seen.organisation(m.organisation),
                "added_at": fmt.moment(m.added_at),
            }
            for m in rows
        ),
        key=lambda m: m["user"],
    )


def _revisions(program: pm.Program, seen: _Seen) -> list[dict[str, Any]]:
    return [
        {
            "step": r.step_key,
            "number": r.number,
            "saved_by": seen.user(r.saved_by),
            "saved_at": fmt.moment(r.saved_at),
        }
        for r in program.step_revisions.select_related("saved_by").order_by("step_key")
    ]


def _versions(program: pm.Program, seen: _Seen) -> list[dict[str, Any]]:
    versions = ProgramVersion.objects.filter(program=program).select_related("published_by")
    return [
        {
            "number": v.number,
            "title": v.title,
            "region": v.region,
            "change_note": v.change_note,
            "published_by": seen.user(v.published_by),
            "published_at": fmt.moment(v.published_at),
            "document": v.document,
            "pdf": fmt.pdf_out(v.pdf),
            "pdf_sha256": v.pdf_sha256,
        }
        for v in versions.order_by("major", "minor")
    ]


def party_key(verdict: ReviewVerdict, seen: _Seen | None = None) -> dict[str, Any]:
    """A round's party by what it is: an organisation, or a reviewer speaking for none."""
    if seen is None:
        seen = _Seen()
    return {
        "organisation": seen.organisation(verdict.organisation),
        "reviewer": seen.user(verdict.reviewer),
    }


def _rounds(program: pm.Program, seen: _Seen, invitation_refs: dict) -> list[dict[str, Any]]:
    rounds = (
        ReviewRound.objects.filter(program=program)
        .select_related("opened_by")
        .prefetch_related(
            "verdicts__organisation",
            "verdicts__reviewer",
            "verdicts__given_by",
            "verdicts__invitations",
        )
        .order_by("number")
    )
    return [
        {
            "number": r.number,
            "opened_by": seen.user(r.opened_by),
            "opened_at": fmt.moment(r.opened_at),
            "deadline": fmt.day(r.deadline),
            "cover_letter": r.cover_letter,
            "document": r.document,
            "reminded_at": fmt.moment(r.reminded_at),
            "closed_at": fmt.moment(r.closed_at),
            "outcome": r.outcome,
            "approval_override_reason": r.approval_override_reason,
            "approval_override_conditions": r.approval_override_conditions,
            "parties": sorted(
                (_party(v, seen, invitation_refs) for v in r.verdicts.all()),
                key=lambda p: (p["organisation"] or "", p["reviewer"] or ""),
            ),
        }
        for r in rounds
    ]


def _party(verdict: ReviewVerdict, seen: _Seen, invitation_refs: dict) -> dict[str, Any]:
    return {
        **party_key(verdict, seen),
        "verdict": verdict.verdict,
        "note": verdict.note,
        "given_at": fmt.moment(verdict.given_at),
        "given_by": seen.user(verdict.given_by),
        "given_by_name": verdict.given_by_name,
        "late_until": fmt.moment(verdict.late_until),
        "invitations": sorted(
            (
                {
                    "ref": invitation_refs[inv.pk],
                    "name": inv.name,
                    "email": inv.email,
                    "nonce": inv.nonce,
                    "created_at": fmt.moment(inv.created_at),
                    "revoked_at": fmt.moment(inv.revoked_at),
                    "last_used_at": fmt.moment(inv.last_used_at),
                }
                for inv in verdict.invitations.all()
            ),
            key=lambda i: int(i["ref"][1:]),
        ),
    }


def _comment(c: Comment, seen: _Seen, refs: dict, invitation_refs: dict) -> dict[str, Any]:
    return {
        "ref": refs[c.pk],
        "step_key": c.step_key,
        "attention_point": c.attention_point.reference if c.attention_point_id else None,
        "parent": refs.get(c.parent_id),
        "field_key": c.field_key,
        "author": seen.user(c.author),
        "invitation": invitation_refs.get(c.invitation_id),
        "party": (
            {"round": c.party.round.number, **party_key(c.party, seen)} if c.party_id else None
        ),
        "body": c.body,
        "proposed_text": c.proposed_text,
        "proposal_state": c.proposal_state,
        "proposal_decided_at": fmt.moment(c.proposal_decided_at),
        "proposal_decided_by": seen.user(c.proposal_decided_by),
        "created_at": fmt.moment(c.created_at),
        "resolved_at": fmt.moment(c.resolved_at),
        "resolved_by": seen.user(c.resolved_by),
        "resolved_by_role": c.resolved_by_role,
    }


def _audit(program: pm.Program, seen: _Seen, comment_refs: dict) -> list[dict[str, Any]]:
    entries = program.audit_entries.select_related("user").order_by("at", "pk")
    return [
        {
            "action": e.action,
            "user": seen.user(e.user),
            "step_key": e.step_key,
            "before": _comment_ids_out(e, e.before, comment_refs),
            "after": _comment_ids_out(e, e.after, comment_refs),
            "at": fmt.moment(e.at),
        }
        for e in entries
    ]


def _comment_ids_out(entry: pm.AuditEntry, values: dict, refs: dict) -> dict:
    if entry.action not in COMMENT_ACTIONS or not isinstance(values, dict):
        return values
    return {
        k: refs.get(v, v) if k in COMMENT_KEYS and isinstance(v, int) else v
        for k, v in values.items()
    }


def _derivation(program: pm.Program, seen: _Seen) -> dict[str, Any] | None:
    d = (
        Derivation.objects.filter(program=program)
        .select_related("source_program", "source_version", "created_by")
        .first()
    )
    if d is None:
        return None
    users = _usernames_by_id(d.decisions)
    return {
        "source_program": d.source_program.code,
        "source_version": d.source_version.number if d.source_version_id else None,
        "source_title": d.source_title,
        "source_region": d.source_region,
        "source_status": d.source_status,
        "created_by": seen.user(d.created_by),
        "created_at": fmt.moment(d.created_at),
        "local_items": d.local_items,
        # A decision names its maker by database id: written as the username instead.
        "decisions": {
            key: {**value, "user": seen.user(users.get(value.get("user")))}
            for key, value in d.decisions.items()
        },
    }


def _usernames_by_id(decisions: dict) -> dict:
    from django.contrib.auth import get_user_model

    ids = {v.get("user") for v in decisions.values() if isinstance(v, dict)}
    return {u.pk: u for u in get_user_model().objects.filter(pk__in=ids - {None})}


def _feedback(program: pm.Program) -> list[dict[str, Any]]:
    rows = Feedback.objects.filter(program=program).select_related("version")
    return [
        {
            "version": f.version.number if f.version_id else None,
            "name": f.name,
            "email": f.email,
            "message": f.message,
            "created_at": fmt.moment(f.created_at),
            "ip_hash": f.ip_hash,
        }
        for f in rows.order_by("created_at", "pk")
    ]
