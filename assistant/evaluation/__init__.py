"""`assistant eval`: runs a question set through the engine and the baseline
(`baseline`) in one process, scores it with small pure metrics (`metrics`) and
writes the report (`report`). Reads the engine; nothing imports it."""
