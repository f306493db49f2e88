"""User-facing errors. Each message says what went wrong and what to do next;
the CLI prints it as `Error: …`, the API returns it in one JSON shape."""


class AssistantError(Exception):
    """Base class: shown to the user as is. `status` and `code` are its HTTP answer."""

    status = 400
    code = "bad_request"


class InvalidQuestionError(AssistantError):
    status = 422
    code = "invalid_question"


class UnknownProvinceError(AssistantError):
    status = 422
    code = "unknown_province"


class UnknownDocumentError(AssistantError):
    status = 404
    code = "unknown_document"


class CorpusError(AssistantError):
    status = 503
    code = "corpus_unavailable"


class IndexError_(AssistantError):
    status = 503
    code = "index_unavailable"


class ModelLoadError(AssistantError):
    status = 503
    code = "model_unavailable"


class UnreadableDocumentError(CorpusError):
    """One file that cannot be read: encrypted, damaged, an image with no text, a format
    not supported. The message names the file; the rest of the corpus is unaffected."""

    status = 422
    code = "unreadable_document"


class UnknownTopicError(AssistantError):
    status = 422
    code = "unknown_topic"


class UnsupportedFormatError(AssistantError):
    status = 422
    code = "unknown_format"


class InvalidRequestError(AssistantError):
    status = 422
    code = "invalid_request"


class Overloaded(AssistantError):
    """The server's queue of questions is full; `retry_after` seconds is a fair wait."""

    status = 503
    code = "overloaded"

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


class TimedOut(AssistantError):
    status = 504
    code = "timeout"


class ClientGone(AssistantError):
    """The client disconnected while its question waited: nobody reads the answer."""

    status = 499
    code = "client_closed_request"
