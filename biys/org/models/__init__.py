"""Organization: the municipality, its unit tree, staff, duties, directives and handovers."""

from __future__ import annotations

from .duties import Acknowledgement, Directive, DirectiveReview, DirectiveVersion, Duty, DutyAssignment
from .handover import Departure, HandoverItem
from .staff import Leave, Staff, validate_tckn
from .units import Municipality, Position, Unit

__all__ = [
    "Acknowledgement",
    "Departure",
    "Directive",
    "DirectiveReview",
    "DirectiveVersion",
    "Duty",
    "DutyAssignment",
    "HandoverItem",
    "Leave",
    "Municipality",
    "Position",
    "Staff",
    "Unit",
    "validate_tckn",
]
