"""A headless Chromium on the dashboard, driven by tests/dashboard/browser.mjs
(playwright-core with the system's chromium, which scripts/lib.sh installs)."""

from __future__ import annotations

import asyncio
import json
import os
import tempfile
from pathlib import Path
from types import TracebackType
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
DRIVER = Path(__file__).with_name("browser.mjs")
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"


class Browser:
    """One browser page; every method is one command to the Node driver."""

    def __init__(self, *, width: int = 1280, height: int = 720, locale: str = "en-ZA") -> None:
        self._viewport = {"VIEWPORT_WIDTH": str(width), "VIEWPORT_HEIGHT": str(height),
                          "LOCALE": locale}
        self._profile = tempfile.TemporaryDirectory(prefix="salga-chromium-")
        self._proc: asyncio.subprocess.Process | None = None
        self.console: list[str] = []

    async def __aenter__(self) -> Browser:
        env = {**os.environ, "CHROMIUM": CHROMIUM, "USER_DATA_DIR": self._profile.name,
               **self._viewport}
        self._proc = await asyncio.create_subprocess_exec(
            "node", str(DRIVER), cwd=ROOT, env=env, stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        await self._answer(timeout=60)
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        assert self._proc is not None
        try:
            if self._proc.returncode is None:
                self.console = (await self.do("close")).get("console", [])
            await asyncio.wait_for(self._proc.wait(), 30)
        finally:
            if self._proc.returncode is None:
                self._proc.kill()
                await self._proc.wait()
            self._profile.cleanup()

    async def _answer(self, timeout: float) -> dict[str, Any]:
        assert self._proc is not None and self._proc.stdout is not None
        line = await asyncio.wait_for(self._proc.stdout.readline(), timeout)
        if not line:
            err = await self._proc.stderr.read() if self._proc.stderr else b""
            raise AssertionError(f"the browser driver ended: {err.decode()[-3000:]}")
        answer: dict[str, Any] = json.loads(line)
        if not answer.pop("ok"):
            raise AssertionError(f"browser: {answer['error']}\n" + "\n".join(answer["console"]))
        return answer

    async def do(self, op: str, timeout: float = 60, **args: Any) -> dict[str, Any]:
        assert self._proc is not None and self._proc.stdin is not None
        self._proc.stdin.write((json.dumps({"op": op, **args}) + "\n").encode())
        await self._proc.stdin.drain()
        return await self._answer(timeout)

    async def rows(self) -> dict[str, dict[str, Any]]:
        return {row["id"]: row for row in (await self.do("rows"))["rows"]}

    async def screenshot(self, name: str, *, full: bool = True) -> Path:
        """The whole page, or only what the viewport shows (`full=False`: an open drawer)."""
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / name
        await self.do("screenshot", path=str(path), full=full)
        return path
