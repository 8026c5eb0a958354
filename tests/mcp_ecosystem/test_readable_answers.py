"""Through a real Agent and the official time server: a tool's flat JSON object reads as
``key: value`` pairs in the answer, while the step keeps the JSON a later step reads; a
nested object (the conversion's source and target) is shown as the tool gave it."""

from __future__ import annotations

import json

from agentroute import Agent
from agentroute.embeddings import default_embedder
from agentroute.mcp import McpServerSpec


def test_a_flat_json_result_reads_as_pairs_and_the_step_keeps_its_json(
    time_spec: McpServerSpec,
) -> None:
    with Agent(mcp=[time_spec], embedder=default_embedder(), warm_spares=False) as agent:
        now = agent.run("What time is it in Tokyo?")
        converted = agent.run("Convert 5 pm New York time to Tokyo time")
    step = now.steps[0]
    assert step.target == "time.get_current_time" and step.ok
    reported = json.loads(step.result)  # what a later step reads is still the tool's JSON
    assert f"timezone: Asia/Tokyo; datetime: {reported['datetime']}" in now.answer
    assert "is_dst: false" in now.answer and '"timezone"' not in now.answer
    step = converted.steps[0]
    assert step.target == "time.convert_time" and step.ok
    assert '"source"' in converted.answer  # nested: shown as it came
