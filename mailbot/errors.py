"""The exceptions mailbot raises on purpose.

`ConfigError` stops start-up and names the file and the key; a `StageError`
quarantines one message and the run goes on with the next.
"""


class MailbotError(Exception):
    """Base of every error mailbot raises on purpose."""


class ConfigError(MailbotError):
    """A config, rules or template file is wrong; start-up stops."""

    def __init__(self, file: str, key: str, problem: str):
        self.file, self.key, self.problem = str(file), key, problem
        where = f"{self.file}: {key}" if key else self.file
        super().__init__(f"{where}: {problem}")


class StageError(MailbotError):
    """One pipeline stage failed on one message."""

    def __init__(self, stage: str, cause: BaseException):
        self.stage, self.cause = stage, cause
        super().__init__(f"{stage}: {type(cause).__name__}: {cause}")
