from __future__ import annotations

from django.urls import path

from biys.core.routing import model_urls
from biys.org import views

app_name = "org"

urlpatterns = [
    path("belediye/", views.municipality, name="municipality"),
    path("belediye/edit/", views.MunicipalityEditView.as_view(), name="municipality_edit"),
    path("agac/", views.unit_tree, name="unit_tree"),
    path("sema/", views.org_chart, name="chart"),
    *model_urls(
        "units",
        "unit",
        list=views.UnitListView,
        detail=views.UnitView,
        edit=views.UnitEditView,
        delete=views.UnitDeleteView,
    ),
    *model_urls(
        "positions",
        "position",
        list=views.PositionListView,
        detail=views.PositionView,
        edit=views.PositionEditView,
        delete=views.PositionDeleteView,
    ),
    *model_urls(
        "staff",
        "staff",
        list=views.StaffListView,
        detail=views.StaffView,
        edit=views.StaffEditView,
        delete=views.StaffDeleteView,
    ),
    path("staff/<int:pk>/personal/", views.staff_reveal, name="staff_reveal"),
    *model_urls(
        "leave",
        "leave",
        list=views.LeaveListView,
        detail=views.LeaveView,
        edit=views.LeaveEditView,
        delete=views.LeaveDeleteView,
    ),
    *model_urls(
        "directives",
        "directive",
        list=views.DirectiveListView,
        detail=views.DirectiveView,
        edit=views.DirectiveEditView,
        delete=views.DirectiveDeleteView,
    ),
    path("directives/<int:pk>/import/", views.directive_import, name="directive_import"),
    *model_urls(
        "directive-versions", "directiveversion", detail=views.DirectiveVersionView, edit=views.DirectiveVersionEditView
    ),
    path("directive-versions/<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    *model_urls(
        "directive-reviews", "directivereview", detail=views.DirectiveReviewView, edit=views.DirectiveReviewEditView
    ),
    *model_urls("duties", "duty", list=views.DutyListView, detail=views.DutyView, edit=views.DutyEditView),
    *model_urls(
        "duty-assignments",
        "dutyassignment",
        list=views.DutyAssignmentListView,
        detail=views.DutyAssignmentView,
        edit=views.DutyAssignmentEditView,
        delete=views.DutyAssignmentDeleteView,
    ),
    path("acknowledgements/", views.AcknowledgementListView.as_view(), name="acknowledgement_list"),
    *model_urls(
        "departures",
        "departure",
        list=views.DepartureListView,
        detail=views.DepartureView,
        edit=views.DepartureEditView,
    ),
    path("departures/<int:pk>/prepare/", views.departure_prepare, name="departure_prepare"),
    path("departures/<int:pk>/accept/", views.departure_accept, name="departure_accept"),
    path("departures/<int:pk>/complete/", views.departure_complete, name="departure_complete"),
    path("departures/<int:pk>/cancel/", views.departure_cancel, name="departure_cancel"),
    path("departures/<int:pk>/pdf/", views.departure_pdf, name="departure_pdf"),
]
