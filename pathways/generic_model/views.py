"""Read-only reference pages for the loaded generic model."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from pathways.generic_model import models as m
from pathways.generic_model.queries import model_overview, model_versions


@require_safe
def model_version_list(request: HttpRequest) -> HttpResponse:
    companions = m.CompanionVersion.objects.select_related("model_version")
    return render(
        request,
        "generic_model/version_list.html",
        {"versions": model_versions(), "companions": companions},
    )


@require_safe
def companion_detail(request: HttpRequest, slug: str, version: str) -> HttpResponse:
    companion = get_object_or_404(
        m.CompanionVersion.objects.select_related("model_version"), slug=slug, version=version
    )
    entries = companion.entries.select_related("same_as", "companion")
    lists = [
        (value, label, [e for e in entries if e.list_name == value])
        for value, label in m.CompanionList.choices
    ]
    return render(
        request,
        "generic_model/companion_detail.html",
        {"companion": companion, "lists": [item for item in lists if item[2]]},
    )


@require_safe
def model_version_detail(request: HttpRequest, slug: str, version: str) -> HttpResponse:
    overview = model_overview(slug=slug, version=version)
    return render(request, "generic_model/version_detail.html", {"overview": overview})
