from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from pathways.generic_model.loader import load_generic_model_file
from pathways.generic_model.models import ModelVersion

ROOT = Path(__file__).resolve().parent.parent
GENERIC_MODEL_FILE = ROOT / "fixtures" / "generic_model" / "sst-sjaeldne-1.0.yaml"


@pytest.fixture
def generic_model_data() -> dict[str, Any]:
    """The shipped model file as plain data, for tests that write a changed copy."""
    return yaml.safe_load(GENERIC_MODEL_FILE.read_text(encoding="utf-8"))


@pytest.fixture
def write_model_file(tmp_path: Path) -> Callable[[dict[str, Any], str], Path]:
    def write(data: dict[str, Any], name: str = "model.yaml") -> Path:
        path = tmp_path / name
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
        return path

    return write


DEMO_FILE = ROOT / "fixtures" / "demo" / "nordjylland-udviklingshaemning.yaml"


def pytest_collection_modifyitems(config, items):
    """Run PostgreSQL-only tests (row locks, concurrent writers) only in the PostgreSQL pass."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    selected = [i for i in items if "postgres_only" not in i.keywords]
    deselected = [i for i in items if "postgres_only" in i.keywords]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = selected


@pytest.fixture
def generic_model(db) -> ModelVersion:
    """The shipped generic model, loaded as the start command loads it."""
    return load_generic_model_file(GENERIC_MODEL_FILE).model_version


@pytest.fixture
def demo_program(generic_model):
    """The complete example program, loaded as the start command loads it."""
    from pathways.programs.demo import load_demo_program

    program, _created = load_demo_program(DEMO_FILE)
    return program
