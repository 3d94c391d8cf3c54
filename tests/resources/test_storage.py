"""Uploaded files live in private storage, out of reach of any URL."""

import pytest

from tests.resources.factories import ResourceFactory, with_file

pytestmark = pytest.mark.django_db


def test_private_files_have_no_url():
    resource = with_file(ResourceFactory())
    with pytest.raises(ValueError, match="no URL"):
        _ = resource.file.url
