"""/portaal/<provider>/…: the portal's contracts pages."""

urlpatterns: list = []
