"""Configuration: ``agentroute.toml`` validated by pydantic, with located errors."""

from typing import TYPE_CHECKING

from agentroute._lazy import lazy_exports

if TYPE_CHECKING:
    from agentroute.config._errors import ConfigError
    from agentroute.config._load import DEFAULT_CONFIG_NAME, find_config, load_config
    from agentroute.config._models import (
        AgentSection,
        BudgetSection,
        Config,
        ExpertConfig,
        KnowledgeConfig,
        MemorySection,
        PersistenceSection,
        PlannerSection,
        PolicySection,
    )

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "ConfigError": "agentroute.config._errors",
        "DEFAULT_CONFIG_NAME": "agentroute.config._load",
        "find_config": "agentroute.config._load",
        "load_config": "agentroute.config._load",
        "AgentSection": "agentroute.config._models",
        "BudgetSection": "agentroute.config._models",
        "Config": "agentroute.config._models",
        "ExpertConfig": "agentroute.config._models",
        "KnowledgeConfig": "agentroute.config._models",
        "MemorySection": "agentroute.config._models",
        "PersistenceSection": "agentroute.config._models",
        "PlannerSection": "agentroute.config._models",
        "PolicySection": "agentroute.config._models",
    },
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
    "PersistenceSection",
    "PlannerSection",
    "PolicySection",
    "find_config",
    "load_config",
]
