"""/portaal/<provider>/…: the portal's procedures pages."""

urlpatterns: list = []
