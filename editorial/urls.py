from django.urls import path

from editorial import views

app_name = "editorial"

urlpatterns = [
    path("reviews/", views.ReviewListView.as_view(), name="review_list"),
    path("reviews/feed/", views.LatestReviewsFeed(), name="review_feed"),
    path("reviews/by/<str:username>/", views.AuthorReviewListView.as_view(), name="author"),
    path("reviews/<slug:slug>/", views.ReviewDetailView.as_view(), name="review_detail"),
    path("submit/", views.submit_tool, name="submit"),
    path("submit/thanks/", views.SubmitThanksView.as_view(), name="submit_thanks"),
    path("tools/<slug:slug>/report/", views.report_problem, name="report"),
]
