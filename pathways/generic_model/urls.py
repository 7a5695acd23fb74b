from django.urls import path

from pathways.generic_model import views

app_name = "generic_model"

urlpatterns = [
    path("", views.model_version_list, name="version_list"),
    path(
        "reference/<slug:slug>/<str:version>/",
        views.companion_detail,
        name="companion_detail",
    ),
    path("<slug:slug>/<str:version>/", views.model_version_detail, name="version_detail"),
]
