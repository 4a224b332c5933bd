"""/portaal/<provider>/…: the portal's inbox pages."""

urlpatterns: list = []
