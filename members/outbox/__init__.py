"""The outbox: every email the portal sends, from every app, goes through here.

- models: the OutgoingEmail table and its queries;
- states: the state machine (queued → sending → sent / failed / suppressed), every transition;
- render: an email's subject, text and HTML from the community's templates;
- footer, reasons: what every email ends with (why it is sent, the preferences link);
- bulk: what bulk mail adds (List-Unsubscribe, the link that stops its kind) by its kind;
- account: allauth's emails, rendered from our templates, queued in the fast lane;
- bounces: what the provider reports after sending (members/webhooks.py receives it);
- console: `make run`'s printed emails, one readable block each;
- queue: recording emails, one or a whole round, once per dedupe key;
- delivery: claiming due rows and sending them over one SMTP connection.
Other apps only queue; the workers (members/tasks.py) deliver.
"""
