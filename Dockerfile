FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
RUN useradd --create-home --uid 1000 app
# GNU gettext compiles the translation catalogues (locale/).
RUN apt-get update && apt-get install -y --no-install-recommends gettext && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml constraints-build.txt README.md ./
COPY copsite/ copsite/
COPY members/ members/
COPY meetings/ meetings/
COPY surveys/ surveys/
COPY resources/ resources/
COPY announcements/ announcements/
RUN pip install --upgrade pip && pip install --build-constraint constraints-build.txt .
COPY . .
# collectstatic needs a settings import only; the key is a throwaway for this build step.
RUN DJANGO_DEBUG=0 DJANGO_SECRET_KEY=build-only-$(python -c 'import secrets; print(secrets.token_urlsafe(64))') \
    DATABASE_URL=sqlite:////tmp/build.sqlite3 python manage.py collectstatic --noinput \
    && python manage.py compilemessages --locale fr_CA \
    && mkdir -p /app/var/private && chown -R app /app/var
USER app
EXPOSE 8000
CMD ["gunicorn", "copsite.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
