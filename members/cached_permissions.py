"""Whether an account holds a permission, remembered across requests.

Profiled under load (bench/pages_load.py), asking Django whether a member is a content editor
was about a fifth of the resource pages a member reads: Django's ModelBackend reads the
account's own permissions and its groups' permissions (two queries, each costly to build) on
every request. The set of permissions is kept per account under a version that changes whenever
permissions, groups or group memberships change (signals below), so a new or removed editor
counts at once. Bulk changes (a data migration granting a permission) send no signals; a set
also expires after five minutes.

Whether the account is active or a superuser is read from the account itself, fresh each
request, as Django's own check does.
"""

from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete
from django.dispatch import receiver

from members.cache_versions import change_version, current_version
from members.models import User

VERSION_KEY = "auth:permissions-version"
PERMISSIONS_SECONDS = 5 * 60


def has_permission(user, permission: str) -> bool:
    """As `user.has_perm(permission)` without an object, from the cached set."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return permission in _permissions_of(user)


def _permissions_of(user) -> set[str]:
    # Kept on the account's object too: a page asks several times (a resource's page: may
    # they see it, edit it, review it?), and the object lives for one request (Django's own
    # backend keeps them on it the same way).
    permissions = getattr(user, "_cached_permissions", None)
    if permissions is not None:
        return permissions
    version = current_version(VERSION_KEY)
    key = f"auth:permissions:{user.pk}:{version}"
    permissions = cache.get(key)
    if permissions is None:
        permissions = user.get_all_permissions()  # through the backends, as has_perm asks
        cache.set(key, permissions, PERMISSIONS_SECONDS)
    user._cached_permissions = permissions
    return permissions


@receiver(m2m_changed, sender=User.groups.through)
@receiver(m2m_changed, sender=User.user_permissions.through)
@receiver(m2m_changed, sender=Group.permissions.through)
@receiver(post_delete, sender=Group)
@receiver(post_delete, sender=Permission)
def _permissions_changed(**kwargs):
    change_version(VERSION_KEY)
