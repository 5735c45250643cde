"""Watch what a request writes, instead of photographing the database around it.

``watch_writes()`` wraps every statement the default connection runs
(``connection.execute_wrapper``) and keeps the ``INSERT``/``UPDATE``/``DELETE`` statements that
touched at least one row and were not undone: a statement inside a savepoint that is rolled
back (``ROLLBACK TO SAVEPOINT``: a view's ``atomic()`` block that failed) is forgotten with
it, one inside a savepoint that is released stays. A failure names the table and the
statement, where a snapshot could only say that something, somewhere, differs.

It costs nothing per table: a request that runs twelve statements is watched by looking at
twelve strings.
"""

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection

_WRITE = re.compile(
    r"^\s*(?:WITH\b.*?\)\s*)?(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+\"?([\w.]+)\"?",
    re.IGNORECASE | re.DOTALL,
)
_SAVEPOINT = re.compile(
    r"^\s*(SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT)\s+\"?(\w+)\"?", re.IGNORECASE
)


@dataclass
class Write:
    table: str
    sql: str
    rows: int

    def __str__(self) -> str:
        return f"{self.table} ({self.rows} row{'s' if self.rows != 1 else ''}): {self.sql[:160]}"


@dataclass
class Writes:
    """The writes a block left behind, with the tables it may write ignored."""

    ignore: frozenset[str] = frozenset()
    _frames: list[tuple[str | None, list[Write]]] = field(default_factory=lambda: [(None, [])])

    @property
    def kept(self) -> list[Write]:
        return [w for _, writes in self._frames for w in writes if w.table not in self.ignore]

    def __bool__(self) -> bool:
        return bool(self.kept)

    def __str__(self) -> str:
        return "; ".join(str(w) for w in self.kept) or "nothing"

    def _index(self, name: str) -> int | None:
        for i in range(len(self._frames) - 1, 0, -1):
            if self._frames[i][0] == name:
                return i
        return None  # a savepoint opened before the watch began

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        head = sql[:200]
        savepoint = _SAVEPOINT.match(head)
        if savepoint:
            verb, name = savepoint.group(1).upper(), savepoint.group(2)
            i = self._index(name)
            if verb == "SAVEPOINT":
                self._frames.append((name, []))
            elif verb == "RELEASE SAVEPOINT" and i is not None:
                merged = [w for _, writes in self._frames[i:] for w in writes]
                del self._frames[i:]
                self._frames[-1][1].extend(merged)
            elif verb == "ROLLBACK TO SAVEPOINT" and i is not None:
                del self._frames[i + 1 :]
                self._frames[i] = (name, [])
            return result
        write = _WRITE.match(head)
        if write:
            rows = getattr(context.get("cursor"), "rowcount", -1)
            if rows != 0:  # -1: the driver cannot tell; count it
                table = write.group(2).strip('"').split(".")[-1]
                self._frames[-1][1].append(Write(table, " ".join(sql.split()), rows))
        return result


@contextmanager
def watch_writes(ignore: Iterable[str] = ()) -> Iterator[Writes]:
    """The writes of the block that were not rolled back, ``ignore`` tables aside."""
    writes = Writes(ignore=frozenset(ignore))
    with connection.execute_wrapper(writes):
        yield writes
