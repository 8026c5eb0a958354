"""What ``agentroute serve api`` was asked for, handed to every uvicorn worker process through
one environment variable (workers are started afresh; the token itself never travels, only
the name of the variable that holds it)."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

__all__ = ["ENVIRONMENT_KEY", "ApiSettings"]

ENVIRONMENT_KEY = "AGENTROUTE_API_SETTINGS"


@dataclass(frozen=True)
class ApiSettings:
    """``config``: the agentroute.toml (``None``: found from the working directory, else the
    embedded default). ``data_dir``: where threads, memory and knowledge live, in place of
    the file's (``None``: the file's; without a file ``.agentroute``). ``token_env``: the
    variable holding the bearer token (``None``: no auth, loopback only). ``memory``: whether
    workers open the case bank. ``thread_wait_s``: how long a request waits for a thread
    another request is running."""

    config: str | None = None
    data_dir: str | None = None
    token_env: str | None = None
    memory: bool = True
    thread_wait_s: float = 300.0
    workers: int = 1

    def to_environment(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_environment(cls) -> ApiSettings:
        raw = os.environ.get(ENVIRONMENT_KEY)
        if not raw:
            return cls()
        return cls(**json.loads(raw))

    def token(self) -> str | None:
        """The bearer token, read from its variable; a named variable that is unset or empty
        is an error (the server must not start open by accident)."""
        if self.token_env is None:
            return None
        value = os.environ.get(self.token_env, "")
        if not value:
            raise ValueError(f"--token-env {self.token_env}: the variable is not set or empty")
        return value

    def config_path(self) -> Path | None:
        return Path(self.config) if self.config else None
