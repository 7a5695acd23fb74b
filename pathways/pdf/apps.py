from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PdfConfig(AppConfig):
    name = "pathways.pdf"
    label = "pdf"
    verbose_name = _("PDF-eksport")
