"""The code systems and extensions the FHIR export names, and how a stored diagnosis code
becomes FHIR codings.

External systems use the URIs HL7 Terminology (THO) and the Danish FHIR guides publish
(see README, "FHIR (PlanDefinition)"); what only this application defines lives under its
own address (settings.SITE_URL), so it is never mistaken for a standard.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings

from pathways.programs.codes import international_form, normalise

ICD10_WHO = "http://hl7.org/fhir/sid/icd-10"
# Sundhedsvæsenets Klassifikations System, as MedCom and the Danish eHealth Infrastructure
# name it: the stored "DQ992" is an SKS code.
SKS = "urn:oid:1.2.208.176.2.4"
# THO's preferred URI for the Orphanet nomenclature (NamingSystem "orphanet").
ORPHANET = "https://www.orpha.net"
# HL7's URI for OMIM (OID 2.16.840.1.113883.6.174); THO has no NamingSystem for it yet.
OMIM = "http://www.omim.org"
ICPC2 = "http://hl7.org/fhir/sid/icpc-2"
ISO_3166 = "urn:iso:std:iso:3166"
ISO_3166_2 = "urn:iso:std:iso:3166:-2"
USAGE_CONTEXT_TYPE = "http://terminology.hl7.org/CodeSystem/usage-context-type"
PLAN_DEFINITION_TYPE = "http://terminology.hl7.org/CodeSystem/plan-definition-type"
RESOURCE_TYPES = "http://hl7.org/fhir/resource-types"
URI = "urn:ietf:rfc:3986"
# R5's PlanDefinition.action.participant.typeReference and .type, for use in R4/R4B: the
# HL7 cross-version extensions (package hl7.fhir.uv.xver-r5.r4). R4B's participant has no
# reference to who takes part, and no "organization" type.
PARTICIPANT_REFERENCE = (
    "http://hl7.org/fhir/5.0/StructureDefinition/extension-PlanDefinition.action.participant"
    ".typeReference"
)
PARTICIPANT_TYPE_R5 = (
    "http://hl7.org/fhir/5.0/StructureDefinition/extension-PlanDefinition.action.participant.type"
)

# The Danish regions' ISO 3166-2 subdivision codes; a region without one (Region
# Østdanmark, from 2027) is named in text only.
REGION_SUBDIVISIONS = {
    "nordjylland": "DK-81",
    "midtjylland": "DK-82",
    "syddanmark": "DK-83",
    "hovedstaden": "DK-84",
    "sjaelland": "DK-85",
}


def own(path: str) -> str:
    """A URI this application defines (an extension, a code system), under its address."""
    return f"{settings.SITE_URL}/fhir/{path}"


def next_review_extension() -> str:
    # Neither R4 nor R5 has a next review date, and HL7 defines no extension for one.
    return own("StructureDefinition/next-review-date")


def point_status_extension() -> str:
    return own("StructureDefinition/attention-point-status")


def point_status_system() -> str:
    return own("CodeSystem/attention-point-status")


def participant_role_system() -> str:
    return own("CodeSystem/participant-role")


def diagnosis_codings(system: str, code: str, label: str) -> list[dict[str, Any]]:
    """One diagnosis code of the program document as FHIR codings of the same concept:
    ICD-10 in WHO form and, beside it, the stored SKS form; ORPHA without its prefix;
    OMIM without the entry-type sign. A system this export does not know gives none (the
    caller keeps the code in text)."""
    stored = normalise(system, code)
    display = {"display": label} if label else {}
    if system == "icd-10":
        who = international_form(system, stored)
        codings = [{"system": ICD10_WHO, "code": who, **display}] if who else []
        return [*codings, {"system": SKS, "code": stored, **display}]
    if system == "orpha":
        number = stored.removeprefix("ORPHA:")
        found = re.fullmatch(r"[0-9]{1,7}", number)
        return [{"system": ORPHANET, "code": number, **display}] if found else []
    if system == "omim":
        number = stored.lstrip("#%")
        found = re.fullmatch(r"[0-9]{6}", number)
        return [{"system": OMIM, "code": number, **display}] if found else []
    if system == "icpc-2":
        return [{"system": ICPC2, "code": stored, **display}]
    return []
