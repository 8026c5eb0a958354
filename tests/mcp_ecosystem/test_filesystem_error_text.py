"""The official filesystem server's read_multiple_files reports a refused path as plain text
("<path>: Error - Access denied - ...") without ``isError``: that must be a failed step."""

from __future__ import annotations

from pathlib import Path

from agentroute.mcp import McpHub, McpServerSpec


async def test_read_multiple_files_outside_the_allowed_dir_is_a_failed_step(
    filesystem_spec: McpServerSpec, files: Path
) -> None:
    async with McpHub([filesystem_spec]) as hub:
        read = {t.name: t for t in hub.targets()}["filesystem.read_multiple_files"]
        notes, guide = files / "notes.txt", files / "docs" / "guide.md"

        obs = await read.invoke(
            "s1", "read /etc/hostname", {"paths": ["/etc/hostname"]}, timeout=20
        )
        assert not obs.ok
        assert obs.error is not None
        assert (
            "/etc/hostname: Error - Access denied - path outside allowed directories" in obs.error
        )

        missing = files / "missing.txt"
        obs = await read.invoke(
            "s2", "read two files", {"paths": [str(missing), "/etc/passwd"]}, timeout=20
        )
        assert not obs.ok and obs.error is not None
        assert f"{missing}: Error - ENOENT" in obs.error and "/etc/passwd: Error" in obs.error

        obs = await read.invoke(
            "s3", "read the notes", {"paths": [str(notes), str(guide)]}, timeout=20
        )
        assert obs.ok, obs.error
        assert notes.read_text() in obs.result and guide.read_text() in obs.result

        # One file read, one refused: there is content to show, so the step is not a failure.
        obs = await read.invoke(
            "s4", "read two files", {"paths": [str(notes), "/etc/hostname"]}, timeout=20
        )
        assert obs.ok, obs.error
        assert "alpha line" in obs.result and "/etc/hostname: Error - Access denied" in obs.result
