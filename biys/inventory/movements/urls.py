"""Movement pages under /envanter/: VİF, stock items and the stock card, Taşınır İstek Belgesi, unit transfer."""

from __future__ import annotations

from django.urls import URLPattern, path

from biys.core.routing import model_urls
from biys.inventory.movements import request_views, views

urlpatterns: list[URLPattern] = [
    # Varlık İşlem Fişi (TMY md. 10/1-a, 39)
    path("vouchers/add/", views.VoucherCreateView.as_view(), name="voucher_add"),
    path("vouchers/<int:pk>/edit/", views.VoucherEditView.as_view(), name="voucher_edit"),
    *model_urls(
        "vouchers", "voucher", list=views.VoucherListView, detail=views.VoucherView, delete=views.VoucherDeleteView
    ),
    path("vouchers/<int:pk>/lines/add/", views.voucher_line_add, name="voucher_line_add"),
    path("vouchers/<int:pk>/lines/<int:line>/remove/", views.voucher_line_remove, name="voucher_line_remove"),
    path("vouchers/<int:pk>/post/", views.voucher_post, name="voucher_post"),
    path("vouchers/<int:pk>/reverse/", views.voucher_reverse, name="voucher_reverse"),
    path("vouchers/<int:pk>/pdf/", views.voucher_pdf, name="voucher_pdf"),
    # Consumables and spare parts (md. 22)
    path("stock-items/reorder/", views.stock_reorder, name="stockitem_reorder"),
    *model_urls(
        "stock-items",
        "stockitem",
        list=views.StockItemListView,
        detail=views.StockItemView,
        edit=views.StockItemEditView,
        delete=views.StockItemDeleteView,
    ),
    path("stock-items/<int:pk>/card/", views.stock_card, name="stockitem_card"),
    # Taşınır İstek Belgesi (md. 10/1-c; Nizip md. 12/17)
    path("stock-requests/", request_views.StockRequestListView.as_view(), name="stockrequest_list"),
    path("stock-requests/add/", request_views.StockRequestCreateView.as_view(), name="stockrequest_add"),
    path("stock-requests/<int:pk>/", request_views.StockRequestView.as_view(), name="stockrequest"),
    path("stock-requests/<int:pk>/edit/", request_views.StockRequestEditView.as_view(), name="stockrequest_edit"),
    path("stock-requests/<int:pk>/delete/", request_views.StockRequestDeleteView.as_view(), name="stockrequest_delete"),
    path(
        "stock-requests/<int:pk>/history/",
        request_views.StockRequestHistoryView.as_view(),
        name="stockrequest_history",
    ),
    path("stock-requests/<int:pk>/lines/add/", request_views.line_add, name="stockrequest_line_add"),
    path(
        "stock-requests/<int:pk>/lines/<int:line>/remove/", request_views.line_remove, name="stockrequest_line_remove"
    ),
    path("stock-requests/<int:pk>/submit/", request_views.submit, name="stockrequest_submit"),
    path("stock-requests/<int:pk>/approve/", request_views.approve, name="stockrequest_approve"),
    path("stock-requests/<int:pk>/reject/", request_views.reject, name="stockrequest_reject"),
    path("stock-requests/<int:pk>/issue/", request_views.issue, name="stockrequest_issue"),
    path("stock-requests/<int:pk>/transfer-out/", request_views.transfer_out, name="stockrequest_transfer_out"),
    path("stock-requests/<int:pk>/pdf/", request_views.request_pdf, name="stockrequest_pdf"),
    # Between own units: no VİF, a change of owner unit (Nizip md. 12/18)
    path("assets/<int:pk>/unit-transfer/", views.asset_unit_transfer, name="asset_unit_transfer"),
]
