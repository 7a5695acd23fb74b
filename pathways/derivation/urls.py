from django.urls import path

from pathways.derivation import views

app_name = "derivation"

urlpatterns = [
    path("<str:code>/brug-som-udgangspunkt/", views.start, name="start"),
    path("<str:code>/lokalt/bekraeft/", views.confirm, name="confirm"),
]
