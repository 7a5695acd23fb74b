from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from pathways.backup.format import BackupRefused
from pathways.backup.restore import restore


class Command(BaseCommand):
    help = (
        "Reads a backup written by dump_programs into a database that has no programs yet: "
        "all of it or nothing. The generic model versions and regions it names must be "
        "loaded first (load_generic_model, load_regions). Accounts that do not exist are "
        "created without a usable password: their owners set a new one with 'Glemt "
        "adgangskode' (the backup holds no passwords). Personal consultation links sent "
        "before the backup no longer work; re-issue them from the round page."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the JSON backup")

    def handle(self, *args: object, file: Path, **options: object) -> None:
        try:
            raw = file.read_bytes()
        except OSError as error:
            raise CommandError(
                _("Kan ikke læse %(file)s: %(problem)s") % {"file": file, "problem": error.strerror}
            ) from None
        try:
            result = restore(raw)
        except BackupRefused as error:
            raise CommandError(_("Intet er indlæst. %(problem)s") % {"problem": error}) from None
        for line in result.programs:
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(
                _("%(programs)d programmer indlæst; %(users)d brugere oprettet uden adgangskode.")
                % {"programs": len(result.programs), "users": result.users_created}
            )
        )
        if result.catalogue_failures:
            self.stderr.write(
                _("Ikke med i kataloget: %(which)s")
                % {"which": "; ".join(result.catalogue_failures)}
            )
