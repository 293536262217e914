"""The reply clock of an application lives in core (`gongkai.core.deadlines.compute`): one clock
for the services, the case pages and `gongkai deadline`. Kept here under its old names."""

from gongkai.core.deadlines import (
    PAUSE_LABELS,
    ClockInput,
    ClockResult,
    ExtensionTooLongError,
    PauseSpan,
    Step,
    compute,
)

__all__ = [
    "PAUSE_LABELS",
    "ClockInput",
    "ClockResult",
    "ExtensionTooLongError",
    "PauseSpan",
    "Step",
    "compute",
]
