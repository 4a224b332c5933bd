"""Decision letters and notas van inlichtingen to the providers' inboxes in the portal.

Procurement takes the decision; the letter follows it. The services in ``services.py`` only
schedule the sending (``transaction.on_commit`` → the Celery task ``procurement.send_letters``
or ``procurement.send_nota``, which run in-process when there is no Redis): rendering a PDF
with WeasyPrint is slow, and a letter that fails to render must never undo the decision. A
letter that did not go out shows as "niet verzonden" on the staff submission page
(:func:`expected_letters` against what the inbox holds), with a button that sends it again.
Sending is idempotent: each letter has a key (:func:`letter_key`), and a letter sent before is
not sent twice.

Each letter that goes out is also kept on the region's side (:func:`decision_letter_keep`, a
``DecisionLetter`` with the PDF as sent), listed on the staff submission page, so the officer
can show exactly what each bidder received. A letter carries the signing officer and the
contracting authority (``procurement.signatory``) and does not go out without them. What each
letter says: docs/letters.md.

When a letter goes out:

* ``provisional`` — when the officer sends the award decision (transition
  ``start_objection``, "Gunningsbeslissing versturen"): every submission with an outcome
  (awarded, not awarded, excluded, not preselected) gets the voorlopige gunningsbeslissing.
  Outcomes can still change in the provisional-award phase (``submission_set_outcome``), so
  nothing goes out before the decision is sent.
* ``definitive`` — at the definitive award (transition ``award``): an awarded submission gets
  the definitive award, every other decided one a refusal.
* ``admission`` — when an application to an open house or admission procedure is admitted or
  refused (``submission_decide_admission``).
"""

from __future__ import annotations

import hashlib
import logging

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from providers import inbox
from providers.models import MessageKind, Provider, ProviderKind, ProviderMessage

from . import documents, standstill
from .codes import ADMISSION_TYPES, Outcome, TenderState
from .models import DecisionLetter, Submission, Tender
from .signatory import Signatory, signatory_for, signatory_problem

log = logging.getLogger(__name__)

S = TenderState

#: a letter kind of ``documents.award_letter_pdf`` → (subject, file name prefix)
_LETTERS = {
    "provisional": ("Voorlopige gunningsbeslissing", "voorlopige-gunning"),
    "definitive": ("Definitieve gunning", "definitieve-gunning"),
    "admission": ("Besluit op uw aanmelding", "besluit-aanmelding"),
}
_UNDECIDED = (Outcome.PENDING, Outcome.WITHDRAWN)


def letter_key(letter_kind: str, submission_id: int) -> str:
    return f"letter:{letter_kind}:{submission_id}"


def message_kind(letter_kind: str, outcome: str) -> str:
    """The inbox kind of the letter ``letter_kind`` for a submission with ``outcome``."""
    if letter_kind == "provisional":
        return MessageKind.PROVISIONAL_AWARD
    if letter_kind == "admission":
        return MessageKind.ADMISSION if outcome == Outcome.ADMITTED else MessageKind.NOT_ADMITTED
    return MessageKind.DEFINITIVE_AWARD if outcome == Outcome.AWARDED else MessageKind.REFUSAL


def expected_letters(sub: Submission, tender: Tender) -> list[str]:
    """The letter kinds that should have gone to ``sub``'s provider by now."""
    if sub.outcome in _UNDECIDED:
        return []
    if tender.procedure_type in ADMISSION_TYPES:
        return ["admission"] if sub.outcome in (Outcome.ADMITTED, Outcome.REFUSED) else []
    kinds = []
    if tender.objection_started_on and tender.state in (
        S.OBJECTION,
        S.DEFINITIVE_AWARD,
        S.IMPLEMENTATION,
    ):
        kinds.append("provisional")
    if tender.state in (S.DEFINITIVE_AWARD, S.IMPLEMENTATION):
        kinds.append("definitive")
    return kinds


def _letter_submissions(tender: Tender, letter_kind: str):
    subs = Submission.objects.filter(tender=tender).exclude(outcome__in=_UNDECIDED)
    if letter_kind == "admission":
        subs = subs.filter(outcome__in=(Outcome.ADMITTED, Outcome.REFUSED))
    return subs.select_related("provider", "lot__segment", "tender").order_by("number")


def submission_letter_send(
    *, submission: Submission, letter_kind: str, sent_by=None
) -> ProviderMessage:
    """Render the letter ``letter_kind`` for ``submission`` and put it in its provider's inbox
    (once: a letter sent before is returned as it is)."""
    sub = Submission.objects.select_related("provider", "lot__segment", "tender").get(
        pk=submission.pk
    )
    if letter_kind not in expected_letters(sub, sub.tender):
        raise ValidationError(_("Voor deze inschrijving is (nog) geen brief van deze soort."))
    key = letter_key(letter_kind, sub.pk)
    sent = ProviderMessage.objects.filter(provider=sub.provider, dedupe_key=key).first()
    if sent is not None:
        return sent
    tender = sub.tender
    signed_by = signatory_for(tender)
    if problem := signatory_problem(tender):
        raise ValidationError(problem)
    pdf = documents.award_letter_pdf(sub, letter_kind)
    title, prefix = _LETTERS[letter_kind]
    with translation.override("nl"):
        subject = f"{_(title)} {tender.reference} – {sub.lot}"
        body = _(
            "Bijgaand vindt u onze brief over uw inschrijving nr. %(n)s in de procedure "
            "‘%(title)s’ (%(reference)s) voor %(lot)s."
        ) % {"n": sub.number, "title": tender.title, "reference": tender.reference, "lot": sub.lot}
    file_name = f"{prefix}-{tender.reference}-{sub.number}.pdf"
    with transaction.atomic():
        message = inbox.provider_message_send(
            provider=sub.provider,
            kind=message_kind(letter_kind, sub.outcome),
            subject=subject,
            body=body,
            file_bytes=pdf,
            file_name=file_name,
            sent_by=sent_by,
            tender_id=tender.pk,
            submission_id=sub.pk,
            dedupe_key=key,
        )
        decision_letter_keep(
            submission=sub,
            letter_kind=letter_kind,
            pdf=pdf,
            file_name=file_name,
            message=message,
            signed_by=signed_by,
            sent_by=sent_by,
        )
    return message


def decision_letter_keep(
    *,
    submission: Submission,
    letter_kind: str,
    pdf: bytes,
    file_name: str,
    message: ProviderMessage | None,
    signed_by: Signatory,
    sent_by=None,
) -> DecisionLetter:
    """Keep the letter ``pdf`` as it went to ``submission``'s provider: a
    :class:`DecisionLetter` under the letter's key, with its file (private storage), hash,
    signature and, for the voorlopige gunningsbeslissing, the last day of the standstill
    period. Once per key: a letter kept before is returned as it is. django-auditlog records
    the new row."""
    key = letter_key(letter_kind, submission.pk)
    with transaction.atomic():
        kept = DecisionLetter.objects.filter(key=key).first()
        if kept is not None:
            return kept
        tender = submission.tender
        letter = DecisionLetter(
            submission=submission,
            kind=letter_kind,
            outcome=submission.outcome,
            decision_on=documents.letter_date_of(submission, letter_kind),
            key=key,
            file_name=file_name[:150],
            sha256=hashlib.sha256(pdf).hexdigest(),
            signatory_name=signed_by.name,
            signatory_function=signed_by.function,
            contracting_authority=signed_by.contracting_authority,
            standstill_ends_on=(
                standstill.standstill_ends_on(tender) if letter_kind == "provisional" else None
            ),
            message=message,
            sent_at=message.sent_at if message is not None else timezone.now(),
            sent_by=sent_by,
        )
        letter.full_clean(exclude=["file"])
        letter.file.save(file_name, ContentFile(pdf), save=False)
        letter.save()
    return letter


def tender_letters_send(
    *, tender: Tender, letter_kind: str, submission_ids=None, sent_by=None
) -> tuple[int, int]:
    """Send the letter ``letter_kind`` to every submission of ``tender`` that should get it
    (or to ``submission_ids``). A letter that fails is logged and left for a retry; the rest
    go out. Returns (sent, failed)."""
    subs = _letter_submissions(tender, letter_kind)
    if submission_ids is not None:
        subs = subs.filter(pk__in=submission_ids)
    sent = failed = 0
    for sub in subs:
        if letter_kind not in expected_letters(sub, sub.tender):
            continue
        try:
            submission_letter_send(submission=sub, letter_kind=letter_kind, sent_by=sent_by)
        except Exception:  # noqa: BLE001 - one letter's failure must not stop the others
            log.exception("letter %s for submission %s not sent", letter_kind, sub.pk)
            failed += 1
        else:
            sent += 1
    return sent, failed


def nota_recipients(tender: Tender):
    """Who receives a nota van inlichtingen in the inbox: every provider organisation of the
    procedure's region with an active portal user (a nota is for every prospective bidder,
    not only the askers). A consortium gets none of its own: its lead's users read it as
    their organisation's copy."""
    return (
        Provider.objects.filter(region_id=tender.region_id, portal_users__user__is_active=True)
        .exclude(kind=ProviderKind.CONSORTIUM)
        .distinct()
        .order_by("name")
    )


def qna_nota_send(*, tender: Tender, number: int, sent_by=None) -> int:
    """Put nota van inlichtingen nr. ``number`` (the anonymised PDF) in the inbox of every
    :func:`nota_recipients`; once per provider. Returns how many were sent now."""
    tender = Tender.objects.select_related("region").get(pk=tender.pk)
    recipients = list(nota_recipients(tender))
    if not recipients:
        return 0
    key = f"nota:{tender.pk}:{number}"
    already = set(
        ProviderMessage.objects.filter(dedupe_key=key).values_list("provider_id", flat=True)
    )
    todo = [p for p in recipients if p.pk not in already]
    if not todo:
        return 0
    pdf = documents.qna_pdf(tender, number)
    with translation.override("nl"):
        subject = _("Nota van inlichtingen nr. %(n)s – %(reference)s %(title)s") % {
            "n": number,
            "reference": tender.reference,
            "title": tender.title,
        }
        body = _(
            "De antwoorden op de vragen over de procedure ‘%(title)s’ (%(reference)s) zijn "
            "gepubliceerd in de bijgevoegde nota van inlichtingen. De vragenstellers zijn "
            "niet vermeld."
        ) % {"title": tender.title, "reference": tender.reference}
    for provider in todo:
        inbox.provider_message_send(
            provider=provider,
            kind=MessageKind.QNA,
            subject=subject,
            body=body,
            file_bytes=pdf,
            file_name=f"nota-van-inlichtingen-{tender.reference}-{number}.pdf",
            sent_by=sent_by,
            tender_id=tender.pk,
            dedupe_key=key,
        )
    return len(todo)


def submission_evidence_request(
    *, submission: Submission, text: str, due_on, sent_by=None
) -> ProviderMessage:
    """ "Bewijsstukken opvragen": ask the provider of ``submission`` for evidence."""
    sub = Submission.objects.select_related("provider", "tender", "lot__segment").get(
        pk=submission.pk
    )
    if sub.outcome == Outcome.WITHDRAWN:
        raise ValidationError(_("Deze inschrijving is ingetrokken; er valt niets op te vragen."))
    with translation.override("nl"):
        subject = _("Verzoek om bewijsstukken: inschrijving nr. %(n)s, %(reference)s") % {
            "n": sub.number,
            "reference": sub.tender.reference,
        }
    return inbox.evidence_request_send(
        provider=sub.provider,
        subject=subject,
        body=text,
        due_on=due_on,
        sent_by=sent_by,
        tender_id=sub.tender_id,
        submission_id=sub.pk,
        today=timezone.localdate(),
    )
