"""The project's URLs plus one view that forgot its permission check (see test_permissions)."""

from django.http import HttpResponse
from django.urls import include, path

from registry.urls import urlpatterns as project

leaky = ([path("leaky/", lambda request: HttpResponse("oops"), name="leaky")], "awards")
urlpatterns = [path("test/", include(leaky)), *project]
