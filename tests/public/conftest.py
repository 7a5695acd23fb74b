from __future__ import annotations

import pytest
from django.core.cache import cache

from pathways.programs.models import Program
from tests.factories import published_version


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """The feedback limits count in the cache, which outlives a test."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def published_demo(demo_program):
    """The demo program with version 1.0 published (approved as the workflow would)."""
    version = published_version(demo_program, change_note="Første udgave")
    return Program.objects.get(pk=demo_program.pk), version
