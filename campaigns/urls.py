from django.urls import path

from . import views

app_name = "campaigns"
urlpatterns = [
    path("", views.index, name="index"),
    path("certification/", views.certification, name="certification"),
    path("creators/", views.creator_square, name="creators"),
    path("tasks/new/", views.task_new, name="task-new"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("orders/<int:pk>/", views.order_detail, name="order"),
    path("profile/", views.creator_profile, name="profile"),
]
