"""TargetIndex's token matching and argument-fit bonus, with the real MiniLM embedder."""

from __future__ import annotations

import numpy as np
import pytest

from agentroute.embeddings import default_embedder
from agentroute.targets._index import TargetIndex, descriptor_texts
from agentroute.text import argument_kinds, typed_request, value_kinds
from agentroute.types import TargetDescriptor, TargetKind


def tool(name: str, description: str, *examples: str, **props: str) -> TargetDescriptor:
    schema = {"type": "object", "properties": {k: {"type": v} for k, v in props.items()}}
    return TargetDescriptor(
        name=name, kind=TargetKind.TOOL, description=description, examples=list(examples),
        input_schema=schema, server=name.split(".")[0],
    )  # fmt: skip


# Two tools worded alike; only one takes a path.
READ_FILE = tool("files.read_document", "Show the written contents of a document", path="string")
READ_NOTE = tool("notes.read_note", "Show the written contents of a saved note", note_id="string")
CATALOGUE = [
    READ_FILE,
    READ_NOTE,
    tool(
        "kube.apply_manifest", "Apply a Kubernetes YAML manifest to the cluster", manifest="string"
    ),
    tool("mail.send", "Send an email message", to="string", body="string"),
    tool("net.ping", "Ping a host to check that it is reachable", host="string"),
]


@pytest.fixture(scope="module")
def index() -> TargetIndex:
    idx = TargetIndex(default_embedder())
    idx.add(CATALOGUE)
    return idx


def test_value_kinds_of_requests() -> None:
    assert value_kinds("show me what's written in config.yaml") == {"path"}
    assert value_kinds("which files live under /var/www") == {"path"}
    assert value_kinds("email the report to jane@example.com") == {"email"}
    assert value_kinds("fetch https://example.com/a.html") == {"url"}
    assert value_kinds("can I reach google.com") == {"host"}
    assert value_kinds("check latency to 8.8.8.8") == {"host"}
    assert value_kinds("what time is it in Tokyo") == {"timezone"}
    assert value_kinds("tell the team the build is green") == frozenset()


def test_value_shapes_of_popular_servers() -> None:
    assert value_kinds("tell #general that the deploy is done") == {"channel"}
    assert value_kinds("what's the status of PROJ-123") == {"issue"}
    assert value_kinds("SELECT the ten biggest orders") == {"sql"}
    assert value_kinds("what is PATH set to") == {"env"}
    assert value_kinds("echo $DATABASE_URL") == {"env"}
    # Look-alikes that are none of these.
    assert value_kinds("decode it as UTF-8 and hash with SHA-256") == frozenset()
    assert value_kinds("see page.html#intro, &#39; and # heading") <= {"path"}
    assert value_kinds("please select the best one") == frozenset()


def test_typed_request_spells_out_abbreviations_and_new_kinds() -> None:
    assert typed_request("show me PR 58") == "show me pull request 58"
    assert typed_request("which MRs wait for review") == "which merge requests wait for review"
    assert typed_request("update the price in the db") == "update the price in the database"
    assert typed_request("my to-dos for today") == "my to-do tasks for today"
    assert typed_request("email Mr Smith the PR") == "email Mr Smith the pull request"
    assert typed_request("tell #general hi") == "tell channel #general hi"
    assert typed_request("close JIRA-7") == "close issue JIRA-7"
    assert typed_request("what is HOME") == "what is environment variable HOME"
    # A kind already said is not said twice; words inside values are left alone.
    assert typed_request("read the file notes.txt") == "read the file notes.txt"
    assert typed_request("open db/pr.md") == "open file db/pr.md"


def test_typed_request_spells_out_value_kinds() -> None:
    assert typed_request("show me config.yaml") == "show me file config.yaml"
    assert typed_request("mail jane@example.com") == "mail email address jane@example.com"
    assert typed_request("list /var/www now") == "list folder /var/www now"
    assert typed_request("no values here") == "no values here"


def test_argument_kinds_follow_the_argument_filler() -> None:
    assert argument_kinds({"properties": {"repo_path": {"type": "string"}}}) == {"path"}
    assert argument_kinds({"properties": {"target": {"type": "string", "format": "uri"}}}) == {
        "url",
        "host",
    }
    assert argument_kinds({"properties": {"hostname": {"type": "string"}}}) == {"host", "url"}
    assert argument_kinds({"properties": {"to": {"type": "string", "format": "email"}}}) == {
        "email"
    }
    assert argument_kinds({"properties": {"count": {"type": "integer"}}}) == frozenset()
    props = {"channel_id": {}, "issue_key": {}, "sql": {}, "name": {}}
    assert argument_kinds({"properties": props}) == {"channel", "issue", "sql"}
    assert argument_kinds(None) == frozenset()


def test_a_file_name_favours_the_tool_that_takes_a_path(index: TargetIndex) -> None:
    hits = index.search("show me what's written in config.yaml", k=3)
    assert hits[0].descriptor.name == "files.read_document", [
        (h.descriptor.name, round(h.score, 3)) for h in hits
    ]
    # Without the file name the two readers are close; the path-taking one gains the bonus.
    plain = {h.descriptor.name: h.rank_score for h in index.search("show me what's written", k=5)}
    with_file = {h.descriptor.name: h.rank_score for h in index.search("show me config.yaml", k=5)}
    gap_plain = plain["files.read_document"] - plain["notes.read_note"]
    gap_file = with_file["files.read_document"] - with_file["notes.read_note"]
    assert gap_file > gap_plain


def test_argument_bonus_is_added_once_per_fitting_target() -> None:
    emb = default_embedder()
    with_bonus, without = TargetIndex(emb, argument_bonus=0.5), TargetIndex(emb, argument_bonus=0)
    with_bonus.add(CATALOGUE)
    without.add(CATALOGUE)
    q = "ping 8.8.8.8"
    a = {h.descriptor.name: h.rank_score for h in with_bonus.search(q, k=5)}
    b = {h.descriptor.name: h.rank_score for h in without.search(q, k=5)}
    assert a["net.ping"] == pytest.approx(b["net.ping"] + 0.5, abs=1e-6)
    assert a["mail.send"] == pytest.approx(b["mail.send"], abs=1e-6)


def test_token_matching_scores_a_verbatim_description_highest(index: TargetIndex) -> None:
    text = descriptor_texts(CATALOGUE[2])[0]
    hits = index.search(text, k=5)
    assert hits[0].descriptor.name == "kube.apply_manifest"
    assert hits[0].best_text == text
    # Every content token matches itself; only the request's function words fall short. The
    # tool is alone on its server, so the server mean is its own score; the text is also the
    # best keyword match, so it gains the whole lexical share.
    share = 1.0 + index.server_weight + index.lexical_weight
    assert 0.9 * share < hits[0].rank_score <= share + 1e-5
    assert hits[0].rank_score > hits[1].rank_score + 0.2
    assert hits[0].score == pytest.approx(1.0, abs=1e-3)  # the sentence cosine, verbatim
    ranks = [h.rank_score for h in hits]
    assert ranks == sorted(ranks, reverse=True)


def test_score_stays_a_cosine_for_thresholds() -> None:
    emb = default_embedder()
    ranked, plain = TargetIndex(emb), TargetIndex(emb, token_weight=0, server_weight=0)
    ranked.add(CATALOGUE)
    plain.add(CATALOGUE)
    q = "please water my tomato plants tonight"
    cosine = {h.descriptor.name: h.score for h in plain.search(q, k=5)}
    for hit in ranked.search(q, k=5):  # whatever the order, score is the best text's cosine
        vec = emb.embed(descriptor_texts(hit.descriptor)) @ emb.embed([q])[0]
        assert hit.score == pytest.approx(float(vec.max()), abs=1e-5)
        assert hit.score == pytest.approx(cosine[hit.descriptor.name], abs=1e-5)


def test_token_weight_zero_is_plain_cosine() -> None:
    emb = default_embedder()
    idx = TargetIndex(emb, token_weight=0.0, argument_bonus=0.0, server_weight=0.0)
    idx.add(CATALOGUE)
    q = "send a message to Bob"
    hit = idx.search(q, k=1)[0]
    vec = emb.embed(descriptor_texts(hit.descriptor)) @ emb.embed([q])[0]
    assert hit.score == pytest.approx(float(vec.max()), abs=1e-5)


def test_encoded_query_is_cached_and_reusable(index: TargetIndex) -> None:
    q = index.encode_query("ping example.org")
    assert q is index.encode_query("ping example.org")
    assert q.kinds == {"host"} and q.tokens is not None and q.tokens.shape[1] == 384
    np.testing.assert_allclose(np.linalg.norm(q.tokens, axis=1), 1.0, atol=1e-5)
    assert [h.descriptor.name for h in index.search_encoded(q, k=2)] == [
        h.descriptor.name for h in index.search("ping example.org", k=2)
    ]
    # A bare vector still searches, by cosine alone.
    assert index.search_vector(q.vector, k=1)[0].descriptor.name == "net.ping"


def test_server_weight_adds_a_share_of_the_server_mean() -> None:
    emb = default_embedder()
    catalogue = [
        tool("mail.send", "Send an email message", to="string"),
        tool("mail.search", "Search the mailbox for messages", query="string"),
        tool("net.ping", "Ping a host to check that it is reachable", host="string"),
    ]
    plain = TargetIndex(emb, server_weight=0.0, argument_bonus=0.0)
    grouped = TargetIndex(emb, server_weight=0.5, argument_bonus=0.0)
    plain.add(catalogue)
    grouped.add(catalogue)
    q = "write to Bob about lunch"
    a = {h.descriptor.name: h.rank_score for h in plain.search(q, k=3)}
    b = {h.descriptor.name: h.rank_score for h in grouped.search(q, k=3)}
    mail_mean = (a["mail.send"] + a["mail.search"]) / 2
    assert b["mail.send"] == pytest.approx(a["mail.send"] + 0.5 * mail_mean, abs=1e-6)
    assert b["mail.search"] == pytest.approx(a["mail.search"] + 0.5 * mail_mean, abs=1e-6)
    assert b["net.ping"] == pytest.approx(1.5 * a["net.ping"], abs=1e-6)  # alone on its server


def test_token_match_is_a_symmetric_chamfer_similarity() -> None:
    from agentroute.targets._tokens import content_tokens, token_match

    e = np.eye(3, dtype=np.float32)
    # Text 0 = tokens {x, y}; text 1 = {z}. Request = {x, z}.
    rows, starts = np.stack([e[0], e[1], e[2]]), np.array([0, 2])
    counts = np.array([2.0, 1.0], dtype=np.float32)
    request = np.stack([e[0], e[2]])
    forward = token_match(rows, starts, counts, request, 0.0)  # request → text
    backward = token_match(rows, starts, counts, request, 1.0)  # text → request
    np.testing.assert_allclose(forward, [0.5, 0.5])  # x found in text 0, z in text 1
    np.testing.assert_allclose(backward, [0.5, 1.0])  # y unmatched; z matched
    np.testing.assert_allclose(token_match(rows, starts, counts, request, 0.5), [0.5, 0.75])
    kept = content_tokens(["the", "file", "?"], e)
    np.testing.assert_array_equal(kept, e[1:2])
    np.testing.assert_array_equal(content_tokens(["the"], e[:1]), e[:1])  # never empty


def test_a_quoted_phrase_with_numbers_is_data_not_arithmetic() -> None:
    assert typed_request("Echo '4, 5 and 6' back") == "Echo text back"
    assert typed_request('say "I have 2 cats"') == "say text"
    assert typed_request("read 'logs/2024.txt'") == "read file 'logs/2024.txt'"  # a quoted path
    assert typed_request("what's 2 and 3") == "what's 2 and 3"
