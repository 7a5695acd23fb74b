"""Three-way merge of a step's values, field by field.

Two editors load the same revision (the *base*); one saves (*theirs*, now stored); the
other saves later (*mine*). A field only one side changed takes that side's value without
asking; a field both changed to different values is a conflict, decided by the person
saving. With no base (a step saved before snapshots existed), every differing field is a
conflict: nothing is overwritten on a guess.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Values = dict[str, Any]
Choice = Literal["mine", "theirs"]


@dataclass
class MergeResult:
    values: Values  # what would be stored; a conflicting field holds *mine* until decided
    conflicts: list[str] = field(default_factory=list)  # field ids, in form order
    taken_from_theirs: list[str] = field(default_factory=list)


def merge(
    *,
    base: Values | None,
    theirs: Values,
    mine: Values,
    decisions: dict[str, Choice] | None = None,
) -> MergeResult:
    decisions = decisions or {}
    result = MergeResult(values=dict(theirs))
    for key, my_value in mine.items():
        their_value = theirs.get(key)
        if my_value == their_value:
            continue
        base_value = base.get(key) if base is not None else None
        if base is not None and my_value == base_value:
            result.taken_from_theirs.append(key)  # only they changed it
        elif base is not None and their_value == base_value:
            result.values[key] = my_value  # only I changed it
        elif decisions.get(key) == "theirs":
            pass
        elif decisions.get(key) == "mine":
            result.values[key] = my_value
        else:
            result.values[key] = my_value
            result.conflicts.append(key)
    return result
