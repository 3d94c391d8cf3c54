from django.core.management.base import BaseCommand

from surveys.checkins import checkin_round_run


class Command(BaseCommand):
    help = "Run this round's check-ins now (the same code Celery beat runs daily)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="say who is due; write and send nothing"
        )

    def handle(self, *args, dry_run, **options):
        def progress(done, total):
            self.stdout.write(f"  emails prepared: {done}/{total}")

        report = checkin_round_run(dry_run=dry_run, progress=progress)
        if report.survey is None:
            self.stdout.write(
                self.style.WARNING(
                    "No check-in survey is open: copy the “Community check-in (template)” "
                    "survey in the admin, then set the draft to scheduled with dates that "
                    "include today."
                )
            )
            return
        self.stdout.write(f"Round {report.round} of “{report.survey}”: {report.due} people due.")
        if dry_run:
            self.stdout.write("Dry run: nothing was written or sent.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Invited {report.invited}; {report.queued} emails queued for the workers."
            )
        )
