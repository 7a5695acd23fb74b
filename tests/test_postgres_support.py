"""The test run's own PostgreSQL server: a missing binary is a clear error, not a skip."""

import pytest

from tests.support.postgres import PostgresUnavailable, find_binary


def test_missing_server_binary_names_the_package_to_install(tmp_path):
    with pytest.raises(PostgresUnavailable) as caught:
        find_binary("initdb", search_path=str(tmp_path))
    assert "'initdb' is missing" in str(caught.value)
    assert "apt-get install postgresql" in str(caught.value)


def test_installed_server_binary_is_found():
    assert find_binary("pg_ctl").name == "pg_ctl"
