from __future__ import annotations

import pytest

from tests.production.processes import Site, prepare_site


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """A production installation (DEBUG off) on its own SQLite file, shared by a module's tests."""
    return prepare_site(tmp_path_factory.mktemp("site"))
