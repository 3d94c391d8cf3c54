"""Where uploaded resources are kept: a private folder that no URL serves.

Members-only files must give a visitor nothing, so files are only ever sent by the download
view after it has checked who is asking.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """A FileSystemStorage rooted at settings.PRIVATE_MEDIA_ROOT, read on every use (so tests and
    deployments can move it), and without public URLs."""

    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private files have no URL: link to the resource's download view.")


_private_storage = PrivateStorage()


def private_storage() -> PrivateStorage:
    # A callable, so migrations record where the storage comes from rather than its settings.
    return _private_storage
