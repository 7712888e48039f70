"""revpack: printable revision packs from Markdown.

Everything the command line does is callable from Python::

    import revpack
    revpack.build("content/soviet-foreign-policy", out="out")
    revpack.check("content/soviet-foreign-policy")
"""

__version__ = "0.1.0"

from .build import build, check  # noqa: E402  (WeasyPrint itself is imported only when rendering)

__all__ = ["build", "check", "__version__"]
