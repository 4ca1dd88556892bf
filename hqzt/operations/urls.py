from django.urls import path

from hqzt.operations import views

app_name = "operations"
urlpatterns = [
    path("ops/", views.hub, name="hub"),
    path("ops/plans/", views.plan_list, name="plan_list"),
    path("ops/plans/new/", views.plan_edit, name="plan_create"),
    path("ops/plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("ops/plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("ops/reports/", views.report_list, name="report_list"),
    path("ops/reports/draft/", views.report_draft, name="report_draft"),
    path("ops/reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("ops/reports/<int:pk>/report.docx", views.report_docx, name="report_docx"),
    path("ops/meetings/", views.meeting_list, name="meeting_list"),
    path("ops/meetings/new/", views.meeting_create, name="meeting_create"),
    path("ops/meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("ops/action-items/<int:pk>/done/", views.action_item_done, name="action_item_done"),
    path("ops/trainings/", views.training_list, name="training_list"),
    path("ops/trainings/new/", views.training_create, name="training_create"),
    path("ops/visits/", views.visit_list, name="visit_list"),
    path("ops/visits/new/", views.visit_create, name="visit_create"),
    path("ops/visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("ops/stations/<int:pk>/staff/", views.staff, name="staff"),
    path("ops/suggestions/", views.suggestion_list, name="suggestion_list"),
    path("ops/suggestions/new/", views.suggestion_create, name="suggestion_create"),
    path("ops/suggestions/<int:pk>/", views.suggestion_detail, name="suggestion_detail"),
]
