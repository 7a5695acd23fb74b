"""Read-only reference pages for the loaded generic model."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from pathways.generic_model.queries import model_overview, model_versions


@require_safe
def model_version_list(request: HttpRequest) -> HttpResponse:
    return render(request, "generic_model/version_list.html", {"versions": model_versions()})


@require_safe
def model_version_detail(request: HttpRequest, slug: str, version: str) -> HttpResponse:
    overview = model_overview(slug=slug, version=version)
    return render(request, "generic_model/version_detail.html", {"overview": overview})
