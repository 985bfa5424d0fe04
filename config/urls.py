from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

api_v1 = [
    path("", include("shop.api_urls")),
    path("", include("guarantees.api_urls")),
    path("", include("qualifications.api_urls")),
    path("", include("claims.api_urls")),
    path("", include("campaigns.api_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("i18n/setlang/", set_language, name="set_language"),
    path("", include("shop.urls")),
    path("", include("guarantees.urls")),
    path("qualifications/", include("qualifications.urls")),
    path("claims/", include("claims.urls")),
    path("xingtu/", include("campaigns.urls")),
]

handler404 = "shop.views.not_found"
handler500 = "shop.views.server_error"
