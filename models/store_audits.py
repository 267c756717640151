"""The workspace's departments and audits: creating, finding, renaming, status, copy forward."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from models.content_hash import content_hash, sign_off_record
from models.cycle_dates import latest_cycle
from models.records import STATUSES, Audit, Department
from models.store_base import DuplicateAuditError, _dump, _new_id, _now
from models.store_content import StoreContent
from models.validation import checked_label, clean_label

if TYPE_CHECKING:
    from models.questionnaire import Questionnaire


class StoreAudits(StoreContent):
    """Departments and audits (part of Store)."""

    # ------------------------------------------------------------------ departments
    def add_department(self, name: str, abbreviation: str = "", govuk_id: str = "") -> Department:
        name = checked_label(name, "department name")
        abbreviation = checked_label(abbreviation, "abbreviation")
        if not name:
            raise ValueError("A department needs a name.")
        dept = Department(_new_id(), name, abbreviation.strip(), govuk_id.strip(), _now())
        with self.transaction("add the department"):
            self.conn.execute(
                "INSERT INTO departments (id, name, abbreviation, govuk_id, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                [dept.id, dept.name, dept.abbreviation, dept.govuk_id, dept.created_at],
            )
        return dept

    def departments(self) -> list[Department]:
        rows = self.conn.execute(
            "SELECT id, name, abbreviation, govuk_id, created_at FROM departments"
            " ORDER BY name COLLATE NOCASE"
        ).fetchall()
        return [Department(*r) for r in rows]

    def department(self, department_id: str) -> Department:
        row = self.conn.execute(
            "SELECT id, name, abbreviation, govuk_id, created_at FROM departments WHERE id = ?",
            [department_id],
        ).fetchone()
        if row is None:
            raise KeyError(f"no department {department_id}")
        return Department(*row)

    def find_department(self, name_or_id: str) -> Department | None:
        """A department by id, exact name or abbreviation (case-insensitive): as given (a name
        an earlier version stored uncleaned), else as names are stored ('Ysgol  Môr ')."""
        for wanted in dict.fromkeys((name_or_id, clean_label(name_or_id))):
            row = self.conn.execute(
                "SELECT id, name, abbreviation, govuk_id, created_at FROM departments"
                " WHERE id = ? OR lower(name) = lower(?) OR (abbreviation != '' AND"
                " lower(abbreviation) = lower(?)) LIMIT 1",
                [wanted, wanted, wanted],
            ).fetchone()
            if row:
                return Department(*row)
        wanted = clean_label(name_or_id).lower()  # one stored uncleaned, typed plainly
        return next(
            (d for d in self.departments() if wanted and clean_label(d.name).lower() == wanted),
            None,
        )

    def rename_department(self, department_id: str, name: str) -> Department:
        """Give a department a new name: recorded in history (migration v7) and carried by
        packages, so a merge takes it like any other change (models/merge_identity.py)."""
        name = checked_label(name, "department name")
        if not name:
            raise ValueError("A department needs a name.")
        with self.transaction("rename the department"):
            self.department(department_id)  # KeyError for an unknown department
            self.conn.execute("UPDATE departments SET name = ? WHERE id = ?", [name, department_id])
        return self.department(department_id)

    # ------------------------------------------------------------------ audits
    _AUDIT_COLUMNS = (
        "id, department_id, department_name, cycle, questionnaire_id, questionnaire_version,"
        " status, auditor, created_at, updated_at, copied_from, source, content_hash"
    )

    def create_audit(
        self,
        department_id: str,
        cycle: str,
        questionnaire: Questionnaire,
        auditor: str = "",
        *,
        copied_from: str | None = None,
        source: str = "",
    ) -> Audit:
        cycle = checked_label(cycle, "cycle label")
        if not cycle:
            raise ValueError("An audit needs a cycle label, such as '2013 baseline'.")
        from models.questionnaire import questionnaire_key_problem

        problem = questionnaire_key_problem(questionnaire.id, questionnaire.version)
        if problem is not None:  # ids from outside are identifiers, never paths
            raise ValueError(f"An audit cannot be made on that questionnaire: {problem}.")
        dept = self.department(department_id)
        now = _now()
        audit = Audit(
            _new_id(), dept.id, dept.name, cycle, questionnaire.id, questionnaire.version,
            "draft", checked_label(auditor, "auditor"), now, now, copied_from, source, "",
        )  # fmt: skip
        with self.transaction("create the audit"):
            held = self.find_audit(dept.id, cycle)  # one stored uncleaned is the same cycle
            if held is not None:
                raise DuplicateAuditError(f"{dept.name} already has an audit for {held.cycle!r}.")
            self.conn.execute(
                f"INSERT INTO audits ({self._AUDIT_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [
                    audit.id, audit.department_id, audit.department_name, audit.cycle,
                    audit.questionnaire_id, audit.questionnaire_version, audit.status,
                    audit.auditor, audit.created_at, audit.updated_at, audit.copied_from,
                    audit.source, audit.content_hash,
                ],
            )  # fmt: skip
        return audit

    def audits(self, department_id: str | None = None) -> list[Audit]:
        sql = f"SELECT {self._AUDIT_COLUMNS} FROM audits"
        params: list[Any] = []
        if department_id is not None:
            sql += " WHERE department_id = ?"
            params.append(department_id)
        sql += " ORDER BY created_at, cycle"
        return [Audit(*r) for r in self.conn.execute(sql, params).fetchall()]

    def audit(self, audit_id: str) -> Audit:
        row = self.conn.execute(
            f"SELECT {self._AUDIT_COLUMNS} FROM audits WHERE id = ?", [audit_id]
        ).fetchone()
        if row is None:
            raise KeyError(f"no audit {audit_id}")
        return Audit(*row)

    def find_audit(self, department_id: str, cycle: str) -> Audit | None:
        """The department's audit for the cycle: as given, else by cleaned forms (a cycle an
        earlier version stored uncleaned, asked for plainly, or the other way round)."""
        row = self.conn.execute(
            f"SELECT {self._AUDIT_COLUMNS} FROM audits WHERE department_id = ? AND cycle = ?",
            [department_id, cycle],
        ).fetchone()
        if row:
            return Audit(*row)
        wanted = clean_label(cycle)
        return next(
            (a for a in self.audits(department_id) if wanted and clean_label(a.cycle) == wanted),
            None,
        )

    def latest_audit(self, department_id: str) -> Audit | None:
        """The audit copy forward starts from: of the cycle naming the latest year (cycle_dates)."""
        from models.department_lineage import lineage_audits  # the Store is its argument

        audits = list(lineage_audits(self, department_id).values())  # renames too: DCLG's
        chosen = latest_cycle([a.cycle for a in audits])
        return next((a for a in audits if a.cycle == chosen), None)

    def set_audit_fields(
        self, audit_id: str, *, auditor: str | None = None, status: str | None = None
    ) -> None:
        with self.transaction("update the audit"):
            if auditor is not None:
                self.conn.execute(
                    "UPDATE audits SET auditor = ?, updated_at = ? WHERE id = ?",
                    [checked_label(auditor, "auditor"), _now(), audit_id],
                )
            if status is not None:
                self.set_status(audit_id, status)

    def set_status(self, audit_id: str, status: str, *, note: str = "") -> Audit:
        """Move an audit to `status`, recorded in its history with `note` (a reason).

        Signing off takes the content hash; any other status clears it. The rules of which
        moves are allowed live in models/lifecycle.py; this only stores the result. Inside
        recording() (a merge) the move is sealed as that says: brought in, not made here.
        """
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}")
        with self.recording(note=note or self._seal_note, own=self._seal_own):
            self.audit(audit_id)  # KeyError for an unknown audit
            digest = content_hash(self.conn, audit_id) if status == "signed_off" else ""
            signed_as = sign_off_record(self.conn, audit_id, digest) if digest else ""
            self.conn.execute(
                "UPDATE audits SET status = ?, content_hash = ?, signed_as = ?, updated_at = ?"
                " WHERE id = ?",
                [status, digest, signed_as, _now(), audit_id],
            )
        return self.audit(audit_id)

    def content_hash(self, audit_id: str) -> str:
        """The hash of what the audit holds now (compare with the one kept at sign-off)."""
        return content_hash(self.conn, audit_id)

    def copy_forward(
        self,
        source_audit_id: str,
        cycle: str,
        questionnaire: Questionnaire,
        auditor: str = "",
        department_id: str = "",
    ) -> Audit:
        """A new audit for `cycle`, pre-filled with the answers and rows of the source audit.

        Only answers to questions (and cells of columns) that the target questionnaire
        still has are carried over; comments stay with the year they were written in.
        `department_id`: the department the new audit is for, when the source is of the name
        it had before a rename (DCLG's 2014 review copied into MHCLG's 2019 review).
        """
        source = self.audit(source_audit_id)
        with self.transaction("copy the audit forward"):
            audit = self.create_audit(
                department_id or source.department_id, cycle, questionnaire,
                auditor or source.auditor,
                copied_from=source.id, source=f"copied from {source.cycle}",
            )  # fmt: skip
            now = _now()
            for question_id, value in self.answers(source.id).items():
                if questionnaire.has_question(question_id):
                    target = questionnaire.question(question_id)
                    if not target.is_table:
                        self.conn.execute(
                            "INSERT INTO answers (audit_id, question_id, value, updated_at)"
                            " VALUES (?, ?, ?, ?)",
                            [audit.id, question_id, _dump(value), now],
                        )
            for table in questionnaire.table_questions():
                keep = {c.id for c in table.columns}
                rows = self.rows(source.id, table.id)
                self.conn.executemany(
                    "INSERT INTO table_rows"
                    " (id, audit_id, question_id, position, cells, updated_at)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    [
                        (
                            _new_id(),
                            audit.id,
                            table.id,
                            r.position,
                            _dump({k: v for k, v in r.cells.items() if k in keep}),
                            now,
                        )
                        for r in rows
                    ],
                )
        return audit
