from django.urls import path

from . import views

app_name = "qualifications"

urlpatterns = [
    path("", views.qualification_list, name="list"),
    path("new/", views.qualification_new, name="new"),
    path("publish/", views.product_publish, name="publish"),
    path("<int:pk>/", views.qualification_detail, name="detail"),
    path("<int:pk>/edit/", views.qualification_edit, name="edit"),
]
