"""The shipped CBS municipality list and its lookup (no database)."""

from datetime import date

from segments import cbs


def test_the_list_holds_the_342_current_municipalities_of_2025():
    current = cbs.current()
    assert len(current) == 342
    assert len({m.code for m in current}) == 342
    assert all(cbs.is_well_formed(m.code) for m in cbs.municipalities().values())


def test_known_codes_have_their_names():
    for code, name in [
        ("GM0363", "Amsterdam"),
        ("GM0505", "Dordrecht"),
        ("GM0758", "Breda"),
        ("GM0599", "Rotterdam"),
        ("GM0014", "Groningen"),
        ("GM0518", "'s-Gravenhage"),
        ("GM1992", "Voorne aan Zee"),
        ("GM1980", "Dijk en Waard"),
        ("GM0888", "Beek (L.)"),  # the CBS's own names, with the province where two share one
        ("GM0373", "Bergen (NH.)"),
    ]:
        entry = cbs.lookup(code)
        assert entry is not None and entry.is_current and entry.name == name, code


def test_historic_codes_name_their_successor_and_the_day_they_ended():
    brielle = cbs.lookup("GM0501")
    assert not brielle.is_current and brielle.name == "Brielle"
    assert brielle.valid_until == date(2022, 12, 31)
    assert brielle.dissolved_on == date(2023, 1, 1)
    assert [str(s) for s in cbs.successors(brielle)] == ["GM1992 Voorne aan Zee"]
    weesp = cbs.lookup("GM0457")
    assert [s.code for s in cbs.successors(weesp)] == ["GM0363"]
    # a municipality split over several: every successor is named
    haaren = cbs.lookup("GM0788")
    assert {s.name for s in cbs.successors(haaren)} == {"Boxtel", "Oisterwijk", "Tilburg", "Vught"}


def test_every_historic_code_has_current_successors_and_an_end_date():
    historic = [m for m in cbs.municipalities().values() if not m.is_current]
    assert len(historic) >= 60  # every municipality merged away since 1 January 2018
    for entry in historic:
        assert entry.valid_until is not None and entry.valid_until >= date(2017, 12, 31)
        assert entry.successor_codes and all(s.is_current for s in cbs.successors(entry))


def test_codes_are_normalised_and_unknown_ones_found_nowhere():
    assert cbs.normalise(" gm0505 ") == "GM0505"
    assert cbs.normalise("GM12") == "GM12"  # refused by its format, not guessed
    assert cbs.normalise("505") == "GM0505"
    assert cbs.lookup("gm0758").name == "Breda"
    assert cbs.lookup("GM9999") is None
    assert cbs.lookup("Breda") is None
    assert not cbs.is_well_formed(cbs.normalise("GM12345"))


def test_pasted_lists_are_split_on_newlines_commas_semicolons_and_spaces():
    text = "GM0505,GM0482\nGM0512;  GM0523\r\n\n GM0531 "
    assert cbs.parse_codes(text) == ["GM0505", "GM0482", "GM0512", "GM0523", "GM0531"]
    assert cbs.parse_codes("") == []
