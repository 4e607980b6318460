app_name = "lowincome"
urlpatterns = []
