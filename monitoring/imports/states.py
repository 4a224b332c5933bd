"""The life of an import batch, as data (see :mod:`core.states`).

queued → running → succeeded | rejected | failed; a queued batch that cannot be handed to the
worker fails at once; a running batch may be started again (a task delivered twice after a
worker was lost). A finished batch never changes again: a new file is a new batch."""

from core.states import StateMachine, Transition, register
from monitoring.imports.models import ImportBatch, ImportStatus

S = ImportStatus

IMPORT_BATCH = register(
    ImportBatch,
    StateMachine(
        "import batch",
        [
            Transition(S.QUEUED, S.RUNNING),
            Transition(S.QUEUED, S.FAILED),
            Transition(S.RUNNING, S.RUNNING),
            Transition(S.RUNNING, S.SUCCEEDED),
            Transition(S.RUNNING, S.REJECTED),
            Transition(S.RUNNING, S.FAILED),
        ],
        choices=ImportStatus,
    ),
)
