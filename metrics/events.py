"""Events announced by posts: creation, attendance, the public survey and its results.

The survey is anonymous: an answer is a channel and a time. Duplicates are kept out
without identifying anyone: the browser that answered gets a signed cookie for that
event (a second answer from it is ignored), and one network address may give at most
METRICS_SURVEY_MAX_PER_ADDRESS_HOUR answers per event and hour (many visitors of a
library share its wifi, so the cap is generous; it stops scripted stuffing). The
address is only hashed with a daily salt into a cache key that expires after the hour.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from libraries.models import Library
from libraries.selectors import access_tree
from metrics.models import Channel, Event, SurveyAnswer
from networks import NETWORK_CHOICES
from publishing.models import SocialAccount

NETWORK_PREFIX = "network:"
SOCIAL_GENERIC = "network"  # "the social networks", when the library has no account
# Networks that are not "a social network" from the public's point of view.
NOT_SOCIAL = {"sandbox", "website"}
SURVEY_QUESTION = _("Comment avez-vous connu cet événement ?")


def survey_choices(library: Library) -> list[tuple[str, str]]:
    """The answers offered: each social network the library (or its network) posts on,
    then the portal, posters, word of mouth, other."""
    ids = access_tree().ancestors(library.id)
    used = set(
        SocialAccount.objects.filter(library_id__in=ids)
        .exclude(network__in=NOT_SOCIAL)
        .values_list("network", flat=True)
    )
    networks = [(NETWORK_PREFIX + key, str(name)) for key, name in NETWORK_CHOICES if key in used]
    if not networks:
        networks = [(SOCIAL_GENERIC, str(_("Les réseaux sociaux")))]
    return networks + [(value, str(label)) for value, label in Channel.choices]


def channel_label(value: str) -> str:
    names = dict(NETWORK_CHOICES)
    if value.startswith(NETWORK_PREFIX):
        key = value.removeprefix(NETWORK_PREFIX)
        return str(names.get(key, key))
    if value == SOCIAL_GENERIC:
        return str(_("Les réseaux sociaux"))
    return str(dict(Channel.choices).get(value, value))


def new_survey_token() -> str:
    return secrets.token_urlsafe(16)


def event_create(*, library: Library, by, posts=(), **fields) -> Event:
    with transaction.atomic():
        event = Event.objects.create(
            library=library, created_by=by, survey_token=new_survey_token(), **fields
        )
        event.posts.set(posts)
    return event


def event_update(*, event: Event, posts=None, **fields) -> Event:
    with transaction.atomic():
        for name, value in fields.items():
            setattr(event, name, value)
        event.save(update_fields=[*fields])
        if posts is not None:
            event.posts.set(posts)
    return event


def event_record_attendance(*, event: Event, by, attendance: int | None) -> Event:
    event.attendance = attendance
    event.attendance_recorded_at = timezone.now() if attendance is not None else None
    event.attendance_recorded_by = by if attendance is not None else None
    event.save(update_fields=["attendance", "attendance_recorded_at", "attendance_recorded_by"])
    return event


def event_set_survey_open(*, event: Event, is_open: bool) -> Event:
    Event.objects.filter(pk=event.pk).update(survey_open=is_open)
    event.survey_open = is_open
    return event


def survey_event_get(token: str) -> Event | None:
    if not token or len(token) > 32:
        return None
    return Event.objects.select_related("library").filter(survey_token=token).first()


def _address_key(event: Event, address: str, now: dt.datetime) -> str:
    salt = f"{settings.SECRET_KEY}|survey|{now.astimezone(dt.UTC).date().isoformat()}"
    digest = hashlib.sha256(f"{salt}|{address}".encode()).hexdigest()[:32]
    return f"metrics:survey:{event.survey_token}:{now:%Y%m%d%H}:{digest}"


def survey_answer(
    *, event: Event, channel: str, address: str, now: dt.datetime | None = None
) -> bool:
    """Record one anonymous answer; False when refused (survey closed, unknown channel,
    or this address's hourly cap reached). The caller handles the per-browser cookie."""
    now = now or timezone.now()
    if not event.survey_open:
        return False
    if channel not in {value for value, _label in survey_choices(event.library)}:
        return False
    key = _address_key(event, address, now)
    cap = settings.METRICS_SURVEY_MAX_PER_ADDRESS_HOUR
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        count = 1
    if count > cap:
        return False
    SurveyAnswer.objects.create(event=event, channel=channel, answered_at=now)
    return True


@dataclass(frozen=True)
class ChannelResult:
    channel: str
    label: str
    count: int
    share: float  # 0..1 of the answers


def survey_results(event: Event) -> list[ChannelResult]:
    """Answers per channel, every offered channel listed (also those with none)."""
    counts = dict(
        SurveyAnswer.objects.filter(event=event)
        .values_list("channel")
        .annotate(n=Count("id"))
        .values_list("channel", "n")
    )
    return results_from_counts(event.library, counts)


def results_from_counts(library: Library, counts: dict[str, int]) -> list[ChannelResult]:
    total = sum(counts.values())
    offered = survey_choices(library)
    known = {value for value, _label in offered}
    rows = [(value, label, counts.get(value, 0)) for value, label in offered]
    # Answers to channels no longer offered (an account disconnected) still count.
    rows += [(value, channel_label(value), n) for value, n in counts.items() if value not in known]
    return [
        ChannelResult(channel=value, label=label, count=n, share=(n / total) if total else 0.0)
        for value, label, n in rows
    ]


def events_for(*, library_ids: list[int]) -> QuerySet[Event]:
    return (
        Event.objects.filter(library_id__in=library_ids)
        .select_related("library")
        .annotate(answer_count=Count("answers", distinct=True))
        .order_by("-starts_at")
    )


def qr_svg(url: str) -> str:
    """An SVG QR code of `url` (qrcode's path image: one <path>, scales for print)."""
    import qrcode
    import qrcode.image.svg

    qr = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=4,
        image_factory=qrcode.image.svg.SvgPathImage,
    )
    qr.add_data(url)
    qr.make(fit=True)
    buffer = io.BytesIO()
    qr.make_image().save(buffer)
    return buffer.getvalue().decode()
