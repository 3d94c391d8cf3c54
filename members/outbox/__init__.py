"""The outbox: every email the portal sends, from every app, goes through here.

- models: the OutgoingEmail table and its queries;
- states: the state machine (queued → sending → sent / failed / suppressed), every transition;
- render: an email's subject, text and HTML from the community's templates;
- bulk: what bulk mail adds (List-Unsubscribe, the preferences link) by the email's kind;
- queue: recording emails, one or a whole round, once per dedupe key;
- delivery: claiming due rows and sending them over one SMTP connection.
Other apps only queue; the workers (members/tasks.py) deliver.
"""
