"""The registry's own error pages where Django's defaults would not give them its layout."""

import logging

from django.http import HttpResponseServerError
from django.shortcuts import render

_PLAIN_500 = ("<!doctype html><html lang=\"vi\"><meta charset=\"utf-8\"><title>Lỗi máy chủ</title>"
              "<h1>Đã có lỗi ở phía máy chủ</h1><p>Lỗi đã được ghi lại cho quản trị viên. "
              "Hãy thử lại sau giây lát.</p><p><a href=\"/\">Về trang chủ</a></p></html>")


def server_error(request):
    """500 in the registry's layout, with its menu; plain Vietnamese if even that fails (the
    error may be in the layout, or in the database the menu needs)."""
    try:
        return render(request, "500.html", status=500)
    except Exception:
        logging.getLogger("django.request").exception("The error page itself failed")
        return HttpResponseServerError(_PLAIN_500)
