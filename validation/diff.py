"""A readable diff of two content snapshots (posts.content.post_snapshot).

What changed in the text (word by word), the link, the destinations, the photos
(added, removed, reordered, alt text), the per-network variants (text, link, content
warning, photos, photo fit), the event, the offer and the button. Returns plain
data; templates/validation/_diff.html renders it (escaped).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from posts.models import CallToAction, ImageFit

_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Segment:
    op: str  # "equal", "insert", "delete"
    text: str


@dataclass
class Change:
    label: str
    segments: list[Segment] = field(default_factory=list)  # a text diff
    before: str = ""
    after: str = ""
    items: list[str] = field(default_factory=list)


def text_diff(old: str, new: str) -> list[Segment]:
    """Word-level diff (whitespace kept), merged into runs."""
    a, b = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    segments: list[Segment] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            segments.append(Segment("equal", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            segments.append(Segment("delete", "".join(a[i1:i2])))
        if j2 > j1:
            segments.append(Segment("insert", "".join(b[j1:j2])))
    return segments


def _target_key(item: dict) -> tuple:
    return (item["network"], item.get("account") or 0)


def snapshot_diff(
    old: dict | None,
    new: dict,
    *,
    media_names: dict[int, str] | None = None,
    account_names: dict[int, str] | None = None,
    network_names: dict[str, str] | None = None,
    zone: dt.tzinfo | None = None,
) -> list[Change]:
    """Every difference between two snapshots, in reading order. Empty: no change.
    Times (the event's) are shown in `zone`, the library's (else the current one)."""
    if not old:
        return []
    media_names = media_names or {}
    account_names = account_names or {}
    network_names = network_names or {}

    def media_label(media_id: int) -> str:
        return media_names.get(media_id) or _("photo n° %(id)s") % {"id": media_id}

    def target_label(item: dict) -> str:
        network = network_names.get(item["network"], item["network"])
        account = item.get("account")
        return f"{network} — {account_names.get(account, account)}" if account else str(network)

    changes: list[Change] = []
    if old.get("body", "") != new.get("body", ""):
        changes.append(Change(_("Texte"), segments=text_diff(old.get("body", ""), new["body"])))
    if old.get("link", "") != new.get("link", ""):
        changes.append(
            Change(_("Lien"), before=old.get("link") or "—", after=new.get("link") or "—")
        )
    old_targets = {_target_key(t): t for t in old.get("targets", [])}
    new_targets = {_target_key(t): t for t in new.get("targets", [])}
    for key in sorted(new_targets.keys() - old_targets.keys()):
        changes.append(Change(_("Destination ajoutée"), after=target_label(new_targets[key])))
    for key in sorted(old_targets.keys() - new_targets.keys()):
        changes.append(Change(_("Destination retirée"), before=target_label(old_targets[key])))
    changes += _media_changes(old.get("media", []), new.get("media", []), media_label, "")
    changes += _event_changes(old, new, zone or timezone.get_current_timezone())
    old_variants = {_target_key(v): v for v in old.get("variants", [])}
    new_variants = {_target_key(v): v for v in new.get("variants", [])}
    for key in sorted(old_variants.keys() | new_variants.keys()):
        before, after = old_variants.get(key), new_variants.get(key)
        where = target_label(after or before)
        if before is None or after is None or before.get("text", "") != after.get("text", ""):
            old_text = (before or {}).get("text", "")
            new_text = (after or {}).get("text", "")
            if old_text != new_text:
                changes.append(
                    Change(
                        _("Texte adapté pour %(where)s") % {"where": where},
                        segments=text_diff(old_text, new_text),
                    )
                )
        old_link, new_link = (before or {}).get("link", ""), (after or {}).get("link", "")
        if old_link != new_link:
            changes.append(
                Change(
                    _("Lien pour %(where)s") % {"where": where},
                    before=old_link or _("le lien de la publication"),
                    after=new_link or _("le lien de la publication"),
                )
            )
        old_warning = (before or {}).get("content_warning", "")
        new_warning = (after or {}).get("content_warning", "")
        if old_warning != new_warning:
            changes.append(
                Change(
                    _("Avertissement de contenu pour %(where)s") % {"where": where},
                    before=old_warning or "—",
                    after=new_warning or "—",
                )
            )
        if (before or {}).get("own_media") != (after or {}).get("own_media"):
            own = (after or {}).get("own_media")
            changes.append(
                Change(
                    _("Photos pour %(where)s") % {"where": where},
                    after=_("photos propres à ce réseau") if own else _("photos de la publication"),
                )
            )
        old_fit = (before or {}).get("image_fit") or ImageFit.PAD
        new_fit = (after or {}).get("image_fit") or ImageFit.PAD
        if old_fit != new_fit:
            changes.append(
                Change(
                    _("Ajustement des photos pour %(where)s") % {"where": where},
                    before=_choice_label(ImageFit, old_fit),
                    after=_choice_label(ImageFit, new_fit),
                )
            )
        changes += _media_changes(
            (before or {}).get("media", []), (after or {}).get("media", []), media_label, where
        )
    return changes


def _choice_label(choices, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _event_changes(old: dict, new: dict, zone: dt.tzinfo) -> list[Change]:
    """The event, the offer and the button (Google Business Profile posts)."""

    def when(value: str | None) -> str:
        if not value:
            return "—"
        return dt.datetime.fromisoformat(value).astimezone(zone).strftime("%d/%m/%Y %H:%M")

    def event(snapshot: dict) -> str:
        title, starts, ends = snapshot.get("event") or ["", None, None]
        if not (title or starts or ends):
            return ""
        return f"{title or '—'} ({when(starts)} → {when(ends)})"

    changes = []
    if event(old) != event(new):
        changes.append(Change(_("Événement"), before=event(old) or "—", after=event(new) or "—"))
    no_offer = [False, "", "", ""]
    old_offer, new_offer = old.get("offer") or no_offer, new.get("offer") or no_offer
    if old_offer[0] != new_offer[0]:
        changes.append(
            Change(
                _("Offre"),
                before=_("oui") if old_offer[0] else _("non"),
                after=_("oui") if new_offer[0] else _("non"),
            )
        )
    for index, label in ((1, _("Code promo")), (2, _("Lien pour profiter de l'offre"))):
        if old_offer[index] != new_offer[index]:
            changes.append(
                Change(label, before=old_offer[index] or "—", after=new_offer[index] or "—")
            )
    if old_offer[3] != new_offer[3]:
        changes.append(
            Change(_("Conditions de l'offre"), segments=text_diff(old_offer[3], new_offer[3]))
        )
    old_button, new_button = old.get("call_to_action", ""), new.get("call_to_action", "")
    if old_button != new_button:
        changes.append(
            Change(
                _("Bouton"),
                before=_choice_label(CallToAction, old_button) if old_button else "—",
                after=_choice_label(CallToAction, new_button) if new_button else "—",
            )
        )
    return changes


def _media_changes(old: list[dict], new: list[dict], label, where: str) -> list[Change]:
    suffix = f" ({where})" if where else ""
    old_by_id = {m["id"]: m for m in old}
    new_by_id = {m["id"]: m for m in new}
    changes = []
    added = [m["id"] for m in new if m["id"] not in old_by_id]
    removed = [m["id"] for m in old if m["id"] not in new_by_id]
    if added:
        changes.append(Change(_("Photos ajoutées") + suffix, items=[label(i) for i in added]))
    if removed:
        changes.append(Change(_("Photos retirées") + suffix, items=[label(i) for i in removed]))
    kept_old = [m["id"] for m in old if m["id"] in new_by_id]
    kept_new = [m["id"] for m in new if m["id"] in old_by_id]
    if kept_old != kept_new:
        changes.append(
            Change(
                _("Ordre des photos") + suffix,
                before=", ".join(label(i) for i in kept_old),
                after=", ".join(label(i) for i in kept_new),
            )
        )
    for media_id in kept_new:
        before, after = old_by_id[media_id]["alt_text"], new_by_id[media_id]["alt_text"]
        if before != after:
            changes.append(
                Change(
                    _("Texte alternatif de %(photo)s") % {"photo": label(media_id)} + suffix,
                    segments=text_diff(before, after),
                )
            )
    return changes
