from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from pathways.pdf.render import draft_pdf
from pathways.versions.lookup import program_and_version


class Command(BaseCommand):
    help = (
        "Writes a program's PDF: the current draft, or a published version (--program-version 1.0)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help="the program's short code")
        # Not --version: that is Django's own flag (the command's Django version).
        parser.add_argument(
            "--program-version", dest="number", help="a published version, e.g. 1.0"
        )
        parser.add_argument("-o", "--output", type=Path, required=True, help="the PDF file")

    def handle(
        self, *args: object, code: str, number: str | None, output: Path, **options: object
    ) -> None:
        program, version = program_and_version(code, number)
        content = bytes(version.pdf) if version is not None else draft_pdf(program)
        output.write_bytes(content)
        self.stdout.write(self.style.SUCCESS(f"Wrote {output} ({len(content):,} bytes)."))
