from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from pathways import health
from pathways.programs import formatting
from pathways.security.login import RateLimitedLoginView

urlpatterns = [
    path("", TemplateView.as_view(template_name="home.html"), name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("katalog/", include("pathways.catalogue.urls")),
    path("model/", include("pathways.generic_model.urls")),
    path("formatering/", formatting.formatting_help, name="formatting_help"),
    path(
        "formatering/forhaandsvisning/",
        formatting.formatting_preview,
        name="formatting_preview",
    ),
    path("programmer/", include("pathways.programs.urls")),
    path("programmer/", include("pathways.pdf.urls")),
    path("programmer/", include("pathways.word.urls")),
    path("programmer/", include("pathways.versions.urls")),
    path("programmer/", include("pathways.review.urls")),
    path("programmer/", include("pathways.derivation.urls")),
    path("", include("pathways.review.public_urls")),
    path("", include("pathways.fhir.urls")),
    path("", include("pathways.public.urls")),
    path("konto/login/", RateLimitedLoginView.as_view(), name="login"),
    path("konto/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

# Shows the request id that the log records with the error (Django's default shows none).
handler500 = "pathways.observability.server_error"
