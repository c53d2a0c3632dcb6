import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateFileStorage(FileSystemStorage):
    """Files under FAO_PRIVATE_ROOT, read from the settings at each use (so a test or a
    deployment that changes the setting is honoured); no URL, as nothing here is public."""

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return str(settings.FAO_PRIVATE_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)


def private_storage():
    """Uploaded import files and their error reports: never under MEDIA_ROOT, never served
    except through the permission-checked views of the import pages."""
    return PrivateFileStorage()
