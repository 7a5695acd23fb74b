from django.urls import path

from pathways.pdf import views

app_name = "pdf"

urlpatterns = [
    path("<str:code>/pdf/", views.program_pdf, name="program"),
    path("<str:code>/versioner/<str:number>/pdf/", views.version_pdf, name="version"),
]
