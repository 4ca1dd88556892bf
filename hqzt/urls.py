from django.contrib import admin
from django.urls import include, path

from hqzt.accounts.views import admin_login
from hqzt.core.health import healthz, readyz
from hqzt.dashboard.views import index

admin.site.site_header = "惠企直通 · 系统管理"
admin.site.site_title = "惠企直通系统管理"
admin.site.index_title = "配置与基础数据"

urlpatterns = [
    path("", index, name="index"),
    # Answered by HealthProbeMiddleware; routed here too so that they can be reversed.
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("accounts/", include("hqzt.accounts.urls")),
    path("", include("hqzt.dashboard.urls")),
    path("", include("hqzt.stations.urls")),
    path("", include("hqzt.enterprises.urls")),
    path("", include("hqzt.documents.urls")),
    path("", include("hqzt.needs.urls")),
    path("", include("hqzt.operations.urls")),
    path("", include("hqzt.policies.urls")),
    path("", include("hqzt.supervision.urls")),
    path("", include("hqzt.records.urls")),
    path("", include("hqzt.notifications.urls")),
    path("portal/", include("hqzt.portal.urls")),
    path("api/", include("hqzt.api.urls")),
    path("admin/login/", admin_login),  # before the admin's own login, which has no second factor
    path("admin/", admin.site.urls),
]
