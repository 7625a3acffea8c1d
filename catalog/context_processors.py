"""Template context every page may use, computed only when a template asks."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from catalog.versioning import current_version


def catalogue(request: HttpRequest) -> dict[str, object]:
    """`catalogue_stamp` keys fragment caches (tool cards) to the catalogue version.

    Lazy: pages that cache nothing never read it; anonymous requests reuse the
    version their conditional-GET check already read.
    """
    return {"catalogue_stamp": SimpleLazyObject(lambda: current_version().stamp)}
