"""The community's own pages: about, contact, privacy notice, code of conduct, accessibility.

- models: one row per page (its fixed address and version), one text per page and language;
- views and urls: the pages at the site's root (/about/, /privacy/…), in the reader's language;
- admin: coordinators edit both languages of a page on one screen.
A text per language, rather than a title and body column per language, keeps the table the same
when a language is added (settings.LANGUAGES), and lets a page fall back to the community's
language while a translation is missing. django-parler and django-modeltranslation do the same
for many models; for one model they would add a dependency and its admin conventions for nothing.
"""
