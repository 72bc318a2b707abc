from django.urls import path

from validation.views import chains, journal, queue, review

app_name = "validation"
urlpatterns = [
    path("", queue.queue, name="queue"),
    path("bulk-approve/", queue.bulk_approve, name="bulk_approve"),
    path("posts/<int:pk>/", review.review, name="review"),
    path("posts/<int:pk>/decide/", review.decide, name="decide"),
    path("posts/<int:pk>/submit/", review.submit, name="submit"),
    path("posts/<int:pk>/withdraw/", review.withdraw, name="withdraw"),
    path("posts/<int:pk>/reopen/", review.reopen, name="reopen"),
    path("posts/<int:pk>/force/", review.force, name="force"),
    path("posts/<int:pk>/comment/", review.comment, name="comment"),
    path("journal/", journal.journal, name="journal"),
    path("journal.csv", journal.journal_csv, name="journal_csv"),
    path("absences/", chains.absences, name="absences"),
    path("absences/<int:pk>/cancel/", chains.absence_cancel, name="absence_cancel"),
    path("settings/", chains.chains, name="chains"),
    path("settings/<slug:library>/default/", chains.chain_edit, name="chain_edit_default"),
    path("settings/<slug:library>/line/<int:line>/", chains.chain_edit, name="chain_edit_line"),
]
