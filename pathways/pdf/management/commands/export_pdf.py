from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pathways.pdf.render import draft_pdf
from pathways.programs.models import Program
from pathways.versions.models import ProgramVersion


class Command(BaseCommand):
    help = (
        "Writes a program's PDF: the current draft, or a published version "
        "(--program-version 1.0)."
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
        program = Program.objects.filter(code=code).first()
        if program is None:
            raise CommandError(f"No program has the short code {code!r}.")
        if number:
            version = ProgramVersion.numbered(program, number).first()
            if version is None:
                raise CommandError(f"{program.code} has no published version {number!r}.")
            content = bytes(version.pdf)
        else:
            content = draft_pdf(program)
        output.write_bytes(content)
        self.stdout.write(self.style.SUCCESS(f"Wrote {output} ({len(content):,} bytes)."))
