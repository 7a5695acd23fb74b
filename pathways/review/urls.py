from django.urls import path

from pathways.review import round_changes, views

app_name = "review"

urlpatterns = [
    path("<str:code>/hoering/send/", views.submit, name="submit"),
    path("<str:code>/hoering/svar/", views.verdict, name="verdict"),
    path("<str:code>/hoering/godkend/", views.decide, {"decision": "approve"}, name="approve"),
    path(
        "<str:code>/hoering/aendringer/",
        views.decide,
        {"decision": "changes"},
        name="request_changes",
    ),
    path("<str:code>/revider/", views.revise, name="revise"),
    path("<str:code>/hoeringsnotat/", views.summary, name="summary"),
    path(
        "<str:code>/hoering/aendringer-siden-sidste-runde/",
        round_changes.round_changes,
        name="round_changes",
    ),
    path("<str:code>/log/", views.audit_log, name="audit"),
    path("<str:code>/trin/<slug:step_key>/kommentarer/", views.comment_add, name="comment_add"),
    path(
        "<str:code>/kommentarer/<int:comment_id>/svar/", views.comment_reply, name="comment_reply"
    ),
    path(
        "<str:code>/kommentarer/<int:comment_id>/loes/",
        views.comment_resolve,
        {"resolved": True},
        name="comment_resolve",
    ),
    path(
        "<str:code>/kommentarer/<int:comment_id>/genaabn/",
        views.comment_resolve,
        {"resolved": False},
        name="comment_reopen",
    ),
    path(
        "<str:code>/kommentarer/<int:comment_id>/forslag/indarbejd/",
        views.proposal_accept,
        name="proposal_accept",
    ),
    path(
        "<str:code>/kommentarer/<int:comment_id>/forslag/afvis/",
        views.proposal_decline,
        name="proposal_decline",
    ),
]
