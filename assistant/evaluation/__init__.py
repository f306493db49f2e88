"""`assistant eval`: reads a question file (`questions`), runs it through the engine and
the baseline (`baseline`) in one process (`run`), scores it with small pure metrics
(`metrics`) and writes the report three ways (`report`, `html_report` with `plots`),
every figure defined once (`definitions`), with what it was measured on (`provenance`);
`compare` tells two runs apart. Reads the engine; nothing imports it."""
