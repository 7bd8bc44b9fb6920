"""KPI tests reuse the organisation (tests/conftest.py) and the approved 2017 plan (tests/targets/conftest.py)."""

from tests.targets.conftest import calendar, draft_plan, month_of, plan  # noqa: F401
