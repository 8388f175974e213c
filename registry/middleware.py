from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    """Vietnamese unless the person chose another language with the switch.

    Office machines often run an English browser; the registry still speaks Vietnamese
    to them. The choice made with the language switch (its cookie) wins.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


def _admin_prefix():
    from django.urls import reverse

    return reverse("admin:index")


class RequestSizeLimitMiddleware:
    """Refuse a request body larger than the view it is for accepts, before anything reads it.

    Django caps form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but streams uploaded files to disk
    whatever their size, on any view that is posted to. Here a view that takes an upload says
    so (`upload_limit_setting`: the setting, in MB, of the largest file it takes); every other
    view takes no more than DATA_UPLOAD_MAX_MEMORY_SIZE. Placed before CSRF, which reads the body.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        view = getattr(view_func, "view_class", view_func)
        name = getattr(view, "upload_limit_setting", None)
        if name is None and request.path.startswith(_admin_prefix()):
            name = "REGISTRY_SCAN_MAX_MB"  # the back office's decision form takes a scan too
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if name:
            limit += int(float(getattr(settings, name)) * 1024 * 1024)
        if length > limit:
            from django.shortcuts import render

            return render(request, "413.html", {"limit_mb": max(1, round(limit / 1024 / 1024))}, status=413)
        return None


class NoStoreWhenSignedInMiddleware:
    """Nothing a signed-in person is shown is kept by a browser's or a proxy's cache: on a shared
    computer the next person would find citizen IDs in it. Every answer behind sign-in (pages,
    exports, documents, certificates) says Cache-Control: no-store."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store, private"
            response.headers.pop("Expires", None)
        return response


class ForbiddenOnOneLine:
    """A logging filter: a refused request (403) is an expected answer, logged as its one line
    ("Forbidden (Permission denied): /path"), not with the traceback of the PermissionDenied."""

    def filter(self, record):
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
