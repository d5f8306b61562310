"""The quiz for a class: an instructor's question set, the student's results for an LMS, and the quiz
driven from Python (the reveal-then-check point and the one-way traits of issue 11 included)."""

from __future__ import annotations

import csv

import pandas as pd
import pytest
import traitlets
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dnviz.widgets.question_sets import QuestionSetError, question_set
from dnviz.widgets.quiz import Quiz, quiz

SET = pd.DataFrame(
    {
        "question": ["neck1", "neck2", "jaw", "shoulder"],
        "muscle": ["upper trapezius", "SCM", "masseter", "infraspinatus"],
        "kind": ["name", "name", "zone", "zone"],
        "choices": [4, 3, 4, None],
        "seed": [11, None, None, None],
        "distractors": ["", "levator scapulae|splenius capitis", "", ""],
    }
)


@pytest.fixture
def class_quiz(atlas):
    return quiz(atlas, questions=SET, seed=2026)


def problems_of(excinfo) -> list[tuple]:
    return [(p.file, p.row, p.column, p.value) for p in excinfo.value.problems]


def test_the_public_name_is_the_quiz_function():
    """``dnviz.quiz`` stays the function after the module ``dnviz.widgets.quiz`` was imported (by the classroom app)."""
    import dnviz
    import dnviz.widgets.classroom  # imports the module dnviz.widgets.quiz

    assert dnviz.quiz is quiz


# -- the question set ---------------------------------------------------------------------------
def test_a_question_set_gives_the_same_quiz_to_every_student(atlas, tmp_path):
    path = tmp_path / "week3.csv"
    SET.to_csv(path, index=False)
    a = question_set(atlas, SET, seed=2026)
    b = question_set(atlas, path, seed=2026)
    c = quiz(atlas, questions=path, seed=2026)
    assert a == b and c.items == a
    assert [q.question_id for q in a] == ["neck1", "neck2", "jaw", "shoulder"]
    assert [q.muscle for q in a] == ["upper_trapezius", "sternocleidomastoid", "masseter", "infraspinatus"]
    assert [len(q.options) for q in a] == [4, 3, 4, 4]
    assert all(q.answer in [v for _, v in q.options] for q in a)
    # instructor's distractors are the wrong options, exactly
    assert {v for _, v in a[1].options} == {"sternocleidomastoid", "levator_scapulae", "splenius_capitis"}
    # a row's own seed fixes its options whatever the quiz's seed; blank seeds follow the quiz's
    other = question_set(atlas, SET, seed=1)
    assert other[0] == a[0]
    assert [q.options for q in other[2:]] != [q.options for q in a[2:]]


def test_spreadsheet_csv_files_are_read(atlas, tmp_path):
    """Excel's UTF-8 byte-order mark and semicolon separators; a file in another encoding is refused."""
    expected = question_set(atlas, [{"muscle": "SCM", "kind": "zone"}, {"muscle": "masseter"}], seed=3)
    for name, text in {
        "bom.csv": "\ufeffmuscle,kind\nSCM,zone\nmasseter,\n",
        "semi.csv": "muscle;kind\nSCM;zone\nmasseter;\n",
    }.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        assert question_set(atlas, tmp_path / name, seed=3) == expected, name
    (tmp_path / "latin1.csv").write_bytes("muscle\nTrap\xe8ze\n".encode("latin-1"))
    with pytest.raises(QuestionSetError, match=r"latin1\.csv: not a readable CSV file.*save it as UTF-8 CSV"):
        question_set(atlas, tmp_path / "latin1.csv")


def test_zone_questions_ask_for_an_essential_zone(atlas):
    for q in question_set(atlas, SET, seed=2026)[2:]:
        pattern = atlas.referral_pattern(q.muscle)
        assert q.answer in set(pattern.loc[pattern["kind"] == "essential", "region_id"])
        wrong = {v for _, v in q.options} - {q.answer}
        assert wrong and not wrong & set(pattern["region_id"])  # a distractor is never part of the pattern
        assert all(label == atlas.regions.at[v, "name"] for label, v in q.options)
        assert atlas.muscles.at[q.muscle, "name"] in q.prompt


def test_question_set_defaults(atlas):
    qs = question_set(atlas, [{"muscle": "temporalis"}, {"muscle": "QL"}])
    assert [(q.question_id, q.kind, len(q.options)) for q in qs] == [("q1", "name", 4), ("q2", "name", 4)]
    assert qs == question_set(atlas, [{"muscle": "temporalis"}, {"muscle": "QL"}])  # no seed: still fixed


# -- bad input: every problem, with its row and column; nothing built ----------------------------
def test_unknown_muscle_and_malformed_rows_are_named_by_row_and_column(atlas, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "muscle,kind,choices,seed\n"
        "upper trapezius,name,4,\n"  # row 2: fine
        "no such muscle,name,4,\n"  # row 3: unknown muscle
        "infraspinatis,name,4,\n"  # row 4: a misspelling is not guessed
        "masseter,draw,4,\n"  # row 5: unknown kind
        "masseter,name,twelve,\n"  # row 6: choices not a number
        "masseter,name,9,\n"  # row 7: too many choices
        "masseter,name,4,1.5\n"  # row 8: seed not whole
        ",,,\n"  # row 9: empty row
    )
    with pytest.raises(QuestionSetError) as excinfo:
        quiz(atlas, questions=path)
    found = problems_of(excinfo)
    assert found == [
        ("bad.csv", 3, "muscle", "no such muscle"),
        ("bad.csv", 4, "muscle", "infraspinatis"),
        ("bad.csv", 5, "kind", "draw"),
        ("bad.csv", 6, "choices", "twelve"),
        ("bad.csv", 7, "choices", "9"),
        ("bad.csv", 8, "seed", "1.5"),
        ("bad.csv", 9, None, None),
    ]
    text = str(excinfo.value)
    assert "7 problems; no quiz was built" in text
    assert (
        "bad.csv, row 4, column 'muscle', value 'infraspinatis': not a muscle in the atlas (did you mean 'Infraspinatus'?)"
        in text
    )
    assert "Fix: use one of: name, zone" in text


def test_dataframe_rows_columns_and_distractors_are_checked(atlas):
    table = pd.DataFrame(
        {
            "muscle": ["SCM", "SCM", "masseter", "upper trap"],
            "question": ["a", "a", "b", "c"],
            "distractors": ["", "masseter|SCM", "temporalis", "scalenes"],
            "kind": ["name", "name", "zone", "name"],
            "colour": ["", "", "", ""],
        }
    )
    with pytest.raises(QuestionSetError) as excinfo:
        question_set(atlas, table)
    assert problems_of(excinfo) == [("questions table", None, "colour", None)]  # columns first: a typo in a name
    with pytest.raises(QuestionSetError) as excinfo:
        question_set(atlas, table.drop(columns="colour"))
    assert problems_of(excinfo) == [
        ("questions table", 2, "distractors", "SCM"),  # the answer among its distractors
        ("questions table", 2, "question", "a"),  # the same id twice
        ("questions table", 3, "distractors", "temporalis"),  # distractors for a zone question
        ("questions table", 4, "distractors", "scalenes"),  # one distractor for four choices
    ]
    assert "list 3 muscles, or set choices to 2" in str(excinfo.value)


def test_tables_that_are_not_question_sets(atlas, tmp_path):
    with pytest.raises(QuestionSetError, match="the muscle column is missing"):
        question_set(atlas, pd.DataFrame({"kind": ["name"]}))
    with pytest.raises(QuestionSetError, match="no questions"):
        question_set(atlas, pd.DataFrame({"muscle": []}))
    with pytest.raises(QuestionSetError, match="no such file"):
        question_set(atlas, tmp_path / "missing.csv")
    with pytest.raises(TypeError, match="DataFrame, a list of dicts or a CSV path"):
        question_set(atlas, 42)
    with pytest.raises(ValueError, match="not both"):
        quiz(atlas, pool="head_neck", questions=SET)
    odd = pd.DataFrame({"muscle": ["x" * 300, 42], "distractors": ["", "y" * 300]})
    with pytest.raises(QuestionSetError) as excinfo:
        question_set(atlas, odd)
    assert [(p.row, p.column) for p in excinfo.value.problems] == [(1, "muscle"), (2, "muscle"), (2, "distractors")]
    group = pd.DataFrame({"muscle": ["trapezius"]})  # a group of muscles, not one muscle
    with pytest.raises(QuestionSetError, match="row 1, column 'muscle'"):
        question_set(atlas, group)


# -- playing it, and the results ------------------------------------------------------------------
def test_results_record_every_answer_for_an_lms(class_quiz, tmp_path):
    q = class_quiz
    first = q.question
    q.choice = first.answer
    q.check_button.click()
    assert q.score == 1 and q.error == ""
    q.next()
    wrong = next(v for _, v in q.question.options if v != q.question.answer)
    assert q.submit(wrong) is False
    q.next()
    q.reveal()  # third question revealed, never answered
    results = q.results()
    assert list(results.columns) == list(Quiz.RESULT_COLUMNS)
    assert results["question"].tolist() == [1, 2, 3, 4]
    assert results["muscle"].tolist() == ["upper_trapezius", "sternocleidomastoid", "masseter", "infraspinatus"]
    assert results["kind"].tolist() == ["name", "name", "zone", "zone"]
    assert results.loc[0, "answer_given"] == results.loc[0, "correct_answer"] == "Upper trapezius"
    assert results["correct"].tolist()[:2] == [True, False] and results["correct"].isna().tolist()[2:] == [True, True]
    assert results["revealed_first"].tolist()[:3] == [False, False, True]
    assert results["scored"].tolist() == [True, False, False, False]
    assert str(results["timestamp"].dt.tz) == "UTC" and results["timestamp"].notna().tolist() == [
        True,
        True,
        False,
        False,
    ]

    path = q.results_csv(tmp_path / "student.csv")
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == list(Quiz.RESULT_COLUMNS)
    assert rows[0]["correct"] == "True" and rows[0]["timestamp"].endswith("Z") and "T" in rows[0]["timestamp"]
    assert rows[3]["answer_given"] == "" and rows[3]["timestamp"] == ""
    assert pd.read_csv(path)["scored"].sum() == 1
    assert q.to_csv == q.results_csv


def test_results_csv_names_the_student_and_is_safe_to_open(class_quiz, tmp_path):
    q = class_quiz
    q.submit(q.question.answer)
    path = tmp_path / "alice.csv"
    q.results_csv(path, student="alice.smith@example.edu")
    frame = pd.read_csv(path)
    assert list(frame.columns) == ["student", *Quiz.RESULT_COLUMNS]
    assert set(frame["student"]) == {"alice.smith@example.edu"}
    with pytest.raises(FileExistsError, match="overwrite=True"):
        q.results_csv(path)
    q.results_csv(path, student='=HYPERLINK("http://x")', overwrite=True)  # a formula typed as a name
    assert pd.read_csv(path)["student"].iloc[0].startswith("'=")
    with pytest.raises(ValueError, match=r"writes a \.csv file"):
        q.results_csv(tmp_path / "alice.xlsx")
    with pytest.raises(ValueError, match="student must be"):
        q.results(student="   ")


def test_reveal_then_check_with_the_answer_shown_scores_no_point(class_quiz):
    q = class_quiz
    q.reveal_button.click()
    assert q.revealed and atlas_name(q) in q.map.title and not q.map.hide_names
    q.choice = q.question.answer
    q.check_button.click()
    assert q.score == 0 and q.answered
    assert "shown first" in q.status.value and "no point" in q.status.value
    row = q.results().iloc[0]
    assert bool(row["correct"]) and bool(row["revealed_first"]) and not row["scored"]
    assert "Score: 0 / 1" in q.progress.value


def atlas_name(q) -> str:
    return q.atlas.muscles.at[q.question.muscle, "name"]


def test_traits_set_from_python_move_the_controls(class_quiz):
    q = class_quiz
    q.index = 2
    assert q.answer.options == q.items[2].options and q.answer.value is None
    assert "Question 3 of 4" in q.map.title and q.map.muscle == ""  # a zone question names the muscle in words
    label, value = q.question.options[1]
    q.choice = value
    assert q.answer.value == value
    q.choice = label.upper()  # an option's label works too
    assert q.choice == value and q.answer.value == value
    q.answer.value = q.question.options[0][1]  # and the control moves the trait
    assert q.choice == q.question.options[0][1]
    q.revealed = True
    assert atlas_name(q) in q.map.title and q.question.answer_label in q.map.title and q.map.muscle == q.current
    q.score = 3
    assert "Score: 3" in q.progress.value
    with pytest.raises(traitlets.TraitError, match="index must be from 0 to 3"):
        q.index = 4
    with pytest.raises(traitlets.TraitError, match="not one of this question's options"):
        q.choice = "gluteus maximus"
    assert q.index == 2


def test_going_back_shows_the_answer_given(class_quiz):
    q = class_quiz
    q.submit(q.question.answer)
    q.next()
    q.index = 0
    assert q.answered and q.revealed and q.answer.value == q.items[0].answer
    q.guard(q.submit)(q.items[0].answer)
    assert "Already answered" in q.error and q.score == 1


def test_a_pool_quiz_has_results_too(atlas):
    q = quiz(atlas, pool="head_neck", n=3, seed=5)
    q.submit(q.current)
    results = q.results()
    assert results["question_id"].tolist() == ["q1", "q2", "q3"] and set(results["kind"]) == {"name"}
    assert results["scored"].tolist() == [True, False, False] and results["muscle"].tolist() == q.questions


def test_zone_questions_are_answered_by_region_name(atlas):
    q = quiz(atlas, questions=[{"muscle": "masseter", "kind": "zone"}])
    assert q.submit(q.question.answer_label.lower()) is True
    q2 = quiz(atlas, questions=[{"muscle": "masseter", "kind": "zone"}])
    q2.guard(q2.submit)("Upper trapezius")
    assert "not one of this question's options" in q2.error and not q2.answered
    q2.check_button.click()
    assert "Choose a zone first" in q2.error


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(
        st.fixed_dictionaries(
            {
                c: st.one_of(st.text(max_size=12), st.sampled_from(["SCM", "masseter", "zone", "name", "3", ""]))
                for c in ("muscle", "kind", "choices", "seed", "distractors", "question")
            }
        ),
        min_size=1,
        max_size=4,
    )
)
def test_any_table_builds_or_is_refused_with_its_problems(atlas, rows):
    try:
        built = question_set(atlas, rows)
    except QuestionSetError as err:
        assert err.problems and all(p.message and p.fix for p in err.problems)
    else:
        assert len(built) == len(rows) and all(q.answer in [v for _, v in q.options] for q in built)
