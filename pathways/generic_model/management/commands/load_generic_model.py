from pathlib import Path

import yaml
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from pathways.generic_model.companion_loader import (
    CompanionLoadResult,
    is_companion_file,
    load_companion_file,
)
from pathways.generic_model.loader import load_generic_model_file
from pathways.generic_model.models import AttentionPoint, CompanionList, ModelVersion
from pathways.generic_model.schema import ModelFileError
from pathways.programs.completeness import assess
from pathways.programs.data import load_program_data
from pathways.programs.models import Program


class Command(BaseCommand):
    help = _(
        "Indlæser referencepublikationer fra YAML-filer: en version af den generiske model "
        "eller en ledsagende reference (se fixtures/README.md). Modellen før dens ledsagere."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path, help=_("stier til filerne"))

    def handle(self, *args: object, files: list[Path], **options: object) -> None:
        for file in files:
            if _is_companion(file):
                self._load_companion(file)
            else:
                self._load_model(file)

    def _load_companion(self, file: Path) -> None:
        try:
            result: CompanionLoadResult = load_companion_file(file)
        except ModelFileError as error:
            raise _refusal(error) from None
        companion = result.companion
        counts = ", ".join(
            f"{result.counts[name]} {str(label).lower()}"
            for name, label in CompanionList.choices
            if name in result.counts
        )
        if result.updated:
            self.stdout.write(
                self.style.SUCCESS(
                    _("Opdateret: %(name)s (%(version)s) — %(count)d rettelser:")
                    % {
                        "name": companion.name,
                        "version": companion.version,
                        "count": len(result.changes),
                    }
                )
            )
            for change in result.changes:
                self.stdout.write(f"  {change}")
        elif result.created:
            self.stdout.write(
                self.style.SUCCESS(
                    _("Indlæst: %(name)s (%(version)s) — %(counts)s.")
                    % {"name": companion.name, "version": companion.version, "counts": counts}
                )
            )
        else:
            self.stdout.write(
                _("Uændret: %(name)s (%(version)s) er allerede indlæst.")
                % {"name": companion.name, "version": companion.version}
            )

    def _load_model(self, file: Path) -> None:
        try:
            result = load_generic_model_file(file)
        except ModelFileError as error:
            raise _refusal(error) from None
        version = result.model_version
        if result.updated:
            self.stdout.write(
                self.style.SUCCESS(
                    _("Opdateret: %(name)s version %(version)s — %(count)d rettelser:")
                    % {
                        "name": version.name,
                        "version": version.version,
                        "count": len(result.changes),
                    }
                )
            )
            for change in result.changes:
                self.stdout.write(f"  {change}")
            refresh_program_summaries(version)
        elif not result.created:
            self.stdout.write(
                _("Uændret: %(name)s version %(version)s er allerede indlæst.")
                % {"name": version.name, "version": version.version}
            )
            return
        points = AttentionPoint.objects.filter(section__model_version=version).count()
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Indlæst: %(name)s version %(version)s — %(sections)d afsnit, "
                    "%(points)d opmærksomhedspunkter, %(actors)d aktørtyper, "
                    "%(resources)d videnskilder."
                )
                % {
                    "name": version.name,
                    "version": version.version,
                    "sections": version.sections.count(),
                    "points": points,
                    "actors": version.actor_types.count(),
                    "resources": version.resources.count(),
                }
            )
        )


def refresh_program_summaries(version: ModelVersion) -> None:
    """A corrected model can ask programs written against it something new (an added
    attention point or transition): renew the coverage the program lists show. Only the
    derived figures change; the programs' content and "last changed" stay as they were."""
    for program in version.programs.select_related("model_version"):
        report = assess(load_program_data(program))
        Program.objects.filter(pk=program.pk).update(
            coverage_percent=report.coverage_percent, gap_count=report.gap_count
        )


def _is_companion(file: Path) -> bool:
    """A companion file says so at its top; anything else is read as a model file (whose
    loader reports what is wrong with it)."""
    try:
        return is_companion_file(yaml.safe_load(file.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return False


def _refusal(error: ModelFileError) -> CommandError:
    return CommandError(
        _("Intet er indlæst; filen har %(count)d fejl:\n%(problems)s")
        % {"count": len(error.problems), "problems": "\n".join(error.problems)}
    )
