"""Demo data of monitoring: production (:mod:`.production`) and steering (:mod:`.steering`)."""
