"""The editorial charter: which version is in force, its rendering, what can be checked.

A charter is written in Markdown; it is rendered with Python-Markdown and sanitised with
nh3 (an allow-list of tags, no images, no scripts, no inline styles), so an administrator
cannot put anything dangerous in the pages of colleagues. Checks are warnings, never
blocks: house hashtags present, signature present for the networks that want one.
"""

from __future__ import annotations

from dataclasses import dataclass

import markdown
import nh3
from django.utils.functional import cached_property
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from libraries.models import Library
from libraries.selectors import access_tree
from networks import Problem, all_networks
from networks import text as textlib
from posts.models import CharterVersion

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "h3",
    "h4",
    "h5",
    "hr",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}


def render_markdown(text: str) -> SafeString:
    """Markdown → sanitised HTML (headings start at h3: the page owns h1 and h2)."""
    html = markdown.markdown(text or "", extensions=["sane_lists", "tables"], output_format="html")
    for level in (2, 1):  # shift headings down so they nest under the page's own
        html = html.replace(f"<h{level}>", f"<h{level + 2}>").replace(
            f"</h{level}>", f"</h{level + 2}>"
        )
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return mark_safe(cleaned)  # sanitised by nh3 just above


@dataclass(frozen=True)
class Charter:
    """The charter in force for a library: a version of its own or inherited."""

    version: CharterVersion
    library: Library  # the library it applies to (maybe a branch of version.library)

    @property
    def inherited(self) -> bool:
        return self.version.library_id != self.library.id

    @cached_property
    def body_html(self) -> SafeString:
        return render_markdown(self.version.body)

    def section_html(self, network_key: str) -> SafeString:
        return render_markdown((self.version.sections or {}).get(network_key, ""))

    def sections_html(self) -> list[tuple[str, SafeString]]:
        """(network name, rendered section) for every network the charter speaks of."""
        sections = self.version.sections or {}
        return [
            (str(network.name), render_markdown(sections[network.key]))
            for network in all_networks()
            if sections.get(network.key, "").strip()
        ]

    @cached_property
    def house_hashtags(self) -> list[str]:
        return [tag.tag for tag in textlib.extract_hashtags(self.version.house_hashtags)]

    def wants_signature(self, network_key: str) -> bool:
        return bool(self.version.signature.strip()) and network_key in (
            self.version.signature_networks or []
        )


def charter_for(library: Library) -> Charter | None:
    """The latest version written for the library or, failing that, its nearest parent."""
    ancestors = access_tree().ancestors(library.id)
    newest: dict[int, CharterVersion] = {}
    for version in CharterVersion.objects.filter(library_id__in=ancestors).order_by("number"):
        newest[version.library_id] = version  # ordered by number: the last one wins
    for library_id in ancestors:
        if library_id in newest:
            return Charter(version=newest[library_id], library=library)
    return None


def charter_problems(charter: Charter | None, *, network, text: str) -> list[Problem]:
    """House hashtags and signature missing from `text` (the final text of one network),
    as warnings naming the network and the rule."""
    if charter is None:
        return []
    problems = []
    present = {tag.tag.casefold() for tag in textlib.extract_hashtags(text)}
    for tag in charter.house_hashtags:
        if tag.casefold() not in present:
            problems.append(
                Problem(
                    code="charter_hashtag_missing",
                    severity="warning",
                    message=format_lazy(
                        _(
                            "{network} : le hashtag maison #{tag} n'apparaît pas "
                            "(charte éditoriale)."
                        ),
                        network=network.name,
                        tag=tag,
                    ),
                    field="text",
                )
            )
    signature = charter.version.signature.strip()
    if charter.wants_signature(network.key) and signature.casefold() not in text.casefold():
        problems.append(
            Problem(
                code="charter_signature_missing",
                severity="warning",
                message=format_lazy(
                    _("{network} : la signature « {signature} » manque (charte éditoriale)."),
                    network=network.name,
                    signature=signature,
                ),
                field="text",
            )
        )
    return problems
