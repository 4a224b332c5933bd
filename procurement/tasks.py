"""Background work of procurement: thin over ``procurement.letters``. Without Redis the tasks
run in-process (``CELERY_TASK_ALWAYS_EAGER``); each letter that fails is logged and left for a
retry from the staff submission page, so a task never fails as a whole."""

from celery import shared_task
from django.contrib.auth import get_user_model

from . import letters
from .models import Tender


@shared_task(name="procurement.send_letters")
def send_letters(
    tender_id: int, letter_kind: str, submission_ids=None, sent_by_id=None
) -> list[int]:
    tender = Tender.objects.get(pk=tender_id)
    sent_by = get_user_model().objects.filter(pk=sent_by_id).first() if sent_by_id else None
    sent, failed = letters.tender_letters_send(
        tender=tender, letter_kind=letter_kind, submission_ids=submission_ids, sent_by=sent_by
    )
    return [sent, failed]


@shared_task(name="procurement.send_nota")
def send_nota(tender_id: int, number: int) -> int:
    return letters.qna_nota_send(tender=Tender.objects.get(pk=tender_id), number=number)
