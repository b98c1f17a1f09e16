from __future__ import annotations

from django.urls import path

from biys.core import pages
from biys.core.routing import model_urls

app_name = "core"

urlpatterns = [
    path("", pages.home, name="home"),
    path("health/", pages.health, name="health"),
    path("changelog/", pages.ChangeLogListView.as_view(), name="changelogentry_list"),
    *model_urls(
        "calendar-days",
        "calendarday",
        list=pages.CalendarDayListView,
        detail=pages.CalendarDayView,
        edit=pages.CalendarDayEditView,
        delete=pages.CalendarDayDeleteView,
    ),
]
