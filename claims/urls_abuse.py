from django.urls import path

from . import views_abuse

urlpatterns: list = [
    path("merchant/", views_abuse.merchant_claims, name="claims-merchant"),
    path("merchant/<int:pk>/", views_abuse.merchant_claim_detail, name="claims-merchant-detail"),
    path("merchant/<int:pk>/return-received/", views_abuse.merchant_return_received, name="claims-merchant-received"),
    path("abuse-reports/", views_abuse.abuse_report_list, name="claims-abuse-reports"),
    path("abuse-reports/<int:pk>/", views_abuse.abuse_report_detail, name="claims-abuse-report"),
]
