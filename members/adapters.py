from allauth.account.adapter import DefaultAccountAdapter

from members.services.engagement import engagement_record
from members.services.joining import (
    member_activate_on_verification,
    member_register,
    normalise_email,
)


class AccountAdapter(DefaultAccountAdapter):
    """Ties allauth's account flow to the community record."""

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
