from django.urls import path

from hqzt.needs import views

app_name = "needs"
urlpatterns = [
    path("needs/", views.ledger, name="ledger"),
    path("needs/batch/", views.ledger_batch, name="batch"),
    path("needs/new/", views.register, name="register"),
    path("needs/<int:pk>/", views.detail, name="detail"),
    path("needs/<int:pk>/phone/", views.reveal_phone, name="reveal_phone"),
    path("needs/<int:pk>/do/<slug:action>/", views.act, name="act"),
    path("sheets/<int:pk>/", views.sheet, name="sheet"),
    path("todo/", views.todo, name="todo"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("e/<str:token>/", views.evaluate_public, name="evaluate_public"),
]
