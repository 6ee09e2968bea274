"""Logging filter that keeps SNILS numbers out of every log line."""

import logging

from profdev.common.identifiers import SNILS_IN_TEXT


def mask_snils_in_text(text: str) -> str:
    return SNILS_IN_TEXT.sub("***-***-*** **", text)


class MaskSnilsFilter(logging.Filter):
    """Rewrites the rendered message so that personal numbers never reach a handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_snils_in_text(message)
        if masked != message:
            record.msg = masked
            record.args = None
        return True
