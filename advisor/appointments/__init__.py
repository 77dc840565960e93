"""Booked appointments: a consultant's time for a shopper's advice, with products held to try.

`slots` computes bookable times from the opening hours, shifts, skills and appointments (pure, no database);
`staff` keeps skills and shifts; `booking` books, moves, cancels and checks in, one booking per consultant and time
on SQLite and PostgreSQL alike; `links` are the one-time links to move or cancel; `calendar` makes the `.ics`;
`reminders` is the queue of reminders the day before.
"""
