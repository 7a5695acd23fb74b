from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from pathways.programs.region_file import RegionFileError, load_region_file

DEFAULT_FILE = Path(settings.BASE_DIR) / "fixtures" / "regions" / "danmark.yaml"


class Command(BaseCommand):
    help = _(
        "Indlæser regioner og godkendende organer med deres gyldighedsperioder fra en "
        "YAML-fil (se fixtures/README.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", nargs="?", type=Path, default=DEFAULT_FILE, help=_("stien til filen")
        )

    def handle(self, *args: object, file: Path, **options: object) -> None:
        try:
            result = load_region_file(file)
        except RegionFileError as error:
            raise CommandError(
                _("Intet er indlæst; filen har %(count)d fejl:\n%(problems)s")
                % {"count": len(error.problems), "problems": "\n".join(error.problems)}
            ) from None
        counts = {"regions": result.regions, "bodies": result.bodies}
        if result.changed:
            message = _("Indlæst: %(regions)d regioner og %(bodies)d godkendende organer.")
            self.stdout.write(self.style.SUCCESS(message % counts))
        else:
            message = _("Uændret: %(regions)d regioner og %(bodies)d godkendende organer.")
            self.stdout.write(message % counts)
