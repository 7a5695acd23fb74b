"""'Giv feedback': a reader without an account writes to the program's editors."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.core import mail

from pathways.programs.models import AuditAction, AuditEntry, Membership, Role
from pathways.public import rate_limit
from pathways.public.models import Feedback
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editors(published_demo):
    program, _version = published_demo
    return [m.user for m in Membership.objects.filter(program=program, role=Role.EDITOR)]


def post(client, program, address: str = "127.0.0.1", **fields):
    data = {"message": "Telefonnummeret til ambulatoriet er forkert.", **fields}
    return client.post(f"/p/{program.code}/feedback/", data, REMOTE_ADDR=address)


def test_the_form_opens_without_an_account_and_names_the_version(client, published_demo):
    program, version = published_demo
    response = client.get(f"/p/{program.code}/feedback/?version=1.0")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one("input[name=version]")["value"] == "1.0"
    assert soup.select_one("label[for=id_message]") is not None
    assert version.title in soup.select_one("main").get_text()


def test_feedback_is_stored_logged_and_mailed_to_the_editors_after_commit(
    client, published_demo, editors, django_capture_on_commit_callbacks
):
    program, version = published_demo
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = post(client, program, version="1.0", name="Mette", email="mette@example.org")
    assert response.status_code == 302
    assert response["Location"] == f"/p/{program.code}/feedback/tak/"
    assert callbacks  # the mail waited for the commit
    feedback = Feedback.objects.get()
    assert (feedback.program, feedback.version) == (program, version)
    assert feedback.message == "Telefonnummeret til ambulatoriet er forkert."
    assert (feedback.name, feedback.email) == ("Mette", "mette@example.org")
    assert feedback.ip_hash and "127.0.0.1" not in feedback.ip_hash
    entry = AuditEntry.objects.get(program=program, action=AuditAction.FEEDBACK_RECEIVED)
    assert entry.user is None and entry.after["version"] == "1.0"
    addresses = sorted(address for m in mail.outbox for address in m.to)
    assert addresses == sorted(u.email for u in editors if u.email)
    assert editors and addresses
    assert "Telefonnummeret til ambulatoriet er forkert." in mail.outbox[0].body
    assert "mette@example.org" in mail.outbox[0].body
    thanks = client.get(response["Location"])
    assert "Tak for din feedback" in thanks.content.decode()


def test_no_mail_before_commit(client, published_demo, editors, django_capture_on_commit_callbacks):
    program, _version = published_demo
    with django_capture_on_commit_callbacks(execute=False):
        post(client, program)
    assert mail.outbox == []


def test_an_empty_message_gets_a_field_error_and_nothing_is_stored(client, published_demo):
    program, _version = published_demo
    response = post(client, program, message="   ", name="Mette")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    error = soup.select_one("#id_message").find_parent().get_text()
    assert "Skriv din besked til programmets redaktører." in error
    assert soup.select_one("#id_name")["value"] == "Mette"
    assert not Feedback.objects.exists()


def test_a_bad_email_is_refused_at_the_field_keeping_the_message(client, published_demo):
    program, _version = published_demo
    response = post(client, program, email="ikke en adresse")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one("#id_email")["aria-invalid"] == "true"
    assert "gyldig e-mail" in soup.select_one("#id_email_error").get_text()
    assert "Telefonnummeret til ambulatoriet er forkert." in soup.select_one("#id_message").text
    assert not Feedback.objects.exists()


def test_over_the_limit_the_form_comes_back_with_429_and_the_text_kept(client, published_demo):
    program, _version = published_demo
    for n in range(rate_limit.MAX_PER_ADDRESS):
        assert post(client, program, message=f"Besked {n}").status_code == 302
    response = post(client, program, message="Den sjette besked, som ikke må gå tabt")
    assert response.status_code == 429
    soup = BeautifulSoup(response.content, "html.parser")
    assert "Prøv igen om en time" in soup.select_one("#feedback-refused").get_text()
    assert "Den sjette besked, som ikke må gå tabt" in soup.select_one("#id_message").text
    assert Feedback.objects.count() == rate_limit.MAX_PER_ADDRESS
    # Another address may still write.
    other = post(client, program, address="10.0.0.9")
    assert other.status_code == 302


def test_the_program_wide_limit_holds_across_addresses(client, published_demo):
    program, _version = published_demo
    for n in range(rate_limit.MAX_PER_PROGRAM):
        rate_limit.count(program, f"address-{n}")
    assert post(client, program, address="10.0.0.10").status_code == 429


def test_a_filled_in_trap_field_is_thanked_but_not_stored(client, published_demo):
    program, _version = published_demo
    response = post(client, program, website="http://spam.example")
    assert response.status_code == 302
    assert not Feedback.objects.exists()


def test_an_unknown_version_number_leaves_the_version_empty(client, published_demo):
    program, _version = published_demo
    assert post(client, program, version="7.7").status_code == 302
    assert Feedback.objects.get().version is None


def test_editors_see_reader_feedback_on_the_program_page_in_one_query(
    client, published_demo, editors, django_assert_num_queries
):
    from django.template import Context, Template

    program, _version = published_demo
    for n in range(7):
        post(client, program, message=f"Besked nummer {n}", address=f"10.0.1.{n}")
    client.force_login(editors[0])
    page = BeautifulSoup(client.get(f"/programmer/{program.code}/").content, "html.parser")
    box = page.select_one("#reader-feedback")
    assert box is not None
    text = " ".join(box.get_text(" ").split())
    assert "7 beskeder fra læsere" in text
    assert "Besked nummer 6" in text and "Besked nummer 1" not in text  # the newest five
    template = Template("{% load reader_feedback %}{% reader_feedback program as f %}{{ f.count }}")
    with django_assert_num_queries(1):
        assert template.render(Context({"program": program})) == "7"


def test_readers_and_reviewers_do_not_see_the_feedback_box(client, published_demo):
    program, _version = published_demo
    reader = UserFactory()
    Membership.objects.create(program=program, user=reader, role=Role.READER)
    post(client, program)
    client.force_login(reader)
    page = BeautifulSoup(client.get(f"/programmer/{program.code}/").content, "html.parser")
    assert page.select_one("#reader-feedback") is None


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "Mette\r\nBcc: alle@example.org", "én linje"),
        ("message", "Hej\x00med NUL", "styretegn"),
        ("message", "Æ" * 5001, "5000"),
        ("email", "a@b@c", "gyldig e-mail"),
    ],
)
def test_hostile_input_gets_a_message_at_its_field_never_a_500(
    client, published_demo, field, value, message
):
    program, _version = published_demo
    response = post(client, program, **{field: value})
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert message in soup.select_one(f"#id_{field}_error").get_text()
    assert not Feedback.objects.exists()


def test_the_programs_log_shows_the_feedback_entry(client, published_demo, editors):
    program, _version = published_demo
    post(client, program, version="1.0", name="Mette")
    client.force_login(editors[0])
    response = client.get(f"/programmer/{program.code}/log/")
    assert response.status_code == 200
    text = " ".join(BeautifulSoup(response.content, "html.parser").get_text(" ").split())
    assert "Feedback fra læser modtaget" in text
    assert "Mette" in text
