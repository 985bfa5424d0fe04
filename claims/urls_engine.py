from django.urls import path

from . import views

urlpatterns = [
    path("", views.claim_list, name="claims-list"),
    path("<int:pk>/", views.claim_detail, name="claims-detail"),
    path("<int:pk>/appeal/", views.claim_appeal, name="claims-appeal"),
]
