from django.core.management.base import BaseCommand

from pathways.review.rounds import send_reminders


class Command(BaseCommand):
    help = (
        "Minder de høringsparter, der ikke har svaret, om fristen (én gang pr. runde, "
        "CONSULTATION_REMINDER_DAYS dage før). Køres dagligt af en planlægger (cron, systemd)."
    )

    def handle(self, *args: object, **options: object) -> None:
        reminded = send_reminders()
        self.stdout.write(f"{reminded} høringsparter har fået en påmindelse.")
