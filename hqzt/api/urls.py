from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny

from hqzt.api import views
from hqzt.api.token_login import TokenLogin

v1 = [
    path("portal/stations/", views.StationList.as_view(), name="portal-stations"),
    path("portal/stations/<int:pk>/", views.StationDetail.as_view(), name="portal-station"),
    path("portal/need-types/", views.NeedTypeList.as_view(), name="portal-need-types"),
    path("portal/submissions/", views.PortalSubmit.as_view(), name="portal-submit"),
    path("portal/track/", views.PortalTrack.as_view(), name="portal-track"),
    path("portal/evaluations/", views.PortalEvaluate.as_view(), name="portal-evaluate"),
    path("portal/feedback/", views.PortalFeedback.as_view(), name="portal-feedback"),
    path("portal/policies/", views.PolicyList.as_view(), name="portal-policies"),
    path("auth/token/", TokenLogin.as_view(), name="auth-token"),
    path("needs/", views.NeedList.as_view(), name="needs"),
    path("needs/<int:pk>/", views.NeedDetail.as_view(), name="need"),
    path("needs/<int:pk>/phone/", views.NeedPhone.as_view(), name="need-phone"),
    path("needs/<int:pk>/actions/<slug:action>/", views.NeedAction.as_view(), name="need-action"),
    path("integration/needs/", views.IntegrationPush.as_view(), name="integration-push"),
    path(
        "integration/needs/<str:external_id>/",
        views.IntegrationStatus.as_view(),
        name="integration-status",
    ),
]

app_name = "api"
public = {"permission_classes": [AllowAny], "authentication_classes": []}
urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(**public), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", template_name="api/swagger_ui.html", **public
        ),
        name="docs",
    ),
]
