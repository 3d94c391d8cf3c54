"""The meetings app's rules, one module per concept:

- registrations: RSVP, the waiting list, cancelling, attendance;
- coordinating: coordinators' edits, cancelling a meeting, duplicating, the attendance export;
- series: recurring meetings;
- series_edits: a coordinator's edit of a series reaching its future meetings;
- reminders: the day-before reminder;
- topics: topic suggestions and votes;
- feeds: members' personal calendar feeds;
- emails: what every email to a registrant has in common.
"""
