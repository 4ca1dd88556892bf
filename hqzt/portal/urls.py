from django.urls import path

from hqzt.intake import views as intake_views
from hqzt.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("stations/<int:pk>/", views.station, name="station"),
    path("stations/<int:pk>/submit/", views.submit, name="submit"),
    path("stations/<int:pk>/poster.pdf", views.poster, name="poster"),
    path("stations/<int:pk>/sign.<str:fmt>", views.sign, name="sign"),
    path("receipt/", views.receipt, name="receipt"),
    path("track/", views.track, name="track"),
    path("feedback/", views.feedback, name="feedback"),
    path("policies/", views.policies, name="policies"),
    path("cases/", views.cases, name="cases"),
    path("cases/photos/<int:pk>/", views.practice_photo, name="practice_photo"),
    path("policies/<int:pk>/", views.policy, name="policy"),
    # The type suggested while a need is typed, here and on the staff registration form.
    path("suggest-type/", intake_views.suggest_type, name="suggest_type"),
]
