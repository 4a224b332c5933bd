"""Scope checks: which groups of endpoints a client may use. What it sees there is decided by
``core.scoping`` (``visible_to``), as for a user."""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

SAFE_METHODS = permissions.SAFE_METHODS


class HasClientScope(permissions.BasePermission):
    """A client authenticated with a key that holds the view's scope.

    ``view.read_scope``: the scope needed for GET/HEAD/OPTIONS (``None``: any client);
    ``view.write_scope``: the scope needed for other methods (``None``: no writing at all)."""

    message = _("Deze client heeft niet de scope die dit endpoint vraagt.")

    def has_permission(self, request, view):
        client = request.user
        if not getattr(client, "is_authenticated", False) or request.auth is None:
            return False
        if not hasattr(client, "has_scope"):
            return False  # a browser session is no API client
        if request.method in SAFE_METHODS:
            needed = getattr(view, "read_scope", None)
            if needed is None:
                return True
        else:
            needed = getattr(view, "write_scope", None)
            if needed is None:
                return False
        if client.has_scope(needed):
            return True
        self.message = _("Deze client mist de scope '%(scope)s'.") % {"scope": needed}
        return False
