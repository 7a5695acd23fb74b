from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from pathways.pdf.jobs import draft_pdf_now, render_version_now
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
        # The draft as the site serves it (kept, or rendered and kept); a version's PDF
        # rendered now if the task worker has not stored it yet.
        content = draft_pdf_now(program) if version is None else render_version_now(version)
        output.write_bytes(content)
        self.stdout.write(self.style.SUCCESS(f"Wrote {output} ({len(content):,} bytes)."))
