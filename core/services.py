"""Generic write for model forms whose app has no service of its own yet.

The scoped create/update/delete views (``core.ui.views``) call the app's service named in
``create_service``/``update_service``/``delete_service``; a view that names none saves the
form's already validated instance here, in one transaction (django-auditlog records it)."""

from collections.abc import Iterable, Mapping

from django.db import models, transaction


@transaction.atomic
def instance_save(
    *, instance: models.Model, many_to_many: Mapping[str, Iterable] | None = None
) -> models.Model:
    instance.save()
    for name, values in (many_to_many or {}).items():
        getattr(instance, name).set(values)
    return instance


@transaction.atomic
def instance_delete(*, instance: models.Model) -> None:
    """Raises ``ProtectedError`` while anything still refers to the instance."""
    instance.delete()
