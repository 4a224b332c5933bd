from django import template

from core.ui import history

register = template.Library()


@register.filter
def model_label(obj) -> str:
    """``app_label.model_name`` of a model instance (for history links)."""
    return obj._meta.label_lower


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def audit_action(entry) -> str:
    """An audit entry's action in words ('gewijzigd'), not auditlog's English 'update'."""
    return history.action_label(entry.action)


@register.filter
def audit_changes(entry) -> list:
    """An audit entry's changes as ``Change(label, old, new)``, no primary key, no 'None'."""
    return history.changes(entry)
