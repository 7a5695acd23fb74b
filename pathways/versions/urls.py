from django.urls import path

from pathways.versions import views

app_name = "versions"

urlpatterns = [
    path("<str:code>/versioner/ny/", views.publish, name="publish"),
    path("<str:code>/versioner/forskelle/", views.version_diff, name="diff"),
    path("<str:code>/versioner/<str:number>/", views.version_detail, name="detail"),
    path("<str:code>/versioner/<str:number>/export.json", views.version_json, name="json"),
]
