"""``manage.py import_production``: progress, outcome, errors and the exit status."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from monitoring.models import Declaration, ImportBatch, ImportStatus
from tests.monitoring.test_import_service import BAD_BSN, declaration_csv, line_counts, write

pytestmark = pytest.mark.django_db


def command(*args):
    out, err = StringIO(), StringIO()
    call_command("import_production", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_success_prints_progress_and_outcome(world_a, tmp_path):
    path = write(tmp_path, declaration_csv(world_a, [{}, {"maand": "2026-05"}]))
    out, err = command("--region", world_a.region.slug, "--kind", "declaraties", str(path))
    assert "100%" in out and "2 van 2 regels gecontroleerd" in out
    assert "Geïmporteerd: 2 regels toegevoegd" in out
    assert "KPI's bijgewerkt voor 2 maanden." in out
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.SUCCEEDED and batch.created_by is None
    assert Declaration.objects.filter(batch=batch).count() == 2
    assert path.exists()  # the command leaves the file where it is


def test_rejection_prints_the_errors_and_exits_non_zero(world_a, tmp_path):
    rows = [{"product": "X"}] * 60 + [{"bsn": BAD_BSN}]
    path = write(tmp_path, declaration_csv(world_a, rows))
    before = line_counts()
    with pytest.raises(CommandError) as raised:
        command("--region", world_a.region.slug, "--kind", "declaraties", str(path))
    assert raised.value.returncode == 1
    assert "niets geïmporteerd" in str(raised.value)
    assert line_counts() == before


def test_rejection_output(world_a, tmp_path, capsys):
    rows = [{"product": "X"}] * 60 + [{"bsn": BAD_BSN}]
    path = write(tmp_path, declaration_csv(world_a, rows))
    err = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_production",
            "--region",
            world_a.region.slug,
            "--kind",
            "declaraties",
            str(path),
            stdout=StringIO(),
            stderr=err,
        )
    text = err.getvalue()
    assert "Afgewezen: 61 fouten in 61 regels" in text
    assert "regel 2, kolom product: Onbekende productcode 'X'" in text
    assert text.count("kolom product") == 50
    assert "… en nog 11 fouten." in text
    assert BAD_BSN not in text


def test_the_exit_status_from_the_shell(world_a, tmp_path):
    path = write(tmp_path, declaration_csv(world_a, [{"aantal": "-1"}]))
    with pytest.raises(SystemExit) as exited:
        from django.core.management import ManagementUtility

        ManagementUtility(
            [
                "manage.py",
                "import_production",
                "--region",
                world_a.region.slug,
                "--kind",
                "declaraties",
                str(path),
            ]
        ).execute()
    assert exited.value.code == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--region", "nergens", "--kind", "declaraties"], "Onbekende regio: nergens"),
        (["--region", "regio-a", "--kind", "declaraties", "--format", "json"], None),
    ],
)
def test_wrong_arguments(world_a, tmp_path, args, message):
    path = write(tmp_path, declaration_csv(world_a, [{}]))
    with pytest.raises(CommandError) as raised:
        command(*args, str(path))
    if message:
        assert message in str(raised.value)
    else:  # a CSV read as JSON: rejected, not crashed
        assert ImportBatch.objects.get().status == ImportStatus.REJECTED


def test_missing_file(world_a, tmp_path):
    with pytest.raises(CommandError, match="Bestand niet gevonden"):
        command("--region", "regio-a", "--kind", "declaraties", str(tmp_path / "weg.csv"))
