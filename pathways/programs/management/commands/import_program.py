from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pathways.programs import exchange


class Command(BaseCommand):
    help = (
        "Creates a new draft program from a JSON program document (export_program's output). "
        "Prints the new program's short code on the last line."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the JSON file")
        parser.add_argument(
            "--user",
            default="planlaegger",
            help="username of the editor who owns the new program (default: planlaegger)",
        )

    def handle(self, *args: object, file: Path, user: str, **options: object) -> None:
        owner = get_user_model().objects.filter(username=user, is_active=True).first()
        if owner is None:
            raise CommandError(f"No active user {user!r}.")
        try:
            raw = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        try:
            program = exchange.import_document(user=owner, raw=raw, source=file.name)
        except exchange.ImportRefused as error:
            raise CommandError(f"{file}: {error}") from None
        self.stdout.write(f"Imported {file} as a draft owned by {owner.get_username()}:")
        self.stdout.write(program.code)
