from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GenericModelConfig(AppConfig):
    name = "pathways.generic_model"
    label = "generic_model"
    verbose_name = _("Generisk model")
