from django.apps import AppConfig, apps
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _

# Apps whose rows no kept page shows (programs/page_cache.py): their writes renew nothing.
# Any other row that does not belong to one program renews every program's pages.
_NOT_ON_PAGES = {
    "admin",
    "background",
    "catalogue",
    "contenttypes",
    "django_tasks_database",
    "pdf",
    "sessions",
}


class ProgramsConfig(AppConfig):
    name = "pathways.programs"
    label = "programs"
    verbose_name = _("Forløbsprogrammer")

    def ready(self) -> None:
        # A changed generic model row (the admin; loaders add rows): the memoised
        # ModelData of data.py is stale.
        post_save.connect(_row_changed, dispatch_uid="programs-row-saved")
        post_delete.connect(_row_changed, dispatch_uid="programs-row-deleted")
        m2m_changed.connect(_links_changed, dispatch_uid="programs-links-changed")


def _row_changed(sender, instance=None, update_fields=None, **kwargs) -> None:
    if sender._meta.apps is not apps:  # a migration's historical model: no page is served yet
        return
    app_label = sender._meta.app_label
    if app_label == "generic_model":
        from pathways.programs.data import forget_model_data

        forget_model_data()
    if app_label in _NOT_ON_PAGES or update_fields == frozenset({"last_login"}):
        return
    from pathways.programs.page_cache import content_changed

    for program_id in _program_ids(sender, instance):
        content_changed(program_id)


def _links_changed(sender, instance=None, action="", **kwargs) -> None:
    if action.startswith("post_"):
        _row_changed(type(instance), instance=instance)


def _program_ids(model, instance) -> list[int | None]:
    """The programs whose pages show `instance`: [None] for every program."""
    from pathways.programs.models import Program

    if isinstance(instance, Program):
        return [instance.pk]
    ids = [
        getattr(instance, field.attname)
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is Program
    ]
    return [i for i in ids if i is not None] or [None]
