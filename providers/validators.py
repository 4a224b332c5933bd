from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

KVK_REGEX = r"^[0-9]{8}$"
AGB_REGEX = r"^[0-9]{8}$"

validate_kvk_number = RegexValidator(
    KVK_REGEX,
    _("Een KvK-nummer bestaat uit precies acht cijfers, bijvoorbeeld 41118572."),
    code="invalid_kvk",
)
validate_agb_code = RegexValidator(
    AGB_REGEX,
    _("Een AGB-code bestaat uit precies acht cijfers."),
    code="invalid_agb",
)
