"""The deadlines as a calendar file (.ics, RFC 5545, written with `icalendar`): one all-day
event per dated deadline, repeating every year when the plan says "hằng năm" ("trước ngày
15/11 hằng năm"), each with its quote and its plan in the description and a reminder a
week before. Deadlines without a day ("hằng quý", "trong năm 2024") are not events: the
handout lists them as recurring duties."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from icalendar import Alarm, Calendar, Event

from .corpus import StudyCorpus
from .deadlines import KINDS, Deadline, DeadlinesView
from .facts import short_date

REMINDER_DAYS = 7


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    title: str
    description: str
    day: date  # the first time it falls due
    yearly: bool


def calendar_events(view: DeadlinesView, corpus: StudyCorpus) -> tuple[CalendarEvent, ...]:
    return tuple(_event(d, corpus) for d in view.deadlines if d.category == "dated" and d.due)


def _event(deadline: Deadline, corpus: StudyCorpus) -> CalendarEvent:
    plan = corpus.plan(deadline.doc_id)
    due = deadline.due
    year = due.year or _plan_year(plan.document.date) or date.today().year
    title = f"{deadline.province_name}: hạn {KINDS[deadline.kind].lower()} {due.day:02d}/{due.month:02d}"
    who = "; ".join(q.quote for q in deadline.who)
    description = (f"«{deadline.what.quote}»\n\n" + (f"Đơn vị thực hiện: {who}\n" if who else "")
                   + f"Nguồn: {plan.label}, mục {deadline.section}, ký tự {deadline.what.start}–{deadline.what.end}")
    return CalendarEvent(f"{deadline.doc_id}-{deadline.when.start}@vn-plans-assistant", title, description,
                         date(year, due.month, due.day), due.year is None)


def _plan_year(written: str) -> int | None:
    shown, _ = short_date(written)
    return int(shown[-4:]) if shown else None


def ics_bytes(events: tuple[CalendarEvent, ...], name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//vn-plans-assistant//hoc-tap//VI")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    stamp = datetime.now(timezone.utc).replace(microsecond=0)
    for item in events:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("summary", item.title)
        event.add("description", item.description)
        event.add("dtstart", item.day)
        event.add("dtend", item.day + timedelta(days=1))
        event.add("transp", "TRANSPARENT")
        if item.yearly:
            event.add("rrule", {"freq": "yearly"})
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", item.title)
        alarm.add("trigger", timedelta(days=-REMINDER_DAYS))
        event.add_component(alarm)
        calendar.add_component(event)
    return calendar.to_ical()
