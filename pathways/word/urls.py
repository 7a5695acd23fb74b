from django.urls import path

from pathways.word import views

app_name = "word"

urlpatterns = [
    path("<str:code>/word/", views.program_docx, name="program"),
    path("<str:code>/versioner/<str:number>/word/", views.version_docx_download, name="version"),
]
