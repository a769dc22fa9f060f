"""Backups and disaster recovery: consistent online backups of the database and media with a
manifest of checksums and row counts, to a folder or S3-compatible storage; verification,
restore, restore drills that measure the time to restore, and anonymised copies for staging.

    inspection.py  tables, row counts, checksums and foreign-key checks of a database (both vendors)
    engines.py     dump and restore a SQLite or PostgreSQL database, scratch databases for drills
    media.py       the media archive (any Django storage) and its tree checksum
    targets.py     where backups live: a local folder or an S3-compatible bucket
    manifest.py    the manifest and file checksums
    service.py     making backups, retention: what the commands and workflows call
    restore.py     verify, restore, and the restore drill
    actions.py     backups and drills asked for by an admin (queued for a worker)
    workflows.py   backups and drills, on demand and scheduled
    anonymize.py   a production backup turned into one safe for staging
"""
