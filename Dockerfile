# One image for web, worker and beat (docker-compose.yml picks the command).
# Browser libraries come from the npm registry in a first stage; only their files are copied over.
FROM node:20-slim AS browser
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=salesops.settings.production
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
COPY --from=browser /app/node_modules ./node_modules
# collectstatic needs settings but no real secrets or database.
RUN SECRET_KEY=build ALLOWED_HOSTS=build DATABASE_URL=sqlite:////tmp/build.db python manage.py collectstatic --no-input
RUN useradd --create-home salesops
USER salesops
EXPOSE 8000
CMD ["gunicorn", "salesops.wsgi:application", "--config", "gunicorn.conf.py"]
