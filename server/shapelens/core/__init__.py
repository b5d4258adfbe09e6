"""The pure analysis core: parse → infer → findings. Never imports pygls or TensorFlow."""

from .analysis import analyze
from .config import Config, ConfigError, load_config
from .results import Analysis, AssignmentFact, Finding, Fix, Span
from .workspace import disk_resolver

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .incremental.session import Session

__all__ = ["Analysis", "AssignmentFact", "Config", "ConfigError", "Finding", "Fix", "Session",
           "Span",
           "analyze", "disk_resolver", "load_config"]


def __getattr__(name: str) -> object:
    """``Session``, imported on first use: the incremental engine serves the language
    server's open documents; ``shapelens check`` analyses each file once without it."""
    if name == "Session":
        from .incremental.session import Session

        globals()[name] = Session
        return Session
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
