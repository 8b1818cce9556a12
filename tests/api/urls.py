from django.urls import include, path

from ordre.urls import urlpatterns as root_urlpatterns
from tests.api import views

test_patterns = [
    path("boom/", views.BoomView.as_view()),
    path("validate/", views.ValidateView.as_view()),
    path("throttled/", views.ThrottledView.as_view()),
    path("key-throttled/", views.KeyThrottledView.as_view()),
    path("no-scope/", views.NoScopeView.as_view()),
    path("keys/", views.KeyListView.as_view()),
]

urlpatterns = [path("api/test/", include(test_patterns)), *root_urlpatterns]
