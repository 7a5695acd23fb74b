from django.urls import path

from pathways.fhir import views

app_name = "fhir"

urlpatterns = [
    path("p/<str:code>/<str:number>/fhir.json", views.version_fhir, name="version"),
]
