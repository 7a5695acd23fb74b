from django.apps import AppConfig


class BackgroundConfig(AppConfig):
    name = "pathways.background"
    verbose_name = "Baggrundsopgaver"
