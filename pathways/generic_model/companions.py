"""The companion references a program draws on, as the steps read them."""

from __future__ import annotations

from dataclasses import dataclass, field

from pathways.generic_model import models as m


@dataclass
class CompanionGuide:
    """The entries of the newest loaded version of each companion reference written for one
    model version (two queries, whatever the program)."""

    entries: list[m.CompanionEntry] = field(default_factory=list)

    def for_sections(self, numbers: set[str], list_name: str | None = None) -> list:
        return [
            e
            for e in self.entries
            if (list_name is None or e.list_name == list_name) and numbers & set(e.sections)
        ]

    def by_list(self, numbers: set[str], *lists: str) -> list[tuple[str, list]]:
        """(list label, entries) for the lists given (default: all), skipping empty ones."""
        found = []
        for list_name in lists or m.CompanionList.values:
            entries = self.for_sections(numbers, list_name)
            if entries:
                found.append((str(m.CompanionList(list_name).label), entries))
        return found

    def of_list(self, list_name: str) -> list[m.CompanionEntry]:
        return [e for e in self.entries if e.list_name == list_name]

    @property
    def companions(self) -> list[m.CompanionVersion]:
        return list({e.companion_id: e.companion for e in self.entries}.values())


def load_guide(version: m.ModelVersion) -> CompanionGuide:
    """One query: every loaded companion entry for the version, kept for the newest version
    of each companion."""
    entries = list(
        m.CompanionEntry.objects.filter(companion__model_version=version)
        .select_related("companion", "same_as")
        .order_by(
            "companion__slug",
            "-companion__publication_year",
            "-companion__loaded_at",
            "list_name",
            "position",
        )
    )
    newest: dict[str, int] = {}
    for entry in entries:
        newest.setdefault(entry.companion.slug, entry.companion_id)
    return CompanionGuide(
        entries=[e for e in entries if newest[e.companion.slug] == e.companion_id]
    )


def entries_by_identifier(identifiers: set[str]) -> dict[str, m.CompanionEntry]:
    """Entries named in a stored program document ("slug@version:key"), for reading a
    published version without its program."""
    wanted: dict[tuple[str, str], set[str]] = {}
    for identifier in identifiers:
        head, _sep, key = identifier.partition(":")
        slug, _at, version = head.partition("@")
        wanted.setdefault((slug, version), set()).add(key)
    found: dict[str, m.CompanionEntry] = {}
    for (slug, version), keys in wanted.items():
        for entry in m.CompanionEntry.objects.filter(
            companion__slug=slug, companion__version=version, key__in=keys
        ).select_related("companion"):
            found[entry.identifier] = entry
    return found
