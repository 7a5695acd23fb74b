"""Consultation pages outside a program's URLs: a person's "Til mig" page, and the pages a
consultation party's personal link opens (no account needed)."""

from django.urls import path

from pathways.review import inbox, invited_views

app_name = "consultation"

urlpatterns = [
    path("til-mig/", inbox.inbox, name="inbox"),
    path("hoering/<str:token>/", invited_views.reading, name="invited"),
    path("hoering/<str:token>/aendringer/", invited_views.changes, name="invited_changes"),
    path("hoering/<str:token>/svar/", invited_views.verdict, name="invited_verdict"),
    path(
        "hoering/<str:token>/trin/<slug:step_key>/kommentarer/",
        invited_views.comment_add,
        name="invited_comment_add",
    ),
    path(
        "hoering/<str:token>/kommentarer/<int:comment_id>/svar/",
        invited_views.comment_reply,
        name="invited_comment_reply",
    ),
]
