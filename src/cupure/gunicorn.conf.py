"""gunicorn settings for cupure's web site: ``gunicorn -c src/cupure/gunicorn.conf.py
cupure.wsgi`` (bind and workers may be given on the command line too).

Environment: ``CUPURE_WEB_BIND`` (default 127.0.0.1:8000), ``CUPURE_WEB_WORKERS``
(default two per core), ``CUPURE_WEB_THREADS`` (default 1: plain sync workers).
"""

import multiprocessing
import os

bind = os.environ.get("CUPURE_WEB_BIND", "127.0.0.1:8000")
# Pages are rendered on the CPU and read SQLite or PostgreSQL quickly: two processes
# per core keep the cores busy while one waits on the database.
workers = int(
    os.environ.get("CUPURE_WEB_WORKERS", "") or 2 * multiprocessing.cpu_count()
)
threads = int(os.environ.get("CUPURE_WEB_THREADS", "") or 1)
wsgi_app = "cupure.wsgi"
# Import the project once in the master: workers share its pages of memory
# (copy-on-write). Database connections are opened lazily, in each worker.
preload_app = True
# A page that takes longer than this is a bug to fix, not a wait to extend.
timeout = 30
graceful_timeout = 10
# A worker is replaced after this many requests (with jitter so they do not all
# restart at once): bounds the growth of anything a long-lived process accumulates.
max_requests = 10_000
max_requests_jitter = 1_000
# Access logs belong to the proxy in front; errors go to stderr.
accesslog = None
errorlog = "-"
loglevel = "warning"
