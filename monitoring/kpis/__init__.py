"""KPIs: their definitions (:mod:`.definitions`), the monthly rollups they are computed from
(:mod:`.models`, :mod:`.rollups`), the production source for contract settlement
(:mod:`.production`) and the KPI resources of the API (:mod:`.api`)."""
