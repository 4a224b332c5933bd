"""The user's notifications: the list, marking read, and the choice of kinds. Every page is
the signed-in user's own: another user's notification is a 404."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from core import notifications
from core.models import NotificationKind
from core.scoping import scope_for

PAGE_SIZE = 25


class NotificationListView(TemplateView):
    template_name = "core/notifications.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = notifications.notification_list(user=self.request.user)
        if self.request.GET.get("ongelezen"):
            rows = rows.filter(read_at__isnull=True)
        page = Paginator(rows, PAGE_SIZE).get_page(self.request.GET.get("page"))
        context.update(
            page_obj=page,
            notifications=page.object_list,
            only_unread=bool(self.request.GET.get("ongelezen")),
            kinds_available=bool(notifications.kinds_for(scope_for(self.request.user))),
            title=_("Meldingen"),
        )
        return context


class NotificationReadView(View):
    """POST: mark one notification read, then go to its page (``?open=1``) or back."""

    http_method_names = ["post"]

    def post(self, request, pk):
        notification = get_object_or_404(notifications.notification_list(user=request.user), pk=pk)
        notifications.notification_mark_read(notification=notification, user=request.user)
        if request.POST.get("open") and url_has_allowed_host_and_scheme(
            notification.url, allowed_hosts=None
        ):
            return redirect(notification.url)
        messages.success(request, _("De melding is gemarkeerd als gelezen."))
        return redirect("notifications:list")


class NotificationReadAllView(View):
    http_method_names = ["post"]

    def post(self, request):
        count = notifications.notifications_mark_all_read(user=request.user)
        messages.success(
            request,
            _("Alle meldingen zijn gemarkeerd als gelezen (%(n)s).") % {"n": count},
        )
        return redirect("notifications:list")


class PreferencesForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label=gettext_lazy("Stuur mij een melding bij"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, available=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kinds"].choices = [
            (k, NotificationKind(k).label) for k in NotificationKind.values if k in available
        ]


class NotificationPreferencesView(FormView):
    template_name = "core/notification_preferences.html"
    form_class = PreferencesForm

    def available(self):
        return notifications.kinds_for(scope_for(self.request.user))

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "available": self.available()}

    def get_initial(self):
        disabled = notifications.disabled_kinds(self.request.user)
        return {"kinds": [k for k in self.available() if k not in disabled]}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": _("Meldingen kiezen")}

    def form_valid(self, form):
        notifications.notification_preferences_set(
            user=self.request.user, enabled_kinds=form.cleaned_data["kinds"]
        )
        messages.success(self.request, _("Uw keuze voor meldingen is bewaard."))
        return redirect("notifications:preferences")
