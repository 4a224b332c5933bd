"""State-changing use cases of the landscape."""

from django.db import transaction

from .codes import ParticipationLevel
from .models import Municipality, Participation, Segment


@transaction.atomic
def participation_set(
    *, municipality: Municipality, segment: Segment, level: str, note: str = ""
) -> Participation:
    """Record how a municipality takes part in a (sub-)segment. Validates the cross-region
    rule and the note for partial participation before anything is written."""
    participation = Participation.objects.filter(municipality=municipality, segment=segment).first()
    participation = participation or Participation(municipality=municipality, segment=segment)
    participation.level = ParticipationLevel(level)
    participation.note = note.strip()
    participation.full_clean()
    participation.save()
    return participation
