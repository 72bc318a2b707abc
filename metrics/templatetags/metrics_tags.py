from django import template
from django.utils.formats import number_format
from django.utils.html import format_html

register = template.Library()


@register.filter
def change(value: float | None) -> str:
    """A relative change as "+12 %" / "−5 %" (HTML, coloured), or "" without a base."""
    if value is None:
        return ""
    percent = round(value * 100)
    sign = "+" if percent > 0 else ("−" if percent < 0 else "±")
    css = "change-up" if percent > 0 else ("change-down" if percent < 0 else "")
    return format_html('<span class="change {}">{}{}\u202f%</span>', css, sign, abs(percent))


@register.filter
def percent(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{round(value * 100)}\u202f%"


@register.filter
def decimal1(value: float | None) -> str:
    if value is None:
        return "—"
    return number_format(value, 1)
