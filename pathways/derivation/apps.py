from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DerivationConfig(AppConfig):
    name = "pathways.derivation"
    label = "derivation"
    verbose_name = _("Brug som udgangspunkt")

    def ready(self) -> None:
        from pathways.derivation import receivers  # noqa: F401 - connects the receivers
