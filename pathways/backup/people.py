"""The people and organisations a backup refers to: written once, named by username and
organisation name everywhere else.

A person's password hash never leaves the database: a restored account that did not exist
gets an unusable password, and its owner sets a new one ("Glemt adgangskode").
Roles belong to program memberships (programs/access.py) and travel with each program;
of the account itself only what the app reads is kept (name, e-mail, active, staff, groups).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from pathways.programs.models import Organisation
from pathways.review.models import PartyContact


def username(user) -> str | None:
    return None if user is None else user.get_username()


def users_out(usernames: Iterable[str]) -> list[dict[str, Any]]:
    users = (
        get_user_model()
        .objects.filter(username__in=set(usernames))
        .prefetch_related("groups")
        .order_by("username")
    )
    return [
        {
            "username": u.get_username(),
            "first_name": u.first_name,
            "last_name": u.last_name,
            "email": u.email,
            "is_active": u.is_active,
            "is_staff": u.is_staff,
            "groups": sorted(g.name for g in u.groups.all()),
        }
        for u in users
    ]


def organisations_out(names: Iterable[str]) -> list[dict[str, Any]]:
    organisations = (
        Organisation.objects.filter(name__in=set(names))
        .prefetch_related("contacts")
        .order_by("name")
    )
    return [
        {
            "name": o.name,
            "sector": o.sector,
            "municipality": o.municipality,
            "contacts": sorted(
                ({"name": c.name, "email": c.email} for c in o.contacts.all()),
                key=lambda c: (c["email"], c["name"]),
            ),
        }
        for o in organisations
    ]


def users_in(rows: list[dict[str, Any]]) -> tuple[dict[str, Any], int]:
    """Every named account, created (without a usable password) when missing; an existing
    account is left as it is. Returns (accounts by username, how many were created)."""
    model = get_user_model()
    existing = {u.get_username(): u for u in model.objects.filter(username__in=_names(rows))}
    created = 0
    for row in rows:
        if row["username"] in existing:
            continue
        user = model(
            username=row["username"],
            first_name=row["first_name"],
            last_name=row["last_name"],
            email=row["email"],
            is_active=row["is_active"],
            is_staff=row["is_staff"],
        )
        user.set_unusable_password()
        user.save()
        user.groups.set(Group.objects.get_or_create(name=name)[0] for name in row["groups"])
        existing[row["username"]] = user
        created += 1
    return existing, created


def organisations_in(rows: list[dict[str, Any]]) -> dict[str, Organisation]:
    """Every named organisation and its contacts (those already here are kept as they are)."""
    found: dict[str, Organisation] = {}
    for row in rows:
        organisation, _created = Organisation.objects.get_or_create(
            name=row["name"],
            defaults={"sector": row["sector"], "municipality": row["municipality"]},
        )
        for contact in row["contacts"]:
            PartyContact.objects.get_or_create(
                organisation=organisation,
                email=contact["email"],
                defaults={"name": contact["name"]},
            )
        found[organisation.name] = organisation
    return found


def _names(rows: list[dict[str, Any]]) -> list[str]:
    return [row["username"] for row in rows]
