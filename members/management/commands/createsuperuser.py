"""Django's createsuperuser, plus what makes the account usable at once: a verified address
(email verification is mandatory for everyone else) and a community record."""

from django.contrib.auth.management.commands import createsuperuser

from members.models import User
from members.services.joining import operator_account_prepare


class Command(createsuperuser.Command):
    def handle(self, *args, **options):
        users = User.objects.db_manager(options["database"])
        before = set(users.filter(is_superuser=True).values_list("pk", flat=True))
        super().handle(*args, **options)
        for user in users.filter(is_superuser=True).exclude(pk__in=before):
            operator_account_prepare(user=user)
            if options["verbosity"] >= 1:
                self.stdout.write(
                    f"{user.email} can log in now at /accounts/login/ and /admin/ "
                    "(its address counts as verified)."
                )
