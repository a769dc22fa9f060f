"""How long the offline generation content takes: slide videos per lesson, reference PDF reading.

    python -m bench.content [--lessons 7] [--pdf-pages 100]

Renders the narrated slide video of each lesson of an offline 7-day course (Pillow + espeak-ng +
ffmpeg) and reads a generated 100-page text PDF the way an upload is read (bounded child
process, then chunking). Prints one line per measurement and a summary; needs ffmpeg and
espeak-ng (`.ci/system-packages`).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.content", description=__doc__)
    parser.add_argument("--lessons", type=int, default=7, help="lessons to render (of a 7-day course)")
    parser.add_argument("--pdf-pages", type=int, default=100)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "momentum.settings")
    import django

    django.setup()
    from momentum.generation.providers.base import CourseBrief, VideoRequest
    from momentum.generation.providers.offline.local_text import LocalTextProvider
    from momentum.generation.providers.offline.slides import SlidesVideoProvider
    from momentum.generation.references.extraction import chunk_pages, extract_text
    from momentum.generation.tests.pdfs import text_pdf

    text = LocalTextProvider()
    brief = CourseBrief(topic="Personal finance", duration_days=7, level="BEGINNER", category="Business")
    outline = text.outline(brief).value
    with tempfile.TemporaryDirectory() as work:
        video = SlidesVideoProvider(Path(work))
        renders, spoken, cpu = [], [], []
        for day in range(1, min(args.lessons, 7) + 1):
            lesson = text.lesson(brief, outline, day, ()).value
            request = VideoRequest(
                course_title=outline.title,
                day=day,
                lesson_title=lesson.title,
                narration=lesson.narration,
                key_points=tuple(outline.days[day - 1].objectives),
            )
            started, children = time.perf_counter(), _children_cpu()
            status = video.status(video.submit(request).external_id)
            renders.append(time.perf_counter() - started)
            cpu.append(_children_cpu() - children)
            spoken.append(float(status.duration_seconds))
            print(
                f"lesson {day}: {renders[-1]:5.2f} s ({cpu[-1]:4.2f} s CPU in ffmpeg/espeak-ng) to render"
                f" {spoken[-1]:5.1f} s of video",
                f"({len(lesson.narration)} characters of narration)",
            )
        print(
            f"slides: median {statistics.median(renders):.2f} s per lesson "
            f"(median {statistics.median(cpu):.2f} s CPU in the tools), "
            f"{sum(renders) / sum(spoken):.3f} s of rendering per second of video"
        )

        sentence = "Compound interest grows savings because each period's interest earns interest in turn. "
        pdf = Path(work) / "reference.pdf"
        pdf.write_bytes(text_pdf([f"Page {n}. " + sentence * 30 for n in range(1, args.pdf_pages + 1)]))
        started = time.perf_counter()
        extraction = extract_text(pdf)
        chunks = list(chunk_pages(extraction.page_texts))
        elapsed = time.perf_counter() - started
        print(
            f"pdf: {extraction.pages} pages ({pdf.stat().st_size // 1024} KB), {len(extraction.text)} characters, "
            f"{len(chunks)} passages in {elapsed:.2f} s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
