from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from .signin import SignInView

urlpatterns = [
    path("sign-in/", SignInView.as_view(), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("awards.urls")),
]

handler500 = "registry.views.server_error"
