from django.urls import path

from hqzt.supervision import callback_views, order_views, rectification_views, views

app_name = "supervision"
urlpatterns = [
    path("conformance/", views.conformance, name="conformance"),
    path("conformance/<int:pk>/", views.conformance_station, name="conformance_station"),
    path("supervision/", views.hub, name="hub"),
    path("supervision/orders/", order_views.order_list, name="order_list"),
    path("supervision/orders/new/", order_views.order_create, name="order_create"),
    path("supervision/orders/<int:pk>/", order_views.order_detail, name="order_detail"),
    path(
        "supervision/orders/<int:pk>/respond/",
        order_views.order_respond_view,
        name="order_respond",
    ),
    path("supervision/orders/<int:pk>/review/", order_views.order_review_view, name="order_review"),
    path("supervision/callbacks/", callback_views.callback_list, name="callback_list"),
    path(
        "supervision/callbacks/sample/",
        callback_views.callback_sample_view,
        name="callback_sample",
    ),
    path("supervision/callbacks/<int:pk>/", callback_views.callback_detail, name="callback_detail"),
    path("supervision/feedback/", rectification_views.feedback_list, name="feedback_list"),
    path("supervision/feedback/new/", rectification_views.feedback_record, name="feedback_record"),
    path(
        "supervision/feedback/<int:pk>/",
        rectification_views.feedback_detail,
        name="feedback_detail",
    ),
    path(
        "supervision/feedback/<int:pk>/phone/",
        rectification_views.feedback_reveal_phone,
        name="feedback_reveal_phone",
    ),
    path("supervision/plans/", rectification_views.plan_list, name="plan_list"),
    path("supervision/plans/new/", rectification_views.plan_create_view, name="plan_create"),
    path("supervision/plans/<int:pk>/", rectification_views.plan_detail, name="plan_detail"),
    path(
        "supervision/plans/<int:pk>/tasks/",
        rectification_views.plan_add_task_view,
        name="plan_add_task",
    ),
    path(
        "supervision/plans/<int:pk>/close/",
        rectification_views.plan_close_view,
        name="plan_close",
    ),
    path(
        "supervision/tasks/<int:pk>/submit/",
        rectification_views.task_submit_view,
        name="task_submit",
    ),
    path(
        "supervision/tasks/<int:pk>/verify/",
        rectification_views.task_verify_view,
        name="task_verify",
    ),
    path(
        "supervision/tasks/<int:pk>/evidence/",
        rectification_views.task_evidence,
        name="task_evidence",
    ),
]
