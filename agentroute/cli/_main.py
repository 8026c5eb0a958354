"""``python -m agentroute.cli._main`` (used where the console script is not on PATH)."""

from agentroute.cli._app import main

if __name__ == "__main__":
    main()
