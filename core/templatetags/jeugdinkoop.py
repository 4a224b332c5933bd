from django import template

register = template.Library()


@register.filter
def model_label(obj) -> str:
    """``app_label.model_name`` of a model instance (for history links)."""
    return obj._meta.label_lower


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
