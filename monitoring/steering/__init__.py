"""Steering: segment norms (:mod:`.norms`), signals and risk scores (:mod:`.alerts`),
escalation steps (:mod:`.services`), performance dialogues (:mod:`.dialogues`), provider finance
checks, with their pages (``views*``, :mod:`.forms`, :mod:`.urls`) and the signals API
(:mod:`.api`)."""
