"""The demo accounts sign in on a development install and are refused in production."""

from __future__ import annotations

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import override_settings
from django.urls import reverse

from pathways.programs.demo import DEMO_PASSWORD, DEMO_USERS, ensure_demo_users
from tests.factories import PASSWORD, UserFactory
from tests.support.settings_probe import production_env, settings_with

pytestmark = pytest.mark.django_db


def log_in(client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


@pytest.fixture
def demo_users():
    return ensure_demo_users()  # as `make start` (load_demo_data) creates them


@override_settings(DEMO_LOGINS_ALLOWED=True)
def test_demo_accounts_sign_in_on_a_development_install(client, demo_users):
    for demo in DEMO_USERS:
        response = log_in(client, demo.username, DEMO_PASSWORD)
        assert response.status_code == 302, demo.username
        assert int(client.session[SESSION_KEY]) == demo_users[demo.username].pk
        client.logout()


@override_settings(DEMO_LOGINS_ALLOWED=False)
def test_demo_accounts_are_refused_in_production_with_a_clear_message(client, demo_users):
    for demo in DEMO_USERS:
        response = log_in(client, demo.username, DEMO_PASSWORD)
        assert response.status_code == 200, demo.username
        assert SESSION_KEY not in client.session
        assert "Demokonti og demo-adgangskoden kan kun bruges" in response.content.decode()


@override_settings(DEMO_LOGINS_ALLOWED=False)
def test_the_published_demo_password_signs_no_one_in_in_production(client):
    UserFactory(username="karin", password=DEMO_PASSWORD)  # chose the published one
    response = log_in(client, "karin", DEMO_PASSWORD)
    assert response.status_code == 200 and SESSION_KEY not in client.session


@override_settings(DEMO_LOGINS_ALLOWED=False)
def test_real_accounts_still_sign_in_in_production(client, demo_users):
    UserFactory(username="karin")
    assert log_in(client, "karin", PASSWORD).status_code == 302
    client.logout()
    # A demo account whose password staff changed is someone's real account now.
    planner = demo_users["planlaegger"]
    planner.set_password(PASSWORD)
    planner.save()
    assert log_in(client, "planlaegger", PASSWORD).status_code == 302


def test_a_production_configuration_refuses_demo_logins():
    """What the README promises: with DJANGO_DEBUG=false the demo password signs no one in."""
    result = settings_with("settings.DEMO_LOGINS_ALLOWED", **production_env())
    assert result.stdout.strip() == "False", result.stderr
