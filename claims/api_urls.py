from .api_urls_abuse import urlpatterns as abuse_urls
from .api_urls_engine import urlpatterns as engine_urls

urlpatterns = [*engine_urls, *abuse_urls]
