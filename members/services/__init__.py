"""The members app's rules, one module per concept:

- lifecycle: status changes (prospect → active → lapsed / left) with their history;
- joining: signup and admin accounts linked to their community record, the welcome;
- engagement: recording what members do;
- attrition: members at risk, re-engagement check-ins, lapsing;
- privacy: a person's data download and erasure;
- prospects: CSV import of prospects and export of members.

Email lives in members/outbox/, who may be emailed in members/contact.py, signed links in
members/links.py.
"""
