import io
import json
import os
import socket

import pytest

from assistant import cli, engine
from assistant.index.store import read_manifest

from .conftest import FakeEmbedder


@pytest.fixture
def run(monkeypatch, corpus_dir, tmp_path, capsys):
    """main(argv) with the fake embedder; returns (exit code, stdout, stderr). `serve` builds
    its index in this process (not in the child it runs in production, which would load the
    real model), and takes the fake's vectors for its own."""
    from assistant.serve import server
    from assistant.settings import Settings

    monkeypatch.setattr(engine, "SentenceTransformerEmbedder", lambda settings: FakeEmbedder())
    monkeypatch.setattr(server, "embedder_identity", lambda settings: "fake")
    monkeypatch.setattr(server, "build_in_child", lambda environment, log: engine.Assistant.open(
        Settings.from_env({**os.environ, **environment}), warm=False))
    monkeypatch.delenv("ASSISTANT_DEBUG", raising=False)

    def invoke(*argv, stdin=None):
        if stdin is not None:
            monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = cli.main([*argv, "--corpus", str(corpus_dir), "--index", str(tmp_path / "index")])
        out = capsys.readouterr()
        return code, out.out, out.err

    return invoke


def test_build_prints_a_summary(run):
    code, out, err = run("build")
    assert code == 0 and err == ""
    assert out.startswith("Đã xây dựng chỉ mục ") and ": 2 văn bản, " in out


def test_ask_json_is_exactly_the_answer_object(run):
    code, out, _ = run("ask", "Ai chịu trách nhiệm khen thưởng?", "--json")
    answer = json.loads(out)
    assert code == 0 and list(answer) == ["question", "found", "answer", "citations", "took_ms", "interpreted_as",
                                          "confidence", "lead"]
    assert answer["found"] and "Sở Nội vụ" in answer["answer"]


def test_ask_prints_the_answer_and_its_sources(run):
    code, out, _ = run("ask", "ai chiu trach nhiem khen thuong o ninh thuan")
    assert code == 0
    assert out.splitlines()[0] == "Có thể là: Đơn vị thực hiện: Sở Nội vụ"
    assert "\nNguồn:\n[1] Ninh Thuận — " in out
    assert "mục II › 1 › 1.1" in out


def test_ask_reads_one_question_per_line_and_keeps_going_after_a_bad_one(run):
    questions = "Ai chịu trách nhiệm khen thưởng?\n\n" + "x" * 2001 + "\nBắc Giang báo cáo trước ngày nào?\n"
    code, out, err = run("ask", "-", "--json", stdin=questions)
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 1
    assert [("error" in line) for line in lines] == [False, True, False]
    assert lines[1] == {"question": "x" * 2001,
                        "error": "câu hỏi dài 2001 ký tự, vượt giới hạn 2000 ký tự; hãy rút gọn câu hỏi"}
    assert "15/11" in lines[2]["answer"]
    assert err.count("Error: ") == 1


@pytest.mark.parametrize("argv, message", [
    (("ask", ""), "Error: câu hỏi đang trống; hãy nhập câu hỏi, ví dụ: «Ai chịu trách nhiệm khen thưởng?»\n"),
    (("ask", "Ai ký?", "--province", "atlantis"),
     "Error: không có tỉnh «atlantis» trong bộ văn bản; các tỉnh hiện có: bac-giang, ninh-thuan\n"),
    (("show", "nope"), "Error: không có văn bản «nope»; các văn bản hiện có: bac-giang-test, ninh-thuan-test\n"),
])
def test_errors_are_one_line_and_exit_non_zero(run, argv, message):
    code, out, err = run(*argv)
    assert (code, out) == (1, "")
    assert err.endswith(message) and "Traceback" not in err


def test_show_json_has_metadata_sections_and_the_text_offsets_refer_to(run):
    code, out, _ = run("show", "bac-giang-test", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["signer"] == "Mai Sơn" and doc["replaces"][0].startswith("Kế hoạch số 192")
    assert doc["text"].startswith("Số: /KH-UBND\n")
    assert {"number": "2", "title": "Sở Nội vụ", "path": "VI › 2"} == {
        k: v for k, v in doc["sections"][3].items() if k in ("number", "title", "path")}


def test_a_usage_error_is_one_line(capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["ask"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("Error: the following arguments are required: question") and err.count("\n") == 1


def test_an_unexpected_failure_is_one_line_without_a_traceback(run, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(engine, "build_index", boom)
    code, _, err = run("build")
    assert code == 70
    assert err == ("Error: lỗi nội bộ (RuntimeError: disk on fire); chạy lại với ASSISTANT_DEBUG=1 "
                   "để xem chi tiết\n")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_serve_refuses_a_busy_port_in_one_line(run):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code, out, err = run("serve", "--port", str(port))
    assert (code, out) == (1, "")
    assert err == f"Error: cổng {port} đang được dùng; chọn cổng khác bằng --port\n"


@pytest.mark.parametrize("argv, message", [
    (("--port", "70000"), "Error: cổng 70000 không hợp lệ; chọn một số từ 1 đến 65535 bằng --port\n"),
    (("--host", "no-such-host.invalid"), "Error: không nhận ra địa chỉ «no-such-host.invalid»; dùng --host 127.0.0.1\n"),
])
def test_serve_refuses_a_bad_address(run, argv, message):
    assert run("serve", *argv)[::2] == (1, message)


@pytest.fixture
def quiet_access_log(monkeypatch):
    """serve() gives the access log a stderr handler for good; tests leave none behind."""
    monkeypatch.setattr("assistant.serve.server.log_requests", lambda: None)


def test_serve_opens_the_engine_then_runs_the_app(run, monkeypatch, quiet_access_log):
    import uvicorn

    served = {}
    monkeypatch.setattr(uvicorn.Server, "run", lambda self: served.update(config=self.config))
    code, _, err = run("serve", "--port", "8123", "--workers", "1")
    config = served["config"]
    assert code == 0 and (config.host, config.port) == ("127.0.0.1", 8123)
    # an included router (the study routes) is one route without a path of its own
    assert {getattr(route, "path", "") for route in config.app.routes} >= {"/", "/api/ask", "/api/health", "/docs"}
    assert (config.timeout_keep_alive, config.header_seconds) == (5, 10)
    assert "Trang hỏi đáp: http://127.0.0.1:8123/" in err and "Cảnh báo" not in err


def test_serve_with_workers_reads_the_index_once_then_starts_them(run, monkeypatch, corpus_dir, tmp_path,
                                                                  quiet_access_log):
    from uvicorn import supervisors

    started = {}

    class Supervisor:
        def __init__(self, config, sockets):
            started.update(config=config, sockets=sockets)
            self.processes = []

        def run(self):
            for sock in started["sockets"]:
                sock.close()

    monkeypatch.setattr(supervisors, "Multiprocess", Supervisor)
    monkeypatch.setattr(os, "environ", os.environ.copy())  # serve sets the workers' settings in it
    assert run("build")[0] == 0
    built = (tmp_path / "index" / "CURRENT").read_text(encoding="utf-8")
    code, _, err = run("serve", "--port", str(_free_port()), "--workers", "2")
    config = started["config"]
    assert code == 0 and (config.workers, config.app, config.factory) == (2, "assistant.serve.server:worker_app", True)
    assert (tmp_path / "index" / "CURRENT").read_text(encoding="utf-8") == built  # intact: only read, no new version
    assert os.environ["ASSISTANT_CORPUS_DIR"] == str(corpus_dir)
    assert os.environ["ASSISTANT_INDEX_DIR"] == str(tmp_path / "index")
    assert os.environ["ASSISTANT_THREADS"] == "1"  # two cores' threads shared by two workers
    assert "trong 2 tiến trình" in err


def test_serve_warns_when_it_listens_beyond_loopback(run, monkeypatch, quiet_access_log):
    import uvicorn

    monkeypatch.setattr(uvicorn.Server, "run", lambda self: None)
    code, _, err = run("serve", "--host", "0.0.0.0", "--port", "8123", "--workers", "1")
    assert code == 0
    assert err.splitlines()[0] == ("Cảnh báo: máy chủ lắng nghe trên 0.0.0.0, máy khác trong mạng truy cập được; "
                                   "không có đăng nhập hay mã hóa (HTTPS): hãy đặt sau một reverse proxy, "
                                   "hoặc dùng --host 127.0.0.1")


def test_an_index_remembers_its_corpus(monkeypatch, corpus_dir, tmp_path, capsys):
    """Build corpus A into X, then ask with --index X from a folder with a corpus/ of its own."""
    monkeypatch.setattr(engine, "SentenceTransformerEmbedder", lambda settings: FakeEmbedder())
    monkeypatch.delenv("ASSISTANT_CORPUS_DIR", raising=False)
    index = tmp_path / "X"
    assert cli.main(["build", "--corpus", str(corpus_dir), "--index", str(index)]) == 0
    built_at = read_manifest(index)["built_at"]
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "corpus").mkdir(parents=True)
    (elsewhere / "corpus" / "ha-noi.txt").write_text("KẾ HOẠCH\n\nSở Ngoại vụ lo khen thưởng.\n", encoding="utf-8")
    monkeypatch.chdir(elsewhere)
    capsys.readouterr()

    assert cli.main(["ask", "Ai chịu trách nhiệm khen thưởng ở Ninh Thuận?", "--index", str(index), "--json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert "Sở Nội vụ" in answer["answer"] and answer["citations"][0]["doc_id"] == "ninh-thuan-test"
    assert read_manifest(index)["built_at"] == built_at  # no rebuild

    assert cli.main(["ask", "Ai ký?", "--index", str(index), "--corpus", "corpus"]) == 1
    err = capsys.readouterr().err
    assert err == (f"Error: chỉ mục {index} được xây dựng từ thư mục {corpus_dir.resolve()}, không phải "
                   f"{(elsewhere / 'corpus').resolve()}; bỏ --corpus để dùng thư mục của chỉ mục, chọn chỉ mục "
                   f"khác bằng --index, hoặc chạy `assistant build --corpus corpus --index {index}` để xây dựng "
                   f"lại từ corpus\n")

    assert cli.main(["build", "--index", str(index)]) == 0  # rebuilds from its own corpus
    assert f"từ {corpus_dir.resolve()}: 2 văn bản" in capsys.readouterr().out

    assert cli.main(["build", "--index", str(index), "--corpus", "corpus"]) == 0  # asked for: replaced, and said
    out = capsys.readouterr()
    assert out.err == (f"Chỉ mục {index} trước đây được xây dựng từ {corpus_dir.resolve()}; "
                       "nay thay bằng chỉ mục từ corpus.\n")
    assert "từ corpus: 1 văn bản" in out.out
