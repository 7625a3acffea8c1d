"""Static file storages that remember the URLs they hand out.

Every page's base template asks for five static URLs, and each answer costs
a manifest lookup, quoting and a urljoin (about 40 µs together, a few
percent of a catalogue page). Neither the manifest nor STATIC_URL changes
while a process runs (a settings change in tests makes a new storage), so
each name's URL is worked out once per process.
"""

from __future__ import annotations

from django.contrib.staticfiles.storage import StaticFilesStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage


class RememberedURLs:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._remembered_urls: dict[str, str] = {}

    def url(self, name: str | None, force: bool = False) -> str:
        if force or name is None:
            return super().url(name, force)  # type: ignore[misc]
        url = self._remembered_urls.get(name)
        if url is None:
            url = self._remembered_urls[name] = super().url(name)  # type: ignore[misc]
        return url


class StaticStorage(RememberedURLs, StaticFilesStorage):
    """Development and tests: files straight from the source folders."""


class ManifestStaticStorage(RememberedURLs, CompressedManifestStaticFilesStorage):
    """Production: hashed, compressed files; the URL of a missing file still raises."""
