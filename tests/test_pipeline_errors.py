"""A message that fails a stage gets its line with `error` set; the run goes on."""

from mailbot.records import RawMessage
from mailbot.store import Store

GOOD = b"From: a@example.com\r\nSubject: hi\r\nMessage-ID: <1@x>\r\n\r\nWhere is my order #10492?\r\n"
BOOM = b"From: b@example.com\r\nSubject: boom\r\nMessage-ID: <2@x>\r\n\r\nkaboom\r\n"


def test_stage_failure_is_kept_with_its_error_and_the_run_goes_on(pipeline_factory, tmp_path):
    store = Store(tmp_path / "s.sqlite3")
    pipeline = pipeline_factory(store=store)
    real_classifier = pipeline.classifier

    def flaky(parsed, extraction):
        if "kaboom" in extraction.new_text:
            raise RuntimeError("model exploded")
        return real_classifier(parsed, extraction)

    pipeline.classifier = flaky
    results = list(pipeline.triage_all([RawMessage("bad.eml", BOOM), RawMessage("good.eml", GOOD)]))
    bad, good = results
    assert bad["error"] == "classify: RuntimeError: model exploded"
    assert bad["from"] == "b@example.com" and bad["subject"] == "boom"  # what could be filled is
    assert bad["intent"] is None and bad["action"] is None
    assert good["error"] is None and good["action"] is not None
    failed = store.failed()
    assert len(failed) == 1 and "model exploded" in failed[0][2]

    # The failed message is retried on the next run, not reused.
    pipeline.classifier = real_classifier
    retried = pipeline.triage(RawMessage("bad.eml", BOOM))
    assert retried["error"] is None
    assert store.failed() == []


def test_bytes_that_are_not_mail_still_get_a_line(pipeline_factory):
    pipeline = pipeline_factory()
    result = pipeline.triage(RawMessage("junk.bin", b"\x00\xff\xfe garbage \x00" * 10))
    assert result["source"] == "junk.bin"
    assert set(result) >= {"intent", "action", "error"}
