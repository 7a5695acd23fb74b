"""The public FHIR export of a published version (no sign-in: published programs are
public, and only a version's stored document is read)."""

from __future__ import annotations

import json

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from pathways.fhir.plan_definition import FHIR_VERSION, version_bundle
from pathways.programs.models import Program
from pathways.versions.models import ProgramVersion

# FHIR's media type, with the version as FHIR's http page defines the parameter ("4.3" is
# R4B; the content is valid R4 as well).
CONTENT_TYPE = "application/fhir+json; charset=utf-8; fhirVersion=" + ".".join(
    FHIR_VERSION.split(".")[:2]
)


@require_safe
def version_fhir(request: HttpRequest, code: str, number: str) -> HttpResponse:
    program = Program.objects.filter(code=code).only("pk", "code").first()
    version = ProgramVersion.numbered(program, number).defer("pdf").first() if program else None
    if version is None or not version.document:
        raise Http404("No such published version.")
    body = json.dumps(version_bundle(version), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type=CONTENT_TYPE)
    response["X-Content-Type-Options"] = "nosniff"
    return response
