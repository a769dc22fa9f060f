"""Pages of the billing app: checkout (and the sandbox's TEST MODE page), history, studio."""

from django.urls import path

from momentum.billing import studio_views, views

app_name = "billing"
urlpatterns = [
    path("checkout/", views.checkout, name="checkout"),
    path("checkout/sandbox/<str:session_id>/", views.sandbox_checkout, name="sandbox_checkout"),
    path("checkout/<uuid:payment_id>/success/", views.checkout_success, name="checkout_success"),
    path("checkout/<uuid:payment_id>/cancelled/", views.checkout_cancelled, name="checkout_cancelled"),
    path("profile/payments/", views.payment_history, name="payment_history"),
    path("profile/payments/plan/cancel/", views.cancel_plan, name="cancel_plan"),
    path("studio/payments/", studio_views.studio_payments, name="studio_payments"),
    path("studio/payments/<uuid:payment_id>/refund/", studio_views.studio_refund, name="studio_refund"),
    path("studio/payments/plans/<int:subscription_id>/end/", studio_views.studio_end_plan, name="studio_end_plan"),
    path(
        "studio/payments/plans/<int:subscription_id>/sandbox/",
        studio_views.studio_sandbox_plan,
        name="studio_sandbox_plan",
    ),
]
