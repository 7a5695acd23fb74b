from django.apps import AppConfig
from django.db.models.signals import post_migrate


def create_cache_table(using: str = "default", **kwargs) -> None:
    """The database cache's table, made wherever `migrate` runs (it is no model, so no
    migration makes it); also after switching from Redis to the database cache later."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class BackgroundConfig(AppConfig):
    name = "pathways.background"
    verbose_name = "Baggrundsopgaver"

    def ready(self) -> None:
        post_migrate.connect(create_cache_table, sender=self, dispatch_uid="create_cache_table")
