"""Slack's limits and failure modes: the send queue, response_url, not being in a
channel, rate limits, a stream that breaks half-way."""

from __future__ import annotations

import threading
import time

import pytest

from bot import messages
from bot.app import web_client
from bot.delivery import Courier, Place
from bot.memory import AnswerCache, ExpiringSet, ResponseUrlBudget
from bot.replies import Reply, Upload, text_reply
from bot.send_queue import ChannelSendQueue
from tests.bot.conftest import slack_settings, texts
from tests.fakes.slack_server import FakeSlack


def courier(slack: FakeSlack, interval: float = 0.0) -> Courier:
    client = web_client(slack_settings(slack).slack)
    return Courier(client, queue=ChannelSendQueue(interval), budget=ResponseUrlBudget())


def test_the_queue_keeps_order_and_spacing_per_channel():
    queue = ChannelSendQueue(interval_s=0.05)
    sent: list[tuple[str, int, float]] = []
    futures = [
        queue.submit("C1", lambda i=i: sent.append(("C1", i, time.monotonic()))) for i in range(4)
    ]
    other = queue.submit("C2", lambda: sent.append(("C2", 0, time.monotonic())))
    for f in [*futures, other]:
        f.result(timeout=5)
    ones = [s for s in sent if s[0] == "C1"]
    assert [s[1] for s in ones] == [0, 1, 2, 3]
    gaps = [b[2] - a[2] for a, b in zip(ones, ones[1:], strict=False)]
    assert min(gaps) >= 0.045
    order = [(channel, i) for channel, i, _ in sent]
    assert order.index(("C2", 0)) < order.index(("C1", 2))  # other channels do not wait


def test_a_failed_send_reaches_its_caller_and_the_queue_goes_on():
    queue = ChannelSendQueue(interval_s=0)

    def fail() -> None:
        raise ValueError("boom")

    with pytest.raises(ValueError):
        queue.send("C1", fail)
    assert queue.send("C1", lambda: "next") == "next"


def test_memories_expire():
    now = [0.0]
    seen = ExpiringSet(ttl_s=10, clock=lambda: now[0])
    assert seen.add_new("e") and not seen.add_new("e")
    now[0] = 11
    assert seen.add_new("e")
    budget = ResponseUrlBudget(uses=1, window_s=10, clock=lambda: now[0])
    assert budget.take("u") and not budget.take("u")
    cache = AnswerCache(size=1, ttl_s=10, clock=lambda: now[0])
    first = cache.put(object(), "U1")  # type: ignore[arg-type]
    second = cache.put(object(), "U1")  # type: ignore[arg-type]
    assert cache.get(first) is None and cache.get(second) is not None  # LRU size 1
    now[0] = 30
    assert cache.get(second) is None


def test_not_being_in_the_channel_is_said_in_a_dm(slack: FakeSlack):
    slack.not_member.add("C0PRIVATE1")
    courier(slack).deliver(
        Place(channel="C0PRIVATE1", user="U0ALICE001", thread_ts="1.1"), text_reply("an answer")
    )
    posts = slack.wait_for("chat.postMessage", 2)
    assert posts[1].args["channel"] == "U0ALICE001"
    assert posts[1].args["text"] == messages.NOT_IN_CHANNEL


def test_an_upload_where_the_app_is_not_a_member_whispers_why(slack: FakeSlack):
    slack.not_member.add("C0PRIVATE1")
    upload = Upload(filename="x.csv", content="a\n1\n", title="t", comment="c", rows=1)
    courier(slack).deliver(
        Place(channel="C0PRIVATE1", user="U0ALICE001", message_ts="2.2"),
        Reply(text="c", upload=upload),
    )
    [whisper] = slack.wait_for("chat.postEphemeral")
    assert texts(whisper.args["blocks"]) == messages.NOT_IN_CHANNEL


def test_a_rate_limited_post_is_retried_after_retry_after(slack: FakeSlack):
    slack.fail_next("chat.postMessage", "ratelimited", status=429, headers={"Retry-After": "0"})
    courier(slack).deliver(
        Place(channel="C0CHANNEL1", user="U1", thread_ts="1.1"), text_reply("after the wait")
    )
    first, second = slack.wait_for("chat.postMessage", 2)
    assert second.args["text"] == "after the wait"


def test_a_stream_that_breaks_half_way_is_finished_by_an_update(slack: FakeSlack):
    slack.fail_next("chat.stopStream", "message_not_in_streaming_state")
    reply = Reply(
        text="done", blocks=text_reply("done").blocks, lead="Part one. Part two.", tail=[]
    )
    place = Place(channel="D1", user="U1", team="T1", thread_ts="1.1", assistant=True)
    courier(slack).converse(place, lambda: reply)
    [update] = slack.wait_for("chat.update")
    [start] = slack.calls_to("chat.startStream")
    assert update.args["text"] == "done" and texts(update.args["blocks"]) == "done"
    assert start.args["chunks"][0]["text"] == "Part one. "


def test_a_status_note_is_replaced_even_when_several_answers_run_at_once(slack: FakeSlack):
    sender = courier(slack)
    places = [Place(channel=f"C{n}", user="U1", thread_ts=f"{n}.1") for n in range(6)]
    threads = [
        threading.Thread(target=sender.converse, args=(p, lambda n=n: text_reply(f"answer {n}")))
        for n, p in enumerate(places)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    updates = slack.wait_for("chat.update", 6)
    assert sorted(u.args["text"] for u in updates) == [f"answer {n}" for n in range(6)]
