"""Contract management under /regios/<region>/contracten/: contracts and their actions
(``urls_contract``), tariffs, settlement and the procurement effect (``urls_money``)."""

from .urls_contract import urlpatterns as contract_patterns
from .urls_development import urlpatterns as development_patterns
from .urls_money import urlpatterns as money_patterns

app_name = "contracts"

urlpatterns = [*contract_patterns, *money_patterns, *development_patterns]
