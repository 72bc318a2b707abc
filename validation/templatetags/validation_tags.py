from django import template

from validation.services.transitions import state_label as _state_label

register = template.Library()


@register.filter
def state_label(value: str) -> str:
    """A Post.state value as people read it ("approved" → "Validée")."""
    return _state_label(value)


@register.filter
def network_label(key: str) -> str:
    """A network key as people read it ("x" → "X", "website" → its name)."""
    from validation.pages import network_name

    return network_name(key)
