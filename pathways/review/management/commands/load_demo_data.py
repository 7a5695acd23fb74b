"""`make start`'s demo: accounts, the complete example program, and its published 1.0.

It lives in the review app because publishing goes through review and versions services.
"""

from pathlib import Path

import yaml
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
from pathways.programs.services import ServiceError
from pathways.review.demo_publication import publish_demo_program

DEFAULT_FILE = Path(settings.BASE_DIR) / "fixtures" / "demo" / "nordjylland-udviklingshaemning.yaml"


class Command(BaseCommand):
    help = (
        "Creates demo accounts and the complete example program, published as version 1.0 "
        "when its file has a publication block (development only)."
    )

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
        publication = yaml.safe_load(file.read_text(encoding="utf-8")).get("publication")
        # Assessed before publishing: a published program is no longer a draft with gaps.
        report = assess(load_program_data(program))
        try:
            version = publish_demo_program(program, publication) if publication else None
        except (DemoDataError, ServiceError) as error:
            raise CommandError(f"Could not publish the demo program: {error}") from None
        verb = "Created" if created else "Unchanged"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb}: demo program '{program.title}' ({program.code}), "
                f"coverage {report.coverage_percent} %, {report.gap_count} gaps."
            )
        )
        if version is not None:
            self.stdout.write(f"Published version {version.number} of the demo program.")
        names = ", ".join(u.username for u in DEMO_USERS)
        self.stdout.write(f"Demo accounts: {names} (password: {DEMO_PASSWORD})")
