from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members")

    def ready(self):
        # Two libraries speak through signals; each receiver only hands over to a service.
        from allauth.account.signals import email_changed
        from anymail.signals import tracking

        from members import cached_permissions, versions, webhooks  # noqa: F401 -- receivers

        tracking.connect(webhooks.tracking_received, dispatch_uid="members.tracking")
        email_changed.connect(webhooks.email_changed_received, dispatch_uid="members.email")
