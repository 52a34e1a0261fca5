"""Running cupure in production: health probes, metrics, logs, backups (issue #20)."""
