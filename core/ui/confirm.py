"""Confirmation before a legal or irreversible action (extend, amend, terminate, award, admit,
refuse, publish, index tariffs): the first POST records nothing and shows what will be
recorded; only the POST of "Bevestigen" (``_confirm=1``) calls the service.

The submitted values travel in hidden fields of the confirmation page (the service checks them
again on confirming, so nothing on that page is trusted). It works without JavaScript.

- ``ConfirmFormMixin`` for form pages (``FormActionView`` and other ``FormView``s): a valid
  form shows the confirmation; "Terug" shows the form again with the values entered.
- ``ConfirmActionMixin`` for POST-only actions (``ActionView``): "Terug" returns to the object.
- ``confirmation_response`` renders ``generic/confirm.html`` for views of their own.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy

from core.errors import Refused

from .forms import add_service_errors, error_messages

CONFIRM = "_confirm"
BACK = "_back"
TEMPLATE = "generic/confirm.html"
_NOT_CARRIED = {"csrfmiddlewaretoken", CONFIRM, BACK}


def is_confirmed(request) -> bool:
    """Whether this POST is the one of the confirmation page's "Bevestigen" button."""
    return request.method == "POST" and request.POST.get(CONFIRM) == "1"


def carried_fields(data) -> list[tuple[str, str]]:
    """The submitted values, as (name, value) pairs for hidden fields (every value of a
    multiple field; not the CSRF token or the page's own buttons)."""
    return [
        (name, value) for name in data for value in data.getlist(name) if name not in _NOT_CARRIED
    ]


def confirmation_response(
    request,
    *,
    title,
    summary,
    items=(),
    warnings=(),
    confirm_label=None,
    danger=False,
    back_url=None,
    context=None,
    template=TEMPLATE,
):
    """The confirmation page: ``summary`` (one plain sentence of what will be recorded),
    ``items`` ((label, value) pairs), ``warnings`` and the buttons "Bevestigen" (the same URL,
    the values carried) and "Terug" (``back_url``, or the form again when there is none)."""
    return TemplateResponse(
        request,
        template,
        {
            **(context or {}),
            "title": title,
            "summary": summary,
            "items": list(items),
            "warnings": list(warnings),
            "confirm_label": confirm_label or gettext_lazy("Bevestigen"),
            "danger": danger,
            "back_url": back_url,
            "hidden": carried_fields(request.POST),
            "action": request.get_full_path(),
            "confirm_name": CONFIRM,
            "back_name": BACK,
        },
    )


class ConfirmBase:
    confirm_label = gettext_lazy("Bevestigen")
    confirm_template_name = TEMPLATE

    def confirm_title(self) -> str:
        return str(getattr(self, "get_title", lambda: getattr(self, "title", ""))())

    def confirm_danger(self) -> bool:
        return bool(getattr(self, "danger", False))


class ConfirmFormMixin(ConfirmBase):
    """A form page whose valid form first shows the confirmation. Subclasses implement
    ``confirmation(form)`` → ``{"summary": str, "items": [(label, value)], "warnings": [...]}``;
    a ``ValidationError`` from it (the service's own checks, run without writing) is shown next
    to the fields before anything is confirmed."""

    def confirmation(self, form) -> dict:
        raise NotImplementedError(f"{type(self).__qualname__} must say what will be recorded")

    def form_valid(self, form):
        request = self.request
        if BACK in request.POST:
            return self.render_to_response(self.get_context_data(form=form))
        if not is_confirmed(request):
            try:
                what = self.confirmation(form)
            except ValidationError as exc:
                add_service_errors(form, exc)
                return self.form_invalid(form)
            return confirmation_response(
                request,
                title=self.confirm_title(),
                confirm_label=self.confirm_label,
                danger=self.confirm_danger(),
                context=self.get_context_data(form=form),
                template=self.confirm_template_name,
                **what,
            )
        return super().form_valid(form)


class ConfirmActionMixin(ConfirmBase):
    """A POST-only action (``ActionView``) that first shows the confirmation when
    ``needs_confirmation()``. ``confirmation(request)`` says what will be recorded; a refusal
    from it (``ValidationError``/``Refused``) goes back to the object with the reasons, as the
    action itself would."""

    def needs_confirmation(self) -> bool:
        return True

    def confirmation(self, request) -> dict:
        raise NotImplementedError(f"{type(self).__qualname__} must say what will be recorded")

    def confirmation_context(self) -> dict:
        return {"region": getattr(self, "region", None)}

    def post(self, request, *args, **kwargs):
        if is_confirmed(request) or not self.needs_confirmation():
            return super().post(request, *args, **kwargs)
        try:
            what = self.confirmation(request)
        except ValidationError as exc:
            reasons = error_messages(exc)
        except Refused as exc:
            reasons = exc.reasons
        else:
            return confirmation_response(
                request,
                title=self.confirm_title(),
                confirm_label=self.confirm_label,
                danger=self.confirm_danger(),
                back_url=self.success_url(),
                context=self.confirmation_context(),
                template=self.confirm_template_name,
                **what,
            )
        for reason in reasons:
            messages.error(request, reason)
        return HttpResponseRedirect(self.success_url())
