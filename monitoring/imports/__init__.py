"""Importing production data: declarations, trajectories, allocations, referrals, outcome
measurements and occupancy, from CSV or JSON, whole file or nothing.

- :mod:`.models` – the import batches and the imported lines;
- :mod:`.formats` – the columns of each kind of data, reading CSV and JSON, file-level problems;
- :mod:`.validate` – checking every record; the BSN becomes a pseudonym here (:mod:`.pseudonym`);
- :mod:`.load` – the staging table, the checks across lines, the set-based write;
- :mod:`.services` – ``batch_create`` and ``import_file`` (used by the task and the command);
- :mod:`.views`, :mod:`.forms`, :mod:`.urls` – the import pages.

See docs/import.md for the file formats and the rules.
"""
