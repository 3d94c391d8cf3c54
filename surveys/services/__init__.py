"""The surveys app's rules, one module per concept:

- invitations: a survey's audience, its signed single-use links, invitations and reminders;
- answering: storing a response (anonymous ones held apart from the person's completion);
- anonymity: the holding area that releases anonymous answers in shuffled batches;
- results: results and the CSV export, computed by SQL aggregation;
- copying: a new survey from a template or an earlier one;
- checkins: the regular check-in rounds and the daily entry point that runs them.
"""
