"""`{{ text|formatted }}`: a long text's Markdown subset as sanitised HTML (formatted_text.py)."""

from django import template
from django.utils.safestring import SafeString

from pathways.formatted_text import render
from pathways.programs import forms

register = template.Library()


@register.filter(is_safe=True)
def formatted(text: str | None) -> SafeString:
    return render(text)


@register.simple_tag
def formatting_help(*id_parts: object) -> SafeString:
    """The formatting help line (and preview hook) for a text area written by hand, whose
    id is the parts joined ({% formatting_help "reply-" comment.pk %})."""
    return forms.formatting_help("".join(str(part) for part in id_parts))
