"""Re-export of the scoped views, now in ``core.ui.views``.

removed when monitoring imports core.ui"""

from core.ui.views import (  # noqa: F401
    EditMixin,
    RegionMixin,
    ScopedCreateView,
    ScopedDeleteView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
    crud_paths,
)
