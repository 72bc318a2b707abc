"""Small helpers shared by the fakes' self-tests."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit


class ConsentForm(HTMLParser):
    """Hidden fields, checkboxes (name → [(value, label)]) and buttons of a consent page."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.hidden: dict[str, str] = {}
        self.checkboxes: dict[str, list[tuple[str, str]]] = {}
        self.buttons: list[str] = []
        self.action = ""
        self._label: list[str] | None = None
        self._checkbox: tuple[str, str] | None = None
        self._in_button = False
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.action = attrs.get("action", "")
        if tag == "input" and attrs.get("type") == "hidden":
            self.hidden[attrs["name"]] = attrs.get("value", "")
        if tag == "input" and attrs.get("type") == "checkbox":
            self._checkbox = (attrs["name"], attrs.get("value", ""))
        if tag == "label":
            self._label = []
        self._in_button = tag == "button"

    def handle_data(self, data):
        if self._label is not None:
            self._label.append(data)
        if self._in_button and data.strip():
            self.buttons.append(data.strip())

    def handle_endtag(self, tag):
        if tag == "label" and self._label is not None:
            if self._checkbox:
                name, value = self._checkbox
                self.checkboxes.setdefault(name, []).append((value, "".join(self._label).strip()))
            self._label, self._checkbox = None, None
        self._in_button = False

    def value_of(self, name: str, label: str) -> str:
        return next(v for v, text in self.checkboxes[name] if label in text)


def query_of(location: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
