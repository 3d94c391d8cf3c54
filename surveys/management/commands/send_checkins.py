from django.core.management.base import BaseCommand

from surveys.services.checkins import checkins_daily_run


class Command(BaseCommand):
    help = (
        "Run today's check-ins now: re-engagement for members at risk, then this round's "
        "check-in (the same code Celery beat runs daily)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="say who is due; write and send nothing"
        )

    def handle(self, *args, dry_run, **options):
        def progress(done, total):
            self.stdout.write(f"  people scheduled: {done}/{total}")

        daily = checkins_daily_run(dry_run=dry_run, progress=progress)
        report = daily.round
        at_risk = daily.attrition["invited"]
        if dry_run:
            self.stdout.write(f"Re-engagement check-ins due: {at_risk}.")
        else:
            self.stdout.write(
                f"Re-engagement check-ins sent: {at_risk}; "
                f"lapsed after no answer: {daily.attrition['lapsed']}."
            )
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
        if report.handed_over:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Handed {report.handed_over} people to the workers, who invite them and "
                    "queue their emails."
                )
            )
        if report.invited or not report.handed_over:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Invited {report.invited}; {report.queued} emails queued for the workers."
                )
            )
