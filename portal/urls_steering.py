"""/portaal/<provider>/…: the portal's steering pages."""

urlpatterns: list = []
