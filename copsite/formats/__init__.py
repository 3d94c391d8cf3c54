"""Locale format overrides (FORMAT_MODULE_PATH): the portal writes times on a 24-hour clock.

The site's templates say "H:i"; Django's en-CA locale says "2:30 p.m.", which is what the admin
would show. Canadian French already writes "14 h 30". Only the formats that differ are set
here; the rest come from Django's locale.
"""
