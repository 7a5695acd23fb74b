from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pathways.programs import exchange
from pathways.versions.lookup import program_and_version


class Command(BaseCommand):
    help = (
        "Writes a program as its JSON program document: the current draft, or a published "
        "version (--program-version 1.0)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help="the program's short code")
        # Not --version: that is Django's own flag (the command's Django version).
        parser.add_argument(
            "--program-version", dest="number", help="a published version, e.g. 1.0"
        )
        parser.add_argument("-o", "--output", type=Path, required=True, help="the JSON file")

    def handle(
        self, *args: object, code: str, number: str | None, output: Path, **options: object
    ) -> None:
        program, version = program_and_version(code, number)
        if version is None:
            document = exchange.export_document(program)
        elif version.document:
            document = version.document
        else:
            raise CommandError(
                f"{program.code} {number} was published before program documents were "
                "stored; export the draft instead."
            )
        output.write_text(exchange.dumps(document), encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Wrote {output}."))
