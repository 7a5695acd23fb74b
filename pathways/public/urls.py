from django.urls import path

from pathways.public import views

app_name = "public"

# The feedback addresses come first: "feedback" would otherwise be read as a version number.
urlpatterns = [
    path("p/<str:code>/", views.program_page, name="program"),
    path("p/<str:code>/feedback/", views.feedback, name="feedback"),
    path("p/<str:code>/feedback/tak/", views.feedback_thanks, name="feedback_thanks"),
    path("p/<str:code>/<str:number>/", views.version_page, name="version"),
    path("p/<str:code>/<str:number>/program.json", views.program_json, name="program_json"),
    path("p/<str:code>/<str:number>/pdf/", views.version_pdf, name="pdf"),
    path("p/<str:code>/<str:number>/word/", views.version_word, name="word"),
]
