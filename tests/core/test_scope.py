from types import MappingProxyType

from core.roles import Role
from core.scoping import EMPTY_SCOPE, Scope, scope_for


def test_scope_region_ids_by_role():
    scope = Scope(
        region_roles=MappingProxyType(
            {1: frozenset({Role.VIEWER}), 2: frozenset({Role.PROCUREMENT_OFFICER, Role.VIEWER})}
        )
    )
    assert scope.region_ids() == {1, 2}
    assert scope.region_ids({Role.PROCUREMENT_OFFICER}) == {2}
    assert scope.has_role(2, {Role.PROCUREMENT_OFFICER}) and not scope.has_role(
        1, {Role.PROCUREMENT_OFFICER}
    )
    assert not scope.is_municipal


def test_municipal_scope_reads_its_region_but_holds_no_role():
    scope = Scope(municipality_ids=frozenset({7}), municipality_region_ids=frozenset({3}))
    assert scope.is_municipal
    assert scope.readable_region_ids() == {3}
    assert scope.region_ids() == frozenset()
    assert not scope.has_role(3, set(Role.values))


def test_anonymous_and_inactive_users_get_the_empty_scope(django_user_model, db):
    from django.contrib.auth.models import AnonymousUser

    assert scope_for(AnonymousUser()) is EMPTY_SCOPE
    assert scope_for(None) is EMPTY_SCOPE
    inactive = django_user_model.objects.create_user("weg", is_active=False)
    assert scope_for(inactive) is EMPTY_SCOPE
