"""Checks across the audits of one package, made before anything is written.

Each audit of a package is checked on its own when it is read (models/package_shape.py);
these checks are of the package as a whole: an audit id, a department's cycle, a table
row or an evidence file is in it once, and evidence points at a question its audit's
questionnaire has and at a row of that audit's own table. Merging writes each audit by
its ids, so an id given twice would write one audit's content into another's.
"""

from __future__ import annotations

from collections.abc import Iterable

from models.package_records import PackagedAudit
from models.questionnaire import DefinitionError, get_questionnaire


def _where(n: int, item: PackagedAudit) -> str:
    return f"audits[{n}] ({item.title})"


def _first_seen(
    audits: list[PackagedAudit], keys: Iterable[tuple[int, str]], what: str
) -> list[str]:
    """One line per key that two audits share, naming the key and both audits."""
    seen: dict[str, int] = {}
    found = []
    for n, key in keys:
        first = seen.setdefault(key, n)
        if first != n:
            found.append(
                f"{what} {key!r} is in both {_where(first, audits[first])} and "
                f"{_where(n, audits[n])}"
            )
    return found


def _cycle(item: PackagedAudit) -> str:
    return " ".join(item.audit.cycle.split()).casefold()


def cross_audit_problems(audits: list[PackagedAudit]) -> list[str]:
    """What makes a package's audits collide with each other (empty when nothing does)."""
    numbered = list(enumerate(audits))
    found = _first_seen(audits, ((n, a.audit.id) for n, a in numbered), "the audit id")
    for name, key in (
        ("department id", lambda a: a.department.id),
        ("department", lambda a: " ".join(a.department.name.split()).casefold()),
    ):
        pairs: dict[tuple[str, str], int] = {}
        for n, a in numbered:
            first = pairs.setdefault((key(a), _cycle(a)), n)
            if first != n and a.audit.id != audits[first].audit.id:
                found.append(
                    f"{_where(first, audits[first])} and {_where(n, audits[n])} are two audits "
                    f"of one {name} for one cycle"
                )
    rows = ((n, r.id) for n, a in numbered for r in {r.id: r for r in a.rows}.values())
    found += _first_seen(audits, rows, "the table row id")
    files = ((n, e.id) for n, a in numbered for e in {e.id: e for e in a.evidence}.values())
    found += _first_seen(audits, files, "the evidence id")
    found += evidence_problems(audits)
    return list(dict.fromkeys(found))


def evidence_problems(audits: list[PackagedAudit]) -> list[str]:
    """Evidence on a question its audit's questionnaire lacks, or on a row the package gives
    to another audit or another table: what `evidence add` refuses (models/evidence.py)."""
    owners = {r.id: (n, r.table) for n, a in enumerate(audits) for r in a.rows}
    found = []
    for n, item in enumerate(audits):
        audit = item.audit
        try:
            form = get_questionnaire(audit.questionnaire_id, audit.questionnaire_version)
        except DefinitionError:
            continue  # refused when the package is read
        for e in item.evidence:
            at = f"{_where(n, item)}: the evidence file {e.name!r}"
            if not form.has_question(e.question_id):
                found.append(f"{at} is on a question {e.question_id!r} the questionnaire lacks")
            elif e.row_id is not None and e.row_id in owners:
                owner, table = owners[e.row_id]
                if owner != n:
                    found.append(f"{at} is on a row ({e.row_id}) of {_where(owner, audits[owner])}")
                elif table != e.question_id:
                    found.append(f"{at} is on a row ({e.row_id}) of another table ({table!r})")
    return found
