"""The demo plans (DOMAIN.md): 2017's 1400万 from February 2017 to January 2018 in four phases, and the weaker 2016
plan year before it (February 2016–January 2017, 1000万), both approved and split."""

from datetime import date

from django.db import transaction

from teams.models import User

from . import services
from .models import PlanYear
from .working_calendar import services as calendar_services

PLAN_2017 = "2017年度销售计划"
PHASES_2017 = [services.PhaseSpec("第一阶段", 3), services.PhaseSpec("第二阶段", 3),
               services.PhaseSpec("第三阶段", 3), services.PhaseSpec("第四阶段", 3)]
TARGETS_2017 = [800_000, 1_000_000, 1_200_000,    # Feb–Apr: 300万
                1_200_000, 1_200_000, 1_200_000,  # May–Jul: 360万
                1_200_000, 1_500_000, 1_000_000,  # Aug–Oct: 370万 (peak September, October in three weeks)
                1_200_000, 1_500_000, 1_000_000]  # Nov–Jan: 370万 (year-end push)

PLAN_2016 = "2016年度销售计划"
TARGETS_2016 = [600_000, 750_000, 850_000,      # Feb–Apr: 220万
                850_000, 850_000, 850_000,      # May–Jul: 255万
                850_000, 1_050_000, 700_000,    # Aug–Oct: 260万
                850_000, 1_050_000, 750_000]    # Nov–Jan: 265万
PLAN_2016_MONTHS = [date(2016, m, 1) for m in range(2, 13)] + [date(2017, 1, 1)]


@transaction.atomic
def load_plan_2016() -> PlanYear:
    """Return the 2016 plan, creating, approving and splitting it when it is not there yet."""
    plan = PlanYear.objects.filter(name=PLAN_2016).first()
    if plan is not None:
        return plan
    plan = services.plan_create(name=PLAN_2016, first_month=PLAN_2016_MONTHS[0], phases=PHASES_2017,
                                month_targets=TARGETS_2016, by=User.objects.get(username="director"))
    return services.plan_approve(plan=plan, version=plan.version, by=User.objects.get(username="gm"))


@transaction.atomic
def load_plan() -> PlanYear:
    """Return the 2017 plan, creating, approving and splitting it when it is not there yet."""
    calendar_services.calendar_sync_statutory()
    plan = PlanYear.objects.filter(name=PLAN_2017).first()
    if plan is not None:
        return plan
    director = User.objects.get(username="director")
    plan = services.plan_create(name=PLAN_2017, first_month=date(2017, 2, 1), phases=PHASES_2017,
                                month_targets=TARGETS_2017, by=director)
    return services.plan_approve(plan=plan, version=plan.version, by=User.objects.get(username="gm"))
