"""A backup (dump.py) read back into a database without programs: all of it, or nothing.

Each program's content goes through the JSON import's own path (exchange.create_from_document:
the step forms check every value, the services write it); then what the import cannot know is
set as the backup says: code, status, members, step revisions, timestamps. Rows that have
no service for being written as they were (versions, rounds, comments, the log) are created
directly, without the signals that would mail people or index the catalogue; the catalogue is
rebuilt once at the end.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from pathways.backup import format as fmt
from pathways.backup.dump import COMMENT_ACTIONS, COMMENT_KEYS
from pathways.backup.people import organisations_in, users_in
from pathways.catalogue.indexing import rebuild
from pathways.derivation.models import Derivation
from pathways.generic_model.models import AttentionPoint, ModelVersion
from pathways.programs import exchange, regions
from pathways.programs import models as pm
from pathways.programs.data import load_program_data
from pathways.programs.step_kinds import read_values
from pathways.programs.steps import StepKind
from pathways.public.models import Feedback
from pathways.review.models import Comment, PartyInvitation, ReviewRound, ReviewVerdict
from pathways.versions.models import ProgramVersion, parse_number


@dataclass
class Restored:
    users_created: int = 0
    programs: list[str] = field(default_factory=list)  # one line per program
    catalogue_failures: list[str] = field(default_factory=list)


def restore(raw: bytes | str) -> Restored:
    backup = fmt.parse(raw)
    check_target(backup)
    return _restore(backup)


def check_target(backup: dict[str, Any]) -> None:
    """Refuse before writing anything: the database holds programs, or lacks a generic
    model version or region the backup's programs need."""
    count = pm.Program.objects.count()
    if count:
        raise fmt.BackupRefused(
            _(
                "Databasen har allerede %(count)d program(mer); en sikkerhedskopi indlæses kun "
                "i en database uden programmer."
            )
            % {"count": count}
        )
    for named in backup["generic_models"]:
        if not ModelVersion.objects.filter(slug=named["slug"], version=named["version"]).exists():
            raise fmt.BackupRefused(
                _(
                    "Den generiske model %(slug)s version %(version)s er ikke indlæst. Indlæs den "
                    "først: manage.py load_generic_model fixtures/generic_model/"
                    "%(slug)s-%(version)s.yaml (og dens ledsagende referencer)."
                )
                % named
            )
    for program in backup["programs"]:
        if not regions.is_known(program["region"]):
            raise fmt.BackupRefused(
                _(
                    "Program %(code)s: regionen %(region)r er ikke indlæst. Indlæs regionerne "
                    "først: manage.py load_regions."
                )
                % {"code": program["code"], "region": program["region"]}
            )


@transaction.atomic
def _restore(backup: dict[str, Any]) -> Restored:
    users, created = users_in(backup["users"])
    organisations = organisations_in(backup["organisations"])
    result = Restored(users_created=created)
    restored: dict[str, pm.Program] = {}
    for row in backup["programs"]:
        restorer = _ProgramRestorer(row, users, organisations)
        restored[row["code"]] = restorer.run()
        result.programs.append(restorer.summary())
    # Derivations last: a derived program names a source that may come later in the file.
    for row in backup["programs"]:
        if row["derivation"] is not None:
            _derivation(restored[row["code"]], row["derivation"], restored, users)
    for row in backup["programs"]:  # every write above touched updated_at
        pm.Program.objects.filter(pk=restored[row["code"]].pk).update(
            created_at=fmt.read_moment(row["created_at"]),
            updated_at=fmt.read_moment(row["updated_at"]),
        )
    _written, result.catalogue_failures = rebuild()
    return result


class _ProgramRestorer:
    def __init__(self, row: dict[str, Any], users: dict, organisations: dict) -> None:
        self.row = row
        self.users = users
        self.organisations = organisations
        self.comments: dict[str, Comment] = {}
        self.invitations: dict[str, PartyInvitation] = {}
        self.parties: dict[tuple, ReviewVerdict] = {}
        self.versions: dict[str, ProgramVersion] = {}

    def user(self, name: str | None):
        if name is None:
            return None
        if name not in self.users:
            raise fmt.BackupRefused(
                _("Program %(code)s nævner brugeren %(user)r, som ikke er i filens brugerliste.")
                % {"code": self.row["code"], "user": name}
            )
        return self.users[name]

    def organisation(self, name: str | None):
        if name is None:
            return None
        if name not in self.organisations:
            raise fmt.BackupRefused(
                _(
                    "Program %(code)s nævner organisationen %(name)r, som ikke er i filens "
                    "organisationsliste."
                )
                % {"code": self.row["code"], "name": name}
            )
        return self.organisations[name]

    def run(self) -> pm.Program:
        row = self.row
        if row["document"]["model"]["slug"] != row["model"]["slug"] or (
            row["document"]["model"]["version"] != row["model"]["version"]
        ):
            raise fmt.BackupRefused(
                _("Program %(code)s: dokumentets model er ikke programmets.") % row
            )
        try:
            program = exchange.create_from_document(
                user=self.user(row["created_by"]),
                document=row["document"],
                title=row["title"],
                region=row["region"],
                region_from_document=True,
            )
        except exchange.ImportRefused as error:
            raise fmt.BackupRefused(
                _("Program %(code)s: %(problem)s") % {"code": row["code"], "problem": error}
            ) from None
        pm.Program.objects.filter(pk=program.pk).update(
            code=row["code"],
            status=row["status"],
            is_example=row["is_example"],
            created_by=self.user(row["created_by"]),
        )
        program.refresh_from_db()
        self.program = program
        # What the import wrote in the program's name is replaced by what the backup says.
        pm.AuditEntry.objects.filter(program=program).delete()
        program.memberships.all().delete()
        self._members()
        self._revisions()
        self._versions()
        self._rounds()
        self._comments()
        self._audit()
        self._feedback()
        return program

    def summary(self) -> str:
        row = self.row
        return _(
            "%(code)s %(title)s: %(versions)d versioner, %(rounds)d høringsrunder, "
            "%(comments)d kommentarer, %(entries)d logposter"
        ) % {
            "code": row["code"],
            "title": row["title"],
            "versions": len(row["versions"]),
            "rounds": len(row["review_rounds"]),
            "comments": len(row["comments"]),
            "entries": len(row["audit"]),
        }

    def _members(self) -> None:
        for m in self.row["members"]:
            membership = pm.Membership.objects.create(
                program=self.program,
                user=self.user(m["user"]),
                role=m["role"],
                organisation=self.organisation(m["organisation"]),
            )
            _stamp(membership, added_at=fmt.read_moment(m["added_at"]))

    def _revisions(self) -> None:
        """Step revisions as they were, each with its values as the merge base of the next
        save (services.save_step): the import's own saves are not this program's history."""
        program = self.program
        pm.StepSnapshot.objects.filter(program=program).delete()
        for r in self.row["step_revisions"]:
            pm.StepRevision.objects.update_or_create(
                program=program,
                step_key=r["step"],
                defaults={
                    "number": r["number"],
                    "saved_by": self.user(r["saved_by"]),
                    "saved_at": fmt.read_moment(r["saved_at"]),
                },
            )
        data = load_program_data(program)
        pm.StepSnapshot.objects.bulk_create(
            pm.StepSnapshot(
                program=program,
                step_key=step.key,
                number=data.revisions[step.key].number,
                values=read_values(step, data),
            )
            for step in data.steps
            if step.kind != StepKind.REVIEW and step.key in data.revisions
        )

    def _versions(self) -> None:
        for v in self.row["versions"]:
            major, minor = parse_number(v["number"])
            pdf = fmt.pdf_in(v["pdf"])
            if hashlib.sha256(pdf).hexdigest() != v["pdf_sha256"]:
                raise fmt.BackupRefused(
                    _("Program %(code)s version %(number)s: PDF'en passer ikke til dens SHA-256.")
                    % {"code": self.row["code"], "number": v["number"]}
                )
            # bulk_create: a version's post_save would mail derived programs' editors and
            # index the catalogue as if it were being published now.
            (version,) = ProgramVersion.objects.bulk_create(
                [
                    ProgramVersion(
                        program=self.program,
                        major=major,
                        minor=minor,
                        change_note=v["change_note"],
                        published_by=self.user(v["published_by"]),
                        title=v["title"],
                        region=v["region"],
                        document=v["document"],
                        pdf=pdf,
                        pdf_sha256=v["pdf_sha256"],
                    )
                ]
            )
            if version.pk is None:  # a backend that does not return keys from bulk_create
                version = ProgramVersion.objects.get(program=self.program, major=major, minor=minor)
            _stamp(version, published_at=fmt.read_moment(v["published_at"]))
            self.versions[v["number"]] = version

    def _rounds(self) -> None:
        for r in self.row["review_rounds"]:
            review_round = ReviewRound.objects.create(
                program=self.program,
                number=r["number"],
                opened_by=self.user(r["opened_by"]),
                deadline=fmt.read_day(r["deadline"]),
                cover_letter=r["cover_letter"],
                document=r["document"],
                reminded_at=fmt.read_moment(r["reminded_at"]),
                closed_at=fmt.read_moment(r["closed_at"]),
                outcome=r["outcome"],
                approval_override_reason=r["approval_override_reason"],
                approval_override_conditions=r["approval_override_conditions"],
            )
            _stamp(review_round, opened_at=fmt.read_moment(r["opened_at"]))
            for p in r["parties"]:
                party = ReviewVerdict.objects.create(
                    round=review_round,
                    organisation=self.organisation(p["organisation"]),
                    reviewer=self.user(p["reviewer"]),
                    verdict=p["verdict"],
                    note=p["note"],
                    given_at=fmt.read_moment(p["given_at"]),
                    given_by=self.user(p["given_by"]),
                    given_by_name=p["given_by_name"],
                    late_until=fmt.read_moment(p["late_until"]),
                )
                self.parties[(r["number"], p["organisation"], p["reviewer"])] = party
                for i in p["invitations"]:
                    invitation = PartyInvitation.objects.create(
                        party=party,
                        name=i["name"],
                        email=i["email"],
                        nonce=i["nonce"],
                        revoked_at=fmt.read_moment(i["revoked_at"]),
                        last_used_at=fmt.read_moment(i["last_used_at"]),
                    )
                    _stamp(invitation, created_at=fmt.read_moment(i["created_at"]))
                    self.invitations[i["ref"]] = invitation

    def _comments(self) -> None:
        for c in self.row["comments"]:
            where = f"{self.row['code']} {c['ref']}"
            comment = Comment.objects.create(
                program=self.program,
                step_key=c["step_key"],
                attention_point=self._point(c["attention_point"], where),
                parent=self._ref(self.comments, c["parent"], where),
                field_key=c["field_key"],
                author=self.user(c["author"]),
                invitation=self._ref(self.invitations, c["invitation"], where),
                party=self._party(c["party"], where),
                body=c["body"],
                proposed_text=c["proposed_text"],
                proposal_state=c["proposal_state"],
                proposal_decided_at=fmt.read_moment(c["proposal_decided_at"]),
                proposal_decided_by=self.user(c["proposal_decided_by"]),
                resolved_at=fmt.read_moment(c["resolved_at"]),
                resolved_by=self.user(c["resolved_by"]),
                resolved_by_role=c["resolved_by_role"],
            )
            _stamp(comment, created_at=fmt.read_moment(c["created_at"]))
            self.comments[c["ref"]] = comment

    def _point(self, reference: str | None, where: str) -> AttentionPoint | None:
        if reference is None:
            return None
        number, _sep, position = reference.rpartition("/")
        point = AttentionPoint.objects.filter(
            section__version=self.program.model_version,
            section__number=number,
            position=int(position) if position.isdigit() else -1,
        ).first()
        if point is None:
            raise fmt.BackupRefused(
                _("%(where)s: modellen har intet opmærksomhedspunkt %(ref)r.")
                % {"where": where, "ref": reference}
            )
        return point

    def _ref(self, rows: dict, ref: str | None, where: str):
        if ref is None:
            return None
        if ref not in rows:
            raise fmt.BackupRefused(
                _("%(where)s: %(ref)r findes ikke (tidligere) i filen.")
                % {"where": where, "ref": ref}
            )
        return rows[ref]

    def _party(self, key: dict | None, where: str) -> ReviewVerdict | None:
        if key is None:
            return None
        found = self.parties.get((key["round"], key["organisation"], key["reviewer"]))
        if found is None:
            raise fmt.BackupRefused(
                _("%(where)s: høringsparten findes ikke i runde %(round)s.")
                % {"where": where, "round": key["round"]}
            )
        return found

    def _audit(self) -> None:
        entries = [
            pm.AuditEntry(
                program=self.program,
                user=self.user(e["user"]),
                action=e["action"],
                step_key=e["step_key"],
                before=self._comment_ids_in(e, e["before"]),
                after=self._comment_ids_in(e, e["after"]),
            )
            for e in self.row["audit"]
        ]
        # One by one, in the file's order: the log's order among equal moments is the key's.
        for entry, e in zip(entries, self.row["audit"], strict=True):
            entry.save()
            pm.AuditEntry.objects.filter(pk=entry.pk).update(at=fmt.read_moment(e["at"]))

    def _comment_ids_in(self, entry: dict, values: Any) -> Any:
        if entry["action"] not in COMMENT_ACTIONS or not isinstance(values, dict):
            return values
        return {
            k: self.comments[v].pk if k in COMMENT_KEYS and v in self.comments else v
            for k, v in values.items()
        }

    def _feedback(self) -> None:
        for f in self.row["feedback"]:
            version = None
            if f["version"] is not None:
                version = self._ref(self.versions, f["version"], f"{self.row['code']} feedback")
            feedback = Feedback.objects.create(
                program=self.program,
                version=version,
                name=f["name"],
                email=f["email"],
                message=f["message"],
                ip_hash=f["ip_hash"],
            )
            _stamp(feedback, created_at=fmt.read_moment(f["created_at"]))


def _derivation(
    program: pm.Program, row: dict[str, Any], restored: dict[str, pm.Program], users: dict
) -> None:
    source = restored.get(row["source_program"])
    if source is None:
        raise fmt.BackupRefused(
            _("Program %(code)s er bygget på %(source)s, som ikke er i filen.")
            % {"code": program.code, "source": row["source_program"]}
        )
    version = None
    if row["source_version"] is not None:
        version = ProgramVersion.numbered(source, row["source_version"]).first()
        if version is None:
            raise fmt.BackupRefused(
                _(
                    "Program %(code)s er bygget på version %(number)s af %(source)s, som ikke "
                    "er i filen."
                )
                % {"code": program.code, "number": row["source_version"], "source": source.code}
            )
    decisions = {
        key: {**value, "user": users[value["user"]].pk if value.get("user") in users else None}
        for key, value in row["decisions"].items()
    }
    derivation = Derivation.objects.create(
        program=program,
        source_program=source,
        source_version=version,
        source_title=row["source_title"],
        source_region=row["source_region"],
        source_status=row["source_status"],
        created_by=users.get(row["created_by"]) if row["created_by"] else None,
        local_items=row["local_items"],
        decisions=decisions,
    )
    _stamp(derivation, created_at=fmt.read_moment(row["created_at"]))


def _stamp(row, **moments) -> None:
    """Set auto_now_add columns to the moments the backup holds (create() writes now)."""
    type(row).objects.filter(pk=row.pk).update(**moments)
