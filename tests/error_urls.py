"""Test-only URLconf: the app's URLs and error handlers, plus views that fail on purpose."""

from django.urls import path

from pathways.urls import handler500  # noqa: F401
from pathways.urls import urlpatterns as app_urlpatterns


class Boom(Exception):
    pass


def boom(request):
    raise Boom("deliberate failure for the error-logging test")


urlpatterns = [path("test-boom/", boom), *app_urlpatterns]
