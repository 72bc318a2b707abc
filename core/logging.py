import logging
import re

# Tokens, passwords and secrets must never reach a log line, whatever logs them.
_PATTERNS = [
    re.compile(r"(?i)(authorization['\"]?\s*[:=]\s*['\"]?)(bearer|basic|dpop)?\s*[^\s'\",}]+"),
    re.compile(
        r"(?i)((?:access|refresh)_?(?:token|jwt)|client_secret|password|app_password|secret|code)"
        r"(['\"]?\s*[:=]\s*['\"]?)[^\s'\"&,}]+"
    ),
]


def redact(text: str) -> str:
    text = _PATTERNS[0].sub(r"\1[redacted]", text)
    return _PATTERNS[1].sub(r"\1\2[redacted]", text)


class RedactSecretsFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
