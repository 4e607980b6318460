from django.urls import path

from minzheng.citizen import staff_views

app_name = "citizen_staff"

urlpatterns = [
    path("", staff_views.message_list, name="messages"),
    path("<int:message_id>/", staff_views.message_detail, name="message"),
]
