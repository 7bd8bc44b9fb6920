"""The vocabulary the registry's derived metrics are written in: a sum of entered metrics, a ratio, a growth and
the target. Each formula computes a period's value in Python and renders the same value as a SQL expression, so
the rollups can compute in the database without a second definition of any metric. Pure.

Rates are stored to six decimals, rounded half to even as Python's Decimal does. Both engines compute them in
whole numbers (cents and counts), so PostgreSQL and SQLite (whose sums are floating point) store the same digits.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from .calculations import growth, ratio

RATE_PLACES = 6
_SCALE = 10 ** RATE_PLACES

# How a formula finds a term in SQL: the term's name -> the SQL expression holding its value.
Columns = Callable[[str], str]
# How a rate finds a term's value in whole units, when a statement has computed it once already (Term.whole):
# each rate repeats its operands several times inside the half-to-even rounding.
Wholes = Callable[["Term"], str]


@dataclass(frozen=True)
class Term:
    """A value a formula reads: an entered metric's sum, or one of the period's context values."""

    name: str
    money: bool  # CNY to the cent; otherwise a whole number (counts, the whole-yuan target)
    of: "Added | None" = None  # a term that is itself a formula (total deposits)

    def value(self, period) -> Decimal | int | None:
        if self.of is not None:
            return self.of(period)
        if self.name in CONTEXT:
            return getattr(period, CONTEXT[self.name])
        return period.values[self.name]

    def whole(self, columns: Columns) -> str:
        """Return the SQL of the value in whole units: cents for money (SQLite sums money as floats)."""
        if self.money:
            return f"CAST(ROUND(({columns(self.name)}) * 100) AS BIGINT)"
        return f"CAST({columns(self.name)} AS BIGINT)"

    @property
    def scale(self) -> int:
        return 100 if self.money else 1


# The period's context values a formula may read, by term name -> PeriodFigures attribute.
CONTEXT = {"target": "target", "customer_base": "customer_base", "previous_total": "previous_total",
           "year_ago_total": "year_ago_total"}


def rounded_rate(numerator: str, denominator: str) -> str:
    """Return the SQL of numerator ÷ denominator (whole numbers) to six decimals, half to even; NULL without a
    base. Integer division truncates towards zero in both engines, so it works on magnitudes and puts the sign
    back."""
    n, d = f"ABS({numerator})", f"ABS({denominator})"
    # no % operator: the statements are run with parameters, where % is a placeholder's
    q = f"({n} / {d})"
    r = f"({n} - {q} * {d})"
    up = f"CASE WHEN 2 * {r} > {d} OR (2 * {r} = {d} AND {q} - 2 * ({q} / 2) = 1) THEN 1 ELSE 0 END"
    sign = f"CASE WHEN ({numerator} < 0) = ({denominator} < 0) THEN 1 ELSE -1 END"
    return (f"(CASE WHEN {denominator} IS NULL OR {denominator} = 0 OR {numerator} IS NULL THEN NULL "
            f"ELSE {sign} * ({q} + {up}) * 0.{'0' * (RATE_PLACES - 1)}1 END)")


def rate_order(cents: str, whole: str) -> str:
    """Return the SQL of money (in cents) ÷ a whole number, to order by, NULL without a base: ranking compares
    unrounded attainments. A double is exact for the cents and the division is correctly rounded, so equal
    fractions compare equal on both engines."""
    return (f"(CASE WHEN {whole} IS NULL OR {whole} = 0 THEN NULL "
            f"ELSE CAST({cents} AS DOUBLE PRECISION) / {whole} END)")


@dataclass(frozen=True)
class Added:
    """The sum of entered metrics of the same unit (total deposits)."""

    terms: tuple[Term, ...]

    def __call__(self, period) -> Decimal:
        return sum((t.value(period) for t in self.terms[1:]), self.terms[0].value(period))

    def sql(self, columns: Columns) -> str:
        return "(" + " + ".join(columns(t.name) for t in self.terms) + ")"

    rate = False


@dataclass(frozen=True)
class Ratio:
    """numerator ÷ denominator; None ("—") when either is missing or the base is zero."""

    numerator: Term
    denominator: Term

    def __call__(self, period) -> Decimal | None:
        return ratio(self.numerator.value(period), self.denominator.value(period))

    def sql(self, columns: Columns, whole: Wholes | None = None) -> str:
        whole = whole or (lambda term: term.whole(columns))
        # (n / sn) / (d / sd) in whole units: n·sd / (d·sn), times 10⁶ for the six decimals
        return rounded_rate(f"{whole(self.numerator)} * {self.denominator.scale * _SCALE}",
                            f"{whole(self.denominator)} * {self.numerator.scale}")

    @property
    def operands(self) -> tuple[Term, ...]:
        return self.numerator, self.denominator

    rate = True


@dataclass(frozen=True)
class Growth:
    """(current − base) ÷ base; None when there is no base to grow from. Both terms in the same unit."""

    current: Term
    base: Term

    def __call__(self, period) -> Decimal | None:
        return growth(self.current.value(period), self.base.value(period))

    def sql(self, columns: Columns, whole: Wholes | None = None) -> str:
        whole = whole or (lambda term: term.whole(columns))
        base = whole(self.base)
        return rounded_rate(f"({whole(self.current)} - {base}) * {_SCALE}", base)

    @property
    def operands(self) -> tuple[Term, ...]:
        return self.current, self.base

    rate = True


@dataclass(frozen=True)
class Target:
    """The period's deposit target, as a number; None without one."""

    def __call__(self, period) -> Decimal | None:
        return None if period.target is None else Decimal(period.target)

    def sql(self, columns: Columns) -> str:
        return columns("target")

    rate = False
