"""Reading requests without a model: clauses, the values a text carries and their kinds, a
tool's arguments filled from plain text, and the one list of stop words.

The ground floor of request reading: planning, retrieval, the MCP client and the turn use it,
and it imports none of them.
"""

from agentroute.text._answers import Answer, answer_in
from agentroute.text._arguments import ArgumentFillError, fill_arguments, validate_arguments
from agentroute.text._clauses import Clause, clauses, split_clauses
from agentroute.text._effects import WRITES, asks_to_write, names_verb, tool_effect, write_verb
from agentroute.text._entities import mentions, named_entities
from agentroute.text._index_words import index_words
from agentroute.text._lexicon import MONTHS, STOP_WORDS, word_list
from agentroute.text._needs import Need, capability_need
from agentroute.text._quantities import carries_quantity, numbers_in, takes_quantity
from agentroute.text._references import Reference, Resolved, resolve_references
from agentroute.text._results import PrincipalValue, list_numbers, principal_value, value_for
from agentroute.text._spelling import Speller
from agentroute.text._value_kinds import argument_kinds, typed_request, value_kinds

__all__ = [
    "MONTHS",
    "STOP_WORDS",
    "WRITES",
    "Answer",
    "ArgumentFillError",
    "Clause",
    "Need",
    "PrincipalValue",
    "Reference",
    "Resolved",
    "Speller",
    "answer_in",
    "argument_kinds",
    "asks_to_write",
    "capability_need",
    "carries_quantity",
    "clauses",
    "fill_arguments",
    "index_words",
    "list_numbers",
    "mentions",
    "named_entities",
    "names_verb",
    "numbers_in",
    "principal_value",
    "resolve_references",
    "split_clauses",
    "takes_quantity",
    "tool_effect",
    "typed_request",
    "validate_arguments",
    "value_for",
    "value_kinds",
    "word_list",
    "write_verb",
]
