"""Reading requests without a model: clauses, the values a text carries and their kinds, a
tool's arguments filled from plain text, and the one list of stop words.

The ground floor of request reading: planning, retrieval, the MCP client and the turn use it,
and it imports none of them.
"""

from typing import TYPE_CHECKING

from agentroute._lazy import lazy_exports

if TYPE_CHECKING:
    from agentroute.text._answers import Answer, answer_in, asks_quantity
    from agentroute.text._arguments import ArgumentFillError, fill_arguments, validate_arguments
    from agentroute.text._asked_as import asked_as, searched_as
    from agentroute.text._bm25 import LexicalIndex, bm25_idf
    from agentroute.text._clauses import (
        Clause,
        clauses,
        leaves_left_operand,
        names_something,
        opens_question,
        operates,
        refers_back,
        run_on_points,
        sets_scene,
        split_clauses,
        starts_request,
        states_facts,
    )
    from agentroute.text._context import only_context
    from agentroute.text._effects import (
        WRITES,
        asks_to_write,
        names_verb,
        offers_verb,
        tool_effect,
        write_verb,
    )
    from agentroute.text._entities import asked_object, mentions, named_entities
    from agentroute.text._evidence import evidence, numbers_operated, shows_arithmetic
    from agentroute.text._fields import field_kind
    from agentroute.text._files import FILE_NAME, asks_history, file_words, named_place
    from agentroute.text._index_words import exact_terms, index_words, search_words
    from agentroute.text._junctions import split_confident
    from agentroute.text._lexicon import MONTHS, STOP_WORDS, word_list
    from agentroute.text._needs import Need, asks_to_compose, capability_need
    from agentroute.text._nested import Nested, inner_place, inner_quantity, nested_question
    from agentroute.text._quantities import (
        carries_quantity,
        carries_unit,
        numbers_in,
        takes_quantity,
        takes_unit,
    )
    from agentroute.text._references import Reference, Resolved, resolve_references
    from agentroute.text._results import (
        PrincipalValue,
        carried_unit,
        list_numbers,
        principal_value,
        time_of_day,
        value_for,
    )
    from agentroute.text._shapes import KIND_NOUNS, ShapedName, name_shape, shaped_names
    from agentroute.text._spans import year_span
    from agentroute.text._spelling import Speller
    from agentroute.text._stem import stem
    from agentroute.text._surface import plain_request
    from agentroute.text._unknown import UnknownNames
    from agentroute.text._value_kinds import argument_kinds, typed_request, value_kinds
    from agentroute.text._values import digits_for_words, time_zone_places
    from agentroute.text._word_problems import asks_result, compound_quantities, word_problem

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "Answer": "agentroute.text._answers",
        "KIND_NOUNS": "agentroute.text._shapes",
        "ShapedName": "agentroute.text._shapes",
        "Nested": "agentroute.text._nested",
        "nested_question": "agentroute.text._nested",
        "inner_place": "agentroute.text._nested",
        "inner_quantity": "agentroute.text._nested",
        "name_shape": "agentroute.text._shapes",
        "shaped_names": "agentroute.text._shapes",
        "answer_in": "agentroute.text._answers",
        "year_span": "agentroute.text._spans",
        "asks_quantity": "agentroute.text._answers",
        "ArgumentFillError": "agentroute.text._arguments",
        "fill_arguments": "agentroute.text._arguments",
        "validate_arguments": "agentroute.text._arguments",
        "Clause": "agentroute.text._clauses",
        "clauses": "agentroute.text._clauses",
        "leaves_left_operand": "agentroute.text._clauses",
        "split_clauses": "agentroute.text._clauses",
        "run_on_points": "agentroute.text._clauses",
        "opens_question": "agentroute.text._clauses",
        "only_context": "agentroute.text._context",
        "starts_request": "agentroute.text._clauses",
        "names_something": "agentroute.text._clauses",
        "operates": "agentroute.text._clauses",
        "refers_back": "agentroute.text._clauses",
        "states_facts": "agentroute.text._clauses",
        "sets_scene": "agentroute.text._clauses",
        "split_confident": "agentroute.text._junctions",
        "WRITES": "agentroute.text._effects",
        "asked_as": "agentroute.text._asked_as",
        "searched_as": "agentroute.text._asked_as",
        "asks_to_write": "agentroute.text._effects",
        "names_verb": "agentroute.text._effects",
        "offers_verb": "agentroute.text._effects",
        "tool_effect": "agentroute.text._effects",
        "write_verb": "agentroute.text._effects",
        "evidence": "agentroute.text._evidence",
        "shows_arithmetic": "agentroute.text._evidence",
        "numbers_operated": "agentroute.text._evidence",
        "field_kind": "agentroute.text._fields",
        "FILE_NAME": "agentroute.text._files",
        "file_words": "agentroute.text._files",
        "asks_history": "agentroute.text._files",
        "named_place": "agentroute.text._files",
        "asked_object": "agentroute.text._entities",
        "mentions": "agentroute.text._entities",
        "named_entities": "agentroute.text._entities",
        "LexicalIndex": "agentroute.text._bm25",
        "bm25_idf": "agentroute.text._bm25",
        "exact_terms": "agentroute.text._index_words",
        "index_words": "agentroute.text._index_words",
        "search_words": "agentroute.text._index_words",
        "MONTHS": "agentroute.text._lexicon",
        "STOP_WORDS": "agentroute.text._lexicon",
        "stem": "agentroute.text._stem",
        "plain_request": "agentroute.text._surface",
        "word_list": "agentroute.text._lexicon",
        "Need": "agentroute.text._needs",
        "capability_need": "agentroute.text._needs",
        "asks_to_compose": "agentroute.text._needs",
        "carries_quantity": "agentroute.text._quantities",
        "carries_unit": "agentroute.text._quantities",
        "numbers_in": "agentroute.text._quantities",
        "takes_quantity": "agentroute.text._quantities",
        "takes_unit": "agentroute.text._quantities",
        "Reference": "agentroute.text._references",
        "Resolved": "agentroute.text._references",
        "resolve_references": "agentroute.text._references",
        "PrincipalValue": "agentroute.text._results",
        "list_numbers": "agentroute.text._results",
        "principal_value": "agentroute.text._results",
        "value_for": "agentroute.text._results",
        "time_of_day": "agentroute.text._results",
        "carried_unit": "agentroute.text._results",
        "Speller": "agentroute.text._spelling",
        "UnknownNames": "agentroute.text._unknown",
        "argument_kinds": "agentroute.text._value_kinds",
        "typed_request": "agentroute.text._value_kinds",
        "value_kinds": "agentroute.text._value_kinds",
        "digits_for_words": "agentroute.text._values",
        "time_zone_places": "agentroute.text._values",
        "word_problem": "agentroute.text._word_problems",
        "asks_result": "agentroute.text._word_problems",
        "compound_quantities": "agentroute.text._word_problems",
    },
)

__all__ = [
    "FILE_NAME",
    "KIND_NOUNS",
    "MONTHS",
    "STOP_WORDS",
    "WRITES",
    "Answer",
    "ArgumentFillError",
    "Clause",
    "LexicalIndex",
    "Need",
    "Nested",
    "PrincipalValue",
    "Reference",
    "Resolved",
    "ShapedName",
    "Speller",
    "UnknownNames",
    "answer_in",
    "argument_kinds",
    "asked_as",
    "asked_object",
    "asks_history",
    "asks_quantity",
    "asks_result",
    "asks_to_compose",
    "asks_to_write",
    "bm25_idf",
    "capability_need",
    "carried_unit",
    "carries_quantity",
    "carries_unit",
    "clauses",
    "compound_quantities",
    "digits_for_words",
    "evidence",
    "exact_terms",
    "field_kind",
    "file_words",
    "fill_arguments",
    "index_words",
    "inner_place",
    "inner_quantity",
    "leaves_left_operand",
    "list_numbers",
    "mentions",
    "name_shape",
    "named_entities",
    "named_place",
    "names_something",
    "names_verb",
    "nested_question",
    "numbers_in",
    "numbers_operated",
    "offers_verb",
    "only_context",
    "opens_question",
    "operates",
    "plain_request",
    "principal_value",
    "refers_back",
    "resolve_references",
    "run_on_points",
    "search_words",
    "searched_as",
    "sets_scene",
    "shaped_names",
    "shows_arithmetic",
    "split_clauses",
    "split_confident",
    "starts_request",
    "states_facts",
    "stem",
    "takes_quantity",
    "takes_unit",
    "time_of_day",
    "time_zone_places",
    "tool_effect",
    "typed_request",
    "validate_arguments",
    "value_for",
    "value_kinds",
    "word_list",
    "word_problem",
    "write_verb",
    "year_span",
]
