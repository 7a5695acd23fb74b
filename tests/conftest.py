from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from pathways.generic_model.loader import load_generic_model_file
from pathways.generic_model.models import ModelVersion
from pathways.programs.data import forget_model_data, load_model_data
from tests.support.rows import RowSnapshot

ROOT = Path(__file__).resolve().parent.parent
GENERIC_MODEL_FILE = ROOT / "fixtures" / "generic_model" / "sst-sjaeldne-1.0.yaml"
REGIONS_FILE = ROOT / "fixtures" / "regions" / "danmark.yaml"
# The companion references (social pathway, offers), loaded with the model as `make start` does.
COMPANION_FILES = sorted((ROOT / "fixtures" / "references").glob("*.yaml"))
PARTY_CONTACTS_FILE = ROOT / "fixtures" / "demo" / "hoeringsparter.yaml"
DEMO_FILE = ROOT / "fixtures" / "demo" / "nordjylland-udviklingshaemning.yaml"


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


# --- The test database -------------------------------------------------------------------


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix: None, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """On SQLite, test in a file: an in-memory database cannot be shared between the
    threads of live_server, so concurrent requests would not be concurrent at all.
    tmp_path_factory gives each run (and each xdist worker) its own directory."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("TEST", {})["NAME"] = str(
            tmp_path_factory.mktemp("database") / "test.sqlite3"
        )


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing() -> Iterator[None]:
    """Tests create hundreds of users and log in often: PBKDF2 costs 0.2 s a password."""
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="session")
def django_db_setup(
    django_db_setup: None, django_db_blocker, django_db_keepdb: bool, _fast_password_hashing: None
) -> RowSnapshot:
    """After migrations, load the shipped model and its companion references once per
    session (committed).

    Every test transaction starts after this, so the rows are simply there; the snapshot
    is returned to put them back after a transactional test emptied the tables.
    """
    with django_db_blocker.unblock():
        if django_db_keepdb:  # --reuse-db: start from the empty database a new one would be
            from django.core.management import call_command

            call_command("flush", interactive=False, verbosity=0)
        _result, rows = RowSnapshot.of(_load_model_and_companions)
    return rows


def _load_model_and_companions() -> None:
    from pathways.generic_model.companion_loader import load_companion_file

    load_generic_model_file(GENERIC_MODEL_FILE)
    for path in COMPANION_FILES:
        load_companion_file(path)


@pytest.fixture(scope="session")
def generic_model_rows(django_db_setup: RowSnapshot) -> RowSnapshot:
    return django_db_setup


@pytest.fixture(scope="session")
def region_rows(django_db_setup: RowSnapshot, django_db_blocker) -> RowSnapshot:
    """The shipped regions and approving bodies, loaded once per session (committed), as
    the start command loads them."""
    from pathways.programs.region_file import load_region_file

    with django_db_blocker.unblock():
        _result, rows = RowSnapshot.of(lambda: load_region_file(REGIONS_FILE))
    return rows


@pytest.fixture(autouse=True)
def _regions_present(request: pytest.FixtureRequest) -> None:
    """Regions are reference data every program page reads: every test that uses the
    database has them (put back inside the test when a transactional test emptied the
    tables before)."""
    marker = request.node.get_closest_marker("django_db")
    uses_db = marker is not None or {"db", "transactional_db", "live_server"} & set(
        request.fixturenames
    )
    if not uses_db:
        return
    request.getfixturevalue("_django_db_helper")
    rows = request.getfixturevalue("region_rows")
    if not rows.is_present():
        rows.restore()


@pytest.fixture(autouse=True)
def _generic_model_only_when_asked(request: pytest.FixtureRequest) -> None:
    """A test sees the generic model exactly when it asks for it (`generic_model`).

    The model stays in the database between tests, so one that did not ask for it
    (the loader's own tests, the empty model page) has it removed inside its transaction.
    """
    if "generic_model" in request.fixturenames:
        return
    marker = request.node.get_closest_marker("django_db")
    uses_db = marker is not None or {"db", "transactional_db", "live_server"} & set(
        request.fixturenames
    )
    if not uses_db:
        return
    request.getfixturevalue("_django_db_helper")  # remove inside the test's transaction
    rows = request.getfixturevalue("generic_model_rows")
    if rows.is_present():
        rows.remove()


@pytest.fixture
def generic_model(db, generic_model_rows: RowSnapshot) -> Iterator[ModelVersion]:
    """The shipped generic model, as the start command loads it (from the session's copy).

    Transactional tests (live_server, transaction=True) empty every table afterwards, so
    a later test may find it gone: then the same rows are put back.
    """
    if not generic_model_rows.is_present():
        generic_model_rows.restore()
    (row,) = generic_model_rows.rows_of(ModelVersion)
    version = ModelVersion.objects.get(pk=row["id"])
    # The process keeps a model version's parsed rows (programs/data.py). Each test starts
    # with them read from the pristine rows, as a running server has them (so query counts
    # do not depend on which test ran before), and nothing a test changed outlives it.
    forget_model_data()
    load_model_data(version)
    yield version
    forget_model_data()


@pytest.fixture(scope="session")
def demo_program_rows(
    generic_model_rows: RowSnapshot, region_rows: RowSnapshot, django_db_blocker
) -> RowSnapshot:
    """The example program, built once through the services, then removed again.

    Its rows keep their primary keys (sequences have moved past them), so putting them
    back never collides with rows a test made.
    """
    from pathways.programs.demo import load_demo_program

    with django_db_blocker.unblock():
        for reference in (generic_model_rows, region_rows):
            if not reference.is_present():
                reference.restore()
        _result, rows = RowSnapshot.of(lambda: load_demo_program(DEMO_FILE))
        rows.remove()
    return rows


@pytest.fixture
def demo_program(generic_model, demo_program_rows: RowSnapshot):
    """The complete example program, as the start command loads it (same rows, same keys)."""
    from pathways.programs.models import Program

    demo_program_rows.restore()
    (row,) = demo_program_rows.rows_of(Program)
    return Program.objects.get(pk=row["id"])


@pytest.fixture
def party_contacts(generic_model):
    """The demo's (fictitious) consultation contacts, as the start command loads them."""
    from pathways.review.contacts_file import load_contacts_file

    return load_contacts_file(PARTY_CONTACTS_FILE)


# --- PDFs -----------------------------------------------------------------------------------

_TINY_PDF: list[bytes] = []


@pytest.fixture(autouse=True)
def _stand_in_pdf(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Most tests publish a version only to move the workflow on, and WeasyPrint takes
    seconds for the demo program. They get a tiny real PDF instead; what the PDF says is
    tested under tests/pdf/ and in tests marked `real_pdf`, which render for real."""
    if "tests/pdf/" in request.node.nodeid or request.node.get_closest_marker("real_pdf"):
        return
    from pathways.pdf import render  # every renderer calls render.html_to_pdf through it

    if not _TINY_PDF:
        _TINY_PDF.append(render.html_to_pdf("<html lang='da'><p>PDF</p></html>"))

    def stand_in(html: str) -> bytes:
        return _TINY_PDF[0]

    monkeypatch.setattr(render, "html_to_pdf", stand_in)


@pytest.fixture(scope="session", autouse=True)
def _verify_kept_pages() -> Iterator[None]:
    """Every page served from the page cache is rendered afresh too and must match: a write
    that does not renew its program's pages fails the test that made it."""
    from django.test import override_settings

    with override_settings(PAGE_CACHE=True, PAGE_CACHE_VERIFY=True):
        yield


@pytest.fixture(autouse=True)
def _no_kept_pages() -> None:
    """The cache table outlives a transactional test's flush, and a restored demo program
    has the same key: each test starts with no kept pages in this process."""
    from pathways.programs import page_cache

    page_cache.forget_all()


@pytest.fixture(autouse=True)
def _danish_between_tests() -> Iterator[None]:
    """Each request activates the reader's language in the thread that serves it, and the
    test client serves in the test's own thread: a test that asked for English would leave
    English active for the next test on the same worker. Every test starts in Danish."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
