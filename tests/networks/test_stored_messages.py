"""Network clients' messages are stored with their msgid and shown in the reader's
language (networks.messages): every msgid has its English translation; a publication's
and an account's last problem read in English for an English reader."""

import ast
import pickle
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext

from networks.messages import Message, as_data, render, translated

ROOT = Path(__file__).resolve().parents[2]
# Modules whose user-facing messages are Messages.
MODULES = [
    "networks/http.py",
    "networks/oauth.py",
    "networks/linkedin/api.py",
    "networks/linkedin/posts.py",
    "networks/x/api.py",
    "networks/x/posts.py",
    "networks/mastodon.py",
    "networks/bluesky.py",
    "networks/google_api.py",
    "networks/google_business_client.py",
    "networks/graph.py",
    "networks/instagram.py",
    "networks/threads.py",
    "publishing/services/publish.py",
]


def _msgids(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("_", "N_", "gettext_noop", "_stored")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.append(node.args[0].value)
    return found


@pytest.mark.parametrize("module", MODULES)
def test_every_stored_message_has_its_english_translation(module):
    msgids = _msgids(ROOT / module)
    assert msgids, module
    with translation.override("en"):
        missing = [m for m in msgids if gettext(m) == m]
    assert missing == []


def test_a_message_is_french_text_that_renders_in_the_readers_language():
    inner = Message("{network} : {words}", network="LinkedIn", words="Content is a duplicate")
    message = Message("Abandon après {n} tentatives : {message}", n=3, message=inner)

    assert message == "Abandon après 3 tentatives : LinkedIn : Content is a duplicate"
    data = as_data(message)
    assert data["params"]["message"]["msgid"] == "{network} : {words}"
    with translation.override("en"):
        assert render(data) == "Gave up after 3 attempts: LinkedIn: Content is a duplicate"
        assert translated(message) == render(data)
    with translation.override("fr"):
        assert render(data) == message
    # Plain text (the network's words alone, rows stored before) is shown as it is.
    assert as_data("Plain words") == {}
    assert render({}, "Plain words") == "Plain words"
    assert pickle.loads(pickle.dumps(message)).data() == data  # noqa: S301 - our own bytes
