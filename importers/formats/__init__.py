"""The known public formats, one module each; the planner and the views use only FORMATS.

Adding a format is adding a module here and its instance to FORMATS; next year's layout
variant of a known format is a change to that format's module alone.
"""

from __future__ import annotations

from importers.formats.base import GENERIC, Format, Names, Recognition
from importers.formats.civil_service_stats import CivilServiceStatistics
from importers.formats.gmpp import Gmpp, TransposedGmpp
from importers.formats.organogram import JuniorOrganogram, SeniorOrganogram
from importers.formats.wmi import WorkforceManagementInformation

FORMATS: tuple[Format, ...] = (
    WorkforceManagementInformation(),
    SeniorOrganogram(),
    JuniorOrganogram(),
    Gmpp(),
    TransposedGmpp(),
    CivilServiceStatistics(),
)

__all__ = ["FORMATS", "GENERIC", "Format", "Names", "Recognition"]
