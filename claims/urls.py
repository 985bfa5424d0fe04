from .urls_abuse import urlpatterns as abuse_urls
from .urls_engine import urlpatterns as engine_urls

urlpatterns = [*engine_urls, *abuse_urls]
