from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

from tierdesk.api.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    # The desk and the portal arrive with their own issue; until then, the admin is home.
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
]
