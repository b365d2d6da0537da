"""Reading local mail: files, folders (recursively), Maildirs, mboxes, in input order."""

from mailbot.sources import read_paths

MAIL = b"From: a@example.com\nSubject: %s\n\nbody\n"


def test_folder_is_read_recursively_in_name_order_and_non_mail_is_left_out(tmp_path, caplog):
    (tmp_path / "b").mkdir()
    (tmp_path / "a.eml").write_bytes(MAIL % b"a")
    (tmp_path / "b" / "c.eml").write_bytes(MAIL % b"c")
    (tmp_path / "b" / "broken.msg").write_bytes(b"no headers at all, but it says it is mail")
    (tmp_path / "LICENSE").write_bytes(b"Permission is hereby granted...")
    (tmp_path / "README.txt").write_bytes(b"These are test messages.")
    sources = [m.source.rsplit("/", 1)[-1] for m in read_paths([tmp_path])]
    assert sources == ["a.eml", "broken.msg", "c.eml"]
    assert "LICENSE: not read" in caplog.text and "README.txt: not read" in caplog.text


def test_a_file_named_on_the_command_line_is_always_read(tmp_path):
    path = tmp_path / "LICENSE"
    path.write_bytes(b"not mail")
    assert [m.data for m in read_paths([path])] == [b"not mail"]


def test_maildir_and_mbox(tmp_path):
    maildir = tmp_path / "md"
    for sub in ("cur", "new", "tmp"):
        (maildir / sub).mkdir(parents=True)
    (maildir / "new" / "2.x").write_bytes(MAIL % b"2")
    (maildir / "cur" / "1.x:2,S").write_bytes(MAIL % b"1")
    (maildir / "new" / ".gitkeep").write_bytes(b"")
    mbox = tmp_path / "box.mbox"
    mbox.write_bytes(b"From a@example.com Mon Nov  2 10:00:00 2026\n" + MAIL % b"m1" +
                     b"\nFrom a@example.com Mon Nov  2 11:00:00 2026\n" + MAIL % b"m2")
    messages = list(read_paths([maildir, mbox]))
    assert [m.source.rsplit("/", 1)[-1] for m in messages] == ["1.x:2,S", "2.x", "box.mbox#1", "box.mbox#2"]
