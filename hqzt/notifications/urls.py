from django.urls import path

from hqzt.notifications import views

app_name = "notifications"
urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/read/", views.mark_read, name="read_all"),
    path("inbox/<int:pk>/read/", views.mark_read, name="read"),
]
