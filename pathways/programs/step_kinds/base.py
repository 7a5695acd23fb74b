"""What every step kind shares: values, the bundle of a step's forms, and the definition
each kind fills in.

Values are a flat dict: field id → raw value. A field id is the HTML name of the form
field (`basis-title`, `point-12-answer`); a list of rows (working group, codes, actors) is
one value under its formset prefix (`wg`). Values are what the forms are filled from,
what a posted form is turned into, what services.save_step compares and merges, and what
a step's snapshot stores: one representation, so "unchanged" means equal.

Raw values: text ("\\n" line ends), ids of the program's actors and the model's entries
(int or None), choices as their stored code, dates as ISO strings, sets as sorted lists.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from itertools import groupby
from types import MappingProxyType
from typing import Any, ClassVar

from django import forms as djforms
from django.http import QueryDict

from pathways.generic_model import models as gm
from pathways.programs.data import ModelData, ProgramData
from pathways.programs.forms import ActorCheckboxes, ActorChoices
from pathways.programs.steps import Step, StepKind

Values = dict[str, Any]


@dataclass(frozen=True)
class Gap:
    """Something a step still lacks (or, as a warning, what the model advises)."""

    message: str
    anchor: str = ""  # id of the field or fieldset on the step page
    # Advice only: names it within its step, language-free, so the group's reason for
    # deciding otherwise (AdviceDeparture) stays with it. Letters, digits and "-" only.
    key: str = ""


@dataclass
class Findings:
    gaps: list[Gap] = field(default_factory=list)
    advice: list[Gap] = field(default_factory=list)


class StepDefinition:
    """One step kind, in one module: its values, forms, write, checks and template.

    - `read` turns the loaded program into the step's values;
    - `forms` builds the step's forms, bound to a post or filled from values;
    - `write` stores values (on the locked program) and updates the loaded bundle to match,
      so the step reads back without loading the program again; it returns True when the
      write changed what other steps hold (then the caller reloads);
    - `check` adds the step's gaps (must be answered before review) and advice (the model
      recommends; the group may decide otherwise) (completeness.py);
    - `template` shows the forms; the readable rendering (review screen, versions, diff,
      log) comes from the same forms' labels (readable.py).
    """

    kind: ClassVar[StepKind]
    template: ClassVar[str]
    # How the program document (document.py) holds what the values hold by database id:
    # field name → the kind of entry it refers to ("actor", "grouping", "system",
    # "actor_type"); the document names it by its identifier (an actor's ref, a key).
    references: ClassVar[dict[str, str]] = {}
    # Choices stored as "yes"/"no"/"" (what the page posts); the document holds true/false/null.
    yes_no_fields: ClassVar[frozenset[str]] = frozenset()
    # Lists of rows: the value key (the formset's prefix) → the document's name for the list.
    lists: ClassVar[dict[str, str]] = {}

    def read(self, step: Step, data: ProgramData) -> Values:
        raise NotImplementedError

    def forms(self, step: Step, data: ProgramData, values: Values, bind: dict) -> StepForms:
        raise NotImplementedError

    def write(self, step: Step, data: ProgramData, values: Values) -> bool:
        raise NotImplementedError

    def check(self, step: Step, data: ProgramData, found: Findings) -> None:
        raise NotImplementedError

    def refers_to(self, field: str) -> str | None:
        """The kind of entry a field's value names (see `references`), or None."""
        return self.references.get(field)

    def field_labels(self, step: Step, model: ModelData) -> dict[str, str]:
        """The step's own fields (not those of its attention points, criteria or
        transitions) by their name in the program document → label, in the active language:
        what a reader of a stored document without its program (the PDF) calls them."""
        found = self.forms(step, _ModelOnly(model), {}, {})
        labels: dict[str, str] = {}
        for form in found.named.values():
            if isinstance(form, djforms.BaseFormSet):
                labels[self.lists.get(form.prefix, form.prefix)] = str(form.title)
            else:
                labels.update({name: str(f.label or name) for name, f in form.fields.items()})
        return labels

    def asks_points(self, step: Step, data: ProgramData) -> bool:
        """Whether the step's attention points must be answered (completeness counts them)."""
        return True


class _ModelOnly:
    """The model's entries with no program content: enough to build a step's forms."""

    actors: list = []
    # A part's companion lists (companion_links.py): none linked, read only.
    coordination_tools = offer_links = offer_gaps = MappingProxyType({})

    def __init__(self, model: ModelData) -> None:
        self._model = model

    def __getattr__(self, name: str) -> Any:
        return getattr(self._model, name)


def raw(value: Any) -> Any:
    """One representation for a value, whether it came from the database or a form."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n")
    if isinstance(value, list | tuple | set):
        items = [raw(v) for v in value]
        return items if any(isinstance(v, dict) for v in items) else sorted(items, key=str)
    if isinstance(value, dict):
        return {k: raw(v) for k, v in value.items()}
    return value


def prefixed(prefix: str, values: dict[str, Any]) -> Values:
    return {f"{prefix}-{name}": raw(value) for name, value in values.items()}


def unprefixed(prefix: str, values: Values) -> dict[str, Any]:
    start = f"{prefix}-"
    return {k[len(start) :]: v for k, v in values.items() if k.startswith(start)}


def grouped(values: Values, kind: str) -> dict[int, dict[str, Any]]:
    """{pk: fields} of every `kind-<pk>-<field>` value, e.g. every attention point."""
    found: dict[int, dict[str, Any]] = {}
    for key, value in values.items():
        head, _sep, rest = key.partition("-")
        pk, _sep, name = rest.partition("-")
        if head == kind and pk.isascii() and pk.isdigit() and name:
            found.setdefault(int(pk), {})[name] = value
    return found


def rows(objects: list, names: tuple[str, ...], **getters: Callable[[Any], Any]) -> list[dict]:
    return [
        {n: raw(getters[n](o) if n in getters else getattr(o, n)) for n in names} for o in objects
    ]


def text(value: Any) -> str:
    """A stored text from a value (anything else, e.g. a tampered import, stores empty)."""
    return value if isinstance(value, str) else ""


def day(value: Any) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def blank(value: str | None) -> bool:
    return not (value or "").strip()


def actor_ids(data: ProgramData) -> set[int]:
    return {a.pk for a in data.actors}


def actor_or_none(value: Any, allowed: set[int]) -> int | None:
    # Forms already restrict choices; this guards against an actor deleted meanwhile.
    return value if value in allowed else None


def actor_choices(data: ProgramData) -> ActorChoices:
    return [(a.pk, a.name) for a in data.actors]


def formset(cls, *, prefix: str, rows: list, bind: dict, **kwargs) -> djforms.BaseFormSet:
    """A list bound to what was posted, or filled with the stored rows.

    A bound list gets no initial rows: the posted rows are the list, whatever INITIAL_FORMS
    says (Django would skip an "extra" row equal to its initial row, and the save would
    drop it). Tampered management data gets the stored rows and a refusal instead.
    """
    if not bind:
        return cls(prefix=prefix, initial=rows, **kwargs)
    problem = cls.management_problem(bind["data"], prefix)
    if problem is None:
        return cls(prefix=prefix, **bind, **kwargs)
    found = cls(prefix=prefix, initial=rows, **kwargs)
    found.refusal = problem
    return found


@dataclass
class StepForms:
    named: dict[str, djforms.Form | djforms.BaseFormSet] = field(default_factory=dict)
    criteria: list[tuple[gm.Criterion, djforms.Form]] = field(default_factory=list)
    needs: list[tuple[gm.Need, djforms.Form]] = field(default_factory=list)
    points: list[tuple[gm.AttentionPoint, djforms.Form]] = field(default_factory=list)
    transitions: list[tuple[gm.Transition, djforms.Form]] = field(default_factory=list)

    def all_forms(self) -> list[djforms.Form | djforms.BaseFormSet]:
        return [
            *self.named.values(),
            *(form for _, form in self.criteria),
            *(form for _, form in self.needs),
            *(form for _, form in self.points),
            *(form for _, form in self.transitions),
        ]

    def refusals(self) -> list[str]:
        return [form.refusal for form in self.all_forms() if getattr(form, "refusal", None)]

    def is_valid(self) -> bool:
        valid = all([form.is_valid() for form in self.all_forms()])  # validate every form
        return valid and not self.refusals()

    def error_count(self) -> int:
        return len(self.error_list)

    @cached_property
    def error_list(self) -> list[tuple[str, str, str]]:
        """(field id, field label, message) of every error, in page order; the id and label
        are empty for errors of a whole list (formset), e.g. tampered management data."""
        found = [("", "", message) for message in self.refusals()]
        for form in self.all_forms():
            inner = [form]
            if isinstance(form, djforms.BaseFormSet):
                found += [("", "", str(message)) for message in form.non_form_errors()]
                inner = form.forms
            for bound_form in inner:
                for name, errors in bound_form.errors.items():
                    bound = bound_form[name] if name in bound_form.fields else None
                    field_id = bound.id_for_label if bound else ""
                    label = str(bound.label) if bound else ""
                    found += [(field_id, label, str(message)) for message in errors]
        return found

    def point_groups(self) -> list[tuple[str, list[tuple[gm.AttentionPoint, Any]]]]:
        return [(g, list(items)) for g, items in groupby(self.points, key=lambda i: i[0].group)]

    def values(self) -> Values:
        """The posted content of valid forms, as values."""
        values: Values = {}
        for form in self.all_forms():
            if isinstance(form, djforms.BaseFormSet):
                values[form.prefix] = [
                    raw({k: v for k, v in fm.cleaned_data.items() if k != "DELETE"})
                    for fm in form.forms
                    if fm.cleaned_data and not fm.cleaned_data.get("DELETE")
                ]
            else:
                values.update(prefixed(form.prefix, form.cleaned_data))
        return values

    def posted_text(self) -> list[tuple[str, str]]:
        """(label, text) of every filled-in field as the browser sent it, valid or not: what
        a refused save shows back so nothing typed is lost."""
        found = []
        for form in self.all_forms():
            inner = form.forms if isinstance(form, djforms.BaseFormSet) else [form]
            for bound_form in inner:
                for name in bound_form.fields:
                    value = bound_form[name].value() if bound_form.is_bound else None
                    if isinstance(value, str) and value.strip():
                        found.append((self.labels.get(bound_form.add_prefix(name), name), value))
        return found

    @cached_property
    def labels(self) -> dict[str, str]:
        """Field id → a label that says where the field is (e.g. the attention point)."""
        context = {
            **{form.prefix: c.title for c, form in self.criteria},
            **{form.prefix: n.title for n, form in self.needs},
            **{form.prefix: f"{p.reference} {p.title}" for p, form in self.points},
            **{form.prefix: t.title for t, form in self.transitions},
        }
        labels = {}
        for form in self.all_forms():
            if isinstance(form, djforms.BaseFormSet):
                labels[form.prefix] = str(getattr(form, "title", form.prefix))
                continue
            for name, fld in form.fields.items():
                where = context.get(form.prefix)
                label = str(fld.label or name)
                labels[form.add_prefix(name)] = f"{where}: {label}" if where else label
        return labels

    @cached_property
    def anchors(self) -> dict[str, str]:
        """Field id → the id of the element on the step page that shows it: the field's own
        input, or the fieldset of its list, attention point or transition."""
        found = {}
        grouped_prefixes = {
            form.prefix
            for _, form in (*self.criteria, *self.needs, *self.points, *self.transitions)
        }
        for form in self.all_forms():
            if isinstance(form, djforms.BaseFormSet):
                found[form.prefix] = getattr(form, "anchor", form.prefix)
                continue
            for name, fld in form.fields.items():
                key = form.add_prefix(name)
                # A list of radio buttons or checkboxes has no element of its own id: its
                # first choice has (the actor picker's fieldset keeps the field's id).
                first = (
                    "_0"
                    if isinstance(fld.widget, djforms.RadioSelect | djforms.CheckboxSelectMultiple)
                    and not isinstance(fld.widget, ActorCheckboxes)
                    else ""
                )
                found[key] = form.prefix if form.prefix in grouped_prefixes else f"id_{key}{first}"
        return found

    def post_data(self) -> QueryDict:
        """What a browser would post for these (unbound) forms as they stand: used to check
        values that did not come from a page (an imported file) with the same forms."""
        data = QueryDict(mutable=True)
        for form in self.all_forms():
            inner = [form]
            if isinstance(form, djforms.BaseFormSet):
                for name in form.management_form.fields:
                    bound = form.management_form[name]
                    data[bound.html_name] = str(bound.value())
                inner = form.forms
            for bound_form in inner:
                for bound in bound_form:
                    value = bound.value()
                    if value is None or value is False:
                        continue
                    if isinstance(value, list | tuple):
                        data.setlist(bound.html_name, [str(v) for v in value])
                    else:
                        data[bound.html_name] = "on" if value is True else str(value)
        return data

    def field(self, key: str) -> djforms.Field | None:
        for form in self.all_forms():
            if not isinstance(form, djforms.BaseFormSet) and key.startswith(form.prefix + "-"):
                return form.fields.get(key[len(form.prefix) + 1 :])
        return None

    def formset(self, key: str) -> djforms.BaseFormSet | None:
        found = next(
            (
                form
                for form in self.all_forms()
                if isinstance(form, djforms.BaseFormSet) and form.prefix == key
            ),
            None,
        )
        return found
