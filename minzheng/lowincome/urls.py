from django.urls import path

from minzheng.lowincome import views

app_name = "lowincome"

urlpatterns = [
    path("", views.home, name="home"),
    path("register/", views.register, name="register"),
    path("changes/", views.changes, name="changes"),
    path("listings/", views.listings, name="listings"),
    path("monitoring/run/", views.run_monitoring, name="run-monitoring"),
    path("recognitions/", views.recognition_list, name="recognition-list"),
    path("recognitions/new/", views.recognition_new, name="recognition-new"),
    path("recognitions/<int:recognition_id>/", views.recognition_detail, name="recognition-detail"),
    path("recognitions/<int:recognition_id>/<str:step>/", views.recognition_step, name="recognition-step"),
    path("figures/", views.figures, name="figures"),
    path("prices/", views.prices, name="prices"),
    path("prices/<str:period>/batch/", views.price_batch, name="price-batch"),
]
