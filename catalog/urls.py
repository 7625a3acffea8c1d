from django.urls import path

from catalog import views

app_name = "catalog"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("tools/", views.ToolListView.as_view(), name="tool_list"),
    path("tools/<slug:slug>/", views.ToolDetailView.as_view(), name="tool_detail"),
    path("modalities/<slug:slug>/", views.ModalityView.as_view(), name="modality"),
    path("families/<slug:slug>/", views.FamilyView.as_view(), name="family"),
    path("use-cases/<slug:slug>/", views.UseCaseView.as_view(), name="use_case"),
    path("vendors/<slug:slug>/", views.VendorView.as_view(), name="vendor"),
]
