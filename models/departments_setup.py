"""Adding a department by name or abbreviation: the GOV.UK list fills in the rest.

What the Add department dialog does for a person picking from the list, for a script
giving "DWP" or "Department for Work and Pensions".
"""

from __future__ import annotations

from models.records import Department
from models.reference import DepartmentEntry, departments
from models.store import Store
from models.validation import clean_label


class DuplicateDepartmentError(ValueError):
    """The workspace already has that department."""


def _key(text: str) -> str:
    """As names are stored (clean_label): one an earlier version kept uncleaned still matches."""
    return " ".join(clean_label(text).replace("&", "and").split()).lower()


def listed_department(text: str) -> DepartmentEntry | None:
    """The GOV.UK organisation with this name, abbreviation or GOV.UK id, or None."""
    wanted = _key(text)
    if not wanted:
        return None
    for entry in departments():
        if wanted in (_key(entry.name), _key(entry.govuk_id)):
            return entry
    matches = [e for e in departments() if e.abbreviation and _key(e.abbreviation) == wanted]
    return matches[0] if len(matches) == 1 else None


def add_listed_department(
    store: Store, text: str, abbreviation: str | None = None
) -> tuple[Department, DepartmentEntry | None]:
    """Add the department `text` names (filled in from the GOV.UK list when it is on it).

    Refuses (DuplicateDepartmentError) a department the workspace already has by name,
    abbreviation or GOV.UK id, as the dialog does; a name not on the list is added as typed.
    """
    entry = listed_department(text)
    name = entry.name if entry else " ".join(text.split())
    abbr = abbreviation if abbreviation is not None else (entry.abbreviation if entry else "")
    govuk_id = entry.govuk_id if entry else ""
    return add_new_department(store, name, abbr, govuk_id), entry


def add_new_department(store: Store, name: str, abbreviation: str, govuk_id: str) -> Department:
    """Add a department unless the workspace already has it, the one rule for the Add
    department dialog and the command line: the same name, GOV.UK id or abbreviation (a
    name that is a held department's abbreviation too) is refused (DuplicateDepartmentError).
    """
    name, abbr = " ".join(name.split()), abbreviation.strip()
    for held in store.departments():
        same = _key(held.name) == _key(name) or bool(govuk_id and held.govuk_id == govuk_id)
        abbreviated = _key(held.abbreviation) if held.abbreviation else ""
        if same or (abbreviated and abbreviated in (_key(abbr), _key(name))):
            raise DuplicateDepartmentError(
                f"{held.display} is already in {store.path.name}; nothing was added."
            )
    return store.add_department(name, abbr, govuk_id)
