"""HR's candidates page, every section read once: the candidates, the reserve pool, the contracts ending and the
vacancies with their internal candidates (the page and its XLSX export show the same lists)."""

from dataclasses import dataclass
from datetime import date

from teams.access import Principal

from .candidates import Candidate, Filters, candidates
from .contracts import ContractEnding, contracts_ending
from .pool import Pool, PoolMember, reserve_pool
from .vacancies import Vacancy, vacancies


@dataclass(frozen=True)
class CandidatesPage:
    rows: list[Candidate]
    pool: Pool
    pool_shown: list[PoolMember]  # the pool as the filters keep it
    contracts: list[ContractEnding]
    vacancies: list[Vacancy]


def candidates_page(p: Principal, on: date, filters: Filters) -> CandidatesPage:
    """Return the page's sections for the filters; a vacancy still looks for candidates in all of sales."""
    rows = candidates(p, on, filters)
    everyone = candidates(p, on, Filters(horizon_months=filters.horizon_months)) if filters.narrows_people else rows
    pool = reserve_pool(p, on)
    return CandidatesPage(
        rows=rows, pool=pool, pool_shown=pool.shown(filters),
        contracts=contracts_ending(p, on, filters, reserve_team_ids=pool.team_ids()),
        vacancies=vacancies(p, on, filters, pool=pool, eligible=everyone))
