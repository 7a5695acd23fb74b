from django.urls import path

from pathways.review import round_changes, round_views, views

app_name = "review"

urlpatterns = [
    path("<str:code>/hoering/send/", round_views.start, name="submit"),
    path("<str:code>/hoering/", round_views.round_page, name="round"),
    path("<str:code>/hoering/kontaktperson/", round_views.add_contact, name="add_contact"),
    path("<str:code>/hoering/afslut/", round_views.close, name="close_round"),
    path(
        "<str:code>/hoering/parter/<int:party_id>/svar-efter-fristen/",
        round_views.admit_late,
        name="admit_late",
    ),
    path(
        "<str:code>/hoering/links/<int:invitation_id>/tilbagekald/",
        round_views.revoke,
        name="revoke_invitation",
    ),
    path(
        "<str:code>/hoering/links/<int:invitation_id>/send-igen/",
        round_views.reissue,
        name="reissue_invitation",
    ),
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
    path("<str:code>/hoeringsnotat/pdf/", views.summary_pdf, name="summary_pdf"),
    path("<str:code>/hoeringsnotat/word/", views.summary_docx, name="summary_docx"),
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
