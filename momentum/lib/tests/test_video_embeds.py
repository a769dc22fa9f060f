"""YouTube and Vimeo links become their privacy-enhanced players; nothing else is framed."""

from __future__ import annotations

import pytest

from momentum.lib.video_embeds import embed_url


@pytest.mark.parametrize(
    ("link", "player"),
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        (
            "https://youtube.com/watch?feature=share&v=dQw4w9WgXcQ&t=42",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        ("https://youtu.be/dQw4w9WgXcQ?si=abc", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://m.youtube.com/shorts/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://www.youtube.com/embed/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
        ("https://player.vimeo.com/video/76979871?h=abc", "https://player.vimeo.com/video/76979871?dnt=1"),
    ],
)
def test_a_youtube_or_vimeo_link_plays_in_the_privacy_enhanced_player(link: str, player: str) -> None:
    assert embed_url(link) == player


@pytest.mark.parametrize(
    "link",
    [
        "https://cdn.example.com/lessons/day-1.mp4",
        "https://www.youtube.com/channel/UC38IQsAvIsxxjztdMZQtwHA",
        "https://www.youtube.com/watch?v=short",
        "https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
        "https://vimeo.com/channels/staffpicks",
        "javascript://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://[::1/",
    ],
)
def test_any_other_address_is_not_framed(link: str) -> None:
    assert embed_url(link) is None
