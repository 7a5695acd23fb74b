from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "pathways.catalogue"
    label = "catalogue"
    verbose_name = _("Katalog")

    def ready(self) -> None:
        from pathways.catalogue.indexing import version_published

        # A signal, so the versions app below never imports the catalogue above it.
        post_save.connect(
            version_published,
            sender="versions.ProgramVersion",
            dispatch_uid="catalogue.version_published",
        )
