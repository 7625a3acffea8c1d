from django.urls import path

from catalog import discovery_views, views, wizard_views
from catalog.feeds import NewToolsFeed

app_name = "catalog"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("tools/", views.ToolListView.as_view(), name="tool_list"),
    path("tools/<slug:slug>/", views.ToolDetailView.as_view(), name="tool_detail"),
    path(
        "tools/<slug:slug>/alternatives/",
        discovery_views.AlternativesView.as_view(),
        name="alternatives",
    ),
    path("compare/", discovery_views.CompareView.as_view(), name="compare"),
    path("search/suggest/", discovery_views.SuggestView.as_view(), name="suggest"),
    path(
        "llms-vs-generative-ai/", discovery_views.LLMExplainerView.as_view(), name="explainer_llm"
    ),
    path("how-we-check/", views.HowWeCheckView.as_view(), name="how_we_check"),
    path("feeds/tools.atom", NewToolsFeed(), name="tools_feed"),
    path("modalities/<slug:slug>/", views.ModalityView.as_view(), name="modality"),
    path("families/<slug:slug>/", views.FamilyView.as_view(), name="family"),
    path("use-cases/<slug:slug>/", views.UseCaseView.as_view(), name="use_case"),
    path("vendors/<slug:slug>/", views.VendorView.as_view(), name="vendor"),
    path("wizard/", wizard_views.WizardStepView.as_view(), name="wizard"),
    path("wizard/result/", wizard_views.WizardResultView.as_view(), name="wizard_result"),
    path("wizard/excluded/", wizard_views.WizardExcludedView.as_view(), name="wizard_excluded"),
]
