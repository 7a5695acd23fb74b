from __future__ import annotations

from bs4 import BeautifulSoup

from pathways.derivation.services import start_from
from pathways.programs.models import Program
from pathways.versions.models import ProgramVersion
from tests.factories import UserFactory, published_version


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def derive(source: Program, *, planner=None, region: str = "syddanmark") -> Program:
    """A planner (no member of the source) starts from its newest published version,
    publishing 1.0 first if it has none."""
    version = ProgramVersion.objects.filter(program=source).order_by("-major", "-minor").first()
    version = version or published_version(source)
    return start_from(
        user=planner or UserFactory(),
        source_program=source,
        source_version=version,
        region=region,
        title="Udviklingshæmning i Region Syddanmark",
    )
