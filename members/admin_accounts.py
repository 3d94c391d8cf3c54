"""allauth's email-address admin, with its one action declaring the permission it needs.

allauth's "Mark selected email addresses as verified" declares none, so Django offers it to
anyone who may view the list: a view-only helper could verify an address for an account that
does not own it, and the signup's details would then be linked to a member record
(members/services/joining.py). Marking verified is a change: it needs the change permission.
"""

from allauth.account import admin as allauth_admin  # registers allauth's admin first
from allauth.account.models import EmailAddress
from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class EmailAddressAdmin(allauth_admin.EmailAddressAdmin):
    @admin.action(
        permissions=["change"], description=_("Mark selected email addresses as verified")
    )
    def make_verified(self, request, queryset):
        super().make_verified(request, queryset)


admin.site.unregister(EmailAddress)
admin.site.register(EmailAddress, EmailAddressAdmin)
