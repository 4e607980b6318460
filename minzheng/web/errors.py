from django.shortcuts import render


def not_found(request, exception=None):
    return render(request, "web/error.html", {"status": 404, "title": "未找到", "message": "页面不存在或无权访问"}, status=404)


def forbidden(request, exception=None):
    return render(request, "web/error.html", {"status": 403, "title": "无权限", "message": "没有访问此页面的权限"}, status=403)


def server_error(request):
    return render(request, "web/bare.html", {"title": "系统错误"}, status=500)
