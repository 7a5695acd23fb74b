from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from pathways.generic_model.loader import load_generic_model_file
from pathways.generic_model.models import AttentionPoint
from pathways.generic_model.schema import ModelFileError


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
        if not result.created:
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
