"""The official `anki` package (Rust backend) as the engine benchmark's peer.

Each command runs in its own process and prints JSON, as the hccquiz side does:

- ``import APKG COLLECTION``: create a collection and import a package (Anki's File >
  Import), timed by the caller as a whole process, like ``hccquiz sync`` of the same deck;
- ``mirror HCCQUIZ_DB APKG COLLECTION``: build the Anki twin of an hccquiz collection: import
  the same decks, then give every card the schedule it has in hccquiz (review cards with the
  same due day, interval, ease and repetitions) and write the same review log into
  ``revlog``, and today's study counts into the decks' "studied today" counters;
- ``study COLLECTION COUNT``: open, first card, then COUNT times next card + answer (Good,
  Again every seventh, as the hccquiz loop grades), each answer committed; and the counts.

The daily limits are set as the hccquiz loop sets them: 500 new cards, 100,000 reviews.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import time
from datetime import date

NEW_PER_DAY, REVIEWS_PER_DAY = 500, 9999  # 9999: the most Anki takes
EASE = {0: 1, 1: 1, 2: 1, 3: 2, 4: 3, 5: 4}
"""hccquiz quality -> Anki answer button (Again, Hard, Good, Easy)."""


def import_package(apkg: str, path: str) -> dict:
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

    col = Collection(path)
    col.import_anki_package(
        ImportAnkiPackageRequest(package_path=apkg, options=ImportAnkiPackageOptions())
    )
    cards = col.card_count()
    col.close()
    return {"cards": cards}


def mirror(hccquiz_db: str, apkg: str, path: str) -> dict:
    """The Anki twin of `hccquiz_db` at `path` (see the module docstring)."""
    from anki.collection import Collection

    from hccquiz.anki import note_guid

    import_package(apkg, path)
    col = Collection(path)
    today_anki = col.sched.today
    for did in col.decks.all_names_and_ids():
        conf = col.decks.config_dict_for_deck_id(did.id)
        conf["new"]["perDay"], conf["rev"]["perDay"] = NEW_PER_DAY, REVIEWS_PER_DAY
        col.decks.update_config(conf)
    deck_ids = {d.name.rsplit("::", 1)[-1]: d.id for d in col.decks.all_names_and_ids()}
    col.close()

    src = sqlite3.connect(hccquiz_db)
    today = date.fromisoformat(src.execute("SELECT max(day) FROM reviews").fetchone()[0])
    dst = sqlite3.connect(path)
    card_by_key = {
        (guid, ord_): cid
        for cid, guid, ord_ in dst.execute(
            "SELECT c.id, n.guid, c.ord FROM cards c JOIN notes n ON n.id = c.nid"
        )
    }
    ours = {}
    for card_id, deck_id, item_id, number, kind in src.execute(
        "SELECT c.id, i.deck_id, i.key, c.number, i.type FROM cards c "
        "JOIN items i ON i.id = c.item_id"
    ):
        ord_ = number - 1 if kind == "cloze" else 0
        ours[card_id] = card_by_key[(note_guid(deck_id, item_id), ord_)]
    updates = [
        (today_anki + (date.fromisoformat(due) - today).days, interval, ef100 * 10, reps,
         ours[card_id])
        for card_id, reps, ef100, interval, due in src.execute(
            "SELECT id, repetitions, ef100, interval, due FROM cards WHERE due IS NOT NULL"
        )
    ]  # fmt: skip
    day_ms = 86_400_000
    base = (time.time() // 86400) * day_ms
    revlog = []
    for n, (card_id, day, kind, quality, ms, ivl_before, ivl_after, ef100) in enumerate(
        src.execute(
            "SELECT card_id, day, kind, quality, answer_ms, interval_before, interval_after, "
            "ef100_after FROM reviews ORDER BY id"
        )
    ):
        stamp = int(base + (date.fromisoformat(day) - today).days * day_ms) + n % day_ms
        revlog.append(
            (stamp * 1000 + n % 1000, ours[card_id], -1, EASE[quality], ivl_after, ivl_before,
             ef100 * 10, ms or 0, 1 if kind == "study" else 3)
        )  # fmt: skip
    studied = src.execute(
        "SELECT i.deck_id, sum(r.due_before IS NULL), sum(r.due_before IS NOT NULL) "
        "FROM reviews r JOIN cards c ON c.id = r.card_id JOIN items i ON i.id = c.item_id "
        "WHERE r.day = ? AND r.kind = 'study' GROUP BY i.deck_id",
        (today.isoformat(),),
    ).fetchall()
    src.close()
    with dst:
        dst.executemany(
            "UPDATE cards SET type = 2, queue = 2, due = ?, ivl = ?, factor = ?, reps = ? "
            "WHERE id = ?",
            updates,
        )
        dst.executemany("INSERT OR IGNORE INTO revlog VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", revlog)
    dst.close()
    col = Collection(path)
    for deck_id, new, reviews in studied:
        col.sched.update_stats(deck_ids[deck_id], new_delta=new, review_delta=reviews)
    col.close()
    return {"cards": len(ours), "reviews": len(revlog)}


def study(path: str, count: int) -> dict:
    """Open, first card, then `count` answers; times in seconds."""
    from anki.collection import Collection
    from anki.scheduler.v3 import CardAnswer

    start = time.perf_counter()
    col = Collection(path)
    col.decks.select(col.decks.id_for_name("hccquiz") or 1)
    queued = col.sched.get_queued_cards()
    first = time.perf_counter() - start
    counts = list(col.sched.counts())
    times = []
    for n in range(count):
        t = time.perf_counter()
        queued = col.sched.get_queued_cards()
        if not queued.cards:
            break
        top = queued.cards[0]
        card = col.get_card(top.card.id)
        card.start_timer()
        rating = CardAnswer.GOOD if n % 7 else CardAnswer.AGAIN
        col.sched.answer_card(col.sched.build_answer(card=card, states=top.states, rating=rating))
        times.append(time.perf_counter() - t)
    col.close()
    return {"first": first, "times": times, "counts": counts}


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "import":
        result = import_package(*args)
    elif command == "mirror":
        result = mirror(*args)
    elif command == "study":
        result = study(args[0], int(args[1]))
    else:
        raise SystemExit(f"unknown command {command!r}")
    print(json.dumps(result))
