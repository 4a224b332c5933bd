import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_login_logout(client, users):
    response = client.post(
        reverse("login"), {"username": users.officer.username, "password": "geheim-wachtwoord-123"}
    )
    assert response.status_code == 302
    assert client.get(reverse("home"), follow=True).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


def test_wrong_password_shows_an_error(client, users):
    response = client.post(
        reverse("login"), {"username": users.officer.username, "password": "fout"}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_lockout_after_repeated_failures(client, users, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": users.viewer.username, "password": "fout"})
    response = client.post(
        reverse("login"), {"username": users.viewer.username, "password": "geheim-wachtwoord-123"}
    )
    assert response.status_code == 429
    assert "Tijdelijk geblokkeerd" in response.content.decode()
    # Another user is not locked out by the first one's failures.
    ok = client.post(
        reverse("login"), {"username": users.officer.username, "password": "geheim-wachtwoord-123"}
    )
    assert ok.status_code == 302


def test_password_reset_by_email(client, users):
    users.viewer.email = "mees@example.nl"
    users.viewer.save()
    response = client.post(reverse("password_reset"), {"email": "mees@example.nl"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert (
        message.to == ["mees@example.nl"] and "Nieuw wachtwoord voor Jeugdinkoop" in message.subject
    )
    link = next(line for line in message.body.splitlines() if "/account/reset/" in line)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert form_page.context["validlink"]
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Nieuw-Wachtwoord-2026", "new_password2": "Nieuw-Wachtwoord-2026"},
    )
    assert done.status_code == 302
    users.viewer.refresh_from_db()
    assert users.viewer.check_password("Nieuw-Wachtwoord-2026")


def test_public_endpoints_need_no_login(client, db):
    assert client.get(reverse("healthz")).json() == {"status": "ok"}
    assert client.get(reverse("login")).status_code == 200
    assert client.get(reverse("password_reset")).status_code == 200
