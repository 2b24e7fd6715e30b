"""An attacker with a spreadsheet: what can be worked out from a published aggregate file.

Independent of SRO Desk's own disclosure module: it reads only the aggregate CSV, links
its tables as a reader would (every "Actions by ..." table has the same column totals;
the kind-by-school table's kind totals; "Other actions" is the kinds not shown as their
own column; students are at most the actions), and asks scipy's linear programming for
the least and greatest value of every hidden cell.
"""

from __future__ import annotations

import csv
from pathlib import Path

from scipy.optimize import linprog

from sro_desk.records import enforcement as enf

NOT_SHOWN = "not shown"
OWN_COLUMNS = {enf.KINDS[k] for k in ("arrest", "citation", "court_referral")}


def read_aggregate(path: Path) -> dict[str, dict[tuple[str, str], str]]:
    tables: dict[str, dict[tuple[str, str], str]] = {}
    with open(path, encoding="utf-8-sig") as handle:
        for line in csv.DictReader(handle):
            if line["table"] == "Rule checks" or not line["row"]:
                continue
            tables.setdefault(line["table"], {})[(line["row"], line["column"])] = line["count"]
    return tables


def hidden_ranges(tables: dict[str, dict[tuple[str, str], str]]) -> dict[tuple[str, str, str], tuple[float, float]]:
    """(table, row, column) -> (least, greatest) for every hidden cell."""
    cells = [(t, r, c) for t, grid in tables.items() for (r, c) in grid]
    index = {cell: i for i, cell in enumerate(cells)}
    bounds = []
    for t, r, c in cells:
        text = tables[t][(r, c)]
        if text == NOT_SHOWN:
            bounds.append((0, None))
        elif text.startswith("fewer than"):
            bounds.append((0, int(text.split()[-1]) - 1))
        else:
            bounds.append((int(text), int(text)))
    equalities: list[dict[int, float]] = []
    at_most: list[dict[int, float]] = []

    def equal(total, parts):
        row = {index[total]: 1.0}
        for p in parts:
            row[index[p]] = row.get(index[p], 0.0) - 1.0
        equalities.append(row)

    for t, grid in tables.items():
        if t == "Students":
            continue
        rows = sorted({r for r, _ in grid} - {"Total"})
        columns = sorted({c for _, c in grid} - {"Total"})
        for r in [*rows, "Total"]:
            equal((t, r, "Total"), [(t, r, c) for c in columns])
        for c in [*columns, "Total"]:
            equal((t, "Total", c), [(t, r, c) for r in rows])
    kinds = "Actions by kind and school"
    for t, grid in tables.items():
        if t in (kinds, "Students"):
            continue
        for c in {c for _, c in grid}:
            if c in OWN_COLUMNS or c == "Total":
                equal((t, "Total", c), [(kinds, c if c != "Total" else "Total", "Total")])
            else:  # "Other actions"
                others = [k for k in enf.KINDS.values() if k not in OWN_COLUMNS]
                equal((t, "Total", c), [(kinds, k, "Total") for k in others])
    if "Students" in tables:
        for (r, c) in tables["Students"]:
            if r == "District":
                sources = [(kinds, enf.KINDS["arrest"], "Total")] if c == "Arrested" else \
                    [(kinds, enf.KINDS[k], "Total") for k in enf.REFERRAL_KINDS]
            else:
                sources = [(kinds, enf.KINDS["arrest"], r)] if c == "Arrested" else \
                    [(kinds, enf.KINDS[k], r) for k in enf.REFERRAL_KINDS]
            row = {index[("Students", r, c)]: 1.0}
            for s in sources:
                row[index[s]] = row.get(index[s], 0.0) - 1.0
            at_most.append(row)

    def matrix(rows):
        return [[row.get(i, 0.0) for i in range(len(cells))] for row in rows] or None

    a_eq, a_ub = matrix(equalities), matrix(at_most)
    b_eq = [0.0] * len(equalities) or None
    b_ub = [0.0] * len(at_most) or None
    found = {}
    for cell in cells:
        if bounds[index[cell]][0] == bounds[index[cell]][1]:
            continue
        ends = []
        for sign in (1.0, -1.0):
            cost = [0.0] * len(cells)
            cost[index[cell]] = sign
            result = linprog(cost, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
            if result.status == 3:
                ends.append(float("inf"))
            else:
                assert result.status == 0, result.message
                ends.append(sign * result.fun)
        found[cell] = (ends[0], ends[1])
    return found
