from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pathways.review.contacts_file import ContactsFileError, load_contacts_file


class Command(BaseCommand):
    help = (
        "Indlæser kontaktpersoner hos høringsparter fra en YAML-fil (se fixtures/README.md); "
        "intet skrives, hvis filen har fejl."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: object, file: Path, **options: object) -> None:
        try:
            result = load_contacts_file(file)
        except ContactsFileError as error:
            raise CommandError(
                f"Intet er indlæst; filen har {len(error.problems)} fejl:\n"
                + "\n".join(error.problems)
            ) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.people} kontaktpersoner hos {result.organisations} organisationer "
                f"({result.added} nye)."
            )
        )
