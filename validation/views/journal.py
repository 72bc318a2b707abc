"""The library's validation journal: filterable, exportable as CSV."""

import csv

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from libraries.selectors import access_for, library_get_for_user
from validation import rules, selectors
from validation.forms import JournalFilterForm
from validation.pages import journal_csv_rows


def _journal(request):
    if request.library is None:
        raise Http404("No library.")
    library = library_get_for_user(user=request.user, pk=request.library.pk)
    if not rules.can_read_journal(access_for(request.user), library_id=library.id):
        raise PermissionDenied
    form = JournalFilterForm(request.GET or None, people=selectors.members_of(library))
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.JournalFilters(**{k: v for k, v in data.items() if v})
    events = selectors.journal_events(user=request.user, library=library, filters=filters)
    return library, form, events


@login_required
def journal(request):
    library, form, events = _journal(request)
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "validation/journal.html",
        {"library": library, "form": form, "page": page, "query": query.urlencode()},
    )


class _Echo:
    def write(self, value):
        return value


@login_required
def journal_csv(request):
    library, _form, events = _journal(request)
    writer = csv.writer(_Echo())
    rows = (writer.writerow(row) for row in journal_csv_rows(events, library))
    stamp = timezone.localtime(timezone.now(), library.tzinfo).strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="validation-{library.slug}-{stamp}.csv"'
    )
    return response
