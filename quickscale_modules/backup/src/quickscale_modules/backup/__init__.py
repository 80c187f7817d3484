"""QuickScale backup module: database and media backups on django-dbbackup, to a local
directory or S3-compatible storage, on the project's scheduler, pruned by retention."""
