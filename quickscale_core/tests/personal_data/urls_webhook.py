"""A component's URLs that another system was given (a webhook): suite_i18n keeps them
out of the language prefixes."""

from django.http import HttpRequest, HttpResponse
from django.urls import path


def webhook(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


urlpatterns = [path("in/", webhook, name="webhook")]
