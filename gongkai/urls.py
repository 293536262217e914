"""/ (portal), /workbench/ (staff), /api/v1/ (JSON API), /accounts/ (staff login)."""

from django.urls import include, path

from gongkai.api import api
from gongkai.portal.urls import sitemap_urlpatterns

urlpatterns = [
    path("", include("gongkai.portal.urls")),
    path("catalog/", include("gongkai.catalog.urls")),
    path("powers/", include("gongkai.powers.urls")),
    path("press/", include("gongkai.pressroom.urls")),
    path("interact/", include("gongkai.engagement.urls")),
    path("reports/", include("gongkai.annualreport.urls")),
    path("apply/", include("gongkai.inforequests.urls_public")),
    path("accounts/", include("gongkai.accounts.urls")),
    path("workbench/", include("gongkai.workbench.urls")),
    path("api/v1/", api.urls),
    *sitemap_urlpatterns,
]

# The project's own error pages, in the portal's layout (gongkai/portal/errors.py).
handler400 = "gongkai.portal.errors.bad_request"
handler403 = "gongkai.portal.errors.permission_denied"
handler404 = "gongkai.portal.errors.page_not_found"
handler500 = "gongkai.portal.errors.server_error"
