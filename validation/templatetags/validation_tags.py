from django import template

from validation.services.transitions import state_label as _state_label

register = template.Library()


@register.filter
def state_label(value: str) -> str:
    """A Post.state value as people read it ("approved" → "Validée")."""
    return _state_label(value)
