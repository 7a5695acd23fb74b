from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pathways.programs.completeness import assess
from pathways.programs.data import load_program_data
from pathways.programs.demo import (
    DEMO_PASSWORD,
    DEMO_USERS,
    DemoDataError,
    load_demo_program,
)

DEFAULT_FILE = Path(settings.BASE_DIR) / "fixtures" / "demo" / "nordjylland-udviklingshaemning.yaml"


class Command(BaseCommand):
    help = "Creates demo accounts and the complete example program (development only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", type=Path, default=DEFAULT_FILE)
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="load even with DEBUG off (accounts with a known password)",
        )

    def handle(self, *args: object, file: Path, allow_production: bool, **options: object):
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "Demo accounts have a published password; refusing with "
                "DEBUG off (use --allow-production to insist)."
            )
        try:
            program, created = load_demo_program(file)
        except (DemoDataError, FileNotFoundError) as error:
            raise CommandError(str(error)) from None
        report = assess(load_program_data(program))
        verb = "Created" if created else "Unchanged"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb}: demo program '{program.title}' ({program.code}), "
                f"coverage {report.coverage_percent} %, {report.gap_count} gaps."
            )
        )
        names = ", ".join(u.username for u in DEMO_USERS)
        self.stdout.write(f"Demo accounts: {names} (password: {DEMO_PASSWORD})")
