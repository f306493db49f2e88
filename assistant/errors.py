"""User-facing errors. Each message says what went wrong and what to do next;
the CLI prints it as `Error: …`, the API returns it in one JSON shape."""


class AssistantError(Exception):
    """Base class: shown to the user as is."""

    status = 400


class InvalidQuestionError(AssistantError):
    status = 422


class UnknownProvinceError(AssistantError):
    status = 422


class UnknownDocumentError(AssistantError):
    status = 404


class CorpusError(AssistantError):
    pass


class IndexError_(AssistantError):
    pass


class ModelLoadError(AssistantError):
    status = 503
