"""The audit trail: AuditLog, ``do_record_audit``, the audit API and page, retention and archive."""
