from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "pathways.programs"
    label = "programs"
    verbose_name = _("Forløbsprogrammer")

    def ready(self) -> None:
        # A changed generic model row (the admin; loaders add rows): the memoised
        # ModelData of data.py is stale.
        post_save.connect(_model_row_changed, dispatch_uid="programs-model-data-saved")
        post_delete.connect(_model_row_changed, dispatch_uid="programs-model-data-deleted")


def _model_row_changed(sender, **kwargs) -> None:
    if sender._meta.app_label == "generic_model":
        from pathways.programs.data import forget_model_data

        forget_model_data()
