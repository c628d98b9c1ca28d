"""The error a user can cause while importing a model.

Everything the frontend rejects (an unknown model name, an unsupported operator, a state_dict
that does not fit the model, a malformed weight store) raises `FrontendError` or a subclass, with
a message that names the model, layer, operator or byte offset at fault. The ``rcbc`` command
prints the message and exits with status 1; nothing else is meant for users.
"""


class FrontendError(Exception):
    """A model, file or option the frontend cannot import."""
