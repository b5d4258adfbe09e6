"""The pure analysis core: parse → infer → findings. Never imports pygls or TensorFlow."""

from .analysis import analyze
from .config import Config, ConfigError, load_config
from .incremental import Session
from .results import Analysis, AssignmentFact, Finding, Fix, Span
from .workspace import disk_resolver

__all__ = ["Analysis", "AssignmentFact", "Config", "ConfigError", "Finding", "Fix", "Session",
           "Span",
           "analyze", "disk_resolver", "load_config"]
