"""The control-character validators that single-line and multi-line fields use."""

from __future__ import annotations

import pytest
from django import forms
from django.core.exceptions import ValidationError

from pathways.security.validators import (
    ControlCharacterValidator,
    reject_control_characters,
    reject_control_characters_multiline,
)

C0 = [chr(c) for c in range(0x00, 0x20)]
C1 = [chr(c) for c in range(0x80, 0xA0)]
CONTROL = [*C0, "\x7f", *C1]
LINE_BREAKS = ["\n", "\r", "\t"]
ORDINARY = [
    "Region Nordjylland",
    "Æblegrød, øl og å",
    "Ḱ ﬁ — “quoted” ½ ² ١٢",  # letters, ligatures, punctuation and other digits are text
    "😀 emoji",
    "",
    "\u00a0non-breaking space",  # U+00A0 is the first character after C1
]


@pytest.mark.parametrize("char", CONTROL, ids=lambda c: f"U+{ord(c):04X}")
def test_single_line_fields_refuse_every_control_character(char):
    with pytest.raises(ValidationError) as caught:
        reject_control_characters(f"Titel{char}med styretegn")
    assert caught.value.code == "control_character"


@pytest.mark.parametrize("char", [c for c in CONTROL if c not in LINE_BREAKS], ids=repr)
def test_multi_line_fields_refuse_control_characters_other_than_line_breaks(char):
    with pytest.raises(ValidationError):
        reject_control_characters_multiline(f"Linje 1\nLinje{char}2")


def test_multi_line_fields_allow_line_feed_carriage_return_and_tab():
    reject_control_characters_multiline("Linje 1\r\nLinje 2\n\tindrykket")


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_text_passes_both(text):
    reject_control_characters(text)
    reject_control_characters_multiline(text)


def test_a_line_break_in_a_single_line_field_says_so():
    with pytest.raises(ValidationError) as caught:
        reject_control_characters("Titel\r\nBcc: x@example.org")
    assert "én linje" in " ".join(caught.value.messages)


def test_the_message_names_the_character_and_its_position():
    with pytest.raises(ValidationError) as caught:
        reject_control_characters("ab\x1bc")
    message = " ".join(caught.value.messages)
    assert "U+001B" in message and "plads 3" in message


def test_values_that_are_not_text_are_left_to_other_validators():
    reject_control_characters(None)
    reject_control_characters(42)


def test_in_a_form_the_error_is_at_the_field_and_nothing_is_cleaned():
    class TitleForm(forms.Form):
        title = forms.CharField(validators=[reject_control_characters])
        body = forms.CharField(
            widget=forms.Textarea, validators=[reject_control_characters_multiline]
        )

    form = TitleForm({"title": "Et\x85program", "body": "To\r\nlinjer"})
    assert not form.is_valid()
    assert list(form.errors) == ["title"]
    assert form.cleaned_data == {"body": "To\r\nlinjer"}


def test_validators_compare_equal_so_migrations_stay_stable():
    assert reject_control_characters == ControlCharacterValidator()
    assert reject_control_characters != reject_control_characters_multiline
    assert reject_control_characters.deconstruct()[0].endswith("ControlCharacterValidator")


def test_one_line_makes_a_safe_header_from_any_text():
    from pathways.mail import one_line as single_line  # the one header-safe helper

    assert single_line("Et\r\nBcc: x@example.org\x1b[2J  program\x00") == (
        "Et Bcc: x@example.org [2J program"
    )
    assert single_line("") == ""
