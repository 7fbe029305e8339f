"""Single-best-answer choice items: `stem`, `lead_in`, a `why` per option and `objective`.

Today's choice items stay valid and keep their content hash; the new fields validate with
located errors, show on the answer side in the app (the picked wrong option's rationale
first) and round-trip through the store's content JSON.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tui_support import make_workspace, screen_text, settle

from hccquiz.deck.content import content_json
from hccquiz.deck.file import load_deck_text
from hccquiz.deck.models import ChoiceItem
from hccquiz.errors import DeckError
from hccquiz.text.terminal import card_text, choice_answer, choice_hint
from hccquiz.tui import create_app

HEAD = 'id: sba\ntitle: "SBA deck"\nlevels: [resident]\nitems:\n'

SBA = """\
  - id: varices
    type: choice
    shuffle: false
    source: "Guided Discussion · Resident"
    stem: "A 61-year-old man with Child-Pugh A cirrhosis has untreated large varices."
    lead_in: "Which is the most appropriate next step?"
    choices:
      - text: "Treat the varices, then start atezolizumab-bevacizumab"
        why: "High-risk varices must be treated first."
      - text: "Start atezolizumab-bevacizumab now"
        why: "Untreated varices are a major contraindication."
      - text: "Give sorafenib instead"
        why: "Varices are treatable; they do not exclude the regimen."
    answer: "Treat the varices, then start atezolizumab-bevacizumab"
    explanation: "Bevacizumab carries a significant bleeding risk."
    objective: "Treat high-risk varices before bevacizumab."
"""

PLAIN = """\
  - id: plain
    type: choice
    question: "How many patients were enrolled?"
    choices: ["501", "602", 954]
    answer: "501"
    explanation: "SHARP 602, REFLECT 954."
"""


def sba() -> ChoiceItem:
    item = load_deck_text(HEAD + SBA).items[0]
    assert isinstance(item, ChoiceItem)
    return item


def test_plain_choice_items_dump_as_before() -> None:
    """No new key appears in a plain item's content, so its hash (and trainees' "changed"
    flags) stay as they were."""
    item = load_deck_text(HEAD + PLAIN).items[0]
    data = json.loads(content_json(item.model_dump(mode="json")))
    assert data == {
        "answer": "501",
        "choices": ["501", "602", "954"],
        "explanation": "SHARP 602, REFLECT 954.",
        "question": "How many patients were enrolled?",
        "shuffle": True,
        "source": None,
        "type": "choice",
    }


def test_rich_items_round_trip_through_their_content() -> None:
    item = sba()
    data = item.model_dump(mode="json")
    assert data["choices"][0] == {
        "text": "Treat the varices, then start atezolizumab-bevacizumab",
        "why": "High-risk varices must be treated first.",
    }
    assert ChoiceItem.model_validate(data) == item
    assert item.choices == [o.text for o in item.options]
    assert item.prompt == "Which is the most appropriate next step?"
    assert (
        item.why("Give sorafenib instead ")
        == "Varices are treatable; they do not exclude the regimen."
    )
    assert item.why("not an option") is None


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("    stem:", '    question: "Q?"\n    stem:', "give `question` or `lead_in`, not both"),
        ('    stem: "A 61', '    # stem: "A 61', "`lead_in` follows a `stem`"),
        ('      - text: "Give', '      - txt: "Give', ".choices[2].txt: unknown key 'txt'"),
        ('        why: "High', '        why: ""  # "High', ".choices[0].why: must not be empty"),
        ('    answer: "Treat', '    answer: "Treat!', "is not among the choices"),
        ('    objective: "Treat', "    objective: [1]  #", ".objective: must be text"),
        (
            '      - text: "Give sorafenib instead"\n        why: "Varices are treatable; they do'
            ' not exclude the regimen."\n',
            "      - yes\n",
            ".choices[2]: must be text, but YAML read true as a boolean",
        ),
    ],
)
def test_bad_sba_fields_are_located(old: str, new: str, message: str) -> None:
    assert old in SBA
    with pytest.raises(DeckError) as caught:
        load_deck_text(HEAD + SBA.replace(old, new, 1), "sba.yaml")
    rendered = "\n".join(str(p) for p in caught.value.problems)
    assert message in rendered
    assert all(line.startswith("sba.yaml:") for line in rendered.splitlines())


def test_a_question_or_a_stem_and_lead_in_is_required() -> None:
    no_question = HEAD + PLAIN.replace('    question: "How many patients were enrolled?"\n', "")
    with pytest.raises(DeckError, match="missing required field 'question'"):
        load_deck_text(no_question)
    with_stem = PLAIN.replace("    question:", '    stem: "A vignette."\n    question:')
    assert load_deck_text(HEAD + with_stem).items[0].stem == "A vignette."


def test_question_side_shows_the_vignette_then_the_lead_in() -> None:
    question, _ = card_text(sba(), 1)
    assert question == (
        "A 61-year-old man with Child-Pugh A cirrhosis has untreated large varices.\n\n"
        "Which is the most appropriate next step?"
    )
    assert choice_hint(sba()) == "\n\n*(press a letter)*"


def test_answer_side_puts_the_picked_wrong_option_first() -> None:
    answer = choice_answer(sba(), ["Give sorafenib instead"])
    parts = answer.split("\n\n")
    assert parts[0] == (
        "**You chose:** Give sorafenib instead — Varices are treatable; they do not exclude "
        "the regimen."
    )
    assert parts[1].startswith("**Answer:** Treat the varices")
    assert parts[2] == (
        "**Not:** Start atezolizumab-bevacizumab now — Untreated varices are a major "
        "contraindication."
    )
    assert parts[3] == "Bevacizumab carries a significant bleeding risk."
    assert parts[4] == "**Educational objective:** Treat high-risk varices before bevacizumab."
    assert len(parts) == 5


def test_answer_side_without_a_pick_or_with_the_right_one() -> None:
    for picked in ([], ["Treat the varices, then start atezolizumab-bevacizumab"]):
        parts = choice_answer(sba(), picked).split("\n\n")
        assert parts[0].startswith("**Answer:** Treat the varices")
        assert [p.split("**")[1] for p in parts[1:3]] == ["Not:", "Not:"]


def test_answer_side_of_a_plain_item_is_unchanged() -> None:
    item = load_deck_text(HEAD + PLAIN).items[0]
    assert card_text(item, 1)[1] == "**Answer:** 501\n\nSHARP 602, REFLECT 954."
    assert card_text(item, 1, ["602"])[1] == "**Answer:** 501\n\nSHARP 602, REFLECT 954."


async def test_study_app_shows_the_rationale_of_the_wrong_pick(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path, HEAD + SBA)
    app = create_app(ws, start="study")
    async with app.run_test(size=(80, 40)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "A 61-year-old man" in text and "most appropriate next step?" in text
        assert "must be treated first" not in text  # rationales wait for the answer
        await pilot.press("c")  # "Give sorafenib instead"
        await settle(pilot)
        text = screen_text(app)
        assert "Varices are treatable" in text
        assert text.index("You chose:") < text.index("Answer:") < text.index("High-risk")
        assert "Educational objective:" in text


async def test_quiz_shows_the_rationale_of_the_wrong_pick(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path, HEAD + SBA)
    app = create_app(ws, start="quiz", quiz_count=1)
    async with app.run_test(size=(80, 40)) as pilot:
        await settle(pilot)
        await pilot.press("b")  # "Start atezolizumab-bevacizumab now"
        await settle(pilot)
        text = screen_text(app)
        assert text.index("You chose:") < text.index("Untreated varices") < text.index("High-risk")


def test_lint_ignore_is_a_label_not_content() -> None:
    """Silencing a lint rule does not flag trainees' studied cards as changed."""
    from hccquiz.deck.content import item_contents

    plain = load_deck_text(HEAD + PLAIN).items
    silenced = load_deck_text(HEAD + PLAIN + "    lint_ignore: [few-options]\n").items
    assert silenced[0].lint_ignore == ["few-options"]
    assert item_contents(silenced) == item_contents(plain)


def test_readme_deck_example_validates_and_shows_every_choice_field() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Writing a deck", 1)[1]
    example = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    deck = load_deck_text(example, "README.md")
    sba_items = [i for i in deck.items if isinstance(i, ChoiceItem) and i.stem]
    assert sba_items and sba_items[0].objective and sba_items[0].lead_in
    assert any(o.why for o in sba_items[0].options) and sba_items[0].lint_ignore
    for key in ("stem", "lead_in", "objective", "lint_ignore", "why"):
        assert f"| `{key}` |" in section or f"`{key}`" in section
