from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from pathways.generic_model.loader import load_generic_model_file
from pathways.generic_model.models import AttentionPoint, ModelVersion
from pathways.generic_model.schema import ModelFileError
from pathways.programs.completeness import assess
from pathways.programs.data import load_program_data
from pathways.programs.models import Program


class Command(BaseCommand):
    help = _("Indlæser en version af den generiske model fra en YAML-fil (se fixtures/README.md).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help=_("stien til modelfilen"))

    def handle(self, *args: object, file: Path, **options: object) -> None:
        try:
            result = load_generic_model_file(file)
        except ModelFileError as error:
            count = len(error.problems)
            raise CommandError(
                _("Intet er indlæst; filen har %(count)d fejl:\n%(problems)s")
                % {"count": count, "problems": "\n".join(error.problems)}
            ) from None
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
