"""The generation benchmark (bench/generation.py) measures a real job and writes a readable table."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bench import generation
from momentum.generation.models import JobStatus

pytestmark = pytest.mark.integration


def test_the_generation_benchmark_times_each_step_of_a_seven_day_course_without_video(
    workflows: None, admin: Any, settings: Any, tmp_path: Path
) -> None:
    settings.DATA_DIR = tmp_path  # the slides provider's work folder, emptied by the benchmark

    case = generation.run_case(7, video=False, admin=admin)

    assert case["days"] == 7
    assert case["video"] is False
    assert case["status"] == JobStatus.SUCCEEDED
    assert case["total_seconds"] > 0
    steps = case["steps"]
    assert {"outline", "lessons", "quizzes", "videos", "thumbnail", "save"} <= set(steps)
    for name in ("outline", "thumbnail", "save"):
        assert steps[name] is not None, name
    assert steps["lessons"]["count"] == 7
    assert steps["quizzes"]["count"] == 7
    assert steps["lessons"]["max"] <= steps["lessons"]["sum"]
    assert steps["videos"] == {"count": 0, "sum": 0.0, "max": 0.0, "wall": 0.0, "attempts": 0}
    assert case["attempts"] >= 16  # the outline, seven lessons, seven quizzes and the thumbnail: a call each
    assert len(case["per_step"]) == len(["validate", "references", "outline", "thumbnail", "save", "notify"]) + 21

    json_path, md_path = generation.write_results([case], generation.machine(), directory=tmp_path / "results")

    document = json.loads(json_path.read_text())
    assert document["machine"]["cpus"] >= 1
    assert len(document["machine"]["load_average"]) == 3
    assert document["cases"][0]["job_id"] == case["job_id"]
    table = md_path.read_text()
    assert "| days | video | total | outline | lessons sum | lessons max |" in table
    assert "\n| 7 | no | " in table
    assert "ffmpeg" in table
    assert "espeak-ng" in table
    assert "bench/content.py" in table
