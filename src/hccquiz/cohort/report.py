"""A cohort report: logs in, figures out (`CohortReport`), as JSON or as the HTML page.

DuckDB computes every figure (`hccquiz.cohort.queries`); Python only names the columns,
applies the flag rules to a few hundred rows and places flags in the deck files.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..deck.levels import level_rank
from ..progress.export import sql_text
from ..study.stats import MATURE_DAYS
from . import queries
from .flags import RULES, Flag, find_flags
from .inputs import CohortError, find_logs
from .load import Loaded, load_logs
from .locate import DeckIndex

if TYPE_CHECKING:
    import duckdb

    from ..deck.models import Deck
    from ..errors import Problem

__all__ = ["REPORT_FORMAT", "CohortReport", "build_report"]

REPORT_FORMAT = {"format": "hccquiz-cohort-report", "version": 1}
"""Names the JSON output and its version."""


@dataclass(slots=True)
class CohortReport:
    """Every figure of a report, JSON-ready (dates as ISO text)."""

    as_of: date
    min_trainees: int
    loaded: Loaded
    cohort: dict[str, Any]
    items: list[dict[str, Any]]
    levels: list[dict[str, Any]]
    trainees: list[dict[str, Any]]
    activity: list[dict[str, Any]]
    flags: list[Flag]
    locations: dict[int, Problem] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)

    def warning_lines(self) -> list[str]:
        """Each flag as ``PATH:LINE:COL: warning: ...`` (``deck/item: warning: ...``
        when its deck file was not given)."""
        lines = []
        for n, f in enumerate(self.flags):
            p = self.locations.get(n)
            if p is not None:
                lines.append(f"{p.path}:{p.line}:{p.column}: warning: {p.message}")
            else:
                lines.append(f"{f.subject}: warning: {f.message}")
        return lines

    def to_json(self) -> dict[str, Any]:
        """The figures for programs' own tools: the same numbers the HTML shows."""
        flags = []
        for n, f in enumerate(self.flags):
            p = self.locations.get(n)
            flags.append(
                {
                    "rule": f.rule,
                    "deck_id": f.deck_id,
                    "item_id": f.item_id,
                    "card": f.card,
                    "content_hash": f.content_hash,
                    "option": f.option,
                    "message": f.message,
                    "path": p.path if p else None,
                    "line": p.line if p else None,
                    "column": p.column if p else None,
                }
            )
        return {
            **REPORT_FORMAT,
            "generated_by": f"hccquiz {__version__}",
            "as_of": self.as_of.isoformat(),
            "min_trainees": self.min_trainees,
            "rules": RULES,
            "logs": list(self.loaded.logs),
            "logs_left_out": list(self.loaded.left_out),
            "cohort": self.cohort,
            "items": self.items,
            "flags": flags,
            "levels": self.levels,
            "trainees": self.trainees,
            "activity": self.activity,
        }


def _json_value(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value != value:  # NaN: no figure
        return None
    if isinstance(value, list):
        return [_json_value(v) for v in value]
    return value


def _rows(conn: duckdb.DuckDBPyConnection, sql: str, **params: Any) -> list[dict[str, Any]]:
    cursor = conn.execute(sql, params) if params else conn.execute(sql)
    names = [d[0] for d in cursor.description]
    return [
        {k: _json_value(v) for k, v in zip(names, row, strict=True)} for row in cursor.fetchall()
    ]


def build_report(
    log_args: Sequence[str],
    decks: Sequence[tuple[Path, Deck]] = (),
    *,
    as_of: date,
    min_trainees: int = 5,
    memory_limit: str | None = None,
) -> CohortReport:
    """Read the logs named by `log_args` and compute the report as of study day `as_of`.

    With `decks` (validated, with their files), flags point into the files and every
    deck the logs hold must be among them. `CohortError` for bad input; nothing is
    written here.
    """
    from ..progress.duck import MEMORY_LIMIT, connect

    logs = find_logs(list(log_args))
    index = DeckIndex(decks)
    conn = connect(memory_limit=memory_limit or MEMORY_LIMIT, keep_order=False)
    staging = tempfile.TemporaryDirectory(prefix="hccquiz-cohort-")
    try:
        conn.execute(f"SET temp_directory = {sql_text(staging.name)}")
        loaded = load_logs(conn, logs, Path(staging.name))
        if not loaded.reviews:
            raise CohortError("the logs hold no reviews: an empty cohort, nothing to report")
        conn.execute(queries.FIRST)
        cohort = _rows(conn, queries.COHORT)[0]
        if decks:
            missing = [d for d in cohort["decks"] if d not in index.deck_ids]
            if missing:
                raise CohortError(
                    f"the logs hold reviews of deck(s) {', '.join(missing)}, which no --deck "
                    "file defines: give those files too, or leave out --deck"
                )
        items = _rows(conn, queries.ITEMS)
        options = _rows(conn, queries.OPTIONS)
        versions = _rows(conn, queries.VERSIONS)
        levels = _rows(conn, queries.LEVELS, mature=MATURE_DAYS)
        trainees = _rows(conn, queries.TRAINEES, as_of=as_of)
        activity = _rows(conn, queries.ACTIVITY)
    finally:
        conn.close()
        staging.cleanup()
    levels.sort(key=lambda row: level_rank(row["level"]))
    for t in trainees:
        t["days_since"] = (as_of - date.fromisoformat(t["last_day"])).days
    _attach_options(items, options, index)
    found = find_flags(items, options, versions, min_trainees=min_trainees)
    placed = [(f, index.locate(f)) for f in found]
    # in file order when located (as an editor lists them), else deck and item order
    placed.sort(key=_file_order)
    flags = [f for f, _ in placed]
    locations = {n: p for n, (_, p) in enumerate(placed) if p is not None}
    titles = {d: title for d in cohort["decks"] if (title := index.title(d))}
    return CohortReport(
        as_of, min_trainees, loaded, cohort, items, levels, trainees, activity, flags,
        locations, titles,
    )  # fmt: skip


def _file_order(placed: tuple[Flag, Problem | None]) -> tuple[bool, str, int, int]:
    where = placed[1]
    return (where is None, where.path, where.line, where.column) if where else (True, "", 0, 0)


def _attach_options(
    items: list[dict[str, Any]], options: list[dict[str, Any]], index: DeckIndex
) -> None:
    """Give each item row its options and, with decks, whether it is the current version."""
    by_question: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for o in options:
        q = (o["deck_id"], o["item_id"], o["card"], o["content_hash"])
        by_question.setdefault(q, []).append(
            {k: o[k] for k in ("option", "position", "is_key", "picks", "pickers", "rate")}
        )
    for item in items:
        q = (item["deck_id"], item["item_id"], item["card"], item["content_hash"])
        item["levels"] = json.loads(item["levels"])
        item["options"] = by_question.get(q, [])
        now = index.current_hash(item["deck_id"], item["item_id"])
        item["version"] = (
            None if now is None else "current" if now == item["content_hash"] else "earlier"
        )
