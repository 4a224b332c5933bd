"""Exceptions every layer may raise and every page knows how to show."""


class Refused(Exception):
    """A use case refused: ``reasons`` are the sentences the user sees (one message each)."""

    def __init__(self, reasons):
        self.reasons = [str(r) for r in reasons]
        super().__init__("; ".join(self.reasons))
