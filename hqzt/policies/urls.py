from django.urls import path

from hqzt.policies import views

app_name = "policies"
urlpatterns = [
    path("policies/", views.policy_list, name="list"),
    path("policies/new/", views.policy_edit, name="create"),
    path("policies/<int:pk>/", views.policy_detail, name="detail"),
    path("policies/<int:pk>/edit/", views.policy_edit, name="edit"),
    path("policies/<int:pk>/file/", views.policy_file, name="file"),
]
