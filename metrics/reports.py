"""The monthly report: on the first working day of each month, every administrator and
validator gets, for each library where they hold that role, an email with last month's
key figures and top posts (HTML and text) and the dashboard's CSV attached.

"First working day" is the first moment of the month inside the working hours of the
membership's library (libraries.hours) on a day that is not a public holiday
(libraries.public_holidays: 1 January, 1 May, Easter Monday… and Good Friday and 26
December in Alsace-Moselle, after PUBLIC_HOLIDAYS). The
beat task runs every quarter of an hour; a report whose moment has passed goes out at
the next run, even days later, but never twice: a `MonthlyReportDelivery` row (unique
per person, library and month) is claimed before sending and released if sending
fails, so the next run tries again.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from libraries.models import Library, Membership, Role
from libraries.public_holidays import is_public_holiday, next_working_day_start
from libraries.selectors import library_scope_ids
from metrics.dashboard import dashboard_for, month_period
from metrics.exports import dashboard_csv
from metrics.models import MonthlyReportDelivery

logger = logging.getLogger(__name__)
REPORT_TOP_POSTS = 5


def report_month(*, library: Library, now: dt.datetime) -> tuple[dt.date, dt.datetime | None]:
    """(first day of the month reported on, when this month's report is due) for the
    library, at `now`: the previous month, due at the month's first working moment."""
    tz = library.tzinfo
    local = now.astimezone(tz)
    this_month = local.date().replace(day=1)
    previous = (this_month - dt.timedelta(days=1)).replace(day=1)
    midnight = dt.datetime.combine(this_month, dt.time(), tzinfo=tz)
    due = next_working_day_start(library.working_hours, tz, midnight)
    if due is None:  # no working hours at all: the first day not a holiday, at 09:00
        day = this_month
        while is_public_holiday(day):
            day += dt.timedelta(days=1)
        due = dt.datetime.combine(day, dt.time(9), tzinfo=tz)
    return previous, due


def monthly_reports_send_due(*, now: dt.datetime | None = None) -> int:
    """Send every report due and not yet sent. Returns how many were sent."""
    now = now or timezone.now()
    memberships = (
        Membership.objects.filter(
            role__in=[Role.VALIDATOR, Role.ADMINISTRATOR], user__is_active=True
        )
        .exclude(user__email="")
        .select_related("user", "library")
        .order_by("library_id", "user_id")
    )
    done = set(
        MonthlyReportDelivery.objects.filter(
            month__gte=(now - dt.timedelta(days=70)).date()
        ).values_list("user_id", "library_id", "month")
    )
    sent = 0
    for membership in memberships:
        month, due = report_month(library=membership.library, now=now)
        if due > now or (membership.user_id, membership.library_id, month) in done:
            continue
        if report_send(user=membership.user, library=membership.library, month=month, now=now):
            sent += 1
    return sent


def report_send(*, user, library: Library, month: dt.date, now: dt.datetime) -> bool:
    """Claim, then send one report; False if someone (another worker) already claimed it."""
    try:
        with transaction.atomic():
            delivery = MonthlyReportDelivery.objects.create(
                user=user, library=library, month=month, claimed_at=now
            )
    except IntegrityError:
        return False
    try:
        report_message(user=user, library=library, month=month).send()
    except Exception:
        delivery.delete()  # the next run tries again
        logger.exception("monthly report to user %s for library %s failed", user.pk, library.pk)
        raise
    MonthlyReportDelivery.objects.filter(pk=delivery.pk).update(sent_at=timezone.now())
    return True


def report_message(*, user, library: Library, month: dt.date) -> EmailMultiAlternatives:
    period = month_period(year=month.year, month=month.month, tz=library.tzinfo)
    board = dashboard_for(library_ids=library_scope_ids(user=user, library=library), period=period)
    site = settings.SITE_URL.rstrip("/")
    with translation.override(user.language or settings.LANGUAGE_CODE):
        month_name = date_format(month, "F Y")
        context = {
            "recipient": user,
            "library": library,
            "month_name": month_name,
            "board": board,
            "top_posts": board.top_posts[:REPORT_TOP_POSTS],
            "site": site,
            "dashboard_url": f"{site}/metrics/",
            "tz": library.timezone,
        }
        subject = _("Annexe : le bilan de %(month)s — %(library)s") % {
            "month": month_name,
            "library": library.name,
        }
        text = render_to_string("metrics/email/monthly_report.txt", context)
        html = render_to_string("metrics/email/monthly_report.html", context)
        csv_text = dashboard_csv(board)
    message = EmailMultiAlternatives(subject=subject.replace("\n", " "), body=text, to=[user.email])
    message.attach_alternative(html, "text/html")
    message.attach(f"bilan-{library.slug}-{month:%Y-%m}.csv", csv_text.encode("utf-8"), "text/csv")
    return message
