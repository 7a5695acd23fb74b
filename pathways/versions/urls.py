from django.urls import path

from pathways.versions import views

app_name = "versions"

urlpatterns = [
    path("<str:code>/versioner/ny/", views.publish, name="publish"),
]
