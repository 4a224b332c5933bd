"""The provider's inbox in the portal: the services that send a message, record that a portal
user read it and take a provider's answer to a request for evidence, and the selectors the
portal and the staff pages read it with.

A message goes to one provider organisation or consortium (a consortium's messages are read
by the users of its lead, whose scope holds the consortium). Sending it also e-mails every
active portal user who may read it a notification that there is a new message, with a link to
the portal — never its subject, body or letter: those are confidential and stay behind the
login and the second factor.

Procurement fills the inbox through ``procurement.letters`` (it may import providers; the
providers app never imports procurement, so what a message is about is kept as plain ids).
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.files import check_upload
from core.ui.formatting import format_date

from .models import (
    ConsortiumMembership,
    EvidenceAnswer,
    EvidenceFile,
    MessageKind,
    MessageReceipt,
    Provider,
    ProviderKind,
    ProviderMessage,
    ProviderUser,
)

log = logging.getLogger(__name__)


# ---------------------------------------------------------------- who reads a provider's mail


def reading_organisation(provider: Provider) -> Provider | None:
    """The organisation whose portal users read ``provider``'s messages: the provider itself,
    or a consortium's lead."""
    if provider.kind != ProviderKind.CONSORTIUM:
        return provider
    lead = (
        ConsortiumMembership.objects.filter(consortium=provider, is_lead=True)
        .select_related("member")
        .first()
    )
    return lead.member if lead else None


def readers(provider: Provider):
    """The active portal users who read ``provider``'s messages."""
    organisation = reading_organisation(provider)
    if organisation is None:
        return ProviderUser.objects.none()
    return ProviderUser.objects.filter(provider=organisation, user__is_active=True).select_related(
        "user"
    )


def _notify(message: ProviderMessage) -> int:
    """E-mail each reader that a new message waits in the portal. The mail names the provider
    and links to the message; nothing of its content. A mail server that refuses is logged:
    the message is in the portal all the same."""
    recipients = [pu.user for pu in readers(message.provider) if pu.user.email]
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        link = settings.SITE_URL.rstrip("/") + reverse(
            "portal:inbox-message", kwargs={"provider": message.provider_id, "pk": message.pk}
        )
        for user in recipients:
            context = {
                "user": user,
                "provider": message.provider,
                "region": message.provider.region,
                "link": link,
            }
            subject = render_to_string("portal/inbox/email/new_message_subject.txt", context)
            body = render_to_string("portal/inbox/email/new_message.txt", context)
            try:
                send_mail(" ".join(subject.split()), body, None, [user.email])
            except (smtplib.SMTPException, OSError) as exc:
                log.warning("inbox notification to user %s failed: %s", user.pk, exc)
            else:
                sent += 1
    return sent


def _notify_requester(answer: EvidenceAnswer) -> bool:
    """E-mail the staff member who asked for evidence that the provider answered, with a link
    to the submission page (where the answer and its files are). A mail server that refuses is
    logged: the answer is stored all the same."""
    message = answer.message
    requester = message.sent_by
    if requester is None or not requester.is_active or not requester.email:
        return False
    provider = message.provider
    with translation.override(settings.LANGUAGE_CODE):
        base = settings.SITE_URL.rstrip("/")
        if message.tender_id and message.submission_id:
            # providers sits below procurement: its page is named, never imported
            link = base + reverse(
                "procurement:submission-detail",
                kwargs={
                    "region": provider.region.slug,
                    "tender": message.tender_id,
                    "pk": message.submission_id,
                },
            )
        else:
            link = base + provider.get_absolute_url()
        context = {
            "user": requester,
            "provider": provider,
            "message": message,
            "answer": answer,
            "file_count": answer.files.count(),
            "link": link,
        }
        subject = render_to_string("portal/inbox/email/evidence_answered_subject.txt", context)
        body = render_to_string("portal/inbox/email/evidence_answered.txt", context)
    try:
        send_mail(" ".join(subject.split()), body, None, [requester.email])
    except (smtplib.SMTPException, OSError) as exc:
        log.warning("evidence answer notification to user %s failed: %s", requester.pk, exc)
        return False
    return True


# ---------------------------------------------------------------- services


def provider_message_send(
    *,
    provider: Provider,
    kind: str,
    subject: str,
    body: str = "",
    file_bytes: bytes | None = None,
    file_name: str = "",
    sent_by=None,
    tender_id: int | None = None,
    submission_id: int | None = None,
    due_on: date | None = None,
    dedupe_key: str = "",
    notify: bool = True,
) -> ProviderMessage:
    """Put a message (with an optional letter) in ``provider``'s inbox and notify its readers.

    With a ``dedupe_key`` a message already sent under that key is returned as it is: no
    second message, no second mail (a decision taken or retried twice sends one letter)."""
    if kind not in MessageKind.values:
        raise ValidationError({"kind": _("Onbekende soort bericht.")})
    if not subject.strip():
        raise ValidationError({"subject": _("Geef het bericht een onderwerp.")})
    if file_bytes is not None and not file_name:
        raise ValidationError({"letter": _("Geef de brief een bestandsnaam.")})
    if dedupe_key:
        existing = ProviderMessage.objects.filter(provider=provider, dedupe_key=dedupe_key).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            message = ProviderMessage(
                provider=provider,
                kind=kind,
                subject=subject.strip()[:200],
                body=body.strip(),
                tender_id=tender_id,
                submission_id=submission_id,
                due_on=due_on,
                dedupe_key=dedupe_key,
                sent_at=timezone.now(),
                sent_by=sent_by,
            )
            if file_bytes is not None:
                message.letter_name = file_name[:150]
                message.letter.save(file_name, ContentFile(file_bytes), save=False)
            message.save()
            if notify:
                transaction.on_commit(lambda: _notify(message))
    except IntegrityError:
        # Sent at the same moment by another worker under the same key.
        if dedupe_key:
            return ProviderMessage.objects.get(provider=provider, dedupe_key=dedupe_key)
        raise
    return message


def provider_message_read(*, message: ProviderMessage, user) -> MessageReceipt | None:
    """Record the first time ``user`` (a portal user who may read it) opened ``message``;
    later openings change nothing. Staff opening a message leave no receipt."""
    if user is None or not ProviderUser.objects.filter(user=user).exists():
        return None
    with transaction.atomic():
        receipt, _created = MessageReceipt.objects.get_or_create(
            message=message, user=user, defaults={"read_at": timezone.now()}
        )
    return receipt


def evidence_request_send(
    *,
    provider: Provider,
    subject: str,
    body: str,
    due_on: date | None,
    sent_by=None,
    tender_id: int | None = None,
    submission_id: int | None = None,
    today: date | None = None,
) -> ProviderMessage:
    """Ask ``provider`` for evidence: what is asked (``body``) and by when (``due_on``)."""
    today = today or timezone.localdate()
    errors = {}
    if not body.strip():
        errors["text"] = _("Beschrijf welke bewijsstukken u opvraagt.")
    if due_on is None:
        errors["due_on"] = _("Geef de uiterste datum voor de bewijsstukken.")
    elif due_on < today:
        errors["due_on"] = _("De uiterste datum ligt in het verleden.")
    if errors:
        raise ValidationError(errors)
    return provider_message_send(
        provider=provider,
        kind=MessageKind.EVIDENCE_REQUEST,
        subject=subject,
        body=body,
        due_on=due_on,
        sent_by=sent_by,
        tender_id=tender_id,
        submission_id=submission_id,
    )


def evidence_answer_submit(
    *,
    message: ProviderMessage,
    note: str,
    files: Iterable,
    answered_by,
    today: date | None = None,
) -> EvidenceAnswer:
    """A provider's answer to a request for evidence: a note and files (each checked by
    ``core.files.check_upload``). Refused after the request's deadline; all or nothing. After
    the commit the staff member who asked gets an e-mail with a link to the submission."""
    today = today or timezone.localdate()
    files = [f for f in files if f]
    if message.kind != MessageKind.EVIDENCE_REQUEST:
        raise ValidationError(_("Op dit bericht kunt u geen bewijsstukken sturen."))
    if message.due_on and today > message.due_on:
        raise ValidationError(
            _("De termijn voor dit verzoek is verstreken op %(date)s.")
            % {"date": format_date(message.due_on)}
        )
    if not note.strip() and not files:
        raise ValidationError({"files": _("Voeg een bestand toe of schrijf een toelichting.")})
    problems = []
    for upload in files:
        try:
            check_upload(upload)
        except ValidationError as exc:
            problems.extend(exc.messages)
    if problems:
        raise ValidationError({"files": problems})
    with transaction.atomic():
        answer = EvidenceAnswer.objects.create(
            message=message, note=note.strip(), answered_by=answered_by, answered_at=timezone.now()
        )
        for upload in files:
            stored = EvidenceFile(
                answer=answer, name=upload.name.rsplit("/", 1)[-1][:150], size=upload.size
            )
            stored.file.save(upload.name, upload, save=False)
            stored.save()
        transaction.on_commit(lambda: _notify_requester(answer))
    return answer


# ---------------------------------------------------------------- selectors


def inbox_for(user, provider: Provider, *, kind: str | None = None):
    """``provider``'s messages as ``user`` may read them, unread (by this user) first, newest
    first; ``is_read`` per message."""
    mine = MessageReceipt.objects.filter(message=OuterRef("pk"), user=user)
    qs = (
        ProviderMessage.objects.visible_to(user)
        .filter(provider=provider)
        .annotate(is_read=Exists(mine))
    )
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("is_read", "-sent_at", "-pk")


def unread_count(user, provider: Provider) -> int:
    return inbox_for(user, provider).filter(is_read=False).count()


def messages_about(user, *, provider: Provider, submission_id: int, tender_id: int):
    """For the staff submission page: the letters and requests about this submission and the
    notas of its procedure that went to its provider, with their receipts and answers."""
    return (
        ProviderMessage.objects.visible_to(user)
        .filter(
            Q(submission_id=submission_id) | Q(provider=provider, tender_id=tender_id),
        )
        .select_related("sent_by")
        .prefetch_related(
            Prefetch("receipts", queryset=MessageReceipt.objects.select_related("user")),
            Prefetch(
                "answers",
                queryset=EvidenceAnswer.objects.select_related("answered_by").prefetch_related(
                    "files"
                ),
            ),
        )
        .order_by("sent_at", "pk")
    )


def nota_delivery(user, *, tender_id: int) -> dict[int, tuple[int, int]]:
    """Per nota number of a procedure: to how many providers it went in the portal and how
    many of them opened it (any of their users), as ``user`` may see."""
    prefix = f"nota:{tender_id}:"
    rows = (
        ProviderMessage.objects.visible_to(user)
        .filter(kind=MessageKind.QNA, tender_id=tender_id, dedupe_key__startswith=prefix)
        .annotate(opened=Exists(MessageReceipt.objects.filter(message=OuterRef("pk"))))
        .values_list("dedupe_key", "opened")
    )
    result: dict[int, tuple[int, int]] = {}
    for key, opened in rows:
        number = int(key.removeprefix(prefix))
        sent, read = result.get(number, (0, 0))
        result[number] = (sent + 1, read + int(opened))
    return result
