from targets.models import RepMonthTarget, RepWeekTarget, TeamMonthTarget


def test_explore(org, plan):
    for r in RepMonthTarget.objects.filter(plan_month__plan=plan).order_by("employee", "plan_month__month").select_related("plan_month", "team", "employee"):
        print(r.employee.name, r.team.name, r.plan_month.month, r.deposit_target)
    for r in TeamMonthTarget.objects.filter(plan_month__plan=plan).select_related("plan_month", "team"):
        print("T", r.team.name, r.plan_month.month, r.deposit_target)
    for r in RepWeekTarget.objects.filter(employee=org.mover, week__range=("2017-05-15", "2017-06-15")).select_related("team"):
        print("W", r.team.name, r.week, r.deposit_target)
    print(plan.version)
