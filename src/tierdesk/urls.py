from django.contrib import admin
from django.urls import include, path

from tierdesk.api.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("tierdesk.web.urls")),
]

handler403 = "tierdesk.web.views.errors.forbidden"
handler404 = "tierdesk.web.views.errors.not_found"
handler500 = "tierdesk.web.views.errors.server_error"
