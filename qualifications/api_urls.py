from django.urls import path

from . import api

urlpatterns = [
    path("qualification-types", api.QualificationTypeListView.as_view(), name="api-qualification-types"),
    path("qualifications", api.QualificationListView.as_view(), name="api-qualifications"),
    path("qualifications/<int:pk>", api.QualificationDetailView.as_view(), name="api-qualification-detail"),
    path("qualifications/<int:pk>/impact", api.QualificationImpactView.as_view(), name="api-qualification-impact"),
    path(
        "review/qualifications/<int:pk>/decision",
        api.QualificationDecisionView.as_view(),
        name="api-qualification-decision",
    ),
]
