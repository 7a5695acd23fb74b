from django.urls import path

from pathways.programs import views

app_name = "programs"

urlpatterns = [
    path("", views.program_list, name="list"),
    path("ny/", views.program_create, name="create"),
    path("<str:code>/", views.program_detail, name="detail"),
    path("<str:code>/trin/<slug:step_key>/", views.step_edit, name="step"),
    path("<str:code>/gennemgang/", views.review, name="review"),
    path("<str:code>/behov-uden-tilbud/", views.offer_gaps, name="offer_gaps"),
    path("<str:code>/kommunale-aktoerer/", views.municipal_actors, name="municipal_actors"),
    path("<str:code>/medlemmer/", views.members, name="members"),
    path("<str:code>/medlemmer/forlad/", views.leave, name="leave"),
    path("<str:code>/export.json", views.export_json, name="export_json"),
]
