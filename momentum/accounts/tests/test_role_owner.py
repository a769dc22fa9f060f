"""One owner of ``User.role``: only the accounts app writes it (a plan's premium role goes
through ``accounts.admin_actions.do_follow_premium_plan``, audited as ``account.role_changed``)."""

from __future__ import annotations

import ast
from pathlib import Path

import momentum
from tests.python_sources import parse

PACKAGE = Path(momentum.__file__).parent


def role_writes(path: Path) -> list[int]:
    tree = parse(path)
    lines = []
    for node in ast.walk(tree):
        targets = (
            node.targets
            if isinstance(node, ast.Assign)
            else [node.target]
            if isinstance(node, ast.AugAssign | ast.AnnAssign)
            else []
        )
        if isinstance(node, ast.stmt) and any(isinstance(t, ast.Attribute) and t.attr == "role" for t in targets):
            lines.append(node.lineno)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "update"
            and any(keyword.arg == "role" for keyword in node.keywords)
        ):
            lines.append(node.lineno)
    return lines


def test_no_app_but_accounts_writes_a_users_role() -> None:
    offenders = [
        f"{path.relative_to(PACKAGE.parent)}:{line}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.parts[len(PACKAGE.parts)] != "accounts" and "tests" not in path.parts
        for line in role_writes(path)
    ]
    assert offenders == []


def test_the_check_finds_a_role_written_elsewhere(tmp_path: Path) -> None:
    module = tmp_path / "actions.py"
    module.write_text("def f(user, users):\n    user.role = 'PREMIUM'\n    users.update(role='FREE')\n")
    assert role_writes(module) == [2, 3]
