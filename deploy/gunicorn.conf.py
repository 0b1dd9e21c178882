"""gunicorn for Tuijin (deploy/systemd/tuijin-web.service starts it with -c this file).

Every knob is an environment variable from /etc/tuijin/tuijin.env, with a default for one app
server: workers from the cores, logs as one line per event in the same format as Django's.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 120))
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests: a slow leak never grows for weeks.
max_requests = 2000
max_requests_jitter = 200
# X-Forwarded-Proto is believed only from nginx (Django reads the client's address itself,
# from TRUSTED_PROXIES).
forwarded_allow_ips = os.environ.get("TRUSTED_PROXIES", "127.0.0.1")

# gunicorn's control socket (gunicornc) would live in the service user's home: not needed, as
# systemd signals the master (reload: HUP).
control_socket_disable = True

accesslog = "-"
errorlog = "-"
# The client's address as nginx saw it, the request, status, bytes, duration in ms.
access_log_format = '%({x-real-ip}i)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "line": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(process)d] %(message)s",
            "datefmt": "%Y-%m-%dT%H:%M:%S%z",
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "line"}},
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
