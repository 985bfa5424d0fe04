from django.urls import path

from . import api

p = "xingtu/"
urlpatterns = [
    path(p + "certification", api.CertificationView.as_view(), name="xt-api-certification"),
    path(p + "certification/qualification", api.QualificationSubmitView.as_view(), name="xt-api-qualification"),
    path(p + "certification/bank-account", api.BankAccountView.as_view(), name="xt-api-bank-account"),
    path(p + "certification/bank-transfer/verify", api.BankVerifyView.as_view(), name="xt-api-bank-verify"),
    path(p + "certification/agreement", api.AgreementView.as_view(), name="xt-api-agreement"),
    path(p + "creators", api.CreatorSquareView.as_view(), name="xt-api-creators"),
    path(p + "selection", api.SelectionView.as_view(), name="xt-api-selection"),
    path(p + "selection/<str:code>", api.SelectionRemoveView.as_view(), name="xt-api-selection-remove"),
    path(p + "tasks", api.TaskListView.as_view(), name="xt-api-tasks"),
    path(p + "tasks/<int:pk>", api.TaskDetailView.as_view(), name="xt-api-task"),
    path(p + "creator/profile", api.CreatorProfileView.as_view(), name="xt-api-creator-profile"),
    path(p + "orders", api.OrderListView.as_view(), name="xt-api-orders"),
    path(p + "orders/<int:pk>", api.OrderDetailView.as_view(), name="xt-api-order"),
    path(p + "orders/<int:pk>/accept", api.OrderAcceptView.as_view(), name="xt-api-order-accept"),
    path(p + "orders/<int:pk>/decline", api.OrderDeclineView.as_view(), name="xt-api-order-decline"),
    path(p + "orders/<int:pk>/cancel", api.OrderCancelView.as_view(), name="xt-api-order-cancel"),
    path(p + "orders/<int:pk>/script", api.ScriptUploadView.as_view(), name="xt-api-script"),
    path(p + "orders/<int:pk>/script/confirm", api.ScriptConfirmView.as_view(), name="xt-api-script-confirm"),
    path(p + "orders/<int:pk>/script/reject", api.ScriptRejectView.as_view(), name="xt-api-script-reject"),
    path(p + "orders/<int:pk>/video", api.VideoUploadView.as_view(), name="xt-api-video"),
    path(p + "orders/<int:pk>/video/confirm", api.VideoConfirmView.as_view(), name="xt-api-video-confirm"),
    path(p + "orders/<int:pk>/video/reject", api.VideoRejectView.as_view(), name="xt-api-video-reject"),
    path(p + "orders/<int:pk>/publish", api.VideoPublishView.as_view(), name="xt-api-publish"),
    path(p + "orders/<int:pk>/complete", api.VideoAcceptView.as_view(), name="xt-api-complete"),
    path(p + "orders/<int:pk>/rating", api.OrderRateView.as_view(), name="xt-api-rating"),
    path(
        p + "review/orders/<int:pk>/video-decision", api.ReviewVideoDecisionView.as_view(), name="xt-api-review-video"
    ),
    path(
        p + "review/advertisers/<str:code>/bank-transfer",
        api.ReviewTransferView.as_view(),
        name="xt-api-review-transfer",
    ),
    path(
        p + "review/advertisers/<str:code>/bank-check/unlock",
        api.ReviewUnlockView.as_view(),
        name="xt-api-review-unlock",
    ),
]
