"""`make demo`: the main end-to-end job of rcbc as it stands."""
