from django.urls import path

from minzheng.lottery import views

app_name = "lottery"

urlpatterns = [
    path("", views.home, name="home"),
    path("outlets/", views.outlet_list, name="outlet-list"),
    path("outlets/<int:outlet_id>/", views.outlet_detail, name="outlet-detail"),
    path("inspections/<int:inspection_id>/close/", views.inspection_close, name="inspection-close"),
    path("sales/", views.sales, name="sales"),
    path("sales/by-month.xlsx", views.sales_by_month_xlsx, name="sales-month-xlsx"),
    path("sales/by-outlet.xlsx", views.sales_by_outlet_xlsx, name="sales-outlet-xlsx"),
    path("fund/", views.fund, name="fund"),
    path("fund/projects/<int:project_id>/", views.project_detail, name="project-detail"),
    path("fund.xlsx", views.fund_xlsx, name="fund-xlsx"),
]
