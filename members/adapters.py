from urllib.parse import quote

from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language

from members.links import absolute_reverse, absolute_url
from members.models import Member
from members.outbox.account import account_email_context, account_email_queue
from members.outbox.render import email_language
from members.services.engagement import engagement_record
from members.services.joining import (
    member_activate_on_verification,
    member_register,
    normalise_email,
)


class AccountAdapter(DefaultAccountAdapter):
    """Ties allauth's account flow to the community record, and its emails to the outbox."""

    # Emails: rendered from the community's templates (templates/account/email/), with links
    # from SITE_URL like every other email, and sent through the outbox's fast lane.

    def render_mail(self, template_prefix, email, context, headers=None):
        # The address of a community record gets the member's language, like every other
        # email to them ("an account already exists" may reach them from someone else's
        # page); a new address, the language of the page the person is using.
        member = Member.objects.filter(email__iexact=email).only("language").first()
        language = email_language(member=member) if member is not None else get_language()
        with translation.override(language):
            context = {**account_email_context(), **context}
            return super().render_mail(template_prefix, email, context, headers=headers)

    def send_mail(self, template_prefix, email, context):
        context = {"email": email, **context}
        if "signup_url" in context:  # allauth builds it from the request's host
            context["signup_url"] = absolute_reverse("account_signup")
        message = self.render_mail(template_prefix, email, context)
        account_email_queue(message=message, template_prefix=template_prefix)

    def get_email_confirmation_url(self, request, emailconfirmation):
        return absolute_reverse("account_confirm_email", emailconfirmation.key)

    def get_reset_password_from_key_url(self, key):
        # allauth's own way of putting its opaque key into the URL, on SITE_URL.
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return absolute_url(path.replace("UID-KEY", quote(key)))

    def send_account_already_exists_mail(self, email):
        context = {
            "signup_url": absolute_reverse("account_signup"),
            "password_reset_url": absolute_reverse("account_reset_password"),
        }
        self.send_mail("account/email/account_already_exists", email, context)

    def format_email_subject(self, subject):
        # The subjects name the community themselves, like every other email's.
        return subject

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.email = normalise_email(user.email)
        data = form.cleaned_data
        user.first_name, _, user.last_name = data["full_name"].partition(" ")
        user.first_name = user.first_name[:150]
        user.last_name = user.last_name[:150]
        if commit:
            user.save()
            member_register(
                user=user,
                full_name=data["full_name"],
                sector=data["sector"],
                organisation=data.get("organisation", ""),
                job_title=data.get("job_title", ""),
                # The language they signed up in is the one their emails will be in.
                language=get_language(),
            )
        return user

    def confirm_email(self, request, email_address):
        confirmed = super().confirm_email(request, email_address)
        # Only the account's own address makes the person a member; a secondary address does not.
        if confirmed and email_address.user.email.lower() == email_address.email.lower():
            member_activate_on_verification(user=email_address.user)
        return confirmed

    def login(self, request, user):
        super().login(request, user)
        # Logging in counts as taking part (and clears any attrition risk).
        member = getattr(user, "member", None)
        if member is not None:
            engagement_record(member=member, kind="login", source="login")
