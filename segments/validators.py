from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

CBS_CODE_REGEX = r"^GM[0-9]{4}$"

validate_cbs_code = RegexValidator(
    CBS_CODE_REGEX,
    _("Een CBS-gemeentecode bestaat uit 'GM' gevolgd door vier cijfers, bijvoorbeeld GM0505."),
    code="invalid_cbs_code",
)
