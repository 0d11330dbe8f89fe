"""domain.memo: a result is handed back only while its key is equal and its inputs are the very
same objects; what a build did not ask for is forgotten at the next build."""

from __future__ import annotations

from pgmtui.domain.memo import NO_MEMO, Memo


def test_same_objects_and_equal_key_give_the_earlier_result() -> None:
    memo, rows, calls = Memo(), [1, 2, 3], []

    def total() -> int:
        calls.append(1)
        return sum(rows)

    assert memo.get("total", 7, (rows,), total) == 6
    assert memo.get("total", 7, (rows,), total) == 6
    assert len(calls) == 1 and (memo.hits, memo.misses) == (1, 1)


def test_an_equal_but_other_object_is_a_change() -> None:
    # The live refresh hands out the same list for an unchanged table; a new list (even with equal
    # contents) means the table was read again and may differ: compute afresh.
    memo = Memo()
    first, second = [1, 2], [1, 2]
    assert memo.get("n", (), (first,), lambda: "from first") == "from first"
    assert memo.get("n", (), (second,), lambda: "from second") == "from second"


def test_another_key_is_a_change() -> None:
    memo, rows = Memo(), [1]
    assert memo.get("due", 739_000, (rows,), lambda: "today") == "today"
    assert memo.get("due", 739_001, (rows,), lambda: "tomorrow") == "tomorrow"
    # Keys compare by equality: an equal key built again still hits.
    assert memo.get("due", 739_001, (rows,), lambda: "again") == "tomorrow"


def test_a_different_number_of_inputs_is_a_change() -> None:
    memo, a, b = Memo(), [1], [2]
    memo.get("x", (), (a,), lambda: 1)
    assert memo.get("x", (), (a, b), lambda: 2) == 2


def test_what_a_build_did_not_use_is_forgotten_after_the_next_build() -> None:
    memo, rows = Memo(), [1]
    memo.get("kept", (), (rows,), lambda: "k")
    memo.get("dropped", (), (rows,), lambda: "d")
    memo.next_build()
    memo.get("kept", (), (rows,), lambda: "recomputed")  # used in build 2: carried into build 3
    memo.next_build()
    assert memo.get("kept", (), (rows,), lambda: "recomputed") == "k"
    assert memo.get("dropped", (), (rows,), lambda: "recomputed") == "recomputed"


def test_previous_and_put_let_a_caller_update_a_result_in_part() -> None:
    memo, rows = Memo(), [1]
    assert memo.previous("rule") is None
    memo.put("rule", 5, (rows,), {1: "A"})
    memo.next_build()
    key, inputs, value = memo.previous("rule")
    assert key == 5 and inputs[0] is rows and value == {1: "A"}


def test_no_memo_computes_every_time_and_keeps_nothing() -> None:
    rows, calls = [1], []
    for _ in range(3):
        NO_MEMO.get("x", (), (rows,), lambda: calls.append(1))
    NO_MEMO.put("x", (), (rows,), "ignored")
    assert len(calls) == 3 and NO_MEMO.previous("x") is None
