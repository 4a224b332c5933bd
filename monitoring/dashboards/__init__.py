"""Dashboards: the read queries behind them (:mod:`.selectors`), the server-side SVG charts
(:mod:`.charts`), the pages (:mod:`.views`, :mod:`.views_lines`) with the drill-down's filters and
tables."""
