from django.urls import path

from . import views_workshop

app_name = "teaching"

urlpatterns = [
    path("<int:pk>/trainers/", views_workshop.workshop_trainers, name="workshop-trainers"),
    path("<int:pk>/complete/", views_workshop.workshop_complete, name="workshop-complete"),
]
