"""SQL for the lists: labels, flags and statuses as expressions, so a list is sorted and
filtered by SQLite rather than by loading every record.

Each expression here mirrors a rule kept in Python elsewhere (``enforcement.rule_flags``,
``Complaint.status``); tests hold the two to the same answers.
"""

from __future__ import annotations

from sro_desk.records import complaints, enforcement as enf
from sro_desk.records.enforcement import Action
from sro_desk.store import DataFile
from sro_desk.store.database import Read


def quoted(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def label_sql(expression: str, labels: dict[str, str], *, otherwise: str | None = None) -> str:
    """``expression``'s code shown as its label (the code itself when not listed)."""
    cases = " ".join(f"WHEN {quoted(k)} THEN {quoted(v)}" for k, v in labels.items())
    fallback = expression if otherwise is None else otherwise
    return f"(CASE {expression} {cases} ELSE {fallback} END)"


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(quoted(v) for v in sorted(values))})"


def _blank(column: str) -> str:
    return f"trim(coalesce({column}, ''), ' ' || char(9, 10, 11, 12, 13)) = ''"


def flag_sql(prefix: str = "") -> dict[str, str]:
    """Each rule of ``enforcement.rule_flags`` as a SQL condition on an enforcement_action row.

    ``prefix`` is the table's alias with its dot (``"e."``) when the query joins others.
    """
    c = lambda name: prefix + name  # noqa: E731
    enforcement = _in(c("kind"), enf.ENFORCEMENT_KINDS)
    rules = {
        "c272_in_school": f"({enforcement} AND {_in(c('place'), enf.C272_PLACES)} "
                          f"AND {_in(c('offense'), enf.SCHOOL_SHIELDED)})",
        "arrest_last_resort": f"({c('kind')} = 'arrest' AND NOT coalesce({c('warrant')}, 0) "
                              f"AND {_blank(c('last_resort_reason'))})",
        "principal_not_consulted": f"({enforcement} AND {c('principal_consulted')} = 0 "
                                   f"AND {_blank(c('principal_reason'))})",
        "parent_not_notified": f"({c('kind')} IN ('arrest', 'custody') AND {_blank(c('parent_notified_at'))})",
        "questioning_without_notice": f"({c('kind')} = 'questioning' AND NOT (coalesce({c('parent_told_before_questioning')}, 0) "
                                      f"AND coalesce({c('parent_offered_to_attend')}, 0)))",
    }
    # A NULL (an offense not recorded, say) counts as no flag, never as unknown.
    return {rule: f"coalesce({expression}, 0)" for rule, expression in rules.items()}


def flagged_sql(prefix: str = "") -> str:
    """True for an entry that breaks any rule (acknowledged or not)."""
    return "(" + " OR ".join(flag_sql(prefix).values()) + ")"


def flag_count_sql(prefix: str = "") -> str:
    """How many rules an entry breaks: the Flags column sorts by it."""
    return "(" + " + ".join(flag_sql(prefix).values()) + ")"


def open_flags_sql(prefix: str = "") -> str:
    """True for an entry with a flag not yet acknowledged."""
    parts = [
        f"({expression} AND json_extract(coalesce({prefix}acknowledged, '{{}}'), {quoted('$.' + rule)}) IS NULL)"
        for rule, expression in flag_sql(prefix).items()
    ]
    return "(" + " OR ".join(parts) + ")"


def year_entry_counts_read(school_year: str) -> Read:
    """The read of ``year_entry_counts``: two counts, each from an index alone (the open
    flags from the partial index of migration 0011, whose condition this repeats word for
    word: keep ``open_flags_sql()`` as it is, or add a migration with the new text)."""
    return (
        "SELECT (SELECT count(*) FROM enforcement_action WHERE school_year = ?) AS entries, "
        f"(SELECT count(*) FROM enforcement_action WHERE school_year = ? AND {open_flags_sql()}) AS open_flags",
        (school_year, school_year),
        ("entries", "open_flags"),
    )


def year_entry_counts(data_file: DataFile, school_year: str) -> dict[str, int]:
    """A year's entries and how many of them have open flags."""
    sql, params, _columns = year_entry_counts_read(school_year)
    return data_file.query(sql, params)[0]


def action_of(row: dict) -> Action:
    """An Action from an enforcement_action row (all its columns) read for a list."""
    return enf._action(row)


def load_action(data_file: DataFile, action_id: int) -> Action | None:
    """One entry as saved now, or None when it is gone."""
    found = data_file.query("SELECT * FROM enforcement_action WHERE id = ?", (action_id,))
    return action_of(found[0]) if found else None


# -- complaints ---------------------------------------------------------------------------

#: The steps of ``Complaint.status``, latest first.
_STATUS_STEPS = (("closed", "closed_on"), ("communicated", "communicated_on"), ("finding", "finding_on"),
                 ("under review", "review_started_on"), ("acknowledged", "acknowledged_on"))


def complaint_status_sql(prefix: str = "", *, voided: bool = True) -> str:
    """``Complaint.status`` as SQL ('voided' first when ``voided``)."""
    cases = [f"WHEN coalesce({prefix}voided, 0) THEN 'voided'"] if voided else []
    cases += [f"WHEN coalesce({prefix}{column}, '') != '' THEN {quoted(step)}" for step, column in _STATUS_STEPS]
    return f"(CASE {' '.join(cases)} ELSE 'received' END)"


def complainant_sql(prefix: str = "") -> str:
    """Who complained, for a list: never a confidential complainant's identity, even a sealed one."""
    role = label_sql(f"{prefix}complainant_role", complaints.ROLES, otherwise=f"coalesce({prefix}complainant_role, '')")
    return (f"(CASE WHEN coalesce({prefix}confidential, 0) THEN 'Confidential' "
            f"WHEN coalesce({prefix}name, '') != '' THEN {prefix}name ELSE {role} END)")


def days_open_sql(prefix: str = "") -> str:
    """Days from receipt to closing (or to :today); NULL for a voided complaint."""
    return (f"(CASE WHEN coalesce({prefix}voided, 0) THEN NULL ELSE CAST(julianday(coalesce(nullif({prefix}closed_on, ''), "
            f":today)) - julianday({prefix}received_on) AS INTEGER) END)")


def complaint_year_counts_read(school_year: str) -> Read:
    """The read of ``complaint_year_counts``."""
    return (
        "SELECT count(*) AS total, coalesce(sum(coalesce(voided, 0) != 0), 0) AS voided, "
        "coalesce(sum(coalesce(voided, 0) = 0 AND coalesce(closed_on, '') = ''), 0) AS open "
        "FROM complaint WHERE school_year = ?",
        (school_year,),
        ("total", "voided", "open"),
    )


def complaint_year_counts(data_file: DataFile, school_year: str) -> dict[str, int]:
    """A year's complaints: all, voided, and open (neither voided nor closed)."""
    sql, params, _columns = complaint_year_counts_read(school_year)
    return data_file.query(sql, params)[0]
