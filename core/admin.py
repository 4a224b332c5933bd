"""Admin that goes through the same scoping as the rest of the product.

Non-superusers reach the admin only with ``is_staff`` and a region role; what they see and may
change there is exactly what ``restrict(user, action)`` allows, and every related-object choice
is limited the same way, so the admin is no back door into another region.
"""

from auditlog.mixins import AuditlogHistoryAdminMixin
from django.contrib import admin
from django.http import Http404

from core.roles import ALL_REGION_ROLES
from core.scoping import CHANGE, ScopedQuerySet, scope_for


class ScopedModelAdmin(AuditlogHistoryAdminMixin, admin.ModelAdmin):
    show_auditlog_history_link = True
    list_per_page = 50

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    # Permissions follow region roles, not Django's per-model permissions.
    def _scope(self, request):
        return scope_for(request.user)

    def has_module_permission(self, request):
        scope = self._scope(request)
        return (
            request.user.is_active
            and request.user.is_staff
            and (scope.is_superuser or bool(scope.region_ids(ALL_REGION_ROLES)))
        )

    def has_view_permission(self, request, obj=None):
        if not self.has_module_permission(request):
            return False
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_add_permission(self, request):
        scope = self._scope(request)
        return self.has_module_permission(request) and (
            scope.is_superuser or bool(scope.region_ids(self.model.scope_edit_roles))
        )

    def has_change_permission(self, request, obj=None):
        if not self.has_module_permission(request):
            return False
        if obj is None:
            return self.has_add_permission(request)
        return obj.can_change(request.user)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def _limit(self, request, queryset, action="view"):
        if isinstance(queryset, ScopedQuerySet):
            return queryset.restrict(request.user, action)
        return queryset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            # A new object may only be placed in a region where the user may edit.
            action = CHANGE if db_field.related_model._meta.model_name == "region" else "view"
            field.queryset = self._limit(request, field.queryset, action)
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = self._limit(request, field.queryset)
        return field

    def auditlog_history_view(self, request, object_id, extra_context=None):
        if self.get_object(request, object_id) is None:
            raise Http404
        return super().auditlog_history_view(request, object_id, extra_context)


class ScopedInline(admin.TabularInline):
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def _allowed(self, request, obj):
        return obj is None or obj.can_change(request.user)

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff

    def has_add_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and isinstance(getattr(field, "queryset", None), ScopedQuerySet):
            field.queryset = field.queryset.visible_to(request.user)
        return field
