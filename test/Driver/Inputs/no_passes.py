"""A pass plugin that defines no pass, for the error rcbc-opt gives about it."""

MESSAGE = "nothing here"
