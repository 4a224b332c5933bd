"""Provider portal users for a few providers of each region (named in the README). They log in
with the demo password and enrol an authenticator app at their first login, as every provider
user does."""

from django.db import transaction

from accounts.models import User
from demo.users import DEMO_PASSWORD
from providers.models import Provider, ProviderRole, ProviderUser

# username, full name, region, provider organisation, role
PORTAL_USERS = [
    # an open-house provider with contracts and production in Zuid-Holland Zuid
    ("aanbieder", ("Anouk", "Leven"), "zhz", "Jeugdzorg Jong Leven", ProviderRole.ADMINISTRATOR),
    (
        "aanbieder-medewerker",
        ("Mo", "Leven"),
        "zhz",
        "Jeugdzorg Jong Leven",
        ProviderRole.EMPLOYEE,
    ),
    # the lead of a consortium contracted under the WBO SAS procedure: acts for the consortium
    (
        "aanbieder-wbo",
        ("Vera", "Toren"),
        "wbo",
        "Stichting De Vuurtoren Vaktherapie",
        ProviderRole.ADMINISTRATOR,
    ),
    # the lead of an Amsterdam consortium
    (
        "aanbieder-ams",
        ("Bram", "Brug"),
        "ams",
        "Kwadraad De Brug Jeugdhulp",
        ProviderRole.ADMINISTRATOR,
    ),
]


@transaction.atomic
def load_portal_users() -> list[ProviderUser]:
    memberships = []
    for username, (first, last), slug, name, role in PORTAL_USERS:
        provider = Provider.objects.filter(region__slug=slug, name=name).first()
        if provider is None:
            continue
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@jeugdinkoop.example",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        membership, _created = ProviderUser.objects.get_or_create(
            user=user, defaults={"provider": provider, "role": role}
        )
        memberships.append(membership)
    return memberships


# ---------------------------------------------------------------- a live tender from the portal

LIVE_REFERENCE = "SOJ-2027-AB-01"
PLAN = (
    "Plan van aanpak: kortdurende ambulante jeugdhulp dichtbij het gezin, met de huisarts en "
    "het wijkteam; inzet binnen tien werkdagen na de verwijzing."
)


def _pdf(text: str) -> bytes:
    """A small valid PDF with one line of text (demo evidence; WeasyPrint is not needed)."""
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile

    body = f"BT /F1 11 Tf 50 780 Td ({text[:90]}) Tj ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(body)).encode() + b" >>\nstream\n" + body + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + obj + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer << /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return SimpleUploadedFile("document.pdf", out.getvalue(), content_type="application/pdf")


@transaction.atomic
def load_portal_tender() -> dict[str, int]:
    """Zuid-Holland Zuid publishes a small procurement (aanbesteding) for short ambulant care,
    open for three weeks from today; the demo provider ``aanbieder`` has asked a question and
    submitted its tender through the portal. Until the deadline the tender is sealed: the
    officer sees that it arrived, not what it holds."""
    from datetime import datetime, time, timedelta
    from decimal import Decimal

    from django.db.models import Count
    from django.utils import timezone

    from core.demo_clock import anchor
    from procurement import services
    from procurement.codes import MilestoneKind, ProcedureType, RequirementKind
    from procurement.models import Tender
    from segments.models import Region, Segment

    region = Region.objects.filter(slug="zhz").first()
    member = ProviderUser.objects.filter(user__username="aanbieder").select_related("provider")
    member = member.first()
    if region is None or member is None:
        return {}
    if Tender.objects.filter(region=region, reference=LIVE_REFERENCE).exists():
        return {}
    provider, user = member.provider, member.user
    delivered = set(provider.effective_care_forms().values_list("pk", flat=True))
    segment = (
        Segment.objects.filter(region=region, care_forms__in=delivered)
        .annotate(shared=Count("care_forms"))
        .order_by("-shared", "code")
        .first()
    )
    if segment is None:
        return {}
    today = anchor()
    tender = services.tender_create(
        region=region,
        reference=LIVE_REFERENCE,
        title=f"Kortdurende ambulante jeugdhulp – {segment.name}",
        procedure_type=ProcedureType.TENDER,
        description=(
            "Aanvullende inkoop van kortdurende ambulante jeugdhulp voor wachtlijstverkorting. "
            "Inschrijven via het aanbiedersportaal."
        ),
        submission_deadline=timezone.make_aware(
            datetime.combine(today + timedelta(days=21), time(12))
        ),
        coverage_min_care_forms=1,
    )
    services.tender_setup_save(
        tender=tender,
        milestones=[
            {"kind": MilestoneKind.PUBLICATION, "planned_on": today},
            {"kind": MilestoneKind.QNA_DEADLINE, "planned_on": today + timedelta(days=10)},
            {"kind": MilestoneKind.SUBMISSION_DEADLINE, "planned_on": today + timedelta(days=21)},
        ],
        lots=[{"number": 1, "segment": segment, "title": "Ambulant kortdurend"}],
        requirements=[
            {
                "order": 1,
                "kind": RequirementKind.SUITABILITY,
                "text": "Ten minste drie jaar ervaring met ambulante jeugdhulp in de regio",
            },
            {
                "order": 2,
                "kind": RequirementKind.EXCLUSION,
                "text": "Geen onherroepelijke veroordeling voor fraude of omkoping",
            },
        ],
        criteria=[
            {"name": "Plan van aanpak", "weight": Decimal(60)},
            {"name": "Samenwerking met wijkteams", "weight": Decimal(40)},
        ],
        document_requests=[
            {"order": 1, "title": "Plan van aanpak", "description": "", "required": True},
        ],
    )
    officer = User.objects.filter(username="inkoper").first()
    tender = services.tender_transition(tender=tender, name="publish", user=officer)
    tender = services.tender_transition(tender=tender, name="open_qna", user=officer)
    services.question_ask(
        tender=tender,
        provider=provider,
        reference="Inkoopleidraad §2",
        text="Mag een deel van de begeleiding via beeldbellen worden gegeven?",
    )
    lot = tender.lots.get()
    offered = set(lot.scope_care_forms().values_list("pk", flat=True)) & delivered
    requirements = list(tender.requirements.order_by("order"))
    services.submission_submit(
        lot=lot,
        provider=provider,
        user=user,
        care_form_ids=offered,
        declarations={
            requirements[0].pk: (True, "Sinds 2015 actief in Zuid-Holland Zuid."),
            requirements[1].pk: (True, ""),
        },
        evidence={requirements[0].pk: _pdf("Referenties ambulante jeugdhulp 2022-2026")},
        documents={tender.document_requests.get().pk: _pdf(PLAN)},
    )
    return {"open procedures with a portal tender": 1}
