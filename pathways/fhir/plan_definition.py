"""A published version as HL7 FHIR: a Bundle of one PlanDefinition and the Organizations
its actions name.

FHIR R4B (4.3.0), using only elements R4 (4.0.1) has as well, so R4 systems (MedCom's
Danish standards are R4) read it too. Read from the version's stored program document
alone, through the PDF's view of it (pdf/document.py build_document) and the generic model
the document names, never from the program's draft. Plain dicts: the app needs no FHIR
library; the tests validate every export against fhir.resources' R4B models. Texts are
Danish, as the program is (Resource.language "da"). The mapping is documented in README,
"FHIR (PlanDefinition)".
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from pathways.fhir import terminology as t
from pathways.fhir.actions import ActionWriter
from pathways.fhir.organizations import narrative, organization, resource_uuid
from pathways.generic_model.models import ModelVersion
from pathways.pdf.document import Document, build_document
from pathways.programs.data import ModelData, load_model_data
from pathways.programs.regions import region_name
from pathways.versions.models import ProgramVersion

FHIR_VERSION = "4.3.0"


def public_url(code: str, number: str | None = None) -> str:
    """The public page of a program (the newest version), or of one of its versions."""
    if number:
        return settings.SITE_URL + reverse("public:version", args=[code, number])
    return settings.SITE_URL + reverse("public:program", args=[code])


def version_bundle(version: ProgramVersion) -> dict[str, Any]:
    """The version as a FHIR Bundle (type collection): its PlanDefinition first, then one
    Organization per actor."""
    with override("da"):
        return _Export(version).bundle()


def _clean(value: Any) -> Any:
    """FHIR JSON has no empty values: drop None, "", [] and {} at every level."""
    if isinstance(value, dict):
        cleaned = {k: _clean(v) for k, v in value.items()}
        return {k: v for k, v in cleaned.items() if v not in (None, "", [], {})}
    if isinstance(value, list):
        cleaned = [_clean(v) for v in value]
        return [v for v in cleaned if v not in (None, "", [], {})]
    return value


def _instant(moment) -> str:
    return moment.astimezone(datetime.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


class _Export:
    def __init__(self, version: ProgramVersion) -> None:
        self.version = version
        self.document: dict[str, Any] = version.document
        named = self.document["model"]
        self.model_version = ModelVersion.objects.get(slug=named["slug"], version=named["version"])
        self.model: ModelData = load_model_data(self.model_version)
        self.doc: Document = build_document(
            self.document,
            self.model,
            version_label=version.number,
            is_draft=False,
            date=timezone.localdate(version.published_at),
        )
        program = self.document.get("program") or {}
        self.code = str(program.get("code") or self.doc.code)
        self.is_example = bool(program.get("is_example"))
        self.page = public_url(self.code, version.number)
        # Every version of the program, oldest first: whether this one is the newest, and
        # which came before and after it.
        self.numbers = list(
            ProgramVersion.objects.filter(program_id=version.program_id)
            .order_by("major", "minor")
            .values_list("major", "minor", "published_at")
        )
        actor_rows = [r for r in self.doc.roles.get("actors") or [] if isinstance(r, dict)]
        self.actor_refs = [str(row.get("ref")) for row in actor_rows]
        self.organization_ids = {ref: resource_uuid(self.page, ref) for ref in self.actor_refs}

    def bundle(self) -> dict[str, Any]:
        bundle_id = resource_uuid(self.page, "Bundle")
        plan_id = resource_uuid(self.page, "PlanDefinition")
        entries = [{"fullUrl": f"urn:uuid:{plan_id}", "resource": self.plan_definition(plan_id)}]
        system = public_url(self.code) + "aktoerer"
        for ref, actor in zip(self.actor_refs, self.doc.actors, strict=True):
            resource_id = self.organization_ids[ref]
            resource = organization(ref, actor, resource_id=resource_id, system=system)
            entries.append({"fullUrl": f"urn:uuid:{resource_id}", "resource": resource})
        return _clean(
            {
                "resourceType": "Bundle",
                "id": bundle_id,
                "language": "da",
                "identifier": {"system": t.URI, "value": f"urn:uuid:{bundle_id}"},
                "type": "collection",
                "timestamp": _instant(self.version.published_at),
                "entry": entries,
            }
        )

    def plan_definition(self, plan_id: str) -> dict[str, Any]:
        doc, version = self.doc, self.version
        title = doc.title or version.title
        region_code = str(doc.basis.get("region") or version.region or "")
        region = doc.region or region_name(region_code)
        publisher = doc.approving_body or region
        place = [n[:2] for n in self.numbers].index((version.major, version.minor))
        before = self.numbers[place - 1] if place > 0 else None
        after = self.numbers[place + 1] if place + 1 < len(self.numbers) else None
        model_url = settings.SITE_URL + reverse(
            "generic_model:version_detail",
            args=[self.model_version.slug, self.model_version.version],
        )
        organizations = {
            ref: {"reference": f"urn:uuid:{self.organization_ids[ref]}", "display": actor.name}
            for ref, actor in zip(self.actor_refs, self.doc.actors, strict=True)
        }
        actions = ActionWriter(
            doc, self.model, self.document.get("content") or {}, organizations, model_url
        ).actions()
        return {
            "resourceType": "PlanDefinition",
            "id": plan_id,
            "language": "da",
            "text": narrative(
                [title, f"{_('Version')} {version.number}", region, publisher], status="generated"
            ),
            "extension": self.review_extension(),
            # The canonical URL is the same for every version (FHIR's rule); `version`
            # tells them apart, and the version's own page is a related artifact.
            "url": public_url(self.code),
            "identifier": [
                {"use": "official", "system": f"{settings.SITE_URL}/p", "value": self.code}
            ],
            "version": version.number,
            "name": "Forloebsprogram" + re.sub(r"[^A-Za-z0-9]", "", self.code),
            "title": title,
            "type": {
                "coding": [
                    {
                        "system": t.PLAN_DEFINITION_TYPE,
                        "code": "clinical-protocol",
                        "display": "Clinical Protocol",
                    }
                ]
            },
            # Only the newest published version is in force; the ones before it retired.
            "status": "retired" if after else "active",
            "experimental": self.is_example,
            "subjectCodeableConcept": {
                "coding": [{"system": t.RESOURCE_TYPES, "code": "Patient", "display": "Patient"}]
            },
            "date": _instant(version.published_at),
            "publisher": publisher,
            "description": str(doc.basis.get("purpose") or ""),
            "useContext": [*self.target_group(model_url), *self.diagnoses()],
            "jurisdiction": self.jurisdiction(region_code, region),
            "purpose": self.reasons(),
            "usage": str(doc.target.get("inclusion") or ""),
            # Publishing is the approver's act: the approval takes effect the day it is
            # published.
            "approvalDate": timezone.localdate(version.published_at).isoformat(),
            "effectivePeriod": self.period(after),
            "relatedArtifact": self.related(title, model_url, before, after),
            "action": actions,
        }

    def review_extension(self) -> list[dict[str, Any]]:
        if self.doc.next_review_date is None:
            return []
        return [
            {"url": t.next_review_extension(), "valueDate": self.doc.next_review_date.isoformat()}
        ]

    def target_group(self, model_url: str) -> list[dict[str, Any]]:
        """The model's grouping the target group belongs to (or the group's own
        description of it) as a clinical focus."""
        key = self.doc.target.get("grouping")
        grouping = next((g for g in self.model.groupings if g.key == key), None)
        if grouping is not None:
            concept = {
                "coding": [
                    {"system": model_url + "maalgrupper", "code": key, "display": grouping.title}
                ],
                "text": grouping.title,
            }
        elif self.doc.grouping:
            concept = {"text": self.doc.grouping}
        else:
            return []
        return [_focus(concept)]

    def diagnoses(self) -> list[dict[str, Any]]:
        """Each diagnosis code of the target group as a clinical focus, in its code
        system(s); the label the group gave it is the display and the text."""
        found = []
        for row in self.doc.target.get("codes") or []:
            if not isinstance(row, dict):
                continue
            system, code = str(row.get("system") or ""), str(row.get("code") or "")
            label = str(row.get("label") or "")
            codings = t.diagnosis_codings(system, code, label)
            text = label if codings else " ".join(filter(None, [system.upper(), code, label]))
            found.append(_focus({"coding": codings, "text": text}))
        return found

    @staticmethod
    def jurisdiction(region_code: str, region: str) -> list[dict[str, Any]]:
        subdivision = t.REGION_SUBDIVISIONS.get(region_code)
        found = [{"coding": [{"system": t.ISO_3166, "code": "DK", "display": "Denmark"}]}]
        if region:
            codings = [{"system": t.ISO_3166_2, "code": subdivision}] if subdivision else []
            found.append({"coding": codings, "text": region})
        return found

    def reasons(self) -> str:
        """Why the program was written: the model's criteria the group found met, with its
        reasons (Markdown)."""
        lines = []
        for criterion, applies, reason in self.doc.criteria:
            if applies:
                lines.append(f"- {criterion.title}" + (f": {reason}" if reason else ""))
        return "\n".join(lines)

    def period(self, after) -> dict[str, str]:
        """From the start date the program gives; a superseded version until its successor
        was published."""
        start = self.doc.start_date
        end = timezone.localdate(after[2]) if after else None
        if start and end and end < start:
            end = None  # superseded before it started: the period says only when it would
        return {
            "start": start.isoformat() if start else "",
            "end": end.isoformat() if end else "",
        }

    def related(self, title: str, model_url: str, before, after) -> list[dict[str, Any]]:
        model = self.document.get("model") or {}
        found = [
            {
                "type": "documentation",
                "display": f"{title}, {_('version')} {self.version.number}",
                "url": self.page,
            },
            {
                "type": "derived-from",
                "display": f"{model.get('publisher', '')}: {model.get('name', '')}, "
                f"{_('version')} {model.get('version', '')}",
                "url": model_url,
            },
        ]
        canonical = public_url(self.code)
        for kind, other in (("predecessor", before), ("successor", after)):
            if other is not None:
                number = f"{other[0]}.{other[1]}"
                found.append(
                    {
                        "type": kind,
                        "display": f"{_('Version')} {number}",
                        "resource": f"{canonical}|{number}",
                    }
                )
        return found


def _focus(concept: dict[str, Any]) -> dict[str, Any]:
    return {
        "code": {"system": t.USAGE_CONTEXT_TYPE, "code": "focus", "display": "Clinical Focus"},
        "valueCodeableConcept": concept,
    }
