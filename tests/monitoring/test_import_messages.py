"""An import's outcome in words: thousands grouped, singular and plural per count (issue 22:
"Geïmporteerd: 20000 regels", "1 regels")."""

from monitoring.imports import services
from monitoring.imports.validate import Errors


def test_success_message_groups_thousands_and_counts_in_the_singular_or_plural():
    text = services._success_message({"added": 20000, "corrected": 1, "unchanged": 0})
    assert text == (
        "Geïmporteerd: 20.000 regels toegevoegd, 1 correctieregel verwerkt, "
        "0 regels waren al aanwezig."
    )
    text = services._success_message({"added": 1, "corrected": 0, "unchanged": 1})
    assert "1 regel toegevoegd" in text and "1 regel was al aanwezig" in text


def test_rejection_message_counts_errors_and_lines_apart():
    errors = Errors()
    errors.add(2, "bedrag", "Geen bedrag.")
    text = services._rejection_message(errors)
    assert text.startswith("Afgewezen: 1 fout in 1 regel;")
    errors.add(3, "bedrag", "Geen bedrag.")
    errors.add(3, "datum", "Geen datum.")
    assert services._rejection_message(errors).startswith("Afgewezen: 3 fouten in 2 regels;")
