"""Admin for every catalogue of the generic model (read and correct by staff)."""

from django.contrib import admin

from pathways.generic_model import models as m


class ReadOnlyTimestampsMixin:
    readonly_fields = ("content_hash", "source_file", "loaded_at")


@admin.register(m.ModelVersion)
class ModelVersionAdmin(ReadOnlyTimestampsMixin, admin.ModelAdmin):
    list_display = ("name", "version", "publisher", "publication_year", "loaded_at")
    search_fields = ("name", "slug", "version")


class GuidanceQuestionInline(admin.TabularInline):
    model = m.GuidanceQuestion
    extra = 0


class AttentionPointInline(admin.StackedInline):
    model = m.AttentionPoint
    extra = 0
    fields = ("position", "group", "title", "text", "actors")
    filter_horizontal = ("actors",)


@admin.register(m.Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ("number", "title", "kind", "step_role", "model_version")
    list_filter = ("model_version", "kind", "step_role")
    search_fields = ("number", "title", "summary")
    inlines = [GuidanceQuestionInline, AttentionPointInline]
    raw_id_fields = ("parent",)


@admin.register(m.AttentionPoint)
class AttentionPointAdmin(admin.ModelAdmin):
    list_display = ("reference", "title", "group", "section")
    list_filter = ("section__model_version", "section__kind")
    search_fields = ("title", "text", "section__number")
    filter_horizontal = ("actors",)
    list_select_related = ("section",)


@admin.register(m.ActorType)
class ActorTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "key", "sector", "is_role", "affected_by_reform_2024")
    list_filter = ("model_version", "sector", "is_role")
    search_fields = ("name", "key", "description")
    filter_horizontal = ("sections",)

    @admin.display(boolean=True, description="Sundhedsreform 2024")
    def affected_by_reform_2024(self, obj: m.ActorType) -> bool:
        return obj.affected_by_reform_2024


@admin.register(m.Criterion, m.Need, m.TargetGroupQuestion)
class KeyedTextAdmin(admin.ModelAdmin):
    list_display = ("title", "key", "section", "model_version")
    list_filter = ("model_version",)
    search_fields = ("title", "text")


@admin.register(m.CodeSystem)
class CodeSystemAdmin(admin.ModelAdmin):
    list_display = ("name", "key", "example", "model_version")
    list_filter = ("model_version",)


@admin.register(m.TargetGrouping)
class TargetGroupingAdmin(admin.ModelAdmin):
    list_display = ("title", "key", "model_version")
    list_filter = ("model_version",)
    search_fields = ("title", "description")


@admin.register(m.Transition)
class TransitionAdmin(admin.ModelAdmin):
    list_display = ("title", "section", "from_stage", "to_stage", "model_version")
    list_filter = ("model_version",)
    filter_horizontal = ("sending_actors", "receiving_actors")


@admin.register(m.Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ("name", "appendix", "kind", "url", "model_version")
    list_filter = ("model_version", "appendix", "kind")
    search_fields = ("name", "offers")


@admin.register(m.LegalReference)
class LegalReferenceAdmin(admin.ModelAdmin):
    list_display = ("law", "provision", "title", "model_version")
    list_filter = ("model_version", "law")
    filter_horizontal = ("sections",)
