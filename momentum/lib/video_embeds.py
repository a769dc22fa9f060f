"""YouTube and Vimeo links as the address of their privacy-enhanced embedded player.

A lesson may link a video on YouTube or Vimeo; the page plays it in place through the player
these sites offer for embedding, in its no-tracking form (youtube-nocookie.com; Vimeo's
``dnt=1``). The Content-Security-Policy allows frames from exactly these two origins
(``EMBED_ORIGINS``), so any other address is never framed: it stays a link or a <video>.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

YOUTUBE_EMBED = "https://www.youtube-nocookie.com/embed/{id}"
VIMEO_EMBED = "https://player.vimeo.com/video/{id}?dnt=1"
EMBED_ORIGINS = ("https://www.youtube-nocookie.com", "https://player.vimeo.com")

_YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "music.youtube.com", "youtube-nocookie.com",
                  "www.youtube-nocookie.com"}  # fmt: skip
_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}
_VIMEO_ID = re.compile(r"^\d{1,12}$")


def _youtube_id(host: str, path: str, query: str) -> str | None:
    if host in ("youtu.be", "www.youtu.be"):
        candidate = path.strip("/").split("/")[0]
    elif host in _YOUTUBE_HOSTS:
        parts = [part for part in path.split("/") if part]
        if parts == ["watch"]:
            candidate = (parse_qs(query).get("v") or [""])[0]
        elif len(parts) >= 2 and parts[0] in ("embed", "shorts", "live", "v"):
            candidate = parts[1]
        else:
            return None
    else:
        return None
    return candidate if _YOUTUBE_ID.match(candidate) else None


def _vimeo_id(host: str, path: str) -> str | None:
    if host not in _VIMEO_HOSTS:
        return None
    parts = [part for part in path.split("/") if part]
    if host == "player.vimeo.com":
        parts = parts[1:] if parts[:1] == ["video"] else []
    candidate = parts[0] if parts else ""
    return candidate if _VIMEO_ID.match(candidate) else None


def embed_url(url: str) -> str | None:
    """The embedded player's address for a YouTube or Vimeo video link; None for any other URL."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower().rstrip(".")
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https"):
        return None
    if video_id := _youtube_id(host, parts.path, parts.query):
        return YOUTUBE_EMBED.format(id=video_id)
    if video_id := _vimeo_id(host, parts.path):
        return VIMEO_EMBED.format(id=video_id)
    return None
