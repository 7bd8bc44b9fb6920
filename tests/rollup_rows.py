"""Every stored rollup row keyed by what a reader knows (month, team code, employee number), with plain values:
the same numbers compare equal whichever engine stored them."""

from decimal import Decimal


def _plain(value: object) -> object:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value else "0"
    return value.isoformat() if hasattr(value, "isoformat") else value


def rollup_rows() -> dict[str, list]:
    """Return each rollup table's rows, sorted, as lists of plain values (no ids, no computed_at)."""
    from kpis.results.models import (
        CompanyMonthResult,
        PeriodPlacing,
        RepMonthResult,
        TeamMonthResult,
        TeamWeekResult,
    )

    def rows(model, keys: list[str], skip: set[str]) -> list:
        fields = [f.attname for f in model._meta.concrete_fields
                  if f.attname not in skip | {"id", "computed_at", "employee_id", "team_id"}]
        return sorted([_plain(v) for v in row] for row in model.objects.values_list(*keys, *fields))

    return {
        "rep": rows(RepMonthResult, ["employee__employee_number", "team__code"], set()),
        "team": rows(TeamMonthResult, ["team__code"], set()),
        "company": rows(CompanyMonthResult, [], set()),
        "team_week": rows(TeamWeekResult, ["team__code"], set()),
        "placing": rows(PeriodPlacing, ["employee__employee_number"], set()),
    }
