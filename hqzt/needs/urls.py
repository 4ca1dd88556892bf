from django.urls import path

from hqzt.needs.views import evaluation, ledger, need, registration

app_name = "needs"
urlpatterns = [
    path("needs/", ledger.ledger, name="ledger"),
    path("needs/batch/", ledger.ledger_batch, name="batch"),
    path("needs/new/", registration.register, name="register"),
    path("needs/<int:pk>/", need.detail, name="detail"),
    path("needs/<int:pk>/phone/", need.reveal_phone, name="reveal_phone"),
    path("needs/<int:pk>/do/<slug:action>/", need.act, name="act"),
    path("sheets/<int:pk>/", need.sheet, name="sheet"),
    path("todo/", ledger.todo, name="todo"),
    path("attachments/<int:pk>/", need.attachment_download, name="attachment"),
    path("e/<str:token>/", evaluation.evaluate_public, name="evaluate_public"),
]
