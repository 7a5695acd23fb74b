from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pathways.programs import exchange
from pathways.programs.models import Program


class Command(BaseCommand):
    help = (
        "Writes a program as its JSON program document: the current draft, or a published "
        "version (--program-version 1.0)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help="the program's short code")
        parser.add_argument(
            "--program-version", dest="number", help="a published version, e.g. 1.0"
        )
        parser.add_argument("-o", "--output", type=Path, required=True, help="the JSON file")

    def handle(
        self, *args: object, code: str, number: str | None, output: Path, **options: object
    ) -> None:
        program = Program.objects.filter(code=code).first()
        if program is None:
            raise CommandError(f"No program has the short code {code!r}.")
        if number:
            from pathways.versions.models import ProgramVersion

            version = ProgramVersion.numbered(program, number).first()
            if version is None:
                raise CommandError(f"{program.code} has no published version {number!r}.")
            if not version.document:
                raise CommandError(
                    f"{program.code} {number} was published before program documents were "
                    "stored; export the draft instead."
                )
            document = version.document
        else:
            document = exchange.export_document(program)
        output.write_text(exchange.dumps(document), encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Wrote {output}."))
