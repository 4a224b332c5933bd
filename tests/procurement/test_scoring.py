"""Weights, scores, weighted totals, the ranking rule and the coverage rule, without a database."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from procurement.scoring import (
    Criterion,
    Entry,
    coverage_problems,
    mean_score,
    rank,
    score_error,
    weighted_total,
    weights_error,
)

D = Decimal
T0 = datetime(2025, 6, 30, 9, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))

# ---------------------------------------------------------------- weights


@pytest.mark.parametrize(
    "weights",
    [
        [D(100)],
        [D(60), D(40)],
        [D("33.33"), D("33.33"), D("33.34")],
        [D("12.5"), D("37.5"), D(50)],
        ["70", "30"],
        [D("100.00")],
    ],
)
def test_weights_of_exactly_100_are_accepted(weights):
    assert weights_error(weights) is None


@pytest.mark.parametrize(
    "weights,message",
    [
        ([D(60), D(39)], "De weging telt op tot 99%; dat moet precies 100% zijn."),
        ([D(60), D(41)], "De weging telt op tot 101%; dat moet precies 100% zijn."),
        ([D("33.33")] * 3, "De weging telt op tot 99.99%; dat moet precies 100% zijn."),
        ([D("50.5"), D(50)], "De weging telt op tot 100.5%; dat moet precies 100% zijn."),
        ([], "Leg minstens één gunningscriterium vast."),
        ([D(100), D(0)], "Elk gunningscriterium weegt meer dan 0%."),
        ([D(110), D(-10)], "Elk gunningscriterium weegt meer dan 0%."),
    ],
)
def test_weights_not_summing_to_100_are_refused(weights, message):
    assert weights_error(weights) == message


def test_weights_with_more_than_two_decimals_are_refused():
    """They would be stored rounded to two decimals and then no longer add up to 100."""
    assert weights_error([D("33.333"), D("33.333"), D("33.334")]) == (
        "Een weging heeft hoogstens twee decimalen."
    )


# ---------------------------------------------------------------- scores


@pytest.mark.parametrize("value", [D(0), D("0.5"), D(5), D("7.5"), D(10), D("9.5"), 3, "6.0"])
def test_whole_and_half_points_on_the_scale_are_accepted(value):
    assert score_error(value, 10) is None


@pytest.mark.parametrize(
    "value,scale,message",
    [
        (D("10.5"), 10, "Een score ligt op de schaal van 0 tot en met 10; 10.5 valt erbuiten."),
        (D(11), 10, "Een score ligt op de schaal van 0 tot en met 10; 11 valt erbuiten."),
        (D("-0.5"), 10, "Een score ligt op de schaal van 0 tot en met 10; -0.5 valt erbuiten."),
        (D(6), 5, "Een score ligt op de schaal van 0 tot en met 5; 6 valt erbuiten."),
        (D("7.25"), 10, "Scores gaan in hele of halve punten."),
        (D("0.1"), 10, "Scores gaan in hele of halve punten."),
        (None, 10, "Vul een score in."),
    ],
)
def test_scores_off_the_scale_or_between_halves_are_refused(value, scale, message):
    assert score_error(value, scale) == message


def test_the_top_of_a_small_scale_is_allowed():
    assert score_error(D(5), 5) is None
    assert score_error(D(100), 100) is None


@pytest.mark.parametrize("value", [D("NaN"), D("Infinity"), D("-Infinity")])
def test_a_score_that_is_not_a_number_is_refused_not_crashed(value):
    assert score_error(value, 10) is not None


def test_mean_score_rounds_half_up_to_one_decimal():
    assert mean_score([D(7), D(8)]) == D("7.5")
    assert mean_score([D(7), D(8), D(8)]) == D("7.7")  # 7.666…
    assert mean_score([D("6.5"), D(7)]) == D("6.8")  # 6.75, half up
    assert mean_score([]) is None


# ---------------------------------------------------------------- weighted total

QUALITY = Criterion(1, "Kwaliteit", D(50), order=1)
PARTNERSHIP = Criterion(2, "Samenwerking", D(30), order=2)
INNOVATION = Criterion(3, "Innovatie", D(20), order=3)
CRITERIA = [QUALITY, PARTNERSHIP, INNOVATION]


def test_weighted_total_by_hand():
    # 8/10*50 + 6/10*30 + 9.5/10*20 = 40 + 18 + 19 = 77
    scores = {1: D(8), 2: D(6), 3: D("9.5")}
    assert weighted_total(scores, CRITERIA, 10) == D("77.00")
    assert weighted_total({1: D(10), 2: D(10), 3: D(10)}, CRITERIA, 10) == D(100)
    assert weighted_total({1: D(0), 2: D(0), 3: D(0)}, CRITERIA, 10) == D(0)


def test_weighted_total_on_another_scale_rounds_half_up_to_cents():
    thirds = [
        Criterion(1, "A", D("33.33")),
        Criterion(2, "B", D("33.33")),
        Criterion(3, "C", D("33.34")),
    ]
    # 3/5*33.33 + 4/5*33.33 + 2/5*33.34 = 19.998 + 26.664 + 13.336 = 59.998 -> 60.00
    assert weighted_total({1: D(3), 2: D(4), 3: D(2)}, thirds, 5) == D("60.00")
    # 1/5*33.33 + 0 + 0 = 6.666 -> 6.67
    assert weighted_total({1: D(1), 2: D(0), 3: D(0)}, thirds, 5) == D("6.67")
    # 0.5/5*33.33 = 3.333 -> 3.33 ; 2.5/5*33.33 = 16.665 -> 16.67 (half up)
    assert weighted_total({1: D("0.5"), 2: D(0), 3: D(0)}, thirds, 5) == D("3.33")
    assert weighted_total({1: D("2.5"), 2: D(0), 3: D(0)}, thirds, 5) == D("16.67")


def test_weighted_total_is_none_while_a_criterion_is_unscored():
    assert weighted_total({1: D(8), 2: D(6)}, CRITERIA, 10) is None
    assert weighted_total({}, CRITERIA, 10) is None


# ---------------------------------------------------------------- ranking


def entry(id, q, p, i, *, at=T0, number=None):
    return Entry(id, {1: D(q), 2: D(p), 3: D(i)}, at, number if number is not None else id)


def test_the_highest_total_ranks_first():
    a = entry(1, 6, 8, 8)  # 30 + 24 + 16 = 70
    b = entry(2, 8, 8, 8)  # 80
    c = entry(3, 8, 5, 5)  # 40 + 15 + 10 = 65
    ranked = rank([a, b, c], CRITERIA, 10)
    assert [(r.entry.id, r.rank, r.total) for r in ranked] == [
        (2, 1, D("80.00")),
        (1, 2, D("70.00")),
        (3, 3, D("65.00")),
    ]
    assert all(r.tie_note == "" for r in ranked)


def test_a_tie_is_settled_on_the_heaviest_criterion():
    a = entry(1, 6, 10, 10)  # 30 + 30 + 20 = 80
    b = entry(2, 8, 8, 8)  # 80, but higher on quality (50%)
    ranked = rank([a, b], CRITERIA, 10)
    assert [r.entry.id for r in ranked] == [2, 1]
    assert ranked[0].tie_note == ""
    assert ranked[1].tie_note == "Gelijk totaal; beslist op criterium 'Kwaliteit' (weging 50%)."


def test_a_tie_on_the_heaviest_is_settled_on_the_next_heaviest():
    a = entry(1, 8, 6, 10)  # 40 + 18 + 20 = 78
    b = entry(2, 8, 8, 7)  # 40 + 24 + 14 = 78
    ranked = rank([a, b], CRITERIA, 10)
    assert [r.entry.id for r in ranked] == [2, 1]
    assert ranked[1].tie_note == (
        "Gelijk totaal; beslist op criterium 'Samenwerking' (weging 30%)."
    )


def test_heaviest_means_weight_not_published_order():
    light_first = [
        Criterion(7, "Innovatie", D(20), order=1),
        Criterion(8, "Kwaliteit", D(50), order=2),
        Criterion(9, "Samenwerking", D(30), order=3),
    ]
    a = Entry(1, {7: D(10), 8: D(6), 9: D(6)}, T0, 1)  # 20 + 30 + 18 = 68, better on the first
    b = Entry(2, {7: D(5), 8: D(8), 9: D(6)}, T0, 2)  # 10 + 40 + 18 = 68, better on the heaviest
    ranked = rank([a, b], light_first, 10)
    assert [r.total for r in ranked] == [D("68.00"), D("68.00")]
    assert [r.entry.id for r in ranked] == [2, 1]
    assert ranked[1].tie_note == "Gelijk totaal; beslist op criterium 'Kwaliteit' (weging 50%)."


def test_equal_weights_are_taken_in_published_order():
    crit = [
        Criterion(1, "Eerste", D(25), order=1),
        Criterion(2, "Tweede", D(25), order=2),
        Criterion(3, "Zwaarste", D(50), order=3),
    ]
    a = Entry(1, {1: D(6), 2: D(8), 3: D(7)}, T0, 1)  # 15 + 20 + 35 = 70
    b = Entry(2, {1: D(8), 2: D(6), 3: D(7)}, T0, 2)  # 20 + 15 + 35 = 70
    ranked = rank([a, b], crit, 10)
    assert [r.entry.id for r in ranked] == [2, 1]
    assert ranked[1].tie_note == "Gelijk totaal; beslist op criterium 'Eerste' (weging 25%)."


def test_equal_on_every_criterion_the_first_received_wins():
    early = entry(1, 7, 7, 7, at=T0 + timedelta(minutes=5), number=9)
    late = entry(2, 7, 7, 7, at=T0 + timedelta(minutes=6), number=3)
    ranked = rank([late, early], CRITERIA, 10)
    assert [r.entry.id for r in ranked] == [1, 2]
    assert [r.rank for r in ranked] == [1, 2]
    assert ranked[1].tie_note == "Gelijk op alle criteria; beslist op het moment van ontvangst."


def test_received_in_the_same_second_the_lower_number_wins():
    a = entry(1, 7, 7, 7, number=12)
    b = entry(2, 7, 7, 7, number=11)
    ranked = rank([a, b], CRITERIA, 10)
    assert [r.entry.id for r in ranked] == [2, 1]
    assert ranked[1].tie_note == (
        "Gelijk op alle criteria en ontvangstmoment; beslist op ontvangstnummer."
    )


def test_tie_notes_only_explain_the_tie_with_the_entry_above():
    top = entry(1, 10, 10, 10)  # 100
    a = entry(2, 6, 10, 10)  # 80
    b = entry(3, 8, 8, 8)  # 80, wins on quality
    c = entry(4, 8, 8, 8, at=T0 + timedelta(seconds=1))  # 80, same scores, later
    low = entry(5, 1, 1, 1)  # 10
    ranked = rank([low, c, a, top, b], CRITERIA, 10)
    assert [(r.entry.id, r.rank) for r in ranked] == [(1, 1), (3, 2), (4, 3), (2, 4), (5, 5)]
    assert [r.tie_note for r in ranked] == [
        "",
        "",
        "Gelijk op alle criteria; beslist op het moment van ontvangst.",
        "Gelijk totaal; beslist op criterium 'Kwaliteit' (weging 50%).",
        "",
    ]


def test_ranking_refuses_an_unscored_entry():
    incomplete = Entry(1, {1: D(8), 2: D(8)}, T0, 4)
    with pytest.raises(ValueError, match="Inschrijving 4 is nog niet op elk criterium beoordeeld"):
        rank([entry(2, 8, 8, 8), incomplete], CRITERIA, 10)


def test_ranking_nothing_gives_nothing():
    assert rank([], CRITERIA, 10) == []


def test_rank_is_independent_of_input_order():
    entries = [
        entry(i, q, p, n)
        for i, (q, p, n) in enumerate([(7, 7, 7), (8, 6, 7), (6, 9, 9), (7, 7, 7)], 1)
    ]
    first = [r.entry.id for r in rank(entries, CRITERIA, 10)]
    assert [r.entry.id for r in rank(list(reversed(entries)), CRITERIA, 10)] == first


# ---------------------------------------------------------------- coverage

NAMES = {1: "Ambulant", 2: "Dagbehandeling", 3: "Pleegzorg", 4: "Verblijf", 9: "Crisis"}
SCOPE = {1, 2, 3, 4}


def test_an_offer_within_scope_and_delivered_meets_the_rule():
    assert coverage_problems({1, 2, 3}, {1, 2, 3, 9}, SCOPE, 3, NAMES) == []


def test_fewer_forms_than_the_minimum_is_refused():
    assert coverage_problems({1, 2}, {1, 2, 3}, SCOPE, 3, NAMES) == [
        "De dekkingseis vraagt minstens 3 van de 4 jeugdhulpvormen; aangeboden en geleverd: 2."
    ]


def test_offering_what_is_not_delivered_or_outside_the_lot_is_refused():
    problems = coverage_problems({1, 2, 9}, {1}, SCOPE, None, NAMES)
    assert problems == [
        "Buiten dit perceel: Crisis.",
        "De inschrijver levert deze jeugdhulpvormen niet: Crisis, Dagbehandeling.",
    ]


def test_forms_not_delivered_or_outside_scope_do_not_count_towards_the_minimum():
    problems = coverage_problems({1, 2, 9}, {1, 9}, SCOPE, 2, NAMES)
    assert problems[-1] == (
        "De dekkingseis vraagt minstens 2 van de 4 jeugdhulpvormen; aangeboden en geleverd: 1."
    )


def test_no_minimum_means_no_coverage_requirement():
    assert coverage_problems({1}, {1}, SCOPE, None, NAMES) == []
    assert coverage_problems({1}, {1}, SCOPE, 0, NAMES) == []


def test_a_lot_without_forms_in_scope_puts_no_limit_on_the_forms():
    assert coverage_problems({9}, {9}, set(), None, NAMES) == []
    assert coverage_problems({9}, {9}, set(), 2, NAMES) == [
        "De dekkingseis vraagt minstens 2 van de 0 jeugdhulpvormen; aangeboden en geleverd: 1."
    ]


def test_ids_without_a_name_are_shown_as_numbers():
    assert coverage_problems({5}, set(), SCOPE, None) == [
        "Buiten dit perceel: 5.",
        "De inschrijver levert deze jeugdhulpvormen niet: 5.",
    ]


def test_a_consortium_meets_the_minimum_through_the_union_of_its_members():
    """WBO: at least N of the forms, alone or as a consortium; the consortium's forms are the
    union of its members' forms."""
    member_a = {1, 2}
    member_b = {3, 4}
    offer = {1, 2, 3, 4}
    minimum = 3
    alone_a = coverage_problems(offer, member_a, SCOPE, minimum, NAMES)
    assert alone_a == [
        "De inschrijver levert deze jeugdhulpvormen niet: Pleegzorg, Verblijf.",
        "De dekkingseis vraagt minstens 3 van de 4 jeugdhulpvormen; aangeboden en geleverd: 2.",
    ]
    assert coverage_problems(member_a, member_a, SCOPE, minimum, NAMES) == [alone_a[-1]]
    assert coverage_problems(member_b, member_b, SCOPE, minimum, NAMES) == [
        "De dekkingseis vraagt minstens 3 van de 4 jeugdhulpvormen; aangeboden en geleverd: 2."
    ]
    consortium = member_a | member_b
    assert coverage_problems(offer, consortium, SCOPE, minimum, NAMES) == []
    # Overlapping members count each form once.
    overlapping = {1, 2} | {2, 1}
    assert coverage_problems({1, 2}, overlapping, SCOPE, minimum, NAMES) != []
