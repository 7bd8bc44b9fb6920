"""The 2017 demo plan (DOMAIN.md): 1400万 from February 2017 to January 2018 in four phases, approved and split."""

from datetime import date

from django.db import transaction

from teams.models import User

from . import services
from .models import PlanYear

PLAN_2017 = "2017年度销售计划"
PHASES_2017 = [services.PhaseSpec("第一阶段", 3), services.PhaseSpec("第二阶段", 3),
               services.PhaseSpec("第三阶段", 3), services.PhaseSpec("第四阶段", 3)]
TARGETS_2017 = [800_000, 1_000_000, 1_200_000,    # Feb–Apr: 300万
                1_200_000, 1_200_000, 1_200_000,  # May–Jul: 360万
                1_200_000, 1_500_000, 1_000_000,  # Aug–Oct: 370万 (peak September, October in three weeks)
                1_200_000, 1_500_000, 1_000_000]  # Nov–Jan: 370万 (year-end push)


@transaction.atomic
def load_plan() -> PlanYear:
    """Return the 2017 plan, creating, approving and splitting it when it is not there yet."""
    services.calendar_sync_statutory()
    plan = PlanYear.objects.filter(name=PLAN_2017).first()
    if plan is not None:
        return plan
    director = User.objects.get(username="director")
    plan = services.plan_create(name=PLAN_2017, first_month=date(2017, 2, 1), phases=PHASES_2017,
                                month_targets=TARGETS_2017, by=director)
    return services.plan_approve(plan=plan, version=plan.version, by=User.objects.get(username="gm"))
