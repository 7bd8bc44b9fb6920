"""The demo organisation of the seed: 8 teams of 6–8 reps, with the moves and leavers of 2017.

Everything is deterministic and goes through the services; running it twice changes nothing.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction

from . import services
from .models import Employee, EmployeeStatus, Position, Role, SalaryGrade, Team, User

POSITIONS = [  # code, name, English name, level, management
    ("rep", "销售代表", "Sales rep", 10, False),
    ("senior_rep", "高级销售代表", "Senior sales rep", 20, False),
    ("hr_officer", "人力资源专员", "HR officer", 20, False),
    ("manager", "销售经理", "Sales manager", 30, True),
    ("hr_director", "人力资源总监", "HR director", 40, True),
    ("director", "销售总监", "Sales director", 40, True),
    ("general_manager", "总经理", "General manager", 50, True),
]
GRADES = [(f"G{n}", name, n, base) for n, name, base in [
    (1, "一级", 4000), (2, "二级", 5000), (3, "三级", 6500), (4, "四级", 8000),
    (5, "五级", 10000), (6, "六级", 13000), (7, "七级", 18000), (8, "八级", 25000), (9, "九级", 35000),
]]
TEAMS = ["先锋队", "猛虎队", "雄鹰队", "蛟龙队", "飞豹队", "战狼队", "骏马队", "雄狮队"]
REPS_PER_TEAM = [7, 7, 6, 8, 7, 6, 7, 7]  # at the start of the 2017 plan year: 55 reps

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
         "秀英", "霞", "平", "刚", "桂英", "浩然", "子涵", "欣怡", "梓萱", "宇轩", "思远", "佳怡", "晓东", "志强",
         "建国", "海燕", "雪梅", "文博", "嘉怡", "俊杰", "晨曦", "雨萱", "博文", "一鸣", "天宇", "婷婷", "鹏飞",
         "小龙", "丹丹", "凯", "琳", "慧敏", "国庆", "春华", "秋月", "立新", "振华", "美玲", "家豪", "雅琪"]


@dataclass(frozen=True)
class Leaver:
    rep: str
    left_on: date
    reason: str


@dataclass(frozen=True)
class Move:
    rep: str
    team: int
    on: date


@dataclass(frozen=True)
class Hire:
    rep: str
    team: int
    on: date


# What happens to the demo organisation during the 2017 plan year; each team stays at 6–8 reps.
HIRES_2017 = [Hire("rep56", 7, date(2017, 5, 8)), Hire("rep57", 0, date(2017, 6, 12)),
              Hire("rep58", 5, date(2017, 8, 1)), Hire("rep59", 4, date(2017, 9, 4)),
              Hire("rep60", 6, date(2017, 10, 16))]
MOVES_2017 = [Move("rep24", 2, date(2017, 6, 1)), Move("rep10", 5, date(2017, 7, 1)),
              Move("rep45", 1, date(2017, 9, 13))]
LEAVERS_2017 = [
    Leaver("rep50", date(2017, 4, 28), "个人原因离职"), Leaver("rep03", date(2017, 5, 15), "转行"),
    Leaver("rep35", date(2017, 8, 31), "连续末位，予以淘汰"), Leaver("rep27", date(2017, 10, 20), "家庭原因"),
]


def _names(rng: random.Random, count: int) -> list[str]:
    """Return `count` distinct, realistic Chinese names."""
    names: list[str] = []
    while len(names) < count:
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        if name not in names:
            names.append(name)
    return names


def _probation_end(hired: date, months: int = 3) -> date:
    month = hired.month - 1 + months
    year, month = hired.year + month // 12, month % 12 + 1
    return date(year, month, min(hired.day, 28)) - timedelta(days=1)


class DemoOrganisation:
    """Loads the organisation; each step skips what is already there."""

    def __init__(self) -> None:
        self.rng = random.Random(2017)
        self.names = iter(_names(self.rng, 80))
        self.password = settings.DEMO_PASSWORD
        self.positions: dict[str, Position] = {}
        self.grades: dict[str, SalaryGrade] = {}
        self.teams: list[Team] = []
        self.created: list[str] = []

    def load(self) -> None:
        self._ladder()
        self._person("gm", Role.GENERAL_MANAGER, "E0001", "詹志远", date(2010, 3, 1), "general_manager", "G9")
        self._person("director", Role.DIRECTOR, "E0002", "林建华", date(2016, 10, 17), "director", "G8")
        self._person("hr1", Role.HR, "E0003", "王丽娜", date(2013, 5, 6), "hr_director", "G7")
        self._person("hr2", Role.HR, "E0004", "陈晓敏", date(2015, 8, 3), "hr_officer", "G3")
        self._teams()
        self._reps()
        self._year_2017()
        if not User.objects.filter(username="admin").exists():
            User.objects.create_superuser("admin", password=None, role=Role.ADMIN)
            self.created.append("admin")
        # Hashing is slow by design: hash the demo password once for every new demo log-in.
        User.objects.filter(username__in=self.created).update(password=make_password(self.password))

    def _ladder(self) -> None:
        for code, name, name_en, level, management in POSITIONS:
            self.positions[code], _ = Position.objects.get_or_create(
                code=code, defaults={"name": name, "name_en": name_en, "level": level, "is_management": management})
        for code, name, level, base in GRADES:
            self.grades[code], _ = SalaryGrade.objects.get_or_create(
                code=code, defaults={"name": name, "level": level, "monthly_base": base})

    def _person(self, username: str, role: str, number: str, name: str, hired: date, position: str, grade: str,
                team: Team | None = None, probation_months: int = 3) -> Employee:
        existing = Employee.objects.filter(employee_number=number).first()
        if existing:
            return existing
        self.created.append(username)
        return services.employee_hire(
            username=username, password=None, role=role, employee_number=number, name=name,
            hire_date=hired, probation_end=_probation_end(hired, probation_months),
            position=self.positions[position], salary_grade=self.grades[grade], team=team)

    def _teams(self) -> None:
        for i, team_name in enumerate(TEAMS, start=1):
            hired = date(2011 + i % 5, 1 + (i * 5) % 12, 1 + (i * 7) % 27)
            manager = self._person(f"manager{i}", Role.MANAGER, f"M{i:03d}", next(self.names), hired, "rep", "G3")
            # Managers came up from the sales floor: the promotion is a second appointment.
            services.appointment_record(employee=manager, position=self.positions["manager"],
                                        salary_grade=self.grades["G6"], effective_from=date(hired.year + 2, 1, 1),
                                        reason="晋升为销售经理")
            team, _ = Team.objects.get_or_create(code=f"team-{i}", defaults={"name": team_name})
            services.team_assign_manager(team=team, manager=manager)
            self.teams.append(team)

    def _reps(self) -> None:
        n = 0
        for index, (team, size) in enumerate(zip(self.teams, REPS_PER_TEAM, strict=True)):
            for seat in range(size):
                n += 1
                hired = date(2016, 12, 1) - timedelta(days=self.rng.randint(20, 5 * 365))
                if seat == size - 1 and index % 2 == 0:  # a recent hire, still on probation as the year opens
                    hired = date(2016, 11, 14) + timedelta(days=7 * index)
                self._rep(n, team, hired)
        for hire in HIRES_2017:
            n += 1
            self._rep(n, self.teams[hire.team], hire.on)

    def _rep(self, n: int, team: Team, hired: date) -> Employee:
        rep = self._person(f"rep{n:02d}", Role.REP, f"S{n:03d}", next(self.names), hired, "rep", "G1", team=team,
                           probation_months=6 if n % 5 == 0 else 3)
        if hired < date(2015, 1, 1):  # long-serving reps were promoted once, so the history has two rows
            services.appointment_record(employee=rep, position=self.positions["senior_rep"],
                                        salary_grade=self.grades["G3"], effective_from=date(hired.year + 2, 3, 1),
                                        reason="年度晋升")
        elif hired < date(2016, 1, 1):  # a raise without a change of position
            services.appointment_record(employee=rep, position=self.positions["rep"], salary_grade=self.grades["G2"],
                                        effective_from=date(2017, 1, 1), reason="年度调薪")
        return rep

    def _year_2017(self) -> None:
        for move in MOVES_2017:
            rep = Employee.objects.get(user__username=move.rep)
            services.membership_start(employee=rep, team=self.teams[move.team], starts_on=move.on)
        for leaver in LEAVERS_2017:
            rep = Employee.objects.get(user__username=leaver.rep)
            if rep.status == EmployeeStatus.ACTIVE:
                services.employee_leave(employee=rep, left_on=leaver.left_on, reason=leaver.reason)


@transaction.atomic
def load_organisation() -> None:
    """Create the demo organisation, or leave it as it is when it is already there."""
    DemoOrganisation().load()


def demo_logins() -> list[tuple[str, str]]:
    """Return (username, description) for the log-ins the README and the loader print."""
    rows = [("gm", "总经理 general manager"), ("director", "销售总监 sales director"), ("hr1", "人力资源 HR"),
            ("hr2", "人力资源 HR")]
    rows += [(f"manager{i}", f"销售经理 manager of {name}") for i, name in enumerate(TEAMS, start=1)]
    rows += [("rep01 … rep60", "销售人员 sales reps"), ("admin", "Django admin")]
    return rows
