"""Configuration: ``agentroute.toml`` validated by pydantic, with located errors."""

from agentroute.config._errors import ConfigError
from agentroute.config._load import DEFAULT_CONFIG_NAME, find_config, load_config
from agentroute.config._models import (
    AgentSection,
    BudgetSection,
    Config,
    ExpertConfig,
    KnowledgeConfig,
    MemorySection,
    PlannerSection,
    PolicySection,
)

__all__ = [
    "DEFAULT_CONFIG_NAME",
    "AgentSection",
    "BudgetSection",
    "Config",
    "ConfigError",
    "ExpertConfig",
    "KnowledgeConfig",
    "MemorySection",
    "PlannerSection",
    "PolicySection",
    "find_config",
    "load_config",
]
