"""Disclosure control: what a public document may print without identifying a student.

A public document (the enforcement report, the aggregate export, the public review, the
school-committee packet) is one *release*. Every count it prints, in a table, a chart or
a sentence, is one quantity of a :class:`Release`; a quantity printed in several places
(the year's arrests in the kind-by-school table, the month table and the review's metric
table) is the same quantity, so it is shown or hidden everywhere at once.

The release also knows how its quantities add up (a table's cells to its totals, a total
printed in several tables) and which are bounded by others (students arrested at a
school are at most the arrests there). That is what a reader with a spreadsheet knows.

Protection follows what statistical agencies do (tau-ARGUS's approach):

1. Primary suppression: every count below the threshold is hidden, *zero included*, and
   so is every count that stands for fewer students than the threshold. Hiding zeros
   too means a hidden cell may be 0, so a reader cannot tell a hidden 1 from nothing.
2. Complementary suppression: the release is audited by linear programming (HiGHS): for
   each sensitive hidden quantity, the smallest and largest value consistent with
   everything printed. Where that range is narrower than the protection range (a hidden
   count must be able to be 0 and to be the threshold), more quantities are hidden,
   cheapest first, until the audit passes.
3. A release that still fails is refused (:class:`DisclosureError`), never written.

Hidden quantities all print the same words ("not shown"), whether small or hidden to
protect a small one, so the words themselves reveal nothing. Where a document says more
on purpose (a rule check's "yes, fewer than 6"), the release is told (:meth:`say_small`)
and the audit takes that knowledge into account.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field

from sro_desk.errors import SroDeskError

Key = Hashable

NOT_SHOWN = "not shown"
#: Slack for floating-point LP answers (counts are whole numbers).
_EPS = 1e-6
#: How many candidate complements are tried, one by one, at each distance from a cell.
_TRIES = 6


class DisclosureError(SroDeskError):
    """A release that could not be protected: nothing is written."""


@dataclass(frozen=True)
class Exposure:
    """A sensitive hidden quantity whose range a reader can narrow too far."""

    key: Key
    low: float
    high: float
    #: which end is too narrow when known: "low", "high", or "" (both, or the width)
    side: str = ""


@dataclass
class Release:
    """Every count of one public document, how they relate, and which are hidden."""

    threshold: int
    values: dict[Key, int] = field(default_factory=dict)
    #: distinct students behind a count, where that differs from the count itself
    people: dict[Key, int] = field(default_factory=dict)
    #: (total, parts): the total equals the sum of the parts
    sums: list[tuple[Key, tuple[Key, ...]]] = field(default_factory=list)
    #: (key, others): key is at most the sum of the others
    bounded: list[tuple[Key, tuple[Key, ...]]] = field(default_factory=list)
    #: keys printed as "fewer than N" when hidden, with the least value that text allows
    said_small: dict[Key, int] = field(default_factory=dict)
    #: keys whose zero is printed on purpose (a rule check's "No")
    zero_shown: set[Key] = field(default_factory=set)
    hidden: set[Key] = field(default_factory=set)
    sensitive: set[Key] = field(default_factory=set)
    protected: bool = False
    #: how many linear programs the last protection solved (for the benchmark)
    programs_solved: int = 0

    # -- building ------------------------------------------------------------------------

    def add(self, key: Key, value: int, *, people: int | None = None) -> Key:
        """Register a count (again: it must be the same count) and return its key."""
        value = int(value)
        known = self.values.get(key)
        if known is not None and known != value:
            raise ValueError(f"{key!r} is {known} in one place and {value} in another")
        self.values[key] = value
        if people is not None and people != value:
            self.people[key] = int(people)
        self.protected = False
        return key

    def add_sum(self, total: Key, parts: Iterable[Key]) -> None:
        """Record that ``total`` is printed as the sum of ``parts``."""
        parts = tuple(parts)
        if sum(self.values[p] for p in parts) != self.values[total]:
            raise ValueError(f"the parts of {total!r} do not add up to it")
        if (total, parts) not in self.sums:
            self.sums.append((total, parts))
        self.protected = False

    def add_at_most(self, key: Key, others: Iterable[Key]) -> None:
        """Record that ``key`` can be no more than the sum of ``others``."""
        others = tuple(others)
        if self.values[key] > sum(self.values[o] for o in others):
            raise ValueError(f"{key!r} is larger than what bounds it")
        self.bounded.append((key, others))
        self.protected = False

    def say_small(self, key: Key, *, at_least: int = 0) -> None:
        """The document prints ``key`` as "fewer than N" (from ``at_least``) when hidden."""
        self.said_small[key] = at_least
        self.protected = False

    def show_zero(self, key: Key) -> None:
        """The document prints this count's zero (and only its zero) on purpose."""
        self.zero_shown.add(key)
        self.protected = False

    # -- reading -------------------------------------------------------------------------

    def is_shown(self, key: Key) -> bool:
        self._check()
        return key not in self.hidden

    def value(self, key: Key) -> int | None:
        """The count, or None where it is hidden."""
        return None if not self.is_shown(key) else self.values[key]

    def text(self, key: Key) -> str:
        """What a document prints for the count: the number, or words that hide it."""
        if self.is_shown(key):
            return str(self.values[key])
        if key in self.said_small and self.values[key] < self.threshold:
            return f"fewer than {self.threshold}"
        return NOT_SHOWN

    def any_hidden(self, keys: Iterable[Key]) -> bool:
        self._check()
        return any(k in self.hidden for k in keys)

    def _check(self) -> None:
        if not self.protected:
            raise RuntimeError("protect() the release before reading what it shows")

    # -- protecting ----------------------------------------------------------------------

    def protect(self, *, max_rounds: int = 400) -> Release:
        """Hide small counts, then hide more until the audit passes; or refuse."""
        t = self.threshold
        self.programs_solved = 0
        if t <= 1:  # the district chose to hide nothing
            self.hidden, self.sensitive, self.protected = set(), set(), True
            return self
        self.sensitive = {
            k for k, v in self.values.items()
            if self.people.get(k, v) < t and not (v == 0 and k in self.zero_shown)
        }
        self.hidden = set(self.sensitive)
        self.__dict__.pop("_floors", None)
        involved = self._equations_by_key()
        for _ in range(max_rounds):
            # Quickly (joint solutions only) find what may be exposed and cover it; when
            # that finds nothing more, the full audit decides, and covers what it finds.
            added: set[Key] = set()
            maybe = self._exposures(self.sensitive & self.hidden, exact=False, quick=True)
            if maybe:
                model = _CoverModel(self, involved)
                for exposure in maybe:
                    chosen = self._cover(exposure, involved, model, fallback=False)
                    model.free(chosen)
                    added |= chosen
            if added:
                self.hidden |= added
                continue
            exposed = self._exposures(self.sensitive & self.hidden, exact=False)
            if not exposed:
                self.protected = True
                return self
            model = _CoverModel(self, involved)
            for exposure in exposed:
                chosen = self._cover(exposure, involved, model)
                model.free(chosen)
                added |= chosen
            if not added:
                break
            self.hidden |= added
        raise DisclosureError(
            "This document's counts could not be hidden safely, so it was not written; "
            "raise the privacy threshold on the Enforcement Data page or print fewer sections.")

    def _equations_by_key(self) -> dict[Key, list[tuple[Key, ...]]]:
        found: dict[Key, list[tuple[Key, ...]]] = {}
        for total, parts in self.sums:
            members = (total, *parts)
            for k in members:
                found.setdefault(k, []).append(members)
        for key, others in self.bounded:
            members = (key, *others)
            for k in members:
                found.setdefault(k, []).append(members)
        return found

    def _cover(self, exposure: Exposure, involved: dict[Key, list[tuple[Key, ...]]], model: _CoverModel, *,
               fallback: bool = True) -> set[Key]:
        """Shown counts whose hiding protects the exposed count: for each end that is too
        narrow, one linear program finds values of the whole release that take the count
        to its protection goal while changing the fewest, cheapest shown counts (the
        single-cell protection model of complementary suppression); those changed are
        hidden. Falls back to hiding the nearest count when that program finds nothing."""
        key, t = exposure.key, self.threshold
        value = self.values[key]
        goals = []
        if value >= t:  # many actions, few students: make room above it
            goals.append(("high", value + t))
        else:
            small = key in self.said_small
            if exposure.side in ("low", ""):
                goals.append(("low", float(self.said_small[key]) if small else max(0.0, self._floor(key))))
            if exposure.side in ("high", ""):
                goals.append(("high", float(t - 1 if small else t)))
        chosen: set[Key] = set()
        stuck = False
        for side, goal in goals:
            changed = model.changed_for(key, side, goal)
            if changed is None:
                stuck = True
            else:
                chosen |= changed  # empty: that end already reaches its goal
        if stuck and not chosen and fallback:
            nearest = self._complement(key, involved)
            return {nearest} if nearest is not None else set()
        return chosen

    def _complement(self, key: Key, involved: dict[Key, list[tuple[Key, ...]]]) -> Key | None:
        """The shown count to hide next to ``key``: among the counts that share a relation
        with it, then with the hidden counts beside it, and so on outwards; the first that
        protects ``key`` on its own, trying the cheapest first (in the fewest relations,
        since a total printed in many tables costs more, then the smallest); failing
        that, the cheapest of the nearest, and the next round looks again."""
        seen = {key}
        frontier = [key]
        fallback = None
        while frontier:
            candidates: set[Key] = set()
            next_frontier: list[Key] = []
            for k in frontier:
                for members in involved.get(k, ()):
                    for m in members:
                        if m in seen:
                            continue
                        seen.add(m)
                        if m in self.hidden:
                            next_frontier.append(m)
                        else:
                            candidates.add(m)
            ranked = sorted(candidates, key=lambda m: (len(involved.get(m, ())), self.values[m], repr(m)))
            for m in ranked[:_TRIES]:
                self.hidden.add(m)
                protected = self._protected(key)
                self.hidden.discard(m)
                if protected:
                    return m
            if fallback is None and ranked:
                fallback = ranked[0]
            frontier = next_frontier
        return fallback

    # -- auditing ------------------------------------------------------------------------

    def ranges(self, keys: Iterable[Key] | None = None) -> dict[Key, tuple[float, float]]:
        """For hidden counts, the least and greatest values a reader can deduce from
        everything shown (linear programming over the whole release)."""
        wanted = set(self.hidden if keys is None else keys) & self.hidden
        return {k: (lo, hi) for k, lo, hi in self._solve(wanted)}

    def audit(self) -> list[Exposure]:
        """Every sensitive hidden count a reader could narrow below its protection range."""
        return self._exposures(self.sensitive & self.hidden)

    def _floor(self, key: Key) -> float:
        """The least value of ``key`` that the document's deliberate words alone imply
        (a rule check's "Yes, fewer than 6" says at least one action happened): the
        tables may not narrow a count further than that."""
        cache = self.__dict__.setdefault("_floors", {})
        if key not in cache:
            hidden = self.hidden
            self.hidden = {k for k in self.values if not (k in self.zero_shown and self.values[k] == 0)}
            try:
                cache[key] = next(lo for _, lo, _ in self._solve({key}))
            finally:
                self.hidden = hidden
        return cache[key]

    def _protected(self, key: Key) -> bool:
        return not self._exposures({key}, exact=False)

    def _meets(self, key: Key, lo: float, hi: float) -> bool:
        """Whether a reader's range for a hidden count is as wide as its protection:
        a small count must be able to be 0 and to be the threshold (or, where the
        document says "fewer than N", anything the words allow)."""
        t = self.threshold
        value = self.values[key]
        if key not in self.sensitive:
            return True
        if key in self.said_small and value < t:
            return lo <= self.said_small[key] + _EPS and hi >= t - 1 - _EPS
        if value < t:
            return (lo <= _EPS or lo <= self._floor(key) + _EPS) and hi >= t - _EPS
        # many actions by few students: the count itself must stay uncertain
        return hi - lo >= t - _EPS

    def bounds_of(self, key: Key) -> tuple[float, float]:
        """What the printed words alone say about a hidden count."""
        if key in self.said_small and self.values[key] < self.threshold:
            return float(self.said_small[key]), float(self.threshold - 1)
        return 0.0, float("inf")

    def _rows(self) -> list[tuple[dict[Key, float], float, float]]:
        """The release's relations over hidden counts, shown counts moved to the right:
        (coefficients, lower, upper) for "key minus the sum of others" of each relation."""
        rows = []
        relations = [(total, parts, True) for total, parts in self.sums]
        relations += [(key, others, False) for key, others in self.bounded]
        for key, others, equal in relations:
            coef: dict[Key, float] = {}
            constant = 0.0
            for k, sign in ((key, 1.0), *((o, -1.0) for o in others)):
                if k in self.hidden:
                    coef[k] = coef.get(k, 0.0) + sign
                else:
                    constant += sign * self.values[k]
            coef = {k: c for k, c in coef.items() if c}
            if coef:
                rows.append((coef, -constant if equal else float("-inf"), -constant))
        return rows

    def _components(self, wanted: set[Key]):
        """The wanted hidden counts grouped by connected component of the relations
        (union-find): ([keys in no relation], [(rows, keys)] per component)."""
        rows = self._rows()
        parent: dict[Key, Key] = {}

        def find(k: Key) -> Key:
            while parent.setdefault(k, k) != k:
                parent[k] = parent[parent[k]]
                k = parent[k]
            return k

        for coef, _, _ in rows:
            keys = list(coef)
            for other in keys[1:]:
                parent[find(other)] = find(keys[0])
        by_component: dict[Key, list[int]] = {}
        for i, (coef, _, _) in enumerate(rows):
            by_component.setdefault(find(next(iter(coef))), []).append(i)
        loose: list[Key] = []
        groups: dict[Key, list[Key]] = {}
        for key in sorted(wanted, key=repr):
            if key not in parent:  # in no relation: the words alone bound it
                loose.append(key)
            else:
                groups.setdefault(find(key), []).append(key)
        return loose, [([rows[i] for i in by_component.get(root, [])], keys) for root, keys in groups.items()]

    def _solve(self, wanted: set[Key]) -> list[tuple[Key, float, float]]:
        """(key, low, high) for each wanted hidden count, one linear program per bound,
        solved component by component (counts not linked by any relation separately)."""
        if not wanted:
            return []
        loose, components = self._components(wanted)
        results = [(key, *self.bounds_of(key)) for key in loose]
        for rows, keys in components:
            model = _Model(self, rows)
            results.extend((key, *model.range(key)) for key in keys)
        return results

    def _exposures(self, wanted: set[Key], *, exact: bool = True, quick: bool = False) -> list[Exposure]:
        """The wanted sensitive counts that are not protected. Most are shown safe by a
        few joint programs (one solution where many small counts are 0 at once, one where
        many reach the threshold at once); only the rest get a program per bound."""
        t = self.threshold
        loose, components = self._components(wanted)
        exposed = [Exposure(k, *self.bounds_of(k)) for k in loose if not self._meets(k, *self.bounds_of(k))]
        for rows, keys in components:
            model = _Model(self, rows)
            low_goal, high_goal = {}, {}
            for k in keys:
                if self.values[k] < t:
                    small = k in self.said_small
                    low_goal[k] = float(self.said_small[k]) if small else 0.0
                    high_goal[k] = float(t - 1 if small else t)
            unsure = set(keys) - set(low_goal)  # many actions, few students: exact ranges
            low_failed = model.unreached(low_goal, minimise=True, joint_only=quick)
            high_failed = model.unreached(high_goal, minimise=False, joint_only=quick)
            if quick:  # may be exposed: the caller's cover finds out, at no cost if not
                nan = float("nan")
                exposed += [Exposure(k, nan, nan, "low" if k not in high_failed else
                                     ("high" if k not in low_failed else ""))
                            for k in sorted(low_failed | high_failed | unsure, key=repr)]
                continue
            if not exact:  # protecting: that it fails, and where, is enough
                nan = float("nan")
                lows = {k for k in low_failed if self._floor(k) <= _EPS}
                exposed += [Exposure(k, nan, nan, "high") for k in sorted(high_failed - lows, key=repr)]
                exposed += [Exposure(k, nan, nan, "low" if k not in high_failed else "")
                            for k in sorted(lows, key=repr)]
                low_failed -= lows
                high_failed.clear()
            unsure |= low_failed | high_failed
            for k in sorted(unsure, key=repr):
                lo, hi = model.range(k)
                if not self._meets(k, lo, hi):
                    exposed.append(Exposure(k, lo, hi))
        return exposed


class _CoverModel:
    """The single-cell protection program for every count of a release at once: each
    shown count may move from its value at a cost (a rise and a fall column), hidden ones
    range as their words allow. ``changed_for`` asks, for one exposed count and one end,
    which shown counts must move for the count to reach its goal: those are hidden."""

    def __init__(self, release: Release, involved) -> None:
        import highspy
        import numpy as np

        relations = [(total, parts, True) for total, parts in release.sums]
        relations += [(k, others, False) for k, others in release.bounded]
        self.columns = sorted({k for r in relations for k in (r[0], *r[1])}, key=repr)
        self.index = {k: i for i, k in enumerate(self.columns)}
        self.shown = [k for k in self.columns if k not in release.hidden]
        self.release = release
        n = len(self.columns)
        width = n + 2 * len(self.shown)
        inf = highspy.kHighsInf
        self.lower = np.zeros(width)
        self.upper = np.full(width, inf)
        for k in self.columns:
            if k in release.hidden:
                lo, hi = release.bounds_of(k)
                self.lower[self.index[k]], self.upper[self.index[k]] = lo, (inf if hi == float("inf") else hi)
        cost = np.zeros(width)
        starts, indices, values, row_lo, row_hi = [0], [], [], [], []
        for number, k in enumerate(self.shown):
            rise, fall = n + 2 * number, n + 2 * number + 1
            cost[rise] = cost[fall] = len(involved.get(k, ())) + 1
            indices += [self.index[k], rise, fall]
            values += [1.0, -1.0, 1.0]
            starts.append(len(indices))
            row_lo.append(float(release.values[k]))
            row_hi.append(float(release.values[k]))
        for head, others, equal in relations:
            coef: dict[int, float] = {self.index[head]: 1.0}
            for o in others:
                coef[self.index[o]] = coef.get(self.index[o], 0.0) - 1.0
            for c, v in coef.items():
                if v:
                    indices.append(c)
                    values.append(v)
            starts.append(len(indices))
            row_lo.append(0.0 if equal else -inf)
            row_hi.append(0.0)
        self.solver = _solver_with(cost, self.lower, self.upper, row_lo, row_hi, starts, indices, values)
        self.n = n
        self.position = {k: number for number, k in enumerate(self.shown)}
        self.freed: set[Key] = set()

    def free(self, keys: set[Key]) -> None:
        """Counts chosen for hiding in this round cost nothing to move for the next ones,
        so later choices reuse them rather than hide more."""
        import numpy as np

        columns = [self.n + 2 * self.position[k] + d for k in keys if k in self.position for d in (0, 1)]
        if columns:
            self.solver.changeColsCost(len(columns), np.array(columns, dtype=np.int32), np.zeros(len(columns)))
        self.freed |= set(keys)

    def changed_for(self, key: Key, side: str, goal: float) -> set[Key] | None:
        """The shown counts to hide so that ``key`` can reach ``goal`` (empty when it
        already can; None when no change of shown counts would do)."""
        import highspy

        i = self.index.get(key)
        if i is None or key not in self.release.hidden:
            return None
        lower, upper = self.lower[i], self.upper[i]
        if side == "high":
            self.solver.changeColBounds(i, max(lower, goal), upper)
        else:
            self.solver.changeColBounds(i, lower, min(upper, goal))
        try:
            self.solver.run()
            self.release.programs_solved += 1
            if self.solver.getModelStatus() != highspy.HighsModelStatus.kOptimal:
                return None
            solution = self.solver.getSolution().col_value
        finally:
            self.solver.changeColBounds(i, lower, upper)
        n = self.n
        return {k for number, k in enumerate(self.shown)
                if k not in self.freed and solution[n + 2 * number] + solution[n + 2 * number + 1] > _EPS}


class _Model:
    """One component's linear program in HiGHS, built once and re-solved per objective."""

    def __init__(self, release: Release, rows) -> None:
        import highspy
        import numpy as np

        self.release = release
        self.columns = sorted({k for coef, _, _ in rows for k in coef}, key=repr)
        self.index = {k: i for i, k in enumerate(self.columns)}
        n = len(self.columns)
        inf = highspy.kHighsInf
        lower, upper = zip(*(release.bounds_of(k) for k in self.columns))
        self.upper = np.array([inf if u == float("inf") else u for u in upper], dtype=float)
        self.lower = np.array(lower, dtype=float)
        starts, indices, values = [0], [], []
        for coef, _, _ in rows:
            for k, c in coef.items():
                indices.append(self.index[k])
                values.append(c)
            starts.append(len(indices))
        self.solver = _solver_with(np.zeros(n), self.lower, self.upper,
                                   [-inf if lo == float("-inf") else lo for _, lo, _ in rows],
                                   [hi for _, _, hi in rows], starts, indices, values)
        self.everything = np.arange(n, dtype=np.int32)

    def _run(self, cost, maximise: bool):
        """Solve with ``cost``; the status and, when optimal, the objective and values."""
        import highspy

        solver = self.solver
        solver.changeColsCost(len(self.columns), self.everything, cost)
        solver.changeObjectiveSense(highspy.ObjSense.kMaximize if maximise else highspy.ObjSense.kMinimize)
        solver.run()
        self.release.programs_solved += 1
        status = solver.getModelStatus()
        if status == highspy.HighsModelStatus.kOptimal:
            return "optimal", solver.getInfo().objective_function_value, solver.getSolution().col_value
        if status in (highspy.HighsModelStatus.kUnbounded, highspy.HighsModelStatus.kUnboundedOrInfeasible):
            return "unbounded", None, None
        # the true values satisfy every relation, so this is a bug
        raise RuntimeError(f"disclosure audit: {solver.modelStatusToString(status)}")

    def range(self, key: Key) -> tuple[float, float]:
        import numpy as np

        cost = np.zeros(len(self.columns))
        cost[self.index[key]] = 1.0
        ends = []
        for maximise in (False, True):
            status, value, _ = self._run(cost, maximise)
            ends.append(value if status == "optimal" else (float("inf") if maximise else float("-inf")))
        return ends[0], ends[1]

    def unreached(self, goals: dict[Key, float], *, minimise: bool, joint_only: bool = False) -> set[Key]:
        """The keys that cannot reach their goal (at most the goal when minimising, at
        least it when maximising). Every solution found shows, at once, every key it
        takes to its goal: first solutions of all the keys together (each capped at its
        goal, so the sum is bounded and the solution is still one the relations allow),
        then one key at a time (capped alone), so most keys need no program of their own."""
        import numpy as np

        pending = set(goals)

        def reached(values) -> set[Key]:
            return {k for k in pending if (values[self.index[k]] <= goals[k] + _EPS if minimise
                                           else values[self.index[k]] >= goals[k] - _EPS)}

        def capped(keys):
            changed = []
            if not minimise:
                for k in keys:
                    i = self.index[k]
                    if goals[k] < self.upper[i]:
                        changed.append(i)
                        self.solver.changeColBounds(i, self.lower[i], goals[k])
            return changed

        def uncap(changed):
            for i in changed:
                self.solver.changeColBounds(i, self.lower[i], self.upper[i])

        changed = capped(pending)
        try:
            while pending:
                cost = np.zeros(len(self.columns))
                for k in pending:
                    cost[self.index[k]] = 1.0
                status, _, values = self._run(cost, not minimise)
                found = reached(values) if status == "optimal" else set()
                if not found:
                    break
                pending -= found
        finally:
            uncap(changed)
        if joint_only:
            return pending
        failed: set[Key] = set()
        for k in sorted(pending, key=repr):
            if k not in pending:
                continue
            cost = np.zeros(len(self.columns))
            cost[self.index[k]] = 1.0
            changed = capped([k])
            try:
                status, _, values = self._run(cost, not minimise)
            finally:
                uncap(changed)
            if status != "optimal":  # unbounded: it reaches any goal
                pending.discard(k)
                continue
            pending -= reached(values)
            if k in pending:
                failed.add(k)
                pending.discard(k)
        return failed


_solver_made = False


def _solver_with(cost, lower, upper, row_lower, row_upper, starts, indices, values):
    """A HiGHS solver holding the linear program given row by row (its matrix as row
    starts, column indices and values)."""
    import highspy
    import numpy as np

    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = len(cost), len(row_lower)
    lp.col_cost_, lp.col_lower_, lp.col_upper_ = np.asarray(cost, dtype=float), lower, upper
    lp.row_lower_, lp.row_upper_ = np.array(row_lower, dtype=float), np.array(row_upper, dtype=float)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = np.array(starts, dtype=np.int32)
    lp.a_matrix_.index_ = np.array(indices, dtype=np.int32)
    lp.a_matrix_.value_ = np.array(values, dtype=float)
    solver = _new_solver()
    solver.passModel(lp)
    return solver


def _new_solver():
    """A silent HiGHS solver. HiGHS writes its banner straight to the process's standard
    output the first time one is made, which would corrupt what the command line prints
    (a backup's path, JSON), so that first time standard output is closed off briefly."""
    global _solver_made
    import highspy

    if _solver_made:
        solver = highspy.Highs()
    else:
        import os
        import sys

        try:
            sys.stdout.flush()
            saved = os.dup(1)
        except (OSError, ValueError, AttributeError):  # no real standard output (a windowed app)
            saved = None
        if saved is None:
            solver = highspy.Highs()
        else:
            try:
                with open(os.devnull, "w") as sink:
                    os.dup2(sink.fileno(), 1)
                    solver = highspy.Highs()
            finally:
                os.dup2(saved, 1)
                os.close(saved)
        _solver_made = True
    solver.silent()
    return solver


# -- tables ------------------------------------------------------------------------------


@dataclass
class PublicTable:
    """A printed table of counts whose cells are quantities of a release.

    ``keys[r][c]`` names each cell's quantity; the last row and the last column are
    the totals. ``sentence`` replaces a table that could not be printed usefully."""

    title: str
    rows: list[str]
    columns: list[str]
    keys: list[list[Key]]
    release: Release
    sentence: str = ""

    def cell(self, r: int, c: int) -> str:
        return self.release.text(self.keys[r][c])

    def shown(self) -> list[list[str]]:
        return [[self.cell(r, c) for c in range(len(self.columns))] for r in range(len(self.rows))]

    def value(self, r: int, c: int) -> int | None:
        return self.release.value(self.keys[r][c])

    def is_hidden(self, r: int, c: int) -> bool:
        return not self.release.is_shown(self.keys[r][c])

    @property
    def hidden(self) -> set[tuple[int, int]]:
        return {(r, c) for r in range(len(self.rows)) for c in range(len(self.columns))
                if self.is_hidden(r, c)}

    def inner_shown_share(self) -> float:
        """The share of the table's own cells (not its totals) that are printed."""
        inner = [(r, c) for r in range(len(self.rows) - 1) for c in range(len(self.columns) - 1)]
        return sum(not self.is_hidden(r, c) for r, c in inner) / len(inner) if inner else 1.0


def add_grid(
    release: Release,
    title: str,
    row_labels: Sequence[str],
    column_labels: Sequence[str],
    keys: Sequence[Sequence[Key]],
    counts: Sequence[Sequence[int]],
    people: Sequence[Sequence[int]] | None = None,
) -> PublicTable:
    """Register a table whose last row and column are totals, with its sums."""
    n_rows, n_cols = len(row_labels), len(column_labels)
    for r in range(n_rows):
        for c in range(n_cols):
            release.add(keys[r][c], counts[r][c], people=None if people is None else people[r][c])
    for r in range(n_rows - 1):
        release.add_sum(keys[r][n_cols - 1], [keys[r][c] for c in range(n_cols - 1)])
    for c in range(n_cols):
        release.add_sum(keys[n_rows - 1][c], [keys[r][c] for r in range(n_rows - 1)])
    return PublicTable(title, list(row_labels), list(column_labels), [list(k) for k in keys], release)


# -- prose -------------------------------------------------------------------------------

_NUMBER_WORDS = (
    "no|none|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
    "fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|a single|a few|single|several|"
    "once|twice|a dozen|a couple of|a pair of|both"
)
_COUNTED = (
    r"arrests?|arrested|citations?|cited|tickets?|summons(?:es)?|referrals?|referred|petitions?|"
    r"custody|searches|searched|questioning|complaints?|concerns?|students?|pupils?|juveniles?|"
    r"incidents?|cases?|youths?|children|kids|findings?|violations?|times"
)
_NUMBER = re.compile(rf"\b(?:\d+|{_NUMBER_WORDS})\b", re.IGNORECASE)
_COUNTED_WORD = re.compile(rf"\b(?:{_COUNTED})\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def quotes_a_count(text: str) -> bool:
    """Whether typed prose states how many arrests, complaints, students... there were
    ("One complaint ... was substantiated", "Each arrest was reviewed; two lacked a
    reason"): a sentence with a number and a counted thing in it. Such prose
    cannot go into a public document, whose counts come from the protected tables alone;
    erring towards caution only moves a text to the attendees' copies."""
    return any(_NUMBER.search(sentence) and _COUNTED_WORD.search(sentence)
               for sentence in _SENTENCE_END.split(text or ""))
