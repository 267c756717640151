"""The import wizard's three pieces of work, run by the TaskRunner off the GUI thread.

Each returns a `work(progress)` function: reading the file, planning where its rows go (on
WorkspaceFacts taken on the GUI thread), and writing the plan through the runner's own store.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from models.progress import Cancelled, Progress
from ui.background import Work
from ui.import_sources import Cancel, Read, first_rows

if TYPE_CHECKING:
    from importers.foreign_plan import Choices, ForeignFile, ForeignPlan, WorkspaceFacts
    from importers.import_report import ImportReport
    from models.questionnaire import Questionnaire
    from ui.app.tasks import TaskRunner


def read_work(path: Path, questionnaire: Questionnaire, cancel: Cancel) -> Work:
    """Read and recognise the file, with a few sample rows per recognised sheet."""

    def work(progress: Progress) -> Read:
        from importers.foreign_plan import read_foreign

        cancel.progress = progress
        foreign = read_foreign(
            path, questionnaire, progress=cancel.report, should_cancel=cancel.should_cancel
        )
        try:
            samples = [first_rows(foreign.book, r) for r in foreign.recognitions]
            if cancel.should_cancel():
                raise Cancelled()
        except BaseException:
            foreign.close()
            raise
        finally:
            cancel.detach()
        return Read(foreign, samples)

    return work


def recognise_work(foreign: ForeignFile, questionnaire: Questionnaire, cancel: Cancel) -> Work:
    """Look at the open file's sheets again for another questionnaire version: its tables
    decide where a layout's rows go (version 1 has no department-wide workforce)."""

    def work(progress: Progress) -> Read:
        from importers.foreign_records import ForeignFile
        from importers.layouts import recognise

        cancel.progress = progress
        try:
            recognitions = recognise(foreign.book, questionnaire)
            samples = [first_rows(foreign.book, r) for r in recognitions]
            if cancel.should_cancel():
                raise Cancelled()
        finally:
            cancel.detach()
        return Read(ForeignFile(foreign.book, recognitions), samples)

    return work


def plan_work(
    facts: WorkspaceFacts,
    foreign: ForeignFile,
    choices: Choices,
    questionnaire: Questionnaire,
    cancel: Cancel,
) -> Work:
    """Work out where every row goes; nothing is written."""

    def work(progress: Progress) -> ForeignPlan:
        from importers.foreign_plan import plan_foreign

        cancel.progress = progress
        try:
            return plan_foreign(
                facts,
                foreign,
                choices,
                questionnaire,
                progress=cancel.report,
                should_cancel=cancel.should_cancel,
            )
        finally:
            cancel.detach()

    return work


def import_work(
    tasks: TaskRunner,
    workspace: Path,
    actor: str,
    plan: ForeignPlan,
    questionnaire: Questionnaire,
    on_repeat: str | None,
    cancel: Cancel,
) -> Work:
    """Write the plan in one transaction on the runner's store (its commit reaches the views)."""

    def work(progress: Progress) -> ImportReport:
        from importers.foreign_plan import apply_foreign

        cancel.progress = progress
        store = tasks.open_store(workspace, actor=actor)  # this thread's own connection
        try:
            return apply_foreign(
                store,
                plan,
                questionnaire,
                on_repeat=on_repeat,
                progress=cancel.report,
                should_cancel=cancel.should_cancel,
            )
        finally:
            store.close()

    return work
