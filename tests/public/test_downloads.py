"""The files of a published version, for anyone: its JSON, its PDF as published, Word."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

pytestmark = pytest.mark.django_db


def test_program_json_is_the_stored_document(client, published_demo):
    program, version = published_demo
    response = client.get(f"/p/{program.code}/1.0/program.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith("inline;")
    assert f"{program.code}-1.0.json" in response["Content-Disposition"]
    assert json.loads(response.content) == version.document


def test_the_pdf_is_the_stored_bytes(client, published_demo):
    program, version = published_demo
    response = client.get(f"/p/{program.code}/1.0/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content == bytes(version.pdf)
    assert "-version-1.0.pdf" in response["Content-Disposition"]


def test_word_downloads_a_docx_of_the_version(client, published_demo):
    program, version = published_demo
    response = client.get(f"/p/{program.code}/1.0/word/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert response["Content-Disposition"].startswith("attachment;")
    with zipfile.ZipFile(io.BytesIO(response.content)) as docx:
        body = docx.read("word/document.xml").decode("utf-8")
    assert "Sundhedsrådene i Region Nordjylland" in body


def test_files_need_no_login_but_refuse_writes(client, published_demo):
    program, _version = published_demo
    for suffix in ("", "1.0/", "1.0/program.json", "1.0/pdf/", "1.0/word/"):
        assert client.post(f"/p/{program.code}/{suffix}").status_code == 405
