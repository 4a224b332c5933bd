"""Admission conditions as data: defined on a strategy (inherited by its procedures) or on one
procedure, named by the decision that opens a window, printed in the window's decision record.
Every refusal leaves nothing behind."""

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from procurement import documents, forms, services
from procurement.codes import ProcedureType
from procurement.models import AdmissionCondition, AdmissionWindow
from tests.procurement.factories import tender

pytestmark = pytest.mark.django_db

P = ProcedureType


def running(world, strategy=None, user=None, **kw):
    """A published (running) conditional admission of ``world``, of ``strategy`` if given."""
    t = tender(world, P.CONDITIONAL_ADMISSION, weights=None, strategy=strategy, **kw)
    services.tender_transition(tender=t, name="publish", user=user)
    t.refresh_from_db()
    return t


def counts():
    return (
        AdmissionCondition.objects.count(),
        AdmissionWindow.objects.count(),
        sorted(AdmissionCondition.objects.values_list("pk", "code", "text")),
    )


def refused(fn, **kwargs) -> ValidationError:
    before = counts()
    with pytest.raises(ValidationError) as excinfo:
        fn(**kwargs)
    assert counts() == before
    return excinfo.value


def url(name, w, **kw):
    return reverse(f"procurement:{name}", kwargs={"region": w.region.slug, **kw})


# ---------------------------------------------------------------- services


def test_conditions_of_the_strategy_and_of_the_procedure_are_its_choices(world_a, world_b):
    strategy = world_a.proc.strategy
    t = running(world_a, strategy)
    other = running(world_a)  # no strategy
    wait = services.admission_condition_create(
        strategy=strategy, code=" WACHT ", text=" Oplopende wachttijden "
    )
    own = services.admission_condition_create(tender=t, code="STOPT", text="Aanbieder stopt")
    services.admission_condition_create(tender=other, code="ANDERS", text="Van een andere")
    services.admission_condition_create(
        strategy=world_b.proc.strategy, code="B", text="Van regio B"
    )
    assert (wait.code, wait.text, wait.region) == ("WACHT", "Oplopende wachttijden", t.region)
    assert list(services.selectors.admission_conditions_for(t)) == [own, wait]

    # The window form offers exactly those.
    form = forms.WindowOpenForm(tender=t)
    assert list(form.fields["condition"].queryset) == [own, wait]
    assert [label for _v, label in form.fields["condition"].choices] == [
        "STOPT – Aanbieder stopt",
        "WACHT – Oplopende wachttijden",
    ]
    foreign = AdmissionCondition.objects.get(code="ANDERS")
    posted = forms.WindowOpenForm(
        {"condition": foreign.pk, "decision": "Besluit", "on": "2026-03-02"}, tender=t
    )
    assert not posted.is_valid() and list(posted.errors) == ["condition"]


def test_a_code_is_unique_among_the_conditions_a_procedure_can_choose_from(world_a):
    strategy = world_a.proc.strategy
    t = running(world_a, strategy)
    services.admission_condition_create(strategy=strategy, code="WACHT", text="Wachttijden")
    err = refused(
        services.admission_condition_create, strategy=strategy, code="wacht", text="Nog een"
    )
    assert list(err.message_dict) == ["code"]
    # A procedure's own condition does not repeat its strategy's code ...
    err = refused(services.admission_condition_create, tender=t, code="WACHT", text="Eigen")
    assert "al in gebruik" in err.message_dict["code"][0]
    stopt = services.admission_condition_create(tender=t, code="STOPT", text="Stopt")
    # ... nor the other way round.
    err = refused(services.admission_condition_create, strategy=strategy, code="STOPT", text="x")
    assert list(err.message_dict) == ["code"]
    # Empty code or text: at their fields.
    err = refused(services.admission_condition_create, tender=t, code=" ", text="  ")
    assert set(err.message_dict) == {"code", "text"}
    err = refused(
        services.admission_condition_update, admission_condition=stopt, code="WACHT", text="x"
    )
    assert list(err.message_dict) == ["code"]
    services.admission_condition_update(admission_condition=stopt, code="STOP", text="Gestopt")
    stopt.refresh_from_db()
    assert (stopt.code, stopt.text) == ("STOP", "Gestopt")


def test_opening_without_any_condition_defined_is_refused_pointing_where_to_define_them(world_a):
    t = running(world_a, world_a.proc.strategy)
    err = refused(
        services.window_open, tender=t, condition=None, decision="Besluit", on=date(2026, 3, 2)
    )
    assert err.message_dict == {
        "condition": [
            "Voor deze procedure zijn nog geen voorwaarden voor openen vastgelegd. Leg ze eerst "
            "vast bij de procedure of bij haar inkoopstrategie."
        ]
    }


def test_a_condition_of_another_procedure_or_strategy_is_refused_at_the_field(world_a, world_b):
    t = running(world_a, world_a.proc.strategy)
    services.admission_condition_create(tender=t, code="STOPT", text="Stopt")
    sibling = running(world_a)
    of_sibling = services.admission_condition_create(tender=sibling, code="X", text="Anders")
    of_b = services.admission_condition_create(
        strategy=world_b.proc.strategy, code="B", text="Regio B"
    )
    for foreign in (of_sibling, of_b):
        err = refused(
            services.window_open,
            tender=t,
            condition=foreign,
            decision="Besluit",
            on=date(2026, 3, 2),
        )
        assert list(err.message_dict) == ["condition"]
        assert "niet afgesproken voor deze procedure" in err.message_dict["condition"][0]


def test_a_condition_named_by_a_window_is_not_deleted(world_a, users):
    t = running(world_a, world_a.proc.strategy)
    wait = services.admission_condition_create(tender=t, code="WACHT", text="Wachttijden")
    spare = services.admission_condition_create(tender=t, code="SPARE", text="Niet gebruikt")
    services.window_open(tender=t, condition=wait, decision="DB", on=date(2026, 3, 2))
    services.window_close(tender=t, on=date(2026, 3, 30))
    services.window_open(tender=t, condition=wait, decision="DB 2", on=date(2026, 5, 4))
    err = refused(services.admission_condition_delete, admission_condition=wait)
    assert err.messages == [
        "Deze voorwaarde wordt niet verwijderd: 2 toelatingsvensters zijn ermee geopend."
    ]
    # Nor changed: the decisions named it as it read then.
    err = refused(
        services.admission_condition_update,
        admission_condition=wait,
        code="WACHT",
        text="Iets anders",
    )
    assert err.messages == [
        "Deze voorwaarde wordt niet meer gewijzigd: 2 toelatingsvensters zijn ermee geopend. "
        "Leg een nieuwe voorwaarde vast."
    ]
    services.admission_condition_delete(admission_condition=spare)
    assert not AdmissionCondition.objects.filter(pk=spare.pk).exists()


def test_conditions_are_audited(world_a):
    from auditlog.models import LogEntry

    c = services.admission_condition_create(
        strategy=world_a.proc.strategy, code="WACHT", text="Wachttijden"
    )
    assert LogEntry.objects.get_for_object(c).count() == 1


# ---------------------------------------------------------------- pages


def test_officer_defines_conditions_on_the_strategy_and_opens_a_window_with_one(
    client, world_a, users
):
    strategy = world_a.proc.strategy
    t = running(world_a, strategy, users.officer)
    client.force_login(users.officer)
    # No condition yet: the procedure's page says where to define them, and offers no form.
    body = client.get(url("tender-detail", world_a, pk=t.pk)).content.decode()
    assert "nog geen voorwaarden voor openen vastgelegd" in body
    assert url("strategy-conditions", world_a, strategy=strategy.pk) in body
    assert url("tender-conditions", world_a, tender=t.pk) in body
    response = client.post(
        url("window-open", world_a, pk=t.pk), {"decision": "Besluit", "on": "2026-03-02"}
    )
    assert response.status_code == 200 and not t.windows.exists()
    assert "nog geen voorwaarden voor openen vastgelegd" in response.content.decode()

    create = url("strategy-condition-create", world_a, strategy=strategy.pk)
    response = client.post(create, {"code": "WACHT", "text": "Oplopende wachttijden"})
    assert response.status_code == 302
    assert response.url == url("strategy-conditions", world_a, strategy=strategy.pk)
    wait = strategy.conditions.get()
    response = client.post(create, {"code": "wacht", "text": "Dubbel"})
    assert response.status_code == 200 and "al in gebruik" in response.content.decode()
    assert strategy.conditions.count() == 1

    # The procedure offers the strategy's condition; a foreign one is an error at the field.
    foreign = services.admission_condition_create(tender=running(world_a), code="X", text="x")
    page = client.get(url("window-open", world_a, pk=t.pk))
    assert "WACHT – Oplopende wachttijden" in page.content.decode()
    assert "X – x" not in page.content.decode()
    response = client.post(
        url("window-open", world_a, pk=t.pk),
        {"condition": foreign.pk, "decision": "DB 2 maart", "on": "2026-03-02"},
    )
    assert response.status_code == 200 and "condition" in response.context["form"].errors
    assert not t.windows.exists()
    response = client.post(
        url("window-open", world_a, pk=t.pk),
        {"condition": wait.pk, "decision": "DB 2 maart", "on": "2026-03-02"},
    )
    assert response.status_code == 302
    window = t.windows.get()
    assert window.condition == wait and window.opened_by == users.officer
    body = client.get(url("tender-detail", world_a, pk=t.pk)).content.decode()
    assert "WACHT" in body and "Oplopende wachttijden" in body
    assert url("window-decision-pdf", world_a, tender=t.pk, pk=window.pk) in body

    # Deleting it is refused with the count; the row stays.
    delete = url("strategy-condition-delete", world_a, strategy=strategy.pk, pk=wait.pk)
    assert "1 toelatingsvenster is ermee geopend" in client.get(delete).content.decode()
    response = client.post(delete, follow=True)
    assert AdmissionCondition.objects.filter(pk=wait.pk).exists()
    assert any(
        "1 toelatingsvenster is ermee geopend" in str(m) for m in response.context["messages"]
    )


def test_procedure_conditions_pages_edit_and_delete(client, world_a, users):
    t = running(world_a, world_a.proc.strategy)
    inherited = services.admission_condition_create(
        strategy=world_a.proc.strategy, code="WACHT", text="Wachttijden"
    )
    own = services.admission_condition_create(tender=t, code="STOPT", text="Stopt")
    client.force_login(users.officer)
    body = client.get(url("tender-conditions", world_a, tender=t.pk)).content.decode()
    assert "STOPT" in body and inherited.text in body
    response = client.post(
        url("tender-condition-update", world_a, tender=t.pk, pk=own.pk),
        {"code": "STOP", "text": "Een aanbieder stopt"},
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert (own.code, own.text) == ("STOP", "Een aanbieder stopt")
    # Another procedure's condition cannot be reached under this procedure's URL.
    other = running(world_a)
    stranger = services.admission_condition_create(tender=other, code="X", text="x")
    edit = url("tender-condition-update", world_a, tender=t.pk, pk=stranger.pk)
    assert client.get(edit).status_code == 404
    response = client.post(url("tender-condition-delete", world_a, tender=t.pk, pk=own.pk))
    assert response.status_code == 302 and not AdmissionCondition.objects.filter(pk=own.pk).exists()
    # A viewer reads, but does not change.
    client.force_login(users.viewer)
    assert client.get(url("tender-conditions", world_a, tender=t.pk)).status_code == 200
    response = client.post(
        url("tender-condition-create", world_a, tender=t.pk), {"code": "V", "text": "v"}
    )
    assert response.status_code == 403 and not t.conditions.exists()


# ---------------------------------------------------------------- decision record


def read(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_decision_record_prints_the_condition_code_and_full_text(client, world_a, users):
    strategy = world_a.proc.strategy
    t = running(world_a, strategy, title="Toelating extra GI")
    text = (
        "Oplopende wachttijden: de wachttijd tussen uitspraak en start van de maatregel ligt "
        "twee kwartalen achter elkaar boven de norm."
    )
    wait = services.admission_condition_create(strategy=strategy, code="WACHTTIJD", text=text)
    window = services.window_open(
        tender=t,
        condition=wait,
        decision="Besluit van het Dagelijks Bestuur van 2 maart 2026.",
        on=date(2026, 3, 2),
        user=users.officer,
    )
    services.window_close(tender=t, on=date(2026, 4, 30), note="Twee aanbieders toegelaten.")
    window.refresh_from_db()

    printed = read(documents.window_decision_pdf(window))
    assert "Besluit tot openen van een toelatingsvenster" in printed
    assert t.reference in printed and "Toelating extra GI" in printed
    assert "WACHTTIJD" in printed and text in printed
    assert f"inkoopstrategie ‘{strategy.title}’" in printed
    assert "Besluit van het Dagelijks Bestuur van 2 maart 2026." in printed
    assert "2 maart 2026" in printed and "30 april 2026" in printed  # Dutch dates
    assert "Twee aanbieders toegelaten." in printed

    client.force_login(users.municipal)  # the procedure is public once published
    response = client.get(url("window-decision-pdf", world_a, tender=t.pk, pk=window.pk))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "WACHTTIJD" in read(response.content)
