"""A read-only table model over SQL, so a list of a million rows opens at once.

Like Anki's browser, the model keeps only the ordered ids of the current filter and sort
(one query, ``ORDER BY`` and ``WHERE`` done by SQLite) and reads the rows' contents
lazily, a page of ids at a time (``WHERE id IN (...)``), into a bounded cache. The view
is given the ids in batches through ``canFetchMore``/``fetchMore``. Every read runs to
completion, so no read transaction stays open while a person looks at the screen.
"""

from __future__ import annotations

import sqlite3
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from sro_desk.store import DataFile
from sro_desk.store.inspect import translate
from sro_desk.ui.qt import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

#: The record id of a row (an int), for any column.
ID_ROLE = Qt.ItemDataRole.UserRole + 1
_TEXT_ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole)
#: The roles ``data`` answers (as plain ints: a set lookup, not an enum comparison).
_SERVED_ROLES = frozenset(int(role.value) for role in (*_TEXT_ROLES, Qt.ItemDataRole.ToolTipRole)) | {int(ID_ROLE)}


@dataclass(frozen=True)
class Column:
    """One column: its header, and its text as a SQL expression or a formatter of the row.

    ``sql`` is selected for each row and shown as text (NULL shows as nothing). ``text``
    formats the row dict instead (it holds the ``fields`` the model selects). ``tooltip``
    gives a tooltip other than the cell's whole text. ``sort_sql`` is what the column
    sorts by (``sql`` by default); a column with neither is not sortable.
    """

    header: str
    sql: str | None = None
    text: Callable[[dict], object] | None = None
    tooltip: Callable[[dict], str | None] | None = None
    sort_sql: str | None = None

    @property
    def order_by(self) -> str | None:
        return self.sort_sql or self.sql


class SqlTableModel(QAbstractTableModel):
    """Rows of ``source`` (a table, or a table with joins) matching the filters, in SQL order.

    ``id_sql`` names the row id in ``source`` (``"e.id"``); ``fields`` are further select
    items the formatters read (``"e.*"``). Filters are named ``WHERE`` conditions with
    named parameters, ANDed together; ``params`` serve the columns' expressions.
    """

    def __init__(
        self,
        *,
        source: str,
        columns: list[Column],
        id_sql: str = "id",
        fields: Iterable[str] = (),
        sort_column: int = 0,
        sort_order: Qt.SortOrder = Qt.SortOrder.AscendingOrder,
        page_size: int = 200,
        batch_size: int = 500,
        cache_rows: int = 5000,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.source = source
        self.columns = list(columns)
        self.id_sql = id_sql
        self.fields = list(fields)
        self.page_size = page_size
        self.batch_size = batch_size
        self.cache_rows = max(cache_rows, page_size)
        self.data_file: DataFile | None = None
        self._filters: dict[str, tuple[str, Mapping]] = {}
        self._params: dict = {}
        self._sort = (sort_column, sort_order)
        self._ids: list[int] = []
        self._shown = 0
        self._rows: OrderedDict[int, dict] = OrderedDict()
        #: Rows read from the file since the model was made (lazy loading shows in it).
        self.rows_fetched = 0

    # -- what to show ----------------------------------------------------------------------

    def set_data_file(self, data_file: DataFile | None) -> None:
        """Show ``data_file`` (nothing is read until ``refresh`` or a filter)."""
        self.beginResetModel()
        self.data_file = data_file
        self._ids, self._shown = [], 0
        self._rows.clear()
        self.endResetModel()

    def set_params(self, **params) -> None:
        """Named parameters for the columns' expressions (``:today``, say); read at refresh."""
        self._params = dict(params)

    def set_filters(self, filters: Mapping[str, tuple[str | None, Mapping | None]]) -> None:
        """Set (or with a None condition, drop) named filters, then read the ids again."""
        for name, (where, params) in filters.items():
            if where:
                self._filters[name] = (where, dict(params or {}))
            else:
                self._filters.pop(name, None)
        self.refresh(keep_shown=False)

    def set_filter(self, name: str, where: str | None, params: Mapping | None = None) -> None:
        self.set_filters({name: (where, params)})

    def refresh(self, *, keep_shown: bool = True) -> None:
        """Read the ids again and forget cached rows (the file changed, or the filter)."""
        shown = self._shown
        self.beginResetModel()
        self._rows.clear()
        self._ids = self._select_ids() if self.data_file is not None else []
        wanted = max(self.batch_size, shown) if keep_shown else self.batch_size
        self._shown = min(len(self._ids), wanted)
        self.endResetModel()

    # -- SQL --------------------------------------------------------------------------------

    def _all_params(self) -> dict:
        merged = dict(self._params)
        for _where, params in self._filters.values():
            merged.update(params)
        return merged

    def _where(self) -> str:
        return " AND ".join(f"({where})" for where, _params in self._filters.values()) or "1"

    def _select_ids(self) -> list[int]:
        column, order = self._sort
        direction = "DESC" if order == Qt.SortOrder.DescendingOrder else "ASC"
        spec = self.columns[column] if 0 <= column < len(self.columns) else None
        keys = [spec.order_by] if spec is not None and spec.order_by else []
        order_by = ", ".join(f"{key} {direction}" for key in [*keys, self.id_sql])
        sql = f"SELECT {self.id_sql} AS _id FROM {self.source} WHERE {self._where()} ORDER BY {order_by}"
        return [row[0] for row in self._read(sql, self._all_params(), tuples=True)]

    def _read(self, sql: str, params: dict, *, tuples: bool = False) -> list:
        assert self.data_file is not None
        if not tuples:
            return self.data_file.query(sql, params)
        # Plain tuples for the id list: a dict per id is slow at a million rows.
        try:
            return self.data_file.conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            known = translate(exc, self.data_file.path, doing=" while reading it")
            if known is None:
                raise
            raise known from None

    def _fetch_page(self, row: int) -> None:
        """Read the page of rows around ``row`` that are not cached yet."""
        start = row - row % self.page_size
        wanted = [i for i in self._ids[start:start + self.page_size] if i not in self._rows]
        if not wanted or self.data_file is None:
            return
        names = {f"_id{n}": row_id for n, row_id in enumerate(wanted)}
        select = [f"{self.id_sql} AS _id"]
        select += [f"{c.sql} AS _c{n}" for n, c in enumerate(self.columns) if c.sql]
        select += self.fields
        sql = (f"SELECT {', '.join(select)} FROM {self.source} "
               f"WHERE {self.id_sql} IN ({', '.join(':' + name for name in names)})")
        try:
            found = {r["_id"]: r for r in self._read(sql, {**self._all_params(), **names})}
        except sqlite3.ProgrammingError:  # the file was closed under a view still painting
            return
        self.rows_fetched += len(found)
        for row_id in wanted:
            self._rows[row_id] = found.get(row_id, {})  # gone since the ids were read: blank
        while len(self._rows) > self.cache_rows:
            self._rows.popitem(last=False)

    # -- rows and ids ---------------------------------------------------------------------

    def total(self) -> int:
        """How many rows match, shown yet or not."""
        return len(self._ids)

    def id_at(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < self._shown else None

    def row_dict(self, row: int) -> dict | None:
        """The row's values as read (``_id``, ``_c<column>``, the fields); None off the end."""
        if not 0 <= row < self._shown:
            return None
        row_id = self._ids[row]
        if row_id not in self._rows:
            self._fetch_page(row)
        return self._rows.get(row_id, {})

    def row_of(self, row_id: int | None) -> int | None:
        """The row showing ``row_id``, fetching more rows into the view if it is further down."""
        if row_id is None:
            return None
        try:
            row = self._ids.index(row_id)
        except ValueError:
            return None
        if row >= self._shown:
            self._show_up_to(row + 1)
        return row

    def _show_up_to(self, count: int) -> None:
        count = min(len(self._ids), count)
        if count > self._shown:
            self.beginInsertRows(QModelIndex(), self._shown, count - 1)
            self._shown = count
            self.endInsertRows()

    # -- Qt's model protocol -----------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else self._shown

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> bool:  # noqa: N802
        return not parent.isValid() and self._shown < len(self._ids)

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> None:  # noqa: N802
        if not parent.isValid():
            self._show_up_to(self._shown + self.batch_size)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal:
            if 0 <= section < len(self.columns) and role in (*_TEXT_ROLES, Qt.ItemDataRole.ToolTipRole):
                return self.columns[section].header
            return None
        if role == Qt.ItemDataRole.DisplayRole and 0 <= section < self._shown:
            return str(section + 1)
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if role not in _SERVED_ROLES:  # fonts, colours, sizes...: asked for every cell painted
            return None
        if not index.isValid() or not 0 <= index.row() < self._shown or not 0 <= index.column() < len(self.columns):
            return None
        if role == ID_ROLE:
            return self._ids[index.row()]
        if role in _TEXT_ROLES:
            return self.text(index.row(), index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(index.row(), index.column())
        return None

    def text(self, row: int, column: int) -> str:
        """A cell's whole text (what DisplayRole shows)."""
        values = self.row_dict(row)
        if not values:
            return ""
        key = f"_t{column}"
        if key not in values:  # formatted once per read of the row
            spec = self.columns[column]
            value = spec.text(values) if spec.text is not None else values.get(f"_c{column}")
            values[key] = "" if value is None else str(value)
        return values[key]

    def _tooltip(self, row: int, column: int) -> str | None:
        spec = self.columns[column]
        if spec.tooltip is not None:
            values = self.row_dict(row)
            key = f"_tip{column}"
            if values and key not in values:
                values[key] = spec.tooltip(values)
            if values and values[key]:
                return values[key]
        return self.text(row, column) or None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Order by the column's SQL, keeping what is selected selected."""
        if not 0 <= column < len(self.columns) or self.columns[column].order_by is None:
            return
        self._sort = (column, order)
        if self.data_file is None:
            return
        old = self._ids
        new = self._select_ids()
        if len(new) != len(old) or set(new) != set(old):
            # The file changed since the ids were read: start afresh.
            self.refresh()
            return
        position = {row_id: row for row, row_id in enumerate(new)}
        persistent = self.persistentIndexList()
        needed = max((position[old[p.row()]] + 1 for p in persistent if p.row() < self._shown), default=0)
        self._show_up_to(needed)  # a selected row sorted far down is still there to select
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()  # with those the views made just now
        moved = [
            self.index(position[old[p.row()]], p.column()) if p.row() < self._shown else QModelIndex()
            for p in persistent
        ]
        self._ids = new
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()

    def sort_column(self) -> tuple[int, Qt.SortOrder]:
        return self._sort
