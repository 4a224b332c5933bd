"""The provider portal in the scoping matrix: every portal page × every kind of user, and
every staff page for the provider roles. A portal page added without a row here fails
``test_every_portal_page_is_in_the_matrix``."""

import pytest
from django.urls import get_resolver, reverse

from tests.pagetext import language_for, language_problems
from tests.test_scoping_matrix import pages as staff_pages
from tests.test_scoping_matrix import world_a  # noqa: F401, F811 - the matrix world

from .conftest import portal_login

OK, HIDDEN, DENIED, NOT_ALLOWED, REDIRECT = 200, 404, 403, 405, 302
# admin and employee of world A's provider (the lead of its consortium), the administrator
# of a consortium member that does not lead, another region's provider administrator, and a
# procurement officer of region A (staff never open the portal)
ROLES = ("admin", "employee", "distant_admin", "other_region_admin", "officer")
EXPECT = {
    # the portal's pages of the user's own organisation
    "own": (OK, OK, HIDDEN, HIDDEN, HIDDEN),
    # pages of the consortium world A's provider leads: its users act for it
    "consortium": (OK, OK, HIDDEN, HIDDEN, HIDDEN),
    # the provider administrator's pages
    "own_admin": (OK, DENIED, HIDDEN, HIDDEN, HIDDEN),
    # POST-only actions (a GET is "method not allowed" where the user may reach the page)
    "own_action": (NOT_ALLOWED, NOT_ALLOWED, HIDDEN, HIDDEN, HIDDEN),
    # the entry: straight on to one's organisation
    "entry": (REDIRECT, REDIRECT, REDIRECT, REDIRECT, HIDDEN),
    # verifying the second factor (a verified user is sent on) and enrolling a new app (a
    # verified user may replace theirs)
    "second_factor": (REDIRECT, REDIRECT, REDIRECT, REDIRECT, HIDDEN),
    "second_factor_setup": (OK, OK, OK, OK, HIDDEN),
    # steering: the page of the consortium member world A's provider does not act for (only
    # its own administrator), and another provider's object under one's own provider: 404
    "member_own": (HIDDEN, HIDDEN, OK, HIDDEN, HIDDEN),
    "other_object": (HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN),
    # another provider's object under one's own provider in the URL: no one reaches it
    "other_provider": (HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN),
    # the provider's own submission after its deadline: sealed, the change page sends back
    "own_sealed": (REDIRECT, REDIRECT, HIDDEN, HIDDEN, HIDDEN),
    # another provider's submission through a provider the user acts for (or not): never
    "other_submission": (HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN),
}


def portal_pages(w, portal=None):
    """(url name, kwargs, kind) for every page of the ``portal`` namespace."""
    own = {"provider": w.provider.pk}
    colleague = portal.employee_membership.pk if portal else 1
    return [
        ("portal:home", {}, "entry"),
        ("portal:otp-verify", {}, "second_factor"),
        ("portal:otp-setup", {}, "second_factor_setup"),
        ("portal:overview", own, "own"),
        ("portal:overview", {"provider": w.consortium.pk}, "consortium"),
        ("portal:colleagues", own, "own"),
        ("portal:colleague-remove", {**own, "pk": colleague}, "own_action"),
        ("portal:colleague-resend", {**own, "pk": colleague}, "own_action"),
        *procedure_pages(w, portal),
        *inbox_pages(w, portal),
        *contract_pages(w, portal),
        *steering_pages(w, portal),
    ]


def procedure_pages(w, portal=None):
    """Procedures from the provider's side: published procedures, questions, submissions."""
    own = {"provider": w.provider.pk}
    t = {**own, "tender": w.proc.tender.pk}
    lot = {**t, "lot": w.proc.submission.lot_id}
    sub = {**own, "pk": w.proc.submission.pk}
    return [
        ("portal:procedure-list", own, "own"),
        ("portal:procedure-list", {"provider": w.consortium.pk}, "consortium"),
        ("portal:procedure-detail", t, "own"),
        ("portal:procedure-document", {**t, "pk": w.proc.document.pk}, "own"),
        ("portal:procedure-nota", {**t, "number": 1}, "own"),
        ("portal:procedure-question", t, "own"),
        ("portal:procedure-submit", lot, "own"),
        ("portal:procedure-coverage", lot, "own"),
        ("portal:procedure-submission", sub, "own"),
        ("portal:procedure-submission-update", sub, "own_sealed"),
        ("portal:procedure-submission-withdraw", sub, "own_action"),
        ("portal:procedure-submission-file", {**sub, "file": w.submission_file.pk}, "own"),
        (
            "portal:procedure-submission",
            {"provider": w.distant_provider.pk, "pk": w.proc.submission.pk},
            "other_submission",
        ),
        (
            "portal:procedure-submission",
            {"provider": w.consortium.pk, "pk": w.proc.submission.pk},
            "other_submission",
        ),
    ]


def inbox_pages(w, portal=None):
    """The inbox: letters, notas van inlichtingen, requests for evidence."""
    own = {"provider": w.provider.pk}
    ids = _inbox_objects(w, portal) if portal else {}
    mine, request, answer_file, consortium, distant = (
        ids.get(k, 1) for k in ("letter", "request", "file", "consortium", "distant")
    )
    return [
        ("portal:inbox", own, "own"),
        ("portal:inbox", {"provider": w.consortium.pk}, "consortium"),
        ("portal:inbox-message", {**own, "pk": mine}, "own"),
        ("portal:inbox-message", {"provider": w.consortium.pk, "pk": consortium}, "consortium"),
        ("portal:inbox-message", {**own, "pk": distant}, "other_provider"),
        ("portal:inbox-letter", {**own, "pk": mine}, "own"),
        ("portal:inbox-letter", {**own, "pk": distant}, "other_provider"),
        ("portal:inbox-answer", {**own, "pk": request}, "own"),
        ("portal:inbox-answer-file", {**own, "pk": request, "file": answer_file}, "own"),
    ]


def _inbox_objects(w, portal) -> dict:
    """A letter and an answered request for evidence of world A's provider, a letter to its
    consortium and one to the distant provider (made once per test)."""
    if getattr(portal, "inbox_ids", None) is None:
        from datetime import timedelta

        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.utils import timezone

        from providers import inbox
        from providers.models import MessageKind

        pdf = b"%PDF-1.4\n%%EOF\n"

        def letter(provider):
            return inbox.provider_message_send(
                provider=provider,
                kind=MessageKind.PROVISIONAL_AWARD,
                subject="Voorlopige gunningsbeslissing",
                file_bytes=pdf,
                file_name="brief.pdf",
            )

        request = inbox.evidence_request_send(
            provider=w.provider,
            subject="Verzoek om bewijsstukken",
            body="Stuur uw VOG",
            due_on=timezone.localdate() + timedelta(days=7),
        )
        answer = inbox.evidence_answer_submit(
            message=request,
            note="Bijgevoegd",
            files=[SimpleUploadedFile("vog.pdf", pdf)],
            answered_by=portal.admin,
        )
        portal.inbox_ids = {
            "letter": letter(w.provider).pk,
            "request": request.pk,
            "file": answer.files.get().pk,
            "consortium": letter(w.consortium).pk,
            "distant": letter(w.distant_provider).pk,
        }
    return portal.inbox_ids


def contract_pages(w, portal=None):
    """After the award: contracts, tariffs, budgets, production, API keys. The batch and the
    API client are world A's provider's own (made once, when there is a database)."""
    own = {"provider": w.provider.pk}
    consortium = {"provider": w.consortium.pk}
    batch, api_client = _provider_objects(w) if portal else (1, 1)
    return [
        ("portal:contracts", own, "own"),
        ("portal:contracts", consortium, "consortium"),
        ("portal:contract-detail", {**own, "pk": w.con.contract.pk}, "own"),
        ("portal:production", own, "own"),
        ("portal:production", consortium, "consortium"),
        ("portal:production-upload", own, "own"),
        ("portal:batch-detail", {**own, "pk": batch}, "own"),
        ("portal:batch-errors", {**own, "pk": batch}, "own"),
        ("portal:batch-status", {**own, "pk": batch}, "own"),
        # the list is for both roles; creating (POST) is the administrator's (tested apart)
        ("portal:api-keys", own, "own"),
        ("portal:api-client-revoke", {**own, "pk": api_client}, "own_action"),
    ]


def _provider_objects(w) -> tuple[int, int]:
    """(a batch, an API client) of world A's provider."""
    from api.models import ApiClient
    from api.services import api_client_create
    from monitoring.imports.models import ImportBatch
    from monitoring.imports.services import batch_create

    batch = ImportBatch.objects.filter(provider=w.provider).first() or batch_create(
        region=w.region,
        kind="declaraties",
        file_format="csv",
        file_name="matrix.csv",
        file_size=10,
        provider=w.provider,
    )
    client = (
        ApiClient.objects.filter(provider=w.provider).first()
        or api_client_create(
            region=w.region,
            name="matrix",
            kind="aanbieder",
            scopes=["productie-schrijven"],
            provider=w.provider,
        )[0]
    )
    return batch.pk, client.pk


def steering_pages(w, portal=None):
    """The provider's own dashboard, signals and performance dialogues."""
    own = {"provider": w.provider.pk}
    consortium = {"provider": w.consortium.pk}
    ids = _steering_objects(w, portal)
    dialogue = {**own, "pk": w.mon.dialogue.pk if portal else 1}
    return [
        ("portal:dashboard", own, "own"),
        ("portal:dashboard", consortium, "consortium"),
        ("portal:dashboard", {"provider": w.distant_provider.pk}, "member_own"),
        ("portal:signals", own, "own"),
        ("portal:signals", {"provider": w.distant_provider.pk}, "member_own"),
        ("portal:dialogues", own, "own"),
        ("portal:dialogues", consortium, "consortium"),
        ("portal:dialogue", dialogue, "own"),
        ("portal:dialogue", {**own, "pk": ids["other_dialogue"]}, "other_object"),
        ("portal:action-progress", {**dialogue, "action": ids["action"]}, "own"),
        ("portal:action-progress", {**dialogue, "action": ids["other_action"]}, "other_object"),
        ("portal:progress-file", {**dialogue, "progress": ids["progress"]}, "own"),
        ("portal:progress-file", {**dialogue, "progress": ids["other_progress"]}, "other_object"),
    ]


def _steering_objects(w, portal) -> dict:
    """An action with a progress post (and a file) on world A's planned dialogue, and the same
    for a dialogue with the consortium member; made once per test world."""
    if portal is None:
        return dict.fromkeys(("action", "progress", "other_dialogue", "other_action"), 1) | {
            "other_progress": 1
        }
    made = getattr(w, "_portal_steering", None)
    if made is None:
        from datetime import date

        from django.core.files.uploadedfile import SimpleUploadedFile

        from monitoring.steering import dialogues

        pdf = b"%PDF-1.4\n%%EOF\n"
        made = {}
        for prefix, provider, user in (
            ("", w.provider, portal.admin),
            ("other_", w.distant_provider, portal.distant_admin),
        ):
            dialogue = (
                w.mon.dialogue
                if not prefix
                else dialogues.dialogue_create(provider=provider, scheduled_on=date(2026, 11, 30))
            )
            action = dialogues.action_add(
                dialogue=dialogue, description="Plan", owner="Directie", due_on=date(2026, 12, 31)
            )
            post = dialogues.dialogue_action_progress_post(
                action=action,
                user=user,
                text="Voortgang",
                file=SimpleUploadedFile("plan.pdf", pdf, content_type="application/pdf"),
            )
            made.update(
                {f"{prefix}action": action.pk, f"{prefix}progress": post.pk}
                | ({"other_dialogue": dialogue.pk} if prefix else {})
            )
        w._portal_steering = made
    return made


@pytest.fixture
def portal_with_ids(portal):
    from providers.models import ProviderUser

    portal.employee_membership = ProviderUser.objects.get(user=portal.employee)
    return portal


@pytest.mark.django_db
def test_every_portal_page_every_user(client, world_a, world_b, users, portal_with_ids):  # noqa: F811
    portal = portal_with_ids
    people = {
        "admin": portal.admin,
        "employee": portal.employee,
        "distant_admin": portal.distant_admin,
        "other_region_admin": portal.other_region_admin,
        "officer": users.officer,
    }
    problems = []
    for r, (role, person) in enumerate(people.items()):
        if role == "officer":
            client.force_login(person)
        else:
            portal_login(client, person)
        for p, (name, kwargs, kind) in enumerate(portal_pages(world_a, portal)):
            url = reverse(name, kwargs=kwargs)
            language = language_for(r + p)  # Dutch and English in turn (issue 22)
            response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
            status = response.status_code
            expected = EXPECT[kind][ROLES.index(role)]
            assert status == expected, f"{role} GET {url}: {status}, wanted {expected}"
            problems += language_problems(response, language, f"{role} GET {url} ({language})")
    assert problems == [], "\n".join(problems)


#: a table of each portal page that downloads (``?export=csv|xlsx&tabel=<name>``)
PORTAL_DOWNLOADS = {
    "portal:colleagues": "gebruikers",
    "portal:procedure-list": "procedures",
    "portal:inbox": "berichten",
    "portal:contracts": "contracten",
    "portal:contract-detail": "tarieven",
    "portal:production": "aanleveringen",
    "portal:api-keys": "sleutels",
    "portal:signals": "signalen",
    "portal:dialogues": "gesprekken",
}


@pytest.mark.django_db
def test_portal_downloads_follow_the_matrix(client, world_a, world_b, users, portal_with_ids):  # noqa: F811
    """A portal page's download is the page's own URL: who may see the page gets the file (only
    the provider's own rows: tests/portal/test_portal_exports.py), anyone else what the page
    gives them (another provider's page: 404)."""
    portal = portal_with_ids
    people = {
        "admin": portal.admin,
        "employee": portal.employee,
        "distant_admin": portal.distant_admin,
        "other_region_admin": portal.other_region_admin,
        "officer": users.officer,
    }
    pages = [p for p in portal_pages(world_a, portal) if p[0] in PORTAL_DOWNLOADS]
    assert {p[0] for p in pages} == set(PORTAL_DOWNLOADS)
    for role, person in people.items():
        if role == "officer":
            client.force_login(person)
        else:
            portal_login(client, person)
        for name, kwargs, kind in pages:
            url = reverse(name, kwargs=kwargs)
            expected = EXPECT[kind][ROLES.index(role)]
            for fmt in ("csv", "xlsx"):
                response = client.get(url, {"export": fmt, "tabel": PORTAL_DOWNLOADS[name]})
                status = response.status_code
                assert status == expected, f"{role} {url} {fmt}: {status}, wanted {expected}"
                if status == OK:
                    assert "attachment" in response["Content-Disposition"]


@pytest.mark.django_db
def test_every_staff_page_is_denied_to_provider_users(client, world_a, world_b, portal):  # noqa: F811
    """The staff pages of the region the provider belongs to: 403 for both provider roles,
    whatever the page's own queryset would show."""
    for person in (portal.admin, portal.employee):
        portal_login(client, person)
        for name, kwargs, _kind in staff_pages(world_a):
            url = reverse(name, kwargs=kwargs)
            status = client.get(url).status_code
            assert status == 403, f"provider user GET {url}: {status}"
        for name, kwargs, _kind in staff_portal_pages(world_a):
            url = reverse(name, kwargs=kwargs)
            assert client.get(url).status_code == 403, url


@pytest.mark.django_db
def test_portal_pages_need_the_second_factor(client, world_a, portal_with_ids):  # noqa: F811
    client.force_login(portal_with_ids.admin)
    for name, kwargs, kind in portal_pages(world_a, portal_with_ids):
        if kind in ("entry", "second_factor", "second_factor_setup"):
            continue
        url = reverse(name, kwargs=kwargs)
        response = client.get(url)
        assert response.status_code == 302 and reverse("portal:otp-verify") in response.url, url


@pytest.mark.django_db
def test_anonymous_is_sent_to_login_from_every_portal_page(client, world_a):  # noqa: F811
    for name, kwargs, _kind in portal_pages(world_a):
        url = reverse(name, kwargs=kwargs)
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url


def staff_portal_pages(w):
    """The region's side of the portal (also rows of the staff matrix)."""
    r = {"region": w.region.slug, "provider": w.provider.pk}
    return [
        ("portal-staff:users", r, "portal_users"),
        ("portal-staff:user-remove", {**r, "pk": 1}, "portal_users_action"),
        ("portal-staff:user-resend", {**r, "pk": 1}, "portal_users_action"),
    ]


def test_every_portal_page_is_in_the_matrix():
    resolver = get_resolver()
    names = set()
    for namespace in ("portal", "portal-staff"):
        sub = resolver.namespace_dict[namespace][1]
        names |= {f"{namespace}:{n}" for n in sub.reverse_dict if isinstance(n, str)}

    class Fake:
        def __getattr__(self, item):
            return Fake()

        pk = 1
        slug = "x"

    covered = {name for name, _k, _kind in portal_pages(Fake())}
    covered |= {name for name, _k, _kind in staff_portal_pages(Fake())}
    assert names - covered == set(), f"portal pages missing from the matrix: {names - covered}"
