"""Web Push reminders (RFC 8030, 8291 aes128gcm, 8292 VAPID) and the installable app (manifest, service worker)."""
