from django.core.management.base import BaseCommand, CommandError

from pathways.catalogue.indexing import rebuild


class Command(BaseCommand):
    help = (
        "Writes the national catalogue again: one row per program with a published version, "
        "from its newest version's stored document."
    )

    def handle(self, *args: object, **options: object) -> None:
        written, failed = rebuild()
        self.stdout.write(self.style.SUCCESS(f"{written} catalogue rows written."))
        if failed:
            raise CommandError("Not indexed: " + "; ".join(failed))
