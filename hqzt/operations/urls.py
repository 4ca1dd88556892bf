from django.urls import path

from hqzt.operations.views import (
    hub,
    meetings,
    plans,
    reports,
    staff,
    suggestions,
    trainings,
    visits,
)

app_name = "operations"
urlpatterns = [
    path("ops/", hub.hub, name="hub"),
    path("ops/plans/", plans.plan_list, name="plan_list"),
    path("ops/plans/new/", plans.plan_edit, name="plan_create"),
    path("ops/plans/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("ops/plans/<int:pk>/edit/", plans.plan_edit, name="plan_edit"),
    path("ops/reports/", reports.report_list, name="report_list"),
    path("ops/reports/draft/", reports.report_draft, name="report_draft"),
    path("ops/reports/<int:pk>/", reports.report_detail, name="report_detail"),
    path("ops/reports/<int:pk>/report.docx", reports.report_docx, name="report_docx"),
    path("ops/meetings/", meetings.meeting_list, name="meeting_list"),
    path("ops/meetings/new/", meetings.meeting_create, name="meeting_create"),
    path("ops/meetings/<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("ops/action-items/<int:pk>/done/", meetings.action_item_done, name="action_item_done"),
    path("ops/trainings/", trainings.training_list, name="training_list"),
    path("ops/trainings/new/", trainings.training_create, name="training_create"),
    path("ops/visits/", visits.visit_list, name="visit_list"),
    path("ops/visits/new/", visits.visit_create, name="visit_create"),
    path("ops/visits/<int:pk>/", visits.visit_detail, name="visit_detail"),
    path("ops/stations/<int:pk>/staff/", staff.staff, name="staff"),
    path("ops/suggestions/", suggestions.suggestion_list, name="suggestion_list"),
    path("ops/suggestions/new/", suggestions.suggestion_create, name="suggestion_create"),
    path("ops/suggestions/<int:pk>/", suggestions.suggestion_detail, name="suggestion_detail"),
]
