from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from pathways.backup.dump import backup_document
from pathways.backup.format import dumps


class Command(BaseCommand):
    help = (
        "Writes every program as one JSON backup (format forloebsprogrammer-backup): content, "
        "members, step revisions, published versions with their PDFs, review rounds, "
        "comments, audit log, derivations and readers' feedback. People are written by "
        "username, name, e-mail and groups, never with their password. Read it back with "
        "restore_programs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "-o", "--output", type=Path, help="the JSON file (default: standard output)"
        )

    def handle(self, *args: object, output: Path | None, **options: object) -> None:
        text = dumps(backup_document())
        if output is None:
            self.stdout.write(text, ending="")
            return
        output.write_text(text, encoding="utf-8")
        self.stderr.write(f"Backup written to {output}.")
