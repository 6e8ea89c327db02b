"""The visits as a CSV file: the secretariat's export page and the admin's action write the same file."""

from django.utils.translation import gettext as _

from core.exports import csv_response


def visits_csv(visits):
    """``visits`` with their workplace, booker and participants loaded (``selectors.visits_with_details``)."""
    header = [
        _("Visit"),
        _("Workplace"),
        _("Starts"),
        _("Ends"),
        _("Status"),
        _("Participants"),
        _("Booked by"),
        _("Purpose"),
    ]
    rows = (
        [
            visit.pk,
            visit.workplace.name,
            visit.starts_at,  # Copenhagen time, as Excel reads a date and time (core.exports.cell)
            visit.ends_at,
            visit.get_status_display(),
            ", ".join(p.person.full_name for p in visit.participants.all()),
            visit.booked_by.full_name,
            visit.purpose,
        ]
        for visit in visits
    )
    return csv_response("besoeg.csv", header, rows)
