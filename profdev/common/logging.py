"""Logging filter that keeps SNILS numbers out of every log line."""

import logging
import re

_SNILS_IN_TEXT = re.compile(r"\b\d{3}[- ]?\d{3}[- ]?\d{3}[- ]?\d{2}\b")


def mask_snils_in_text(text: str) -> str:
    return _SNILS_IN_TEXT.sub("***-***-*** **", text)


class MaskSnilsFilter(logging.Filter):
    """Rewrites the rendered message so that personal numbers never reach a handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_snils_in_text(message)
        if masked != message:
            record.msg = masked
            record.args = None
        return True
