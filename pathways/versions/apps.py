from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VersionsConfig(AppConfig):
    name = "pathways.versions"
    label = "versions"
    verbose_name = _("Versioner")
