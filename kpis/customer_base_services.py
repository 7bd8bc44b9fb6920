"""Writes of a rep's opening customer base (kpis/services.py has none; the demo and the admin need one)."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from teams.errors import DomainError
from teams.models import Employee

from .models import CustomerBase


@transaction.atomic
def customer_base_set(*, employee: Employee, opening_base: int, counted_from: date) -> CustomerBase:
    """Return the rep's customer base, created or changed to these values (untouched when already equal)."""
    if opening_base < 0:
        raise DomainError(_("A customer base cannot be negative."), field="opening_base")
    base = CustomerBase.objects.select_for_update().filter(employee=employee).first()
    if base is None:
        return CustomerBase.objects.create(employee=employee, opening_base=opening_base, counted_from=counted_from)
    if (base.opening_base, base.counted_from) == (opening_base, counted_from):
        return base
    base.opening_base, base.counted_from = opening_base, counted_from
    base.save(update_fields=["opening_base", "counted_from"])
    return base
