"""Messages the network clients give people (an error's words), in the reader's language.

A client's error is raised in a Celery worker and read later, by someone else, in the
page of a publication or an account, maybe in English. So a message is not translated
where it is made: it is a `Message`, a `str` holding the French text (what logs and
older code see) that also keeps its gettext msgid and its parameters. Whoever stores
it keeps `as_data(message)` (a small JSON-able dict) next to the French text, and the
page shows `render(data, fallback=text)`: the msgid translated in the reader's language
at display. The network's own words (LinkedIn's "Content is a duplicate…") are a
parameter, shown as the network wrote them.

    raise AuthError(Message(_("{network} : le compte n'a pas de jeton d'accès."),
                            network="LinkedIn"))

Msgids use `{name}` fields (str.format) and are marked with `gettext_noop` (here `_`),
so they are found by makemessages and translated only when shown. A parameter may
itself be a Message (translated with its parent).
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import lazy
from django.utils.translation import gettext


class Message(str):
    """French text that knows its msgid and parameters (see the module docstring)."""

    msgid: str
    params: dict[str, Any]

    def __new__(cls, msgid: str, **params: Any) -> Message:
        made = super().__new__(cls, _format(msgid, params, translate=False))
        made.msgid = msgid
        made.params = params
        return made

    def translated(self) -> str:
        """The message in the active language."""
        return _format(self.msgid, self.params, translate=True)

    def data(self) -> dict[str, Any]:
        return {"msgid": self.msgid, "params": {k: _data(v) for k, v in self.params.items()}}

    def __reduce__(self):  # pickling (Celery results, caches) keeps msgid and params
        return (_rebuild, (self.msgid, self.params))


def _rebuild(msgid: str, params: dict[str, Any]) -> Message:
    return Message(msgid, **params)


def _data(value: Any) -> Any:
    if isinstance(value, Message):
        return value.data()
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def _format(msgid: str, params: dict[str, Any], *, translate: bool) -> str:
    template = gettext(msgid) if translate else msgid
    values = {k: _value(v, translate=translate) for k, v in params.items()}
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):
        # A translation with a broken field: the French text rather than nothing.
        return msgid.format(**values) if translate else template


def _value(value: Any, *, translate: bool) -> Any:
    if isinstance(value, Message):
        return value.translated() if translate else str.__str__(value)
    if isinstance(value, dict) and "msgid" in value:
        return (
            render(value)
            if translate
            else _format(value["msgid"], value.get("params") or {}, translate=False)
        )
    return value


def as_data(message: str) -> dict[str, Any]:
    """What to store next to a message's text: {} when it is plain text."""
    return message.data() if isinstance(message, Message) else {}


def render(data: dict[str, Any] | None, fallback: str = "") -> str:
    """A stored message in the active language; `fallback` (the stored text) when the
    message was plain text (the network's words alone, older rows)."""
    if not data or not data.get("msgid"):
        return fallback
    return _format(data["msgid"], dict(data.get("params") or {}), translate=True)


render_lazy = lazy(render, str)


def translated(message: str) -> str:
    """A message just caught, in the active language (a page answering now)."""
    return message.translated() if isinstance(message, Message) else message


# For what is rendered later in someone else's language (a notification per recipient).
translated_lazy = lazy(translated, str)
